import { assertTransaction, type DomainContext } from './context.js';
import { notFound, validationError } from './errors.js';
import { authorize, type Actor } from './principal.js';
import type { Account, LockedAccount } from './account.js';
import { recordAudit } from './audit.js';
import { parsePage, type PageRequest, type SizedPage } from './paging.js';
import { storedDomainOf } from './email-domain.js';
import { addressList, assertNameFree, normalizeMailboxName } from './mailbox.js';
import * as aliasesRepo from '../store/repositories/mail-aliases.js';
import * as mailboxesRepo from '../store/repositories/mailboxes.js';
import type { StoredEmailDomain } from '../store/repositories/email-domains.js';

/**
 * Aliases of an e-mail domain: a name in the domain that delivers to a list of addresses. Addresses in the
 * domain must be its mailboxes; at most 50 of those and 4 outside it (the vendor's limits and messages).
 */

export const ALIAS_MESSAGES = {
  notFound: 'Alias not found',
  invalidName: 'Invalid alias name: use letters, numbers, periods, hyphens, underscores or apostrophes, begin with a letter or number, at most 64 characters.',
  empty: 'An alias must point to a valid email address.',
  missing: (addresses: string[]) => `An alias must point to a valid email address. The following email addresses do not exist: ${addresses.join(', ')}`,
  tooManyOutside: 'Max number of non-local email recipients reached.',
  tooManyInside: 'Max number of local email recipients reached.',
} as const;

export const ALIAS_LIMITS = { inside: 50, outside: 4 };

export interface MailAlias {
  name: string;
  domainName: string;
  addresses: string[];
  createdAt: string;
}

function opened(a: aliasesRepo.StoredMailAlias, domainName: string): MailAlias {
  return { name: a.name, domainName, addresses: JSON.parse(a.targets) as string[], createdAt: a.createdAt };
}

export async function listAliases(ctx: DomainContext, actor: Actor, account: Account, domainName: string, request: PageRequest = {}): Promise<SizedPage<MailAlias>> {
  const { size, offset } = parsePage(request);
  authorize(actor, 'domain.read', account);
  const d = await storedDomainOf(ctx.db, account, domainName);
  const page = await aliasesRepo.page(ctx.db, d.id, size, offset);
  return { size, offset, total: page.total, items: page.items.map((a) => opened(a, d.name)) };
}

async function storedAlias(ctx: DomainContext, d: StoredEmailDomain, rawName: string) {
  const name = normalizeMailboxName(rawName);
  const a = name ? await aliasesRepo.find(ctx.db, d.id, name) : null;
  if (!a) throw notFound('alias', ALIAS_MESSAGES.notFound);
  return a;
}

export async function aliasOf(ctx: DomainContext, actor: Actor, account: Account, domainName: string, name: string): Promise<MailAlias> {
  authorize(actor, 'domain.read', account);
  const d = await storedDomainOf(ctx.db, account, domainName);
  return opened(await storedAlias(ctx, d, name), d.name);
}

/** The alias's targets, checked against the vendor's rules and the domain's mailboxes. */
async function checkedTargets(ctx: DomainContext, d: StoredEmailDomain, raw: unknown): Promise<string[]> {
  const list = addressList(raw ?? '');
  if (list === null) throw validationError([{ field: 'aliasEmails', problem: 'invalid_email', message: ALIAS_MESSAGES.empty }]);
  if (list.length === 0) throw validationError([{ field: 'aliasEmails', problem: 'missing', message: ALIAS_MESSAGES.empty }]);
  const suffix = `@${d.name}`;
  const inside = list.filter((a) => a.endsWith(suffix));
  const outside = list.filter((a) => !a.endsWith(suffix));
  if (outside.length > ALIAS_LIMITS.outside) throw validationError([{ field: 'aliasEmails', problem: 'invalid', message: ALIAS_MESSAGES.tooManyOutside }]);
  if (inside.length > ALIAS_LIMITS.inside) throw validationError([{ field: 'aliasEmails', problem: 'invalid', message: ALIAS_MESSAGES.tooManyInside }]);
  const names = inside.map((a) => a.slice(0, -suffix.length));
  const found = await mailboxesRepo.existing(ctx.db, d.id, names);
  const missing = inside.filter((_a, i) => !found.has(names[i]));
  if (missing.length) throw validationError([{ field: 'aliasEmails', problem: 'invalid', message: ALIAS_MESSAGES.missing(missing) }]);
  return list;
}

/** Adds an alias. Errors: Validation (the vendor's messages), NameTaken, NotFound (domain), Forbidden. */
export async function addAliasTo(tx: DomainContext, actor: Actor, account: LockedAccount, domainName: string, rawName: string, targets: unknown): Promise<MailAlias> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const d = await storedDomainOf(tx.db, account, domainName);
  const name = normalizeMailboxName(rawName);
  if (!name) throw validationError([{ field: 'name', problem: 'invalid', message: ALIAS_MESSAGES.invalidName }]);
  const list = await checkedTargets(tx, d, targets);
  await assertNameFree(tx, d.id, name);
  const now = tx.clock.now().toISOString();
  const stored = await aliasesRepo.insert(tx.db, { domainId: d.id, name, targets: JSON.stringify(list), createdAt: now, updatedAt: now });
  await recordAudit(tx.db, tx, actor, { action: 'alias.create', entityType: 'alias', entityGuid: String(stored.id), accountGuid: account.guid, before: null, after: { name, addresses: list } });
  return opened(stored, d.name);
}

/** Replaces an alias's addresses (the vendor's "bulk modify"). */
export async function changeAlias(tx: DomainContext, actor: Actor, account: LockedAccount, domainName: string, name: string, targets: unknown): Promise<MailAlias> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const d = await storedDomainOf(tx.db, account, domainName);
  const current = await storedAlias(tx, d, name);
  const list = await checkedTargets(tx, d, targets);
  const next = { ...current, targets: JSON.stringify(list), updatedAt: tx.clock.now().toISOString() };
  await aliasesRepo.update(tx.db, next);
  await recordAudit(tx.db, tx, actor, { action: 'alias.update', entityType: 'alias', entityGuid: String(current.id), accountGuid: account.guid, before: { addresses: JSON.parse(current.targets) }, after: { addresses: list } });
  return opened(next, d.name);
}

export async function removeAlias(tx: DomainContext, actor: Actor, account: LockedAccount, domainName: string, name: string): Promise<void> {
  assertTransaction(tx.db);
  authorize(actor, 'mailbox.manage', account);
  const d = await storedDomainOf(tx.db, account, domainName);
  const current = await storedAlias(tx, d, name);
  await aliasesRepo.remove(tx.db, current.id);
  await recordAudit(tx.db, tx, actor, { action: 'alias.delete', entityType: 'alias', entityGuid: String(current.id), accountGuid: account.guid, before: { name: current.name, addresses: JSON.parse(current.targets) }, after: null });
}
