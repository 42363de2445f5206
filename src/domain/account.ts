import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import { assertTransaction, type DomainContext } from './context.js';
import { DomainError, ErrorCode, notFound, validationError } from './errors.js';
import { newGuid } from './ids.js';
import { authorize, sees, type Actor } from './principal.js';
import { changeStatus, recordInitialStatus, type ServiceStatus } from './status.js';
import { recordAudit } from './audit.js';
import { changeUserCount } from './usage.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import * as accountSearch from '../store/repositories/account-search.js';
import * as productsRepo from '../store/repositories/products.js';
import * as counters from '../store/repositories/counters.js';
import { transaction } from './transaction.js';
import { cleanFields, EDITABLE_FIELDS, validateAccountFields } from './account-fields.js';
import { claimFirstDomain, claimPrimaryDomain, domainSpelling, releaseDomains } from './email-domain.js';

export { EDITABLE_FIELDS, isEmail, NAME_MAX, REFERENCE_MAX, validateAccountFields } from './account-fields.js';

export type AccountKind = import('../store/records.js').AccountKind;

/** Which kind of account may sit directly below which. Partners may bill customers directly. */
const CHILD_KINDS: Record<AccountKind, AccountKind[]> = {
  partner: ['reseller', 'customer'],
  reseller: ['customer'],
  customer: [],
};

export type Account = import('../store/records.js').Account;

export type EditableField = (typeof EDITABLE_FIELDS)[number];

export type AccountFields = Partial<Record<EditableField, string | null>> & {
  userCount?: number;
  extra?: Record<string, unknown>;
};

export interface NewAccount extends AccountFields {
  parentGuid: string;
  kind: AccountKind;
  name?: string | null;
  status?: ServiceStatus;
  productIds?: number[];
}

/** Identifiers every face needs, allocated together from store sequences so concurrent creations never collide. */
export async function allocateIdentifiers(trx: Kysely<DB>, region: string) {
  const next = await counters.nextEach(trx, ['account_number', 'mimecast_sequence']);
  return formatIdentifiers(next.account_number, next.mimecast_sequence, region);
}

/** An account's three identifiers from its two sequence values (demo/scale.ts takes the values in ranges). */
export function formatIdentifiers(accountNumber: number, mimecastSequence: number, region: string) {
  const grid = Math.floor(mimecastSequence / 100_000);
  const cell = mimecastSequence % 100_000;
  return {
    accountNumber: String(accountNumber),
    mimecastId: `01-${String(grid).padStart(4, '0')}-${String(cell).padStart(5, '0')}`,
    accountCode: `C${region.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 2).padEnd(2, 'X')}A${grid}A${cell}`,
  };
}

export function temporaryDomain(accountNumber: string): string {
  return `t${accountNumber}.trial.partnerhub.email`;
}

export async function createAccount(ctx: DomainContext, actor: Actor, input: NewAccount): Promise<Account> {
  return transaction(ctx, (tx) => createAccountIn(tx.db, tx, actor, input));
}

/** Creates a partner (the root of a tree). Only the system (an operator at the CLI) may. */
export async function createPartner(ctx: DomainContext, actor: Actor, input: Omit<NewAccount, 'parentGuid' | 'kind'>): Promise<Account> {
  if (!actor.system) throw new DomainError(ErrorCode.Forbidden, 'Only an operator can create a partner');
  const problems = validateAccountFields(input, 'create');
  if (problems.length) throw validationError(problems);
  return transaction(ctx, (tx) => insertAccount(tx.db, tx, actor, null, { ...input, parentGuid: '', kind: 'partner' }));
}

async function insertAccount(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, parent: Account | null, input: NewAccount): Promise<Account> {
  const now = ctx.clock.now().toISOString();
  const fields = cleanFields(input);
  const hosting = fields.hostingJurisdiction ?? parent?.hostingJurisdiction ?? 'US';
  const ids = await allocateIdentifiers(trx, hosting);
  const guid = newGuid();
  const status: ServiceStatus = input.status ?? 'TrialActive';
  const account: Account = {
    guid,
    parentGuid: parent?.guid ?? null,
    path: `${parent?.path ?? '/'}${guid}/`,
    kind: input.kind,
    name: String(input.name),
    referenceNumber: fields.referenceNumber ?? null,
    ...ids,
    addressLine1: fields.addressLine1 ?? null,
    addressLine2: fields.addressLine2 ?? null,
    city: fields.city ?? null,
    state: fields.state ?? null,
    zip: fields.zip ?? null,
    country: fields.country ?? null,
    phone: fields.phone ?? null,
    email: fields.email ?? null,
    contactName: fields.contactName ?? null,
    contactEmail: fields.contactEmail ?? null,
    telephone: fields.telephone ?? null,
    userCount: fields.userCount ?? 0,
    primaryDomain: fields.primaryDomain ?? null,
    temporaryDomain: temporaryDomain(ids.accountNumber),
    adminEmail: fields.adminEmail ?? null,
    hostingJurisdiction: hosting,
    supportJurisdiction: fields.supportJurisdiction ?? parent?.supportJurisdiction ?? hosting,
    supportPackage: fields.supportPackage ?? parent?.supportPackage ?? null,
    customerAdvocate: fields.customerAdvocate ?? parent?.customerAdvocate ?? null,
    customerDevelopmentManager: fields.customerDevelopmentManager ?? parent?.customerDevelopmentManager ?? null,
    mainProduct: fields.mainProduct ?? null,
    renewalDate: fields.renewalDate ?? null,
    officePhone: fields.officePhone ?? parent?.officePhone ?? null,
    supportMailto: fields.supportMailto ?? parent?.supportMailto ?? null,
    extra: fields.extra ?? {},
    status,
    statusChangedAt: now,
    trialStartedAt: status === 'TrialActive' ? now : null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await accountsRepo.insert(trx, account);
  if (input.productIds?.length) {
    await requireProducts(trx, input.productIds);
    await productsRepo.setAccountProducts(trx, guid, input.productIds);
  }
  await recordInitialStatus(trx, actor, account);
  await recordAudit(trx, ctx, actor, {
    action: 'account.create',
    entityType: 'account',
    entityGuid: guid,
    accountGuid: guid,
    before: null,
    after: { ...auditView(account), productIds: input.productIds ?? [] },
  });
  // The primary domain an account is created with is an e-mail domain like any other, unique in the system.
  // The account field keeps the client's spelling (the seed CSV shows it); the domain is its canonical form.
  if (account.primaryDomain) await claimFirstDomain(trx, ctx, actor, account, domainSpelling(account.primaryDomain));
  return account;
}

async function requireProducts(trx: Kysely<DB>, ids: number[]): Promise<void> {
  const found = await productsRepo.findByIds(trx, ids);
  const missing = ids.filter((id) => !found.some((p) => p.id === id));
  if (missing.length) {
    throw validationError([{ field: 'products', problem: 'unknown', message: `Unknown product id: ${missing.join(', ')}` }]);
  }
}

function auditView(a: Account): Record<string, unknown> {
  const { path: _path, ...rest } = a;
  return rest;
}

declare const LOCKED: unique symbol;
/** An account read with lockVisibleAccount: locked until the transaction it was read in ends. */
export type LockedAccount = Account & { readonly [LOCKED]: true };

/** Applies a partial update; the audit entry holds only the fields that changed. */
export async function updateAccount(ctx: DomainContext, actor: Actor, guid: string, patch: AccountFields): Promise<Account> {
  const problems = validateAccountFields(patch, 'update');
  if (problems.length) throw validationError(problems);
  return transaction(ctx, async (tx) => editAccount(tx, actor, await lockVisibleAccount(tx, actor, { guid }), patch));
}

/**
 * Edits an account its caller has locked in this transaction (the row is rewritten whole from what was read,
 * so two edits of different fields must not interleave). The patch is validated before the role is checked,
 * as clients expect the field's message for a bad value.
 */
export async function editAccount(tx: DomainContext, actor: Actor, account: LockedAccount, patch: AccountFields): Promise<Account> {
  assertTransaction(tx.db);
  const problems = validateAccountFields(patch, 'update');
  if (problems.length) throw validationError(problems);
  authorize(actor, 'account.update', account);
  return applyUpdate(tx.db, tx, actor, account, cleanFields(patch));
}

/** Inside a caller's transaction: write a patch that has already been validated and authorized. */
export async function applyUpdate(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, account: Account, patch: AccountFields): Promise<Account> {
  if (patch.userCount !== undefined) {
    // User counts have a dated history that billing prorates from; changeUserCount writes it and audits.
    const { userCount, ...rest } = patch;
    account = { ...(await changeUserCount(trx, ctx, actor, { ...account }, userCount)) };
    patch = rest;
  }
  if (patch.primaryDomain !== undefined && (patch.primaryDomain ?? null) !== account.primaryDomain) {
    // The primary domain is the account's primary e-mail domain: claimed (unique in the system) or cleared.
    await claimPrimaryDomain(trx, ctx, actor, account, patch.primaryDomain ?? null);
  }
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const next: Account = { ...account };
  for (const [k, v] of Object.entries(patch) as [keyof Account, unknown][]) {
    if (k === 'extra') {
      const merged = { ...account.extra, ...(v as Record<string, unknown>) };
      if (JSON.stringify(merged) !== JSON.stringify(account.extra)) {
        before.extra = account.extra;
        after.extra = merged;
        next.extra = merged;
      }
      continue;
    }
    if (account[k] !== v) {
      before[k] = account[k];
      after[k] = v;
      (next as any)[k] = v;
    }
  }
  if (Object.keys(after).length === 0) return account;
  next.updatedAt = ctx.clock.now().toISOString();
  await accountsRepo.update(trx, next);
  await recordAudit(trx, ctx, actor, {
    action: 'account.update',
    entityType: 'account',
    entityGuid: account.guid,
    accountGuid: account.guid,
    before,
    after,
  });
  return next;
}

/**
 * Closes an account: it disappears from lists and look-ups and its service is cancelled, but its history,
 * invoices and audit trail stay.
 */
export async function deleteAccount(ctx: DomainContext, actor: Actor, guid: string): Promise<void> {
  await transaction(ctx, async (tx) => closeAccount(tx, actor, await lockVisibleAccount(tx, actor, { guid })));
}

/** closeAccount on an account its caller has locked (so no child can appear below it while it closes). */
export async function closeAccount(tx: DomainContext, actor: Actor, account: LockedAccount): Promise<void> {
  assertTransaction(tx.db);
  authorize(actor, 'account.delete', account);
  if (account.guid === actor.accountGuid) throw new DomainError(ErrorCode.Forbidden, 'An account cannot delete itself');
  if (await accountsRepo.hasLiveChildren(tx.db, account.guid)) {
    throw new DomainError(ErrorCode.Conflict, 'Account still has sub-accounts; delete them first');
  }
  if (account.status !== 'AccountCancelled') {
    await changeStatus(tx.db, tx, actor, account, 'AccountCancelled', { reason: 'deleted' });
  }
  await releaseDomains(tx, actor, account);
  const at = tx.clock.now().toISOString();
  await accountsRepo.markDeleted(tx.db, account.guid, at);
  await recordAudit(tx.db, tx, actor, {
    action: 'account.delete',
    entityType: 'account',
    entityGuid: account.guid,
    accountGuid: account.guid,
    before: { deletedAt: null },
    after: { deletedAt: at },
  });
}

/** A live account the actor can see, or not-found (accounts outside the subtree do not exist for it). */
export async function visibleAccount(db: Kysely<DB>, actor: Actor, guid: string): Promise<Account> {
  const account = await accountsRepo.findByGuid(db, guid);
  if (!account || account.deletedAt || !sees(actor, account)) throw notFound('account', 'Account not found');
  return account;
}

export type AccountKey = import('../store/records.js').AccountKey;

/** Finds a live account by any of its identifiers, limited to what the actor can see and read. */
export async function findAccount(ctx: DomainContext, actor: Actor, key: AccountKey): Promise<Account> {
  const account = await visibleAccountBy(ctx, actor, key);
  authorize(actor, 'account.read', account);
  return account;
}

/**
 * A live account the actor can see, by any identifier, in one read; what may be done with it is for the
 * operation it is handed to. Not found outside the actor's subtree.
 */
export async function visibleAccountBy(ctx: DomainContext, actor: Actor, key: AccountKey): Promise<Account> {
  const account = await accountsRepo.findBy(ctx.db, key, actor.system ? '/' : actor.accountPath);
  if (!account) throw notFound('account', 'Account not found');
  return account;
}

/** visibleAccountBy, locked until the caller's transaction ends: the one read an edit, a deletion or a contact change makes. */
export async function lockVisibleAccount(tx: DomainContext, actor: Actor, key: AccountKey): Promise<LockedAccount> {
  assertTransaction(tx.db);
  const account = await accountsRepo.lockBy(tx.db, tx.dialect, key, actor.system ? '/' : actor.accountPath);
  if (!account) throw notFound('account', 'Account not found');
  return account as LockedAccount;
}

/** A change to a visible account: one transaction, the account locked first (what every edit under an account runs). */
export function changeLockedAccount<T>(ctx: DomainContext, actor: Actor, key: AccountKey, change: (tx: DomainContext, account: LockedAccount) => Promise<T>): Promise<T> {
  return transaction(ctx, async (tx) => change(tx, await lockVisibleAccount(tx, actor, key)));
}

/** For operators and schedulers: an account by identifier, deleted or not, with no scoping. */
export async function findAccountUnscoped(ctx: DomainContext, key: AccountKey): Promise<Account | null> {
  return accountsRepo.findBy(ctx.db, key, '/', true);
}

export type AccountSearch = import('../store/records.js').AccountSearch;

export type Page<T> = import('../store/records.js').Page<T>;

/** Lists live accounts the actor can read, ordered by name then account number. */
export async function listAccounts(ctx: DomainContext, actor: Actor, search: AccountSearch): Promise<Page<Account>> {
  const scopeGuid = search.childrenOf ?? search.descendantsOf;
  let descendantsPath: string | undefined;
  if (scopeGuid) {
    // The caller's own account was loaded (and found live) by its authentication: it is not read again.
    const scope = scopeGuid === actor.accountGuid && !actor.system ? { path: actor.accountPath } : await visibleAccount(ctx.db, actor, scopeGuid);
    authorize(actor, 'account.read', scope);
    if (search.descendantsOf) descendantsPath = scope.path;
  } else if (!actor.system) {
    throw new DomainError(ErrorCode.Forbidden, 'An account list needs a scope');
  }
  // The children of a visible account are visible: their list needs no further scoping.
  const visiblePath = actor.system || search.childrenOf ? '/' : actor.accountPath;
  return accountSearch.search(ctx.db, ctx.dialect, { ...search, descendantsPath }, visiblePath);
}

export async function accountProducts(ctx: DomainContext, guid: string) {
  return productsRepo.forAccount(ctx.db, guid);
}

/**
 * Inside a caller's transaction: creates an account below a parent, validated and authorized as
 * createAccount does, for services that must write more in the same transaction (the user-count ledger).
 */
export async function createAccountIn(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, input: NewAccount): Promise<Account> {
  const problems = validateAccountFields(input, 'create');
  if (problems.length) throw validationError(problems);
  // The parent is locked as it is read, so it cannot be deleted while a child appears below it.
  const parent = await accountsRepo.lockBy(trx, ctx.dialect, { guid: input.parentGuid }, '/');
  if (!parent) throw notFound('account', 'Parent account not found');
  authorize(actor, 'account.create', parent);
  if (!CHILD_KINDS[parent.kind].includes(input.kind)) {
    throw new DomainError(ErrorCode.Validation, `A ${input.kind} account cannot be created below a ${parent.kind}`, {
      fields: [{ field: 'kind', problem: 'invalid', message: `A ${input.kind} cannot be created below a ${parent.kind}` }],
    });
  }
  return insertAccount(trx, ctx, actor, parent, input);
}
