import { isIP } from 'node:net';
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import { assertTransaction, type DomainContext } from './context.js';
import { DomainError, ErrorCode, notFound, validationError, type FieldError } from './errors.js';
import { authorize, type Actor } from './principal.js';
import { isEmail, type Account, type LockedAccount } from './account.js';
import { recordAudit } from './audit.js';
import { normalizeDomainName, storedDomainOf } from './email-domain.js';
import { storedMailbox } from './mailbox.js';
import * as spamRepo from '../store/repositories/spam.js';

/**
 * Spam filtering of an e-mail domain and of each of its mailboxes: a filter level, what happens to spam
 * (a spam folder, optionally cleaned by age or count; deleted; labelled; forwarded to an address) and four
 * lists: safe and blocked senders (addresses, domains, wildcards) and safe and blocked IP addresses
 * (addresses, CIDR ranges, wildcards). A domain without settings of its own has the defaults; a mailbox
 * without settings of its own follows its domain's, and a domain change that overrides mailboxes' own
 * settings drops them. Reads need domain.read; changes need mailbox.manage (spam filtering is mail handling,
 * which customer admins look after as well as resellers). Every change is audited in its transaction.
 */

export const FILTER_LEVELS = ['on', 'off', 'exclusive'] as const;
export type FilterLevel = (typeof FILTER_LEVELS)[number];

/** What happens to a message judged spam. */
export const SPAM_HANDLINGS = ['folder', 'delete', 'label', 'forward'] as const;
export type SpamHandling = (typeof SPAM_HANDLINGS)[number];

export const SPAM_LISTS = ['safe_senders', 'blocked_senders', 'safe_ips', 'blocked_ips'] as const;
export type SpamList = (typeof SPAM_LISTS)[number];

/** How many entries one list holds at most (the vendor documents no limit; a sandbox must not grow without one). */
export const SPAM_LIST_MAX = 1000;
export const FOLDER_AGE_MAX = 3650;
export const FOLDER_COUNT_MAX = 1_000_000;

export interface SpamSettings {
  filterLevel: FilterLevel;
  handling: SpamHandling;
  /** Whether the spam folder is cleaned, by age in days and/or by number of messages (0: no limit). */
  folderCleaner: boolean;
  folderAgeLimit: number;
  folderCountLimit: number;
  /** Where forwarded spam goes ('' unless handling is forward). */
  forwardingAddress: string;
}

/** Exchange-side settings a domain also carries (Exchange mailboxes are not modelled: they are kept and shown). */
export interface ExchangeSpamSettings {
  domainQuarantine: boolean;
  quarantineOwner: string;
  defaultQuarantineOwner: string;
}

export interface DomainSpamSettings extends SpamSettings {
  exchange: ExchangeSpamSettings;
}

/** What a domain (and so a mailbox that has none of its own) has until someone sets something: the vendor's defaults. */
export const SPAM_DEFAULTS: DomainSpamSettings = {
  filterLevel: 'on',
  handling: 'folder',
  folderCleaner: false,
  folderAgeLimit: 0,
  folderCountLimit: 0,
  forwardingAddress: '',
  exchange: { domainQuarantine: false, quarantineOwner: '', defaultQuarantineOwner: '' },
};

/** Settings as a client sends them (loosely typed: the domain says what is wrong). Absent fields keep their value. */
export interface SpamSettingsInput {
  filterLevel?: unknown;
  handling?: unknown;
  folderCleaner?: unknown;
  folderAgeLimit?: unknown;
  folderCountLimit?: unknown;
  forwardingAddress?: unknown;
}

export interface DomainSpamSettingsInput extends SpamSettingsInput {
  /** true: every mailbox of the domain drops its own settings and follows these. */
  overrideMailboxes?: unknown;
  domainQuarantine?: unknown;
  quarantineOwner?: unknown;
  defaultQuarantineOwner?: unknown;
}

/** The vendor's words for each problem, by the field a client sent (the wiki's form-field names). */
export const SPAM_MESSAGES = {
  filterLevelMissing: 'filterLevel is required.',
  filterLevel: "filterLevel must be 'on', 'off' or 'exclusive'.",
  handling: "rsEmail.spamHandling must be 'toFolder', 'delete', 'labelSubject' or 'toAddress'.",
  flag: (field: string) => `${field} must be true or false.`,
  ageLimit: `rsEmail.spamFolderAgeLimit must be a whole number of days from 0 to ${FOLDER_AGE_MAX}.`,
  countLimit: `rsEmail.spamFolderNumLimit must be a whole number from 0 to ${FOLDER_COUNT_MAX}.`,
  forwardingAddress: 'rsEmail.spamForwardingAddress must be a valid email address.',
  forwardingMissing: 'rsEmail.spamForwardingAddress is required when rsEmail.spamHandling is toAddress.',
  folderFields: 'rsEmail.hasFolderCleaner, rsEmail.spamFolderAgeLimit and rsEmail.spamFolderNumLimit are only valid when rsEmail.spamHandling is toFolder.',
  forwardingOnly: 'rsEmail.spamForwardingAddress is only valid when rsEmail.spamHandling is toAddress.',
  quarantine: "exchange.forwardToDomainQuarantine must be 'on' or 'off'.",
  quarantineOwner: (field: string) => `${field} must be a valid email address.`,
  senderEntry: 'Invalid entry: use an email address, a domain name or a wildcard such as *@example.com or *.example.com.',
  ipEntry: 'Invalid entry: use an IP address, a CIDR range such as 10.0.0.0/24 or a wildcard such as 10.0.0.*.',
  listFull: `A spam list holds at most ${SPAM_LIST_MAX} entries.`,
  duplicate: (entry: string, list: SpamList) => `${entry} is already on the ${LIST_NAMES[list]}.`,
  notListed: (entry: string, list: SpamList) => `${entry} is not on the ${LIST_NAMES[list]}.`,
} as const;

const LIST_NAMES: Record<SpamList, string> = { safe_senders: 'safelist', blocked_senders: 'blocklist', safe_ips: 'IP safelist', blocked_ips: 'IP blocklist' };

function flag(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v)) return v.trim().toLowerCase() === 'true';
  return undefined;
}

function wholeNumber(v: unknown, max: number): number | undefined {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d{1,9}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= max ? n : undefined;
}

function address(v: unknown): string | undefined {
  if (v === null) return '';
  if (typeof v !== 'string') return undefined;
  const a = v.trim().toLowerCase();
  return a === '' || isEmail(a) ? a : undefined;
}

/** The settings that follow from `current` and the input, or the problems with the input. */
function applySettings<S extends SpamSettings>(current: S, input: SpamSettingsInput): { problems: FieldError[]; next: S } {
  const problems: FieldError[] = [];
  const bad = (field: string, message: string, problem: FieldError['problem'] = 'invalid') => problems.push({ field, problem, message });
  const next = { ...current };
  if (input.filterLevel === undefined || input.filterLevel === null || input.filterLevel === '') bad('filterLevel', SPAM_MESSAGES.filterLevelMissing, 'missing');
  else {
    const level = typeof input.filterLevel === 'string' ? input.filterLevel.trim().toLowerCase() : '';
    if ((FILTER_LEVELS as readonly string[]).includes(level)) next.filterLevel = level as FilterLevel;
    else bad('filterLevel', SPAM_MESSAGES.filterLevel);
  }
  if (input.handling !== undefined) {
    const h = typeof input.handling === 'string' ? input.handling.trim() : '';
    if ((SPAM_HANDLINGS as readonly string[]).includes(h)) next.handling = h as SpamHandling;
    else bad('rsEmail.spamHandling', SPAM_MESSAGES.handling);
  }
  if (input.folderCleaner !== undefined) {
    const v = flag(input.folderCleaner);
    if (v === undefined) bad('rsEmail.hasFolderCleaner', SPAM_MESSAGES.flag('rsEmail.hasFolderCleaner'));
    else next.folderCleaner = v;
  }
  if (input.folderAgeLimit !== undefined) {
    const v = wholeNumber(input.folderAgeLimit, FOLDER_AGE_MAX);
    if (v === undefined) bad('rsEmail.spamFolderAgeLimit', SPAM_MESSAGES.ageLimit);
    else next.folderAgeLimit = v;
  }
  if (input.folderCountLimit !== undefined) {
    const v = wholeNumber(input.folderCountLimit, FOLDER_COUNT_MAX);
    if (v === undefined) bad('rsEmail.spamFolderNumLimit', SPAM_MESSAGES.countLimit);
    else next.folderCountLimit = v;
  }
  let forwarding: string | undefined;
  if (input.forwardingAddress !== undefined) {
    forwarding = address(input.forwardingAddress);
    if (forwarding === undefined) bad('rsEmail.spamForwardingAddress', SPAM_MESSAGES.forwardingAddress, 'invalid_email');
  }
  if (problems.length) return { problems, next };
  // The wiki's valid combinations: toFolder => the folder fields; toAddress => the forwarding address. Fields
  // sent at their empty values pass whatever the handling, so a client can send back what it read.
  const folderAsked = (input.folderCleaner !== undefined && next.folderCleaner) || (input.folderAgeLimit !== undefined && next.folderAgeLimit > 0) || (input.folderCountLimit !== undefined && next.folderCountLimit > 0);
  if (folderAsked && next.handling !== 'folder') bad('rsEmail.spamHandling', SPAM_MESSAGES.folderFields);
  if (forwarding && next.handling !== 'forward') bad('rsEmail.spamForwardingAddress', SPAM_MESSAGES.forwardingOnly);
  if (next.handling === 'forward') {
    next.forwardingAddress = forwarding ?? current.forwardingAddress;
    if (!next.forwardingAddress) bad('rsEmail.spamForwardingAddress', SPAM_MESSAGES.forwardingMissing, 'missing');
  } else next.forwardingAddress = '';
  return { problems, next };
}

function applyExchange(current: ExchangeSpamSettings, input: DomainSpamSettingsInput, problems: FieldError[]): ExchangeSpamSettings {
  const next = { ...current };
  if (input.domainQuarantine !== undefined) {
    const v = typeof input.domainQuarantine === 'string' ? input.domainQuarantine.trim().toLowerCase() : input.domainQuarantine;
    if (v === 'on' || v === true || v === 'true') next.domainQuarantine = true;
    else if (v === 'off' || v === false || v === 'false') next.domainQuarantine = false;
    else problems.push({ field: 'exchange.forwardToDomainQuarantine', problem: 'invalid', message: SPAM_MESSAGES.quarantine });
  }
  for (const [key, field] of [['quarantineOwner', 'exchange.quarantineOwner'], ['defaultQuarantineOwner', 'exchange.defaultQuarantineOwner']] as const) {
    if (input[key] === undefined) continue;
    const v = address(input[key]);
    if (v === undefined) problems.push({ field, problem: 'invalid_email', message: SPAM_MESSAGES.quarantineOwner(field) });
    else next[key] = v;
  }
  return next;
}

function fromStored(s: spamRepo.StoredSpamSettings): SpamSettings {
  return {
    filterLevel: s.filterLevel as FilterLevel,
    handling: s.handling as SpamHandling,
    folderCleaner: s.folderCleaner,
    folderAgeLimit: s.folderAgeLimit,
    folderCountLimit: s.folderCountLimit,
    forwardingAddress: s.forwardingAddress,
  };
}

const rsPart = (s: SpamSettings): SpamSettings => ({
  filterLevel: s.filterLevel,
  handling: s.handling,
  folderCleaner: s.folderCleaner,
  folderAgeLimit: s.folderAgeLimit,
  folderCountLimit: s.folderCountLimit,
  forwardingAddress: s.forwardingAddress,
});

async function domainSettingsById(db: Kysely<DB>, domainId: number): Promise<DomainSpamSettings> {
  const s = await spamRepo.domainSettings(db, domainId);
  if (!s) return { ...SPAM_DEFAULTS, exchange: { ...SPAM_DEFAULTS.exchange } };
  return { ...fromStored(s), exchange: { domainQuarantine: s.domainQuarantine, quarantineOwner: s.quarantineOwner, defaultQuarantineOwner: s.defaultQuarantineOwner } };
}

/** A domain's spam settings (the defaults when it has none of its own). Needs domain.read. */
export async function domainSpamSettingsOf(ctx: DomainContext, actor: Actor, account: Account, domainName: string): Promise<DomainSpamSettings> {
  authorize(actor, 'domain.read', account);
  const d = await storedDomainOf(ctx.db, account, domainName);
  return domainSettingsById(ctx.db, d.id);
}

/**
 * Sets a domain's spam settings: filterLevel is required, other fields keep their value when absent.
 * `overrideMailboxes` true drops every mailbox's own settings so all follow the domain's. Needs mailbox.manage.
 */
export async function changeDomainSpamSettings(tx: DomainContext, actor: Actor, account: LockedAccount, domainName: string, input: DomainSpamSettingsInput): Promise<DomainSpamSettings> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const d = await storedDomainOf(tx.db, account, domainName);
  const current = await domainSettingsById(tx.db, d.id);
  const { problems, next } = applySettings(current, input ?? {});
  const exchange = applyExchange(current.exchange, input ?? {}, problems);
  let override: boolean | undefined = false;
  if (input?.overrideMailboxes !== undefined) {
    override = flag(input.overrideMailboxes);
    if (override === undefined) problems.push({ field: 'overrideUserSettings', problem: 'invalid', message: SPAM_MESSAGES.flag('overrideUserSettings') });
  }
  if (problems.length) throw validationError(problems);
  const settings: DomainSpamSettings = { ...rsPart(next), exchange };
  await spamRepo.saveDomainSettings(tx.db, d.id, { ...rsPart(settings), ...exchange, updatedAt: tx.clock.now().toISOString() });
  const overridden = override ? await spamRepo.clearMailboxSettingsOfDomain(tx.db, d.id) : 0;
  await recordAudit(tx.db, tx, actor, {
    action: 'domain.spam.update',
    entityType: 'domain',
    entityGuid: String(d.id),
    accountGuid: account.guid,
    before: { domain: d.name, ...current },
    after: { domain: d.name, ...settings, ...(override ? { mailboxSettingsDropped: overridden } : {}) },
  });
  return settings;
}

/** A mailbox's spam settings: its own, or its domain's when it has none. Needs domain.read. */
export async function mailboxSpamSettingsOf(ctx: DomainContext, actor: Actor, account: Account, domainName: string, mailboxName: string): Promise<SpamSettings> {
  authorize(actor, 'domain.read', account);
  const d = await storedDomainOf(ctx.db, account, domainName);
  const m = await storedMailbox(ctx, d, mailboxName);
  const own = await spamRepo.mailboxSettings(ctx.db, m.id);
  return own ? fromStored(own) : rsPart(await domainSettingsById(ctx.db, d.id));
}

/** Sets a mailbox's own spam settings (from its current ones: its own or its domain's). Needs mailbox.manage. */
export async function changeMailboxSpamSettings(tx: DomainContext, actor: Actor, account: LockedAccount, domainName: string, mailboxName: string, input: SpamSettingsInput): Promise<SpamSettings> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const d = await storedDomainOf(tx.db, account, domainName);
  const m = await storedMailbox(tx, d, mailboxName);
  const own = await spamRepo.mailboxSettings(tx.db, m.id);
  const current = own ? fromStored(own) : rsPart(await domainSettingsById(tx.db, d.id));
  const { problems, next } = applySettings(current, input ?? {});
  if (problems.length) throw validationError(problems);
  await spamRepo.saveMailboxSettings(tx.db, m.id, { ...next, updatedAt: tx.clock.now().toISOString() });
  await recordAudit(tx.db, tx, actor, {
    action: 'mailbox.spam.update',
    entityType: 'mailbox',
    entityGuid: String(m.id),
    accountGuid: account.guid,
    before: { mailbox: `${m.name}@${d.name}`, ...current, own: own !== null },
    after: { mailbox: `${m.name}@${d.name}`, ...next },
  });
  return next;
}

// ---- lists

const isIpList = (list: SpamList) => list === 'safe_ips' || list === 'blocked_ips';

/** A sender entry in its one spelling: an address, a domain, `*@domain` or `*.domain`; null when it is none. */
export function normalizeSenderEntry(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const e = raw.trim().toLowerCase();
  if (e.length > 320) return null;
  if (e.startsWith('*@')) return normalizeDomainName(e.slice(2)) ? `*@${normalizeDomainName(e.slice(2))}` : null;
  if (e.startsWith('*.')) return normalizeDomainName(e.slice(2)) ? `*.${normalizeDomainName(e.slice(2))}` : null;
  if (e.includes('@')) return isEmail(e) ? e : null;
  return normalizeDomainName(e);
}

/** An IP entry in its one spelling: an IPv4/IPv6 address, a CIDR range, or IPv4 with trailing `*` (or `%`) octets. */
export function normalizeIpEntry(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const e = raw.trim().toLowerCase();
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(e);
  if (cidr) {
    const version = isIP(cidr[1]);
    const bits = Number(cidr[2]);
    return version !== 0 && bits <= (version === 4 ? 32 : 128) ? `${cidr[1]}/${bits}` : null;
  }
  if (isIP(e) !== 0) return e;
  // 10.1.*, 10.1.2.% (the older API's wildcard): one to three octets, then wildcards to four parts.
  const wild = e.replace(/%/g, '*');
  const parts = wild.split('.');
  if (parts.length < 2 || parts.length > 4 || parts[0] === '*') return null;
  const firstWild = parts.indexOf('*');
  if (firstWild === -1 || parts.slice(firstWild).some((p) => p !== '*')) return null;
  if (!parts.slice(0, firstWild).every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  while (parts.length < 4) parts.push('*');
  return parts.join('.');
}

function normalizeEntry(list: SpamList, raw: unknown): string {
  const entry = isIpList(list) ? normalizeIpEntry(raw) : normalizeSenderEntry(raw);
  if (entry === null) throw validationError([{ field: 'entry', problem: 'invalid', message: isIpList(list) ? SPAM_MESSAGES.ipEntry : SPAM_MESSAGES.senderEntry }]);
  return entry;
}

/** Whose list a call names: a domain, or one of its mailboxes. */
export interface SpamListTarget {
  domainName: string;
  mailboxName?: string;
}

async function listOwner(ctx: DomainContext, account: Account, target: SpamListTarget) {
  const d = await storedDomainOf(ctx.db, account, target.domainName);
  if (target.mailboxName === undefined) return { owner: { domainId: d.id } as spamRepo.SpamOwner, entityType: 'domain', entityGuid: String(d.id), label: d.name };
  const m = await storedMailbox(ctx, d, target.mailboxName);
  return { owner: { mailboxId: m.id } as spamRepo.SpamOwner, entityType: 'mailbox', entityGuid: String(m.id), label: `${m.name}@${d.name}` };
}

/** One of a domain's or mailbox's four lists, in order. Needs domain.read. */
export async function spamListOf(ctx: DomainContext, actor: Actor, account: Account, target: SpamListTarget, list: SpamList): Promise<string[]> {
  authorize(actor, 'domain.read', account);
  const { owner } = await listOwner(ctx, account, target);
  return spamRepo.entries(ctx.db, owner, list);
}

/** Adds an entry. Errors: Validation (not an entry of this list), NameTaken (on the list already), LimitReached. */
export async function addSpamListEntry(tx: DomainContext, actor: Actor, account: LockedAccount, target: SpamListTarget, list: SpamList, raw: string): Promise<string> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const { owner, entityType, entityGuid, label } = await listOwner(tx, account, target);
  const entry = normalizeEntry(list, raw);
  if ((await spamRepo.countEntries(tx.db, owner, list)) >= SPAM_LIST_MAX) throw new DomainError(ErrorCode.LimitReached, SPAM_MESSAGES.listFull, { resource: 'spamList' });
  if (!(await spamRepo.addEntry(tx.db, owner, list, entry, tx.clock.now().toISOString()))) {
    throw new DomainError(ErrorCode.NameTaken, SPAM_MESSAGES.duplicate(entry, list), { resource: 'spamList' });
  }
  await recordAudit(tx.db, tx, actor, { action: `${entityType}.spam.list.add`, entityType, entityGuid, accountGuid: account.guid, before: null, after: { owner: label, list, entry } });
  return entry;
}

/** Removes an entry. Errors: Validation (not an entry of this list), NotFound (not on the list). */
export async function removeSpamListEntry(tx: DomainContext, actor: Actor, account: LockedAccount, target: SpamListTarget, list: SpamList, raw: string): Promise<void> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const { owner, entityType, entityGuid, label } = await listOwner(tx, account, target);
  const entry = normalizeEntry(list, raw);
  if (!(await spamRepo.removeEntry(tx.db, owner, list, entry))) throw notFound('spamListEntry', SPAM_MESSAGES.notListed(entry, list));
  await recordAudit(tx.db, tx, actor, { action: `${entityType}.spam.list.remove`, entityType, entityGuid, accountGuid: account.guid, before: { owner: label, list, entry }, after: null });
}
