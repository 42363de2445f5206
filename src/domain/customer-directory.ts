/**
 * The customer directory: customer accounts looked up by GUID or code, searched, and grouped under their
 * reseller and partner; and the creation of a customer with its primary domain (at most 54 characters)
 * below a reseller. Faces call a customer what their vendor calls it (CCC: a "service").
 */
import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { DomainError, ErrorCode, notFound, validationError, type FieldError } from './errors.js';
import { authorize, hasAction, type Actor } from './principal.js';
import { createAccountIn, isEmail, validateAccountFields, type Account, type AccountFields, type Page } from './account.js';
import { ancestry } from './status.js';
import * as servicesRepo from '../store/repositories/services.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import { toAccount } from '../store/repositories/accounts.js';
import { accountsByGuid } from '../store/repositories/status-search.js';

export const SERVICE_DOMAIN_MAX = 54;
export const TRIAL_DAYS = 30;

const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

/** Who a service's reseller and partner are. */
export interface ServiceRelatives {
  reseller: Account | null;
  partner: Account | null;
}

/** The reseller and partner of an account among accounts already loaded (by GUID). */
export function relativesIn(account: Pick<Account, 'guid' | 'path' | 'kind'>, loaded: Map<string, Account>): ServiceRelatives {
  const { partnerGuid, resellerGuid } = ancestry(account);
  return { reseller: resellerGuid ? loaded.get(resellerGuid) ?? null : null, partner: partnerGuid ? loaded.get(partnerGuid) ?? null : null };
}

/**
 * The reseller and partner of each account (deleted ones too: history outlives them), keyed by account
 * GUID, in one statement for all of them. `loaded` are accounts the caller has already read.
 */
export async function relativesOf(
  ctx: DomainContext,
  accounts: Pick<Account, 'guid' | 'path' | 'kind'>[],
  loaded: Map<string, Account> = new Map(),
): Promise<Map<string, ServiceRelatives>> {
  const wanted = new Set<string>();
  for (const a of accounts) {
    const { partnerGuid, resellerGuid } = ancestry(a);
    for (const g of [partnerGuid, resellerGuid]) if (g && !loaded.has(g)) wanted.add(g);
  }
  const found = new Map(loaded);
  for (const r of await accountsByGuid(ctx.db, [...wanted])) found.set(r.guid, toAccount(r));
  return new Map(accounts.map((a) => [a.guid, relativesIn(a, found)]));
}

/** When the trial of an account ends (or ended), if it ever had one. */
export function trialEndsAt(account: Pick<Account, 'trialStartedAt'>): string | null {
  if (!account.trialStartedAt) return null;
  return new Date(new Date(account.trialStartedAt).getTime() + TRIAL_DAYS * 86_400_000).toISOString();
}

export interface ServiceSearch {
  domainContains?: string;
  nameContains?: string;
  code?: string;
  createdFrom?: string;
  createdBefore?: string;
  limit: number;
  offset: number;
}

function requireRead(actor: Actor): void {
  if (!hasAction(actor, 'account.read')) throw new DomainError(ErrorCode.Forbidden, 'Not authorized');
}

/** An account as a CCC route shows it: with its reseller and partner. */
export type AccountInTree = ServiceRelatives & { account: Account };

/** Live services (customer accounts) the actor can read, by name, each with its reseller and partner. */
export async function searchServices(ctx: DomainContext, actor: Actor, q: ServiceSearch): Promise<Page<AccountInTree>> {
  requireRead(actor);
  const page = await servicesRepo.search(ctx.db, { ...q, kind: 'customer', scopePath: actor.system ? '/' : actor.accountPath });
  const relatives = await relativesOf(ctx, page.items);
  return { total: page.total, items: page.items.map((account) => ({ account, ...relatives.get(account.guid)! })) };
}

/**
 * A live account of the given kind the actor can read, with its reseller and partner, read in one
 * statement; any other account is not found (outside the actor's subtree too, so its existence does not
 * leak), and a visible one without the read permission is forbidden.
 */
export async function getAccountOfKind(ctx: DomainContext, actor: Actor, guid: string, kind: Account['kind']): Promise<AccountInTree> {
  const chain = new Map((await servicesRepo.withAncestors(ctx.db, guid)).map((a) => [a.guid, a]));
  const account = chain.get(guid);
  const what = kind === 'customer' ? 'Service' : kind[0].toUpperCase() + kind.slice(1);
  if (!account || account.deletedAt || account.kind !== kind) throw notFound(kind === 'customer' ? 'service' : kind, `${what} not found`);
  authorize(actor, 'account.read', account);
  return { account, ...relativesIn(account, chain) };
}

/** The services directly below a reseller, with the reseller and its partner. */
export async function servicesOfReseller(
  ctx: DomainContext,
  actor: Actor,
  resellerGuid: string,
  page: { limit: number; offset: number },
): Promise<Page<AccountInTree>> {
  const { account: reseller, partner } = await getAccountOfKind(ctx, actor, resellerGuid, 'reseller');
  const found = await servicesRepo.search(ctx.db, { kind: 'customer', parentGuid: reseller.guid, scopePath: actor.system ? '/' : actor.accountPath, ...page });
  return { total: found.total, items: found.items.map((account) => ({ account, reseller, partner })) };
}

/** The resellers directly below a partner, each with the partner. */
export async function resellersOfPartner(
  ctx: DomainContext,
  actor: Actor,
  partnerGuid: string,
  page: { limit: number; offset: number },
): Promise<Page<AccountInTree>> {
  const { account: partner } = await getAccountOfKind(ctx, actor, partnerGuid, 'partner');
  const found = await servicesRepo.search(ctx.db, { kind: 'reseller', parentGuid: partner.guid, scopePath: actor.system ? '/' : actor.accountPath, ...page });
  return { total: found.total, items: found.items.map((account) => ({ account, reseller: account, partner })) };
}

/** What anyone may learn about a live service from its code (CCC's public look-up, e.g. for a branded sign-in page). */
export async function publicService(ctx: DomainContext, code: string): Promise<Account> {
  const account = await accountsRepo.findBy(ctx.db, { accountCode: code.trim().toUpperCase() }, '/');
  if (!account || account.kind !== 'customer') throw notFound('service', 'Service not found');
  return account;
}

export interface NewService {
  resellerGuid: string | null;
  primaryDomain: string | null;
  name?: string | null;
  referenceNumber?: string | null;
  contact?: { name?: string | null; email?: string | null; phone?: string | null } | null;
  company?: {
    name?: string | null;
    address?: string | null;
    city?: string | null;
    state?: string | null;
    postalCode?: string | null;
    country?: string | null;
    website?: string | null;
  } | null;
  userCount?: number;
}

const blank = (v: unknown) => v === undefined || v === null || String(v).trim() === '';

/** CCC's own rules for a new service; the account rules are checked after. */
export function validateNewService(input: NewService): FieldError[] {
  const problems: FieldError[] = [];
  if (blank(input.primaryDomain)) {
    problems.push({ field: 'primaryDomain', problem: 'missing', message: 'A primary domain is required' });
  } else {
    const d = String(input.primaryDomain).trim();
    if ([...d].length > SERVICE_DOMAIN_MAX) {
      problems.push({ field: 'primaryDomain', problem: 'too_long', message: `Primary domain too long: ${SERVICE_DOMAIN_MAX} characters or fewer` });
    } else if (!DOMAIN_RE.test(d)) {
      problems.push({ field: 'primaryDomain', problem: 'invalid', message: `"${d}" is not a domain name` });
    }
  }
  if (blank(input.resellerGuid)) problems.push({ field: 'resellerGuid', problem: 'missing', message: 'A reseller is required' });
  if (input.contact) {
    // A contact, when given, must be complete: CCC marks all three of its fields required.
    const c = input.contact;
    if (blank(c.name)) problems.push({ field: 'contactName', problem: 'missing', message: 'The contact needs a name' });
    if (blank(c.email)) problems.push({ field: 'contactEmail', problem: 'missing', message: 'The contact needs an e-mail address' });
    else if (!isEmail(String(c.email).trim())) problems.push({ field: 'contactEmail', problem: 'invalid_email', message: 'contactEmail is not a valid email address' });
    if (blank(c.phone)) problems.push({ field: 'telephone', problem: 'missing', message: 'The contact needs a phone number' });
  }
  return problems;
}

function accountFields(input: NewService): AccountFields & { name: string } {
  const trim = (v: string | null | undefined) => (blank(v) ? undefined : String(v).trim());
  const c = input.contact ?? {};
  const co = input.company ?? {};
  const website = trim(co.website);
  return {
    name: trim(input.name) ?? trim(co.name) ?? String(input.primaryDomain).trim().toLowerCase(),
    primaryDomain: String(input.primaryDomain).trim().toLowerCase(),
    referenceNumber: trim(input.referenceNumber),
    contactName: trim(c.name),
    contactEmail: trim(c.email),
    telephone: trim(c.phone),
    addressLine1: trim(co.address),
    city: trim(co.city),
    state: trim(co.state),
    zip: trim(co.postalCode),
    country: trim(co.country),
    ...(input.userCount !== undefined ? { userCount: input.userCount } : {}),
    ...(website ? { extra: { website, companyName: trim(co.name) ?? null } } : co.name ? { extra: { companyName: trim(co.name) } } : {}),
  };
}

/**
 * Creates a service below a reseller, in one transaction. It starts in trial (TrialActive) with its first
 * history row, like every new account. The name defaults to the company name, then the primary domain.
 * The reseller and its partner are read once, in one statement before the change, and checked with the
 * permission table (a reseller outside the actor's subtree is not found). The change then begins by
 * locking the reseller, which account creation re-reads under the lock (a reseller deleted meanwhile is
 * refused there); kind, place in the tree and partner do not change.
 */
export async function createService(ctx: DomainContext, actor: Actor, input: NewService): Promise<AccountInTree> {
  if (!hasAction(actor, 'account.create')) throw new DomainError(ErrorCode.Forbidden, 'Not authorized');
  const problems = validateNewService(input);
  if (problems.length === 0) problems.push(...validateAccountFields(accountFields(input), 'create'));
  if (problems.length) throw validationError(problems);
  const resellerGuid = String(input.resellerGuid);
  const chain = new Map((await servicesRepo.withAncestors(ctx.db, resellerGuid)).map((a) => [a.guid, a]));
  const reseller = chain.get(resellerGuid);
  if (!reseller || reseller.deletedAt || reseller.kind !== 'reseller') throw notFound('reseller', 'Reseller not found');
  authorize(actor, 'account.create', reseller);
  return inTransaction(ctx, async (trx) => {
    const account = await createAccountIn(trx, ctx, actor, { ...accountFields(input), parentGuid: reseller.guid, kind: 'customer' });
    return { account, reseller, partner: relativesIn(reseller, chain).partner };
  });
}
