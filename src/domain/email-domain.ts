import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import { assertTransaction, type DomainContext } from './context.js';
import { DomainError, ErrorCode, notFound, validationError, type FieldError } from './errors.js';
import { authorize, type Actor } from './principal.js';
import type { Account, LockedAccount } from './account.js';
import { recordAudit } from './audit.js';
import { parsePage, type PageRequest, type SizedPage } from './paging.js';
import { adjustUserCount } from './usage.js';
import * as domainsRepo from '../store/repositories/email-domains.js';
import * as mailboxesRepo from '../store/repositories/mailboxes.js';
import * as aliasesRepo from '../store/repositories/mail-aliases.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import * as spamRepo from '../store/repositories/spam.js';

/**
 * E-mail domains. An account owns domains; a domain name is unique across the whole system (the store's
 * unique index decides between concurrent adds), and an account has at most one primary domain, which is
 * the primary domain every face shows for the account (Mimecast's primaryDomain, CCC's service
 * primaryDomain, the Rackspace domain list). The first domain an account gets becomes its primary one.
 */

export const DOMAIN_MESSAGES = {
  notFound: 'Domain not found',
  taken: 'Domain already exists.',
  invalidName: 'Invalid domain name.',
  serviceType: 'serviceType must be rsemail, exchange or both.',
  mailboxLimit: 'rsEmailMaxNumberMailboxes must be a whole number from 0 to 100000.',
  baseSize: 'rsEmailBaseMailboxSize must be a whole number of megabytes from 1 to 102400.',
  exchangeLimit: 'exchangeMaxNumMailboxes must be a whole number from 0 to 100000.',
} as const;

export const SERVICE_TYPES = ['rsemail', 'exchange', 'both'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** What a domain gets when its add names nothing else (the migration gives existing primary domains the same). */
export const DOMAIN_DEFAULTS = { serviceType: 'rsemail' as ServiceType, maxMailboxes: 100, baseMailboxSize: 25600, exchangeMaxMailboxes: 0 };

export const DOMAIN_NAME_MAX = 253;

export interface EmailDomain {
  id: number;
  name: string;
  accountGuid: string;
  accountNumber: string;
  isPrimary: boolean;
  serviceType: ServiceType;
  maxMailboxes: number;
  baseMailboxSize: number;
  exchangeMaxMailboxes: number;
  createdAt: string;
  updatedAt: string;
}

/** Domain settings as a client sends them; absent fields keep their value (or the default on add). */
export interface DomainSettings {
  serviceType?: unknown;
  maxMailboxes?: unknown;
  baseMailboxSize?: unknown;
  exchangeMaxMailboxes?: unknown;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A domain name in its one spelling (lower case, no trailing dot), or null when it is not a host name. */
export function normalizeDomainName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.trim().toLowerCase().replace(/\.$/, '');
  if (!name || name.length > DOMAIN_NAME_MAX) return null;
  const labels = name.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) return null;
  return name;
}

function wholeNumber(v: unknown, min: number, max: number): number | null {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d{1,9}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** Checks the settings present; returns the problems and the values that passed. */
export function validateDomainSettings(input: DomainSettings): { problems: FieldError[]; values: Partial<Omit<EmailDomain, 'id' | 'name'>> } {
  const problems: FieldError[] = [];
  const values: Partial<Omit<EmailDomain, 'id' | 'name'>> = {};
  if (input.serviceType !== undefined) {
    const t = typeof input.serviceType === 'string' ? input.serviceType.trim().toLowerCase() : '';
    if ((SERVICE_TYPES as readonly string[]).includes(t)) values.serviceType = t as ServiceType;
    else problems.push({ field: 'serviceType', problem: 'invalid', message: DOMAIN_MESSAGES.serviceType });
  }
  const numbers = [
    ['maxMailboxes', 0, 100_000, DOMAIN_MESSAGES.mailboxLimit, 'rsEmailMaxNumberMailboxes'],
    ['baseMailboxSize', 1, 102_400, DOMAIN_MESSAGES.baseSize, 'rsEmailBaseMailboxSize'],
    ['exchangeMaxMailboxes', 0, 100_000, DOMAIN_MESSAGES.exchangeLimit, 'exchangeMaxNumMailboxes'],
  ] as const;
  for (const [key, min, max, message, field] of numbers) {
    if (input[key] === undefined) continue;
    const n = wholeNumber(input[key], min, max);
    if (n === null) problems.push({ field, problem: 'invalid', message });
    else values[key] = n;
  }
  return { problems, values };
}

function opened(d: domainsRepo.StoredEmailDomain, accountNumber: string): EmailDomain {
  const { spam: _spam, ...rest } = d;
  return { ...rest, serviceType: d.serviceType as ServiceType, accountNumber };
}

function auditView(d: Pick<EmailDomain, 'name' | 'isPrimary' | 'serviceType' | 'maxMailboxes' | 'baseMailboxSize' | 'exchangeMaxMailboxes'>) {
  return { name: d.name, isPrimary: d.isPrimary, serviceType: d.serviceType, maxMailboxes: d.maxMailboxes, baseMailboxSize: d.baseMailboxSize, exchangeMaxMailboxes: d.exchangeMaxMailboxes };
}

/** Which domains a list covers: one account's, or every domain in the caller's subtree ("all"). */
export type DomainListScope = { account: Account } | { subtree: true };

export interface DomainListRequest extends PageRequest {
  /** Only these names (Rackspace's domainNames: at most 100). */
  names?: string[];
}

/** Domains by name, `size` from `offset`. Needs domain.read on the account (or on the caller's own for "all"). */
export async function listDomains(ctx: DomainContext, actor: Actor, scope: DomainListScope, request: DomainListRequest = {}): Promise<SizedPage<EmailDomain>> {
  const { size, offset } = parsePage(request);
  const names = request.names?.map((n) => n.trim().toLowerCase()).filter(Boolean);
  if (names && names.length > 100) throw validationError([{ field: 'domainNames', problem: 'invalid', message: 'At most 100 domain names can be given at once.' }]);
  let repoScope: domainsRepo.DomainScope;
  if ('account' in scope) {
    authorize(actor, 'domain.read', scope.account);
    repoScope = { accountGuid: scope.account.guid };
  } else {
    authorize(actor, 'domain.read', { path: actor.system ? '/' : actor.accountPath });
    repoScope = { pathPrefix: actor.system ? '/' : actor.accountPath };
  }
  const page = await domainsRepo.page(ctx.db, { ...repoScope, names }, size, offset);
  return { size, offset, total: page.total, items: page.items.map((d) => opened(d, d.accountNumber)) };
}

/** An account's domains (every one), primary first. */
export async function domainsOfAccount(ctx: DomainContext, actor: Actor, account: Account): Promise<EmailDomain[]> {
  authorize(actor, 'domain.read', account);
  const all = await domainsRepo.ofAccount(ctx.db, account.guid);
  return all.map((d) => opened(d, account.accountNumber)).sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
}

/** The stored domain `name` of `account`; not-found for a name the account does not own (whoever owns it). */
export async function storedDomainOf(db: Kysely<DB>, account: Account, name: string): Promise<domainsRepo.StoredEmailDomain> {
  const normalized = typeof name === 'string' ? name.trim().toLowerCase() : '';
  const d = normalized ? await domainsRepo.findByName(db, normalized) : null;
  if (!d || d.accountGuid !== account.guid) throw notFound('domain', DOMAIN_MESSAGES.notFound);
  return d;
}

/** One domain of an account, with the storage its mailboxes use. Needs domain.read. */
export async function domainOf(ctx: DomainContext, actor: Actor, account: Account, name: string): Promise<EmailDomain & { usedStorageMb: number }> {
  authorize(actor, 'domain.read', account);
  const d = await storedDomainOf(ctx.db, account, name);
  return { ...opened(d, account.accountNumber), usedStorageMb: await mailboxesRepo.usedStorage(ctx.db, d.id) };
}

function taken(name: string): DomainError {
  return new DomainError(ErrorCode.NameTaken, DOMAIN_MESSAGES.taken, { resource: 'domain', fields: [{ field: 'name', problem: 'invalid', message: DOMAIN_MESSAGES.taken }] });
}

async function mirrorPrimary(tx: DomainContext, accountGuid: string, name: string | null): Promise<void> {
  await accountsRepo.setPrimaryDomain(tx.db, accountGuid, name, tx.clock.now().toISOString());
}

async function insertDomain(tx: DomainContext, actor: Actor, account: Account, name: string, values: Partial<EmailDomain>, primary: boolean): Promise<domainsRepo.StoredEmailDomain> {
  const now = tx.clock.now().toISOString();
  const stored = await domainsRepo.insertIfFree(tx.db, {
    name,
    accountGuid: account.guid,
    isPrimary: primary,
    serviceType: values.serviceType ?? DOMAIN_DEFAULTS.serviceType,
    maxMailboxes: values.maxMailboxes ?? DOMAIN_DEFAULTS.maxMailboxes,
    baseMailboxSize: values.baseMailboxSize ?? DOMAIN_DEFAULTS.baseMailboxSize,
    exchangeMaxMailboxes: values.exchangeMaxMailboxes ?? DOMAIN_DEFAULTS.exchangeMaxMailboxes,
    spam: '{}',
    createdAt: now,
    updatedAt: now,
  });
  if (!stored) throw taken(name);
  await recordAudit(tx.db, tx, actor, { action: 'domain.create', entityType: 'domain', entityGuid: String(stored.id), accountGuid: account.guid, before: null, after: auditView(opened(stored, '')) });
  return stored;
}

/**
 * Adds a domain to an account its caller has locked. Errors: Validation (name, settings), NameTaken
 * ("Domain already exists.") when any account in the system has it, Forbidden without domain.manage.
 * The account's first domain becomes its primary domain.
 */
export async function addDomainTo(tx: DomainContext, actor: Actor, account: LockedAccount, rawName: string, settings: DomainSettings = {}, options: { primary?: boolean } = {}): Promise<EmailDomain> {
  assertTransaction(tx.db);
  authorize(actor, 'domain.manage', account);
  const name = normalizeDomainName(rawName);
  const { problems, values } = validateDomainSettings(settings);
  if (!name) problems.unshift({ field: 'name', problem: 'invalid', message: DOMAIN_MESSAGES.invalidName });
  if (problems.length) throw validationError(problems);
  const first = (await domainsRepo.ofAccount(tx.db, account.guid)).length === 0;
  const primary = first || options.primary === true;
  const stored = await insertDomain(tx, actor, account, name!, values, primary);
  if (primary) {
    await domainsRepo.setPrimary(tx.db, account.guid, stored.id, stored.updatedAt);
    await mirrorPrimary(tx, account.guid, stored.name);
  }
  return opened(stored, account.accountNumber);
}

/** Changes a domain's settings (service type, mailbox limit, sizes). Needs domain.manage. */
export async function changeDomain(tx: DomainContext, actor: Actor, account: LockedAccount, name: string, settings: DomainSettings): Promise<EmailDomain> {
  assertTransaction(tx.db);
  authorize(actor, 'domain.manage', account);
  const current = await storedDomainOf(tx.db, account, name);
  const { problems, values } = validateDomainSettings(settings);
  if (problems.length) throw validationError(problems);
  const next = { ...current, ...values, updatedAt: tx.clock.now().toISOString() };
  await domainsRepo.update(tx.db, next);
  await recordAudit(tx.db, tx, actor, { action: 'domain.update', entityType: 'domain', entityGuid: String(current.id), accountGuid: account.guid, before: auditView(opened(current, '')), after: auditView(opened(next, '')) });
  return opened(next, account.accountNumber);
}

/**
 * Renames a domain and/or makes it the account's primary one (CCC's UpdateServiceDomain). A new name must be
 * free across the system. Needs domain.manage.
 */
export async function renameDomain(tx: DomainContext, actor: Actor, account: LockedAccount, name: string, change: { newName?: string; primary?: boolean }): Promise<EmailDomain> {
  assertTransaction(tx.db);
  authorize(actor, 'domain.manage', account);
  const current = await storedDomainOf(tx.db, account, name);
  let next = { ...current, updatedAt: tx.clock.now().toISOString() };
  if (change.newName !== undefined) {
    const newName = normalizeDomainName(change.newName);
    if (!newName) throw validationError([{ field: 'newName', problem: 'invalid', message: DOMAIN_MESSAGES.invalidName }]);
    if (newName !== current.name) {
      // Insert under the new name first, so the unique index decides; then move everything over.
      const moved = await insertDomain(tx, actor, account, newName, current as Partial<EmailDomain>, current.isPrimary);
      await moveContents(tx.db, current.id, moved.id);
      await domainsRepo.remove(tx.db, current.id);
      next = { ...moved, spam: current.spam };
      await domainsRepo.update(tx.db, next);
    }
  }
  if (change.primary === true || (next.isPrimary && next.name !== current.name)) {
    await domainsRepo.setPrimary(tx.db, account.guid, next.id, next.updatedAt);
    next.isPrimary = true;
    await mirrorPrimary(tx, account.guid, next.name);
  }
  await recordAudit(tx.db, tx, actor, { action: 'domain.update', entityType: 'domain', entityGuid: String(next.id), accountGuid: account.guid, before: auditView(opened(current, '')), after: auditView(opened(next, '')) });
  return opened(next, account.accountNumber);
}

async function moveContents(db: Kysely<DB>, fromId: number, toId: number): Promise<void> {
  await db.updateTable('mailboxes').set({ domain_id: toId }).where('domain_id', '=', fromId).execute();
  await db.updateTable('mail_aliases').set({ domain_id: toId }).where('domain_id', '=', fromId).execute();
  await spamRepo.moveDomainSpam(db, fromId, toId);
}

/**
 * Deletes a domain with its mailboxes and aliases; its enabled mailboxes leave the account's user count
 * through the one user-count path. When it was the primary domain, the oldest remaining domain becomes
 * primary (or the account has none). Needs domain.manage.
 */
export async function removeDomain(tx: DomainContext, actor: Actor, account: LockedAccount, name: string): Promise<void> {
  assertTransaction(tx.db);
  authorize(actor, 'domain.manage', account);
  const current = await storedDomainOf(tx.db, account, name);
  await dropDomain(tx, actor, account, current, true);
  if (current.isPrimary) {
    const rest = (await domainsRepo.ofAccount(tx.db, account.guid)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
    await domainsRepo.setPrimary(tx.db, account.guid, rest[0]?.id ?? null, tx.clock.now().toISOString());
    await mirrorPrimary(tx, account.guid, rest[0]?.name ?? null);
  }
}

async function dropDomain(tx: DomainContext, actor: Actor, account: Account, d: domainsRepo.StoredEmailDomain, countUsers: boolean): Promise<void> {
  const { enabled } = await mailboxesRepo.count(tx.db, d.id);
  if (countUsers && enabled > 0) await adjustUserCount(tx.db, tx, actor, account, -Math.min(enabled, account.userCount));
  await mailboxesRepo.removeOfDomain(tx.db, d.id);
  await aliasesRepo.removeOfDomain(tx.db, d.id);
  await domainsRepo.remove(tx.db, d.id);
  await recordAudit(tx.db, tx, actor, { action: 'domain.delete', entityType: 'domain', entityGuid: String(d.id), accountGuid: account.guid, before: auditView(opened(d, '')), after: null });
}

/** A deleted account's domains are released: their names are free for any account again. */
export async function releaseDomains(tx: DomainContext, actor: Actor, account: Account): Promise<void> {
  assertTransaction(tx.db);
  for (const d of await domainsRepo.ofAccount(tx.db, account.guid)) await dropDomain(tx, actor, account, d, false);
}

/**
 * A new account's primary domain: it has no domain yet, so the insert (decided by the unique index) and its
 * audit entry are all there is to do. NameTaken when another account has the name.
 */
export async function claimFirstDomain(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, account: Account, name: string): Promise<void> {
  await insertDomain({ ...ctx, db: trx }, actor, account, name, {}, true);
}

/** The one spelling of a domain an account field names; names that are not host names are kept, lower-cased. */
export function domainSpelling(rawName: string): string {
  return normalizeDomainName(rawName) ?? rawName.trim().toLowerCase();
}

/**
 * Makes `rawName` the account's primary domain, for the faces that set a primary domain as an account field
 * (CCC CreateService's PrimaryDomain, Mimecast's primaryDomain, the panel). A name the account already owns
 * becomes primary; a free one is added as primary; one another account owns is NameTaken. Null clears the
 * primary mark. Returns the name as stored. The caller has authorized the account change.
 */
export async function claimPrimaryDomain(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, account: Account, rawName: string | null): Promise<string | null> {
  const tx = { ...ctx, db: trx };
  const at = ctx.clock.now().toISOString();
  if (rawName === null || rawName.trim() === '') {
    await domainsRepo.setPrimary(trx, account.guid, null, at);
    return null;
  }
  const name = domainSpelling(rawName);
  const existing = await domainsRepo.findByName(trx, name);
  if (existing && existing.accountGuid !== account.guid) throw taken(name);
  const d = existing ?? (await insertDomain(tx, actor, account, name, {}, true));
  await domainsRepo.setPrimary(trx, account.guid, d.id, at);
  return name;
}
