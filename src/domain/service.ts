/**
 * A "service" is a customer account as the DeliverySlip Cloud Command Center sees it: looked up by its
 * GUID or service code, grouped under a reseller and a partner. The rules here are CCC's service rules
 * (a service needs a primary domain of at most 54 characters and a reseller); the rest is the account.
 */
import type { DomainContext } from './context.js';
import { DomainError, ErrorCode, notFound, validationError, type FieldError } from './errors.js';
import { authorize, hasAction, type Actor } from './principal.js';
import { createAccount, isEmail, validateAccountFields, visibleAccount, type Account, type AccountFields, type Page } from './account.js';
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

/** The reseller and partner of each account (deleted ones too: history outlives them), keyed by account GUID. */
export async function relativesOf(ctx: DomainContext, accounts: Pick<Account, 'guid' | 'path' | 'kind'>[]): Promise<Map<string, ServiceRelatives>> {
  const wanted = new Set<string>();
  const links = accounts.map((a) => {
    const { partnerGuid, resellerGuid } = ancestry(a);
    if (partnerGuid) wanted.add(partnerGuid);
    if (resellerGuid) wanted.add(resellerGuid);
    return { guid: a.guid, partnerGuid, resellerGuid };
  });
  const found = new Map((await accountsByGuid(ctx.db, [...wanted])).map((r) => [r.guid, toAccount(r)]));
  return new Map(
    links.map((l) => [
      l.guid,
      { reseller: l.resellerGuid ? found.get(l.resellerGuid) ?? null : null, partner: l.partnerGuid ? found.get(l.partnerGuid) ?? null : null },
    ]),
  );
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

/** Live services (customer accounts) the actor can read, by name. */
export async function searchServices(ctx: DomainContext, actor: Actor, q: ServiceSearch): Promise<Page<Account>> {
  requireRead(actor);
  return servicesRepo.search(ctx.db, { ...q, kind: 'customer', scopePath: actor.system ? '/' : actor.accountPath });
}

/** A live account of the given kind the actor can read; any other account is not found. */
export async function getAccountOfKind(ctx: DomainContext, actor: Actor, guid: string, kind: Account['kind']): Promise<Account> {
  const account = await visibleAccount(ctx.db, actor, guid);
  if (account.kind !== kind) throw notFound(kind === 'customer' ? 'service' : kind, `${kind === 'customer' ? 'Service' : kind[0].toUpperCase() + kind.slice(1)} not found`);
  authorize(actor, 'account.read', account);
  return account;
}

/** The services directly below a reseller. */
export async function servicesOfReseller(ctx: DomainContext, actor: Actor, resellerGuid: string, page: { limit: number; offset: number }): Promise<Page<Account>> {
  const reseller = await getAccountOfKind(ctx, actor, resellerGuid, 'reseller');
  return servicesRepo.search(ctx.db, { kind: 'customer', parentGuid: reseller.guid, scopePath: actor.system ? '/' : actor.accountPath, ...page });
}

/** The resellers directly below a partner. */
export async function resellersOfPartner(ctx: DomainContext, actor: Actor, partnerGuid: string, page: { limit: number; offset: number }): Promise<Page<Account>> {
  const partner = await getAccountOfKind(ctx, actor, partnerGuid, 'partner');
  return servicesRepo.search(ctx.db, { kind: 'reseller', parentGuid: partner.guid, scopePath: actor.system ? '/' : actor.accountPath, ...page });
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
 * Creates a service below a reseller. It starts in trial (TrialActive) with its first history row, like
 * every new account. The name defaults to the company name, then the primary domain.
 */
export async function createService(ctx: DomainContext, actor: Actor, input: NewService): Promise<Account> {
  if (!hasAction(actor, 'account.create')) throw new DomainError(ErrorCode.Forbidden, 'Not authorized');
  const problems = validateNewService(input);
  if (problems.length === 0) problems.push(...validateAccountFields(accountFields(input), 'create'));
  if (problems.length) throw validationError(problems);
  const reseller = await accountsRepo.findByGuid(ctx.db, String(input.resellerGuid));
  if (!reseller || reseller.deletedAt || reseller.kind !== 'reseller' || !(actor.system || reseller.path.startsWith(actor.accountPath))) {
    throw notFound('reseller', 'Reseller not found');
  }
  return createAccount(ctx, actor, { ...accountFields(input), parentGuid: reseller.guid, kind: 'customer' });
}
