import { assertTransaction, type DomainContext } from './context.js';
import { DomainError, ErrorCode, notFound, validationError, type FieldError } from './errors.js';
import { authorize, type Actor } from './principal.js';
import { isEmail, type Account, type LockedAccount } from './account.js';
import { recordAudit } from './audit.js';
import { parsePage, type PageRequest, type SizedPage } from './paging.js';
import { adjustUserCount } from './usage.js';
import { storedDomainOf } from './email-domain.js';
import { hashPassword, passwordProblem } from './mailbox-password.js';
import * as mailboxesRepo from '../store/repositories/mailboxes.js';
import * as aliasesRepo from '../store/repositories/mail-aliases.js';
import type { StoredEmailDomain } from '../store/repositories/email-domains.js';

/**
 * Mailboxes of an e-mail domain. Every mailbox that is enabled is a user of the account: adding, enabling,
 * disabling and deleting one changes the account's user count through the one user-count path
 * (adjustUserCount), so billing's Upgrade lines and CCC's usage see it, recorded under who did it.
 */

export const MAILBOX_MESSAGES = {
  notFound: 'Mailbox not found',
  invalidName: 'Invalid mailbox name: use letters, numbers, periods, hyphens, underscores or apostrophes, begin with a letter or number, at most 64 characters.',
  taken: 'Mailbox already exists.',
  takenByAlias: 'An alias with this name already exists.',
  limitReached: 'Max number of mailboxes reached.',
  size: 'size must be a whole number of megabytes from 1 to 102400.',
  forwarding: 'emailForwardingAddresses must be a comma separated list of at most 15 valid email addresses.',
  textTooLong: 'Text fields are at most 255 characters (vacationMessage: 4000).',
  flag: 'must be true or false.',
} as const;

export const MAILBOX_NAME = /^[a-z0-9][a-z0-9._'-]{0,63}$/;
export const FORWARDING_MAX = 15;

export interface Mailbox {
  name: string;
  domainName: string;
  displayName: string;
  sizeMb: number;
  currentUsageMb: number;
  enabled: boolean;
  firstName: string;
  lastName: string;
  forwardingAddresses: string[];
  saveForwardedEmail: boolean;
  vacationMessage: string;
  vacationEnabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** What a client sends; loosely typed so the domain reports what is wrong in its own words. */
export interface MailboxInput {
  password?: unknown;
  displayName?: unknown;
  size?: unknown;
  enabled?: unknown;
  firstName?: unknown;
  lastName?: unknown;
  forwardingAddresses?: unknown;
  saveForwardedEmail?: unknown;
  vacationMessage?: unknown;
  vacationEnabled?: unknown;
}

type Fields = Partial<Omit<mailboxesRepo.StoredMailbox, 'id' | 'domainId' | 'name' | 'passwordHash' | 'createdAt' | 'updatedAt' | 'lastLoginAt' | 'spam' | 'contact'>>;

export function normalizeMailboxName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const n = raw.trim().toLowerCase();
  return MAILBOX_NAME.test(n) ? n : null;
}

function flag(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v)) return v.trim().toLowerCase() === 'true';
  return undefined;
}

function text(v: unknown, max: number): string | undefined {
  if (v === null) return '';
  if (typeof v === 'string' && [...v].length <= max) return v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** A comma-separated list (or a JSON array) of addresses, lower-cased; null when one is not an address. */
export function addressList(v: unknown): string[] | null {
  const parts = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : v === null ? [] : null;
  if (!parts) return null;
  const out = parts.map((p) => (typeof p === 'string' ? p.trim().toLowerCase() : '')).filter((p, i, all) => p !== '' || all.length > 1);
  if (out.some((a) => !isEmail(a))) return null;
  return [...new Set(out)];
}

/** Checks the fields present (all are optional; the password is checked by the caller, which knows the name). */
export function validateMailboxFields(input: MailboxInput): { problems: FieldError[]; fields: Fields } {
  const problems: FieldError[] = [];
  const fields: Fields = {};
  const bad = (field: string, message: string) => problems.push({ field, problem: 'invalid', message });
  if (input.size !== undefined) {
    const s = typeof input.size === 'number' ? String(input.size) : typeof input.size === 'string' ? input.size.trim() : '';
    const n = /^\d{1,6}$/.test(s) ? Number(s) : 0;
    if (n < 1 || n > 102_400) bad('size', MAILBOX_MESSAGES.size);
    else fields.sizeMb = n;
  }
  for (const [key, field, max] of [['displayName', 'displayName', 255], ['firstName', 'firstName', 255], ['lastName', 'lastName', 255], ['vacationMessage', 'vacationMessage', 4000]] as const) {
    if (input[key] === undefined) continue;
    const v = text(input[key], max);
    if (v === undefined) bad(field, MAILBOX_MESSAGES.textTooLong);
    else fields[key] = v;
  }
  for (const [key, target] of [['enabled', 'enabled'], ['saveForwardedEmail', 'saveForwarded'], ['vacationEnabled', 'vacationEnabled']] as const) {
    if (input[key] === undefined) continue;
    const v = flag(input[key]);
    if (v === undefined) bad(key, `${key} ${MAILBOX_MESSAGES.flag}`);
    else fields[target] = v;
  }
  if (input.forwardingAddresses !== undefined) {
    const list = addressList(input.forwardingAddresses);
    if (!list || list.length > FORWARDING_MAX) bad('emailForwardingAddresses', MAILBOX_MESSAGES.forwarding);
    else fields.forwarding = JSON.stringify(list);
  }
  return { problems, fields };
}

function opened(m: mailboxesRepo.StoredMailbox, domainName: string): Mailbox {
  return {
    name: m.name,
    domainName,
    displayName: m.displayName,
    sizeMb: m.sizeMb,
    currentUsageMb: m.currentUsageMb,
    enabled: m.enabled,
    firstName: m.firstName,
    lastName: m.lastName,
    forwardingAddresses: JSON.parse(m.forwarding) as string[],
    saveForwardedEmail: m.saveForwarded,
    vacationMessage: m.vacationMessage,
    vacationEnabled: m.vacationEnabled,
    createdAt: m.createdAt,
    lastLoginAt: m.lastLoginAt,
  };
}

/** What the audit log keeps of a mailbox: never the password or its hash. */
function auditView(m: Mailbox) {
  const { domainName: _d, ...rest } = m;
  return rest;
}

export interface MailboxListRequest extends PageRequest {
  enabled?: boolean;
}

/** Mailboxes of one of the account's domains, by name. Needs domain.read. */
export async function listMailboxes(ctx: DomainContext, actor: Actor, account: Account, domainName: string, request: MailboxListRequest = {}): Promise<SizedPage<Mailbox>> {
  const { size, offset } = parsePage(request);
  authorize(actor, 'domain.read', account);
  const d = await storedDomainOf(ctx.db, account, domainName);
  const page = await mailboxesRepo.page(ctx.db, d.id, request.enabled, size, offset);
  return { size, offset, total: page.total, items: page.items.map((m) => opened(m, d.name)) };
}

export async function storedMailbox(ctx: DomainContext, d: StoredEmailDomain, rawName: string): Promise<mailboxesRepo.StoredMailbox> {
  const name = normalizeMailboxName(rawName);
  const m = name ? await mailboxesRepo.find(ctx.db, d.id, name) : null;
  if (!m) throw notFound('mailbox', MAILBOX_MESSAGES.notFound);
  return m;
}

export async function mailboxOf(ctx: DomainContext, actor: Actor, account: Account, domainName: string, name: string): Promise<Mailbox> {
  authorize(actor, 'domain.read', account);
  const d = await storedDomainOf(ctx.db, account, domainName);
  return opened(await storedMailbox(ctx, d, name), d.name);
}

/**
 * Adds a mailbox (enabled unless `enabled` is false). Errors: Validation (name, password rules, fields),
 * NameTaken (a mailbox or alias has the name), LimitReached ("Max number of mailboxes reached.") at the
 * domain's rsEmailMaxNumberMailboxes, NotFound (domain), Forbidden without mailbox.manage.
 */
export async function addMailboxTo(tx: DomainContext, actor: Actor, account: LockedAccount, domainName: string, rawName: string, input: MailboxInput): Promise<Mailbox> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const d = await storedDomainOf(tx.db, account, domainName);
  const name = normalizeMailboxName(rawName);
  const { problems, fields } = validateMailboxFields(input ?? {});
  if (!name) problems.unshift({ field: 'name', problem: 'invalid', message: MAILBOX_MESSAGES.invalidName });
  const weak = passwordProblem(input?.password, name ?? '', d.name);
  if (weak) problems.push(weak);
  if (problems.length) throw validationError(problems);
  await assertNameFree(tx, d.id, name!);
  if ((await mailboxesRepo.count(tx.db, d.id)).total >= d.maxMailboxes) throw new DomainError(ErrorCode.LimitReached, MAILBOX_MESSAGES.limitReached, { resource: 'mailbox' });
  const now = tx.clock.now().toISOString();
  const stored = await mailboxesRepo.insert(tx.db, {
    domainId: d.id,
    name: name!,
    displayName: fields.displayName ?? '',
    passwordHash: await hashPassword(input.password as string),
    sizeMb: fields.sizeMb ?? d.baseMailboxSize,
    currentUsageMb: 0,
    enabled: fields.enabled ?? true,
    firstName: fields.firstName ?? '',
    lastName: fields.lastName ?? '',
    contact: '{}',
    forwarding: fields.forwarding ?? '[]',
    saveForwarded: fields.saveForwarded ?? false,
    vacationMessage: fields.vacationMessage ?? '',
    vacationEnabled: fields.vacationEnabled ?? false,
    spam: '{}',
    createdAt: now,
    updatedAt: now,
    lastLoginAt: null,
  });
  const mailbox = opened(stored, d.name);
  await recordAudit(tx.db, tx, actor, { action: 'mailbox.create', entityType: 'mailbox', entityGuid: String(stored.id), accountGuid: account.guid, before: null, after: auditView(mailbox) });
  if (stored.enabled) await adjustUserCount(tx.db, tx, actor, account, 1);
  return mailbox;
}

/** Mailbox and alias names share one space in a domain. */
export async function assertNameFree(tx: DomainContext, domainId: number, name: string): Promise<void> {
  if (await mailboxesRepo.find(tx.db, domainId, name)) throw new DomainError(ErrorCode.NameTaken, MAILBOX_MESSAGES.taken, { resource: 'mailbox' });
  if (await aliasesRepo.find(tx.db, domainId, name)) throw new DomainError(ErrorCode.NameTaken, MAILBOX_MESSAGES.takenByAlias, { resource: 'alias' });
}

/**
 * Changes the fields present; a password present is checked and re-hashed; `enabled` false/true disables or
 * enables the mailbox, which moves the user count by one. Needs mailbox.manage.
 */
export async function changeMailbox(tx: DomainContext, actor: Actor, account: LockedAccount, domainName: string, name: string, input: MailboxInput): Promise<Mailbox> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const d = await storedDomainOf(tx.db, account, domainName);
  const current = await storedMailbox(tx, d, name);
  const { problems, fields } = validateMailboxFields(input ?? {});
  const weak = input?.password === undefined ? null : passwordProblem(input.password, current.name, d.name);
  if (weak) problems.push(weak);
  if (problems.length) throw validationError(problems);
  const next: mailboxesRepo.StoredMailbox = { ...current, ...fields, updatedAt: tx.clock.now().toISOString() };
  if (input.password !== undefined) next.passwordHash = await hashPassword(input.password as string);
  await mailboxesRepo.update(tx.db, next);
  await recordAudit(tx.db, tx, actor, {
    action: 'mailbox.update',
    entityType: 'mailbox',
    entityGuid: String(current.id),
    accountGuid: account.guid,
    before: auditView(opened(current, d.name)),
    after: { ...auditView(opened(next, d.name)), passwordChanged: input.password !== undefined },
  });
  // A count already at zero (set lower by another face) is not taken below it.
  if (current.enabled !== next.enabled && (next.enabled || account.userCount > 0)) await adjustUserCount(tx.db, tx, actor, account, next.enabled ? 1 : -1);
  return opened(next, d.name);
}

/** Deletes a mailbox; an enabled one leaves the user count. Needs mailbox.manage. */
export async function removeMailbox(tx: DomainContext, actor: Actor, account: LockedAccount, domainName: string, name: string): Promise<void> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const d = await storedDomainOf(tx.db, account, domainName);
  const current = await storedMailbox(tx, d, name);
  await mailboxesRepo.remove(tx.db, current.id);
  await recordAudit(tx.db, tx, actor, { action: 'mailbox.delete', entityType: 'mailbox', entityGuid: String(current.id), accountGuid: account.guid, before: auditView(opened(current, d.name)), after: null });
  if (current.enabled && account.userCount > 0) await adjustUserCount(tx.db, tx, actor, account, -1);
}
