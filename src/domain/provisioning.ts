import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { forbidden, validationError, type FieldError } from './errors.js';
import { authorize, hasAction, sees, type Actor } from './principal.js';
import { recordAudit } from './audit.js';
import { applyUpdate, createAccount, findAccount, validateAccountFields, type Account, type AccountFields } from './account.js';
import type { Product } from './product.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import * as productsRepo from '../store/repositories/products.js';
import { lockLiveAccount } from '../store/repositories/account-lock.js';
import { changeLockedUserCount, USER_COUNT_MAX } from './usage.js';

/**
 * Partner provisioning: what a managed-service partner does to the accounts below it — create them,
 * change their contact details, add or remove licensed users, and choose their products from what the
 * partner itself may sell.
 */

export const MAX_USERS = USER_COUNT_MAX;

/** The largest product id the catalog can hold. */
const PRODUCT_ID_MAX = 2_147_483_647;

/** Provisioning is a permission of its own: a reseller admin may edit its customers but is not a provisioning partner. */
export function requireProvisioningRole(actor: Actor): void {
  if (!hasAction(actor, 'account.provision')) throw forbidden('The Partner Provisioning role is required');
}

/** The partner at the top of an account's tree. */
export async function partnerOf(db: Kysely<DB>, account: Pick<Account, 'path'>): Promise<Account | null> {
  const top = account.path.split('/').filter(Boolean)[0];
  return top ? accountsRepo.findByGuid(db, top) : null;
}

/** The account the principal belongs to: what "my account" means in every face. */
export async function callerAccount(ctx: DomainContext, actor: Actor): Promise<Account> {
  return findAccount(ctx, actor, { guid: actor.accountGuid });
}

export interface SupportProfile {
  account: Account;
  /** The partner the account is aligned to (the top of its tree); empty when the account is itself the partner's root and unnamed. */
  partnerName: string;
}

/** The caller's own account and the partner above it: two reads, neither repeated. */
export async function supportProfile(ctx: DomainContext, actor: Actor): Promise<SupportProfile> {
  const account = await callerAccount(ctx, actor);
  authorize(actor, 'account.support.read', account);
  const partner = await partnerOf(ctx.db, account);
  return { account, partnerName: partner?.name ?? '' };
}

/**
 * The products a partner may provision: those assigned to the partner account itself. A partner's
 * agreement decides what it can sell, and the partner's own product set is that agreement.
 */
export async function provisionableProducts(ctx: DomainContext, actor: Actor): Promise<Product[]> {
  requireProvisioningRole(actor);
  const top = actor.system ? null : actor.accountPath.split('/').filter(Boolean)[0];
  if (actor.system) return productsRepo.list(ctx.db);
  return productsRepo.forAccount(ctx.db, top!);
}

/** What a requested product set is checked against: every id must be in the catalog and allowed for the partner. */
async function productProblems(db: Kysely<DB>, actor: Actor, ids: number[]): Promise<FieldError[]> {
  const unique = [...new Set(ids)];
  const bad = unique.filter((id) => !Number.isInteger(id) || id <= 0);
  if (bad.length) return [{ field: 'products', problem: 'invalid', message: `Product ids must be positive whole numbers: ${bad.join(', ')}` }];
  const problems: FieldError[] = [];
  const top = actor.system ? null : actor.accountPath.split('/').filter(Boolean)[0];
  // Catalog ids are 32-bit in the store: a larger id cannot be in the catalog, and asking PostgreSQL for it is an error.
  const catalog = await productsRepo.findByIdsWithHolding(db, unique.filter((id) => id <= PRODUCT_ID_MAX), top);
  const unknown = unique.filter((id) => !catalog.some((c) => c.product.id === id));
  if (unknown.length) problems.push({ field: 'products', problem: 'unknown', message: `Unknown product id: ${unknown.join(', ')}` });
  if (!actor.system) {
    // The partner's own product set is what it may sell.
    const refused = catalog.filter((c) => !c.held).map((c) => c.product.id);
    if (refused.length) {
      problems.push({ field: 'products', problem: 'invalid', message: `Product not available to this partner: ${refused.join(', ')}` });
    }
  }
  return problems;
}

/** The accounts above an account, nearest first (Mimecast calls these its umbrella accounts): one query. */
export async function ancestorAccounts(ctx: DomainContext, account: Pick<Account, 'path'>): Promise<Account[]> {
  const ancestors = account.path.split('/').filter(Boolean).slice(0, -1);
  const found = await accountsRepo.findByGuids(ctx.db, ancestors);
  return found.sort((a, b) => b.path.length - a.path.length);
}

export async function accountPackages(ctx: DomainContext, account: Account): Promise<Product[]> {
  return productsRepo.forAccount(ctx.db, account.guid);
}

/** A partner's account change: absent members are left alone. */
export interface ProvisionedAccountChange {
  fields?: Pick<AccountFields, 'name' | 'contactEmail' | 'contactName' | 'telephone'>;
  /** Added to the current licensed-user count; negative removes users. The result may not go below zero. */
  userDelta?: number;
  /** The complete product set the account should have afterwards. */
  productIds?: number[];
}

/**
 * Changes an account below the provisioning partner, in one transaction that locks and reads the account
 * once: contact fields, the user count (by delta, through the user-count path, whose dated history billing
 * prorates from) and the product set (replaced whole). Each kind of change gets its own audit entry.
 */
export async function changeProvisionedAccount(
  ctx: DomainContext,
  actor: Actor,
  accountCode: string,
  change: ProvisionedAccountChange,
): Promise<Account> {
  requireProvisioningRole(actor);
  const fields = change.fields ?? {};
  const problems = validateAccountFields(fields, 'update');
  if (change.userDelta !== undefined && (!Number.isInteger(change.userDelta) || Math.abs(change.userDelta) > MAX_USERS)) {
    problems.push({ field: 'userCount', problem: 'invalid', message: `The change in users must be a whole number from -${MAX_USERS} to ${MAX_USERS}` });
  }
  if (problems.length) throw validationError(problems);

  return inTransaction(ctx, async (trx) => {
    // Locked as it is read, so concurrent deltas each apply to the count the other left.
    let account = await lockLiveAccount(trx, ctx.dialect, { accountCode }, actor.system ? '/' : actor.accountPath);
    if (!account || !isBelow(actor, account)) throw forbidden(`Account ${accountCode} is not an account below the caller`);
    authorize(actor, 'account.update', account);

    if (change.productIds !== undefined) {
      const productErrors = await productProblems(trx, actor, change.productIds);
      if (productErrors.length) throw validationError(productErrors);
    }
    const newCount = countAfter(account.userCount, change.userDelta);

    const patch: AccountFields = {};
    for (const [k, v] of Object.entries(fields) as [keyof typeof fields, string | null | undefined][]) {
      if (v !== undefined) patch[k] = v === null ? null : String(v);
    }
    account = await applyUpdate(trx, ctx, actor, account, patch);
    if (newCount !== account.userCount) account = await changeLockedUserCount(trx, ctx, actor, account, newCount);
    if (change.productIds !== undefined) await replaceProducts(trx, ctx, actor, account, change.productIds);
    return account;
  });
}

/** The user count after a delta: never below zero, never above the most an account may have. */
function countAfter(current: number, delta: number | undefined): number {
  if (delta === undefined) return current;
  const next = current + delta;
  if (next < 0) {
    throw validationError([
      { field: 'userCount', problem: 'invalid', message: `The number of users cannot go below zero: the account has ${current} and the change is ${delta}` },
    ]);
  }
  if (next > MAX_USERS) throw validationError([{ field: 'userCount', problem: 'invalid', message: `The number of users cannot exceed ${MAX_USERS}` }]);
  return next;
}

function isBelow(actor: Actor, account: Account): boolean {
  return sees(actor, account) && account.guid !== actor.accountGuid;
}

async function replaceProducts(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, account: Account, ids: number[]): Promise<void> {
  const before = (await productsRepo.forAccount(trx, account.guid)).map((p) => p.id);
  const after = [...new Set(ids)].sort((a, b) => a - b);
  if (before.length === after.length && before.every((id, i) => id === after[i])) return;
  await productsRepo.setAccountProducts(trx, account.guid, after);
  await recordAudit(trx, ctx, actor, {
    action: 'account.products',
    entityType: 'account',
    entityGuid: account.guid,
    accountGuid: account.guid,
    before: { productIds: before },
    after: { productIds: after },
  });
}

/** A new account as a provisioning partner asks for it. */
export interface ProvisionRequest {
  name?: string | null;
  addressLine1?: string | null;
  city?: string | null;
  country?: string | null;
  state?: string | null;
  zip?: string | null;
  telephone?: string | null;
  contactEmail?: string | null;
  contactName?: string | null;
  adminEmail?: string | null;
  primaryDomain?: string | null;
  userCount?: number;
  productIds?: number[];
  /**
   * Account codes of the accounts the new one should sit below. The deepest one becomes the parent; all
   * must be partners or resellers in the caller's subtree. Absent: the caller's own account.
   */
  umbrellaAccountCodes?: string[];
  /** Days of mail the account keeps at most; a whole number, not negative. Kept with the account's extra facts. */
  maximumRetention?: number;
  extra?: Record<string, unknown>;
}

const REQUIRED_ON_PROVISION = ['addressLine1', 'city', 'country'] as const;

/** What a provision request must satisfy before anything is read: required fields, the country code, retention. */
function provisionProblems(input: ProvisionRequest): { problems: FieldError[]; country: string | null } {
  const problems = validateAccountFields(input, 'create');
  for (const f of REQUIRED_ON_PROVISION) {
    const v = input[f];
    if (v === undefined || v === null) problems.push({ field: f, problem: 'missing', message: `Missing required field: ${f}` });
    else if (String(v).trim() === '') problems.push({ field: f, problem: 'blank', message: `Required field ${f} cannot be empty` });
  }
  let country = input.country ?? null;
  if (country && country.trim() !== '') {
    if (!/^[A-Za-z]{2}$/.test(country.trim())) problems.push({ field: 'country', problem: 'invalid', message: 'country must be a two-letter country code' });
    else country = country.trim().toUpperCase();
  }
  const retention = input.maximumRetention;
  if (retention !== undefined && (!Number.isInteger(retention) || retention < 0)) {
    const message = Number.isInteger(retention) ? 'maximumRetention must not be negative' : 'maximumRetention must be a whole number of days';
    problems.push({ field: 'maximumRetention', problem: 'invalid', message });
  }
  return { problems, country };
}

/**
 * Creates an account below the provisioning partner (or one of its resellers). The checks only read, so
 * they run before the one transaction that creates the account; the account gets every identifier every
 * face needs and starts in TrialActive with its first history row.
 */
export async function provisionAccount(ctx: DomainContext, actor: Actor, input: ProvisionRequest): Promise<Account> {
  requireProvisioningRole(actor);
  const { problems, country } = provisionProblems(input);
  if (input.productIds?.length) problems.push(...(await productProblems(ctx.db, actor, input.productIds)));
  let parentGuid = actor.accountGuid;
  if (input.umbrellaAccountCodes?.length) {
    const resolved = await resolveUmbrella(ctx.db, actor, input.umbrellaAccountCodes);
    if ('problem' in resolved) problems.push(resolved.problem);
    else parentGuid = resolved.parent.guid;
  }
  if (problems.length) throw validationError(problems);
  if (!actor.system && !parentGuid) throw forbidden();
  const extra = input.maximumRetention === undefined ? input.extra : { ...input.extra, maximumRetention: input.maximumRetention };
  return createAccount(ctx, actor, {
    parentGuid,
    kind: 'customer',
    name: input.name,
    addressLine1: input.addressLine1,
    city: input.city,
    country,
    state: input.state,
    zip: input.zip,
    telephone: input.telephone,
    contactEmail: input.contactEmail,
    contactName: input.contactName,
    adminEmail: input.adminEmail ?? input.contactEmail ?? null,
    primaryDomain: input.primaryDomain,
    userCount: input.userCount ?? 0,
    productIds: input.productIds ? [...new Set(input.productIds)] : undefined,
    extra,
    status: 'TrialActive',
  });
}

/** The deepest of the named umbrella accounts, all read in one query; every one must be on one line of the tree. */
async function resolveUmbrella(db: Kysely<DB>, actor: Actor, codes: string[]): Promise<{ parent: Account } | { problem: FieldError }> {
  const found = await accountsRepo.findLiveByCodes(db, codes.filter((c) => typeof c === 'string'), actor.system ? '/' : actor.accountPath);
  const accounts: Account[] = [];
  for (const code of codes) {
    const a = found.find((f) => f.accountCode === code);
    if (!a || a.kind === 'customer') {
      return { problem: { field: 'umbrellaAccounts', problem: 'invalid', message: `Not an umbrella account available to the caller: ${code}` } };
    }
    accounts.push(a);
  }
  const deepest = accounts.reduce((d, a) => (a.path.length > d.path.length ? a : d));
  // Every umbrella named must lie on the one line from the partner down to the new account's parent.
  for (const a of accounts) {
    if (!deepest.path.startsWith(a.path)) {
      return { problem: { field: 'umbrellaAccounts', problem: 'invalid', message: `Umbrella accounts ${a.accountCode} and ${deepest.accountCode} are on different branches` } };
    }
  }
  return { parent: deepest };
}
