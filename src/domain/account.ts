import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { DomainError, ErrorCode, notFound, validationError, type FieldError } from './errors.js';
import { newGuid } from './ids.js';
import { authorize, sees, type Actor } from './principal.js';
import { changeStatus, recordInitialStatus, type ServiceStatus } from './status.js';
import { recordAudit } from './audit.js';
import { changeUserCount } from './usage.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import * as productsRepo from '../store/repositories/products.js';
import * as counters from '../store/repositories/counters.js';
import { lockAccount } from '../store/repositories/account-lock.js';

export type AccountKind = import('../store/records.js').AccountKind;

/** Which kind of account may sit directly below which. Partners may bill customers directly. */
const CHILD_KINDS: Record<AccountKind, AccountKind[]> = {
  partner: ['reseller', 'customer'],
  reseller: ['customer'],
  customer: [],
};

export type Account = import('../store/records.js').Account;

/** The fields a client may set; every face maps its own names onto these. */
export const EDITABLE_FIELDS = [
  'name',
  'referenceNumber',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'zip',
  'country',
  'phone',
  'email',
  'contactName',
  'contactEmail',
  'telephone',
  'primaryDomain',
  'adminEmail',
  'hostingJurisdiction',
  'supportJurisdiction',
  'supportPackage',
  'customerAdvocate',
  'customerDevelopmentManager',
  'mainProduct',
  'renewalDate',
  'officePhone',
  'supportMailto',
] as const;
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

export const NAME_MAX = 100;
export const REFERENCE_MAX = 20;
const EMAIL_FIELDS: EditableField[] = ['email', 'contactEmail', 'adminEmail'];
const FIELD_MAX = 255;

export function isEmail(s: unknown): boolean {
  return typeof s === 'string' && s.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
}

/**
 * Validates account fields. On create the name is required; on update only the fields present are checked.
 * The messages are the ones the seeds document, so faces can pass them through.
 */
export function validateAccountFields(input: AccountFields & { name?: string | null }, mode: 'create' | 'update'): FieldError[] {
  const problems: FieldError[] = [];
  const hasName = Object.prototype.hasOwnProperty.call(input, 'name') && input.name !== undefined;
  if (!hasName || input.name === null) {
    if (mode === 'create' || input.name === null) {
      problems.push({ field: 'name', problem: 'missing', message: 'Missing required field: name' });
    }
  } else {
    const name = String(input.name);
    if (name.trim() === '') problems.push({ field: 'name', problem: 'blank', message: 'Required field name cannot be empty' });
    else if (name !== name.trim())
      problems.push({ field: 'name', problem: 'whitespace', message: 'Improper Customer Name: cannot begin or end with a space' });
    else if ([...name].length > NAME_MAX)
      problems.push({ field: 'name', problem: 'too_long', message: 'Name too long: 100 characters or fewer' });
  }
  if (input.referenceNumber != null && [...String(input.referenceNumber)].length > REFERENCE_MAX) {
    problems.push({ field: 'referenceNumber', problem: 'too_long', message: 'Reference number too long: 20 characters or fewer' });
  }
  for (const f of EMAIL_FIELDS) {
    const v = input[f];
    if (v != null && v !== '' && !isEmail(v)) problems.push({ field: f, problem: 'invalid_email', message: `${f} is not a valid email address` });
  }
  for (const f of EDITABLE_FIELDS) {
    const v = input[f];
    if (v != null && f !== 'name' && f !== 'referenceNumber' && [...String(v)].length > FIELD_MAX) {
      problems.push({ field: f, problem: 'too_long', message: `${f} too long: ${FIELD_MAX} characters or fewer` });
    }
    // PostgreSQL text cannot hold U+0000 (SQLite would store it): refuse it the same way on both stores.
    if (v != null && String(v).includes('\u0000')) {
      problems.push({ field: f, problem: 'invalid', message: `${f} cannot contain NUL characters` });
    }
  }
  if (input.userCount !== undefined && (!Number.isInteger(input.userCount) || input.userCount < 0 || input.userCount > 10_000_000)) {
    problems.push({ field: 'userCount', problem: 'invalid', message: 'userCount must be a whole number from 0 to 10000000' });
  }
  return problems;
}

/** Identifiers every face needs, allocated together from store sequences so concurrent creations never collide. */
export async function allocateIdentifiers(trx: Kysely<DB>, region: string) {
  const accountNumber = String(await counters.next(trx, 'account_number'));
  const seq = await counters.next(trx, 'mimecast_sequence');
  const grid = Math.floor(seq / 100_000);
  const cell = seq % 100_000;
  return {
    accountNumber,
    mimecastId: `01-${String(grid).padStart(4, '0')}-${String(cell).padStart(5, '0')}`,
    accountCode: `C${region.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 2).padEnd(2, 'X')}A${grid}A${cell}`,
  };
}

function temporaryDomain(accountNumber: string): string {
  return `t${accountNumber}.trial.partnerhub.email`;
}

function cleanFields(input: AccountFields): AccountFields {
  const out: AccountFields = {};
  for (const f of EDITABLE_FIELDS) {
    if (input[f] !== undefined) out[f] = input[f] === null ? null : String(input[f]);
  }
  if (input.userCount !== undefined) out.userCount = input.userCount;
  if (input.extra !== undefined) out.extra = input.extra;
  return out;
}

export async function createAccount(ctx: DomainContext, actor: Actor, input: NewAccount): Promise<Account> {
  return inTransaction(ctx, (trx) => createAccountIn(trx, ctx, actor, input));
}

/** Creates a partner (the root of a tree). Only the system (an operator at the CLI) may. */
export async function createPartner(ctx: DomainContext, actor: Actor, input: Omit<NewAccount, 'parentGuid' | 'kind'>): Promise<Account> {
  if (!actor.system) throw new DomainError(ErrorCode.Forbidden, 'Only an operator can create a partner');
  const problems = validateAccountFields(input, 'create');
  if (problems.length) throw validationError(problems);
  return inTransaction(ctx, (trx) => insertAccount(trx, ctx, actor, null, { ...input, parentGuid: '', kind: 'partner' }));
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

/** Applies a partial update; the audit entry holds only the fields that changed. */
export async function updateAccount(ctx: DomainContext, actor: Actor, guid: string, patch: AccountFields): Promise<Account> {
  const problems = validateAccountFields(patch, 'update');
  if (problems.length) throw validationError(problems);
  return inTransaction(ctx, async (trx) => {
    // The row is rewritten whole from what is read here: lock it first, or two edits of different fields lose one.
    await lockAccount(trx, ctx.dialect, guid);
    const account = await visibleAccount(trx, actor, guid);
    authorize(actor, 'account.update', account);
    return applyUpdate(trx, ctx, actor, account, cleanFields(patch));
  });
}

/** Inside a caller's transaction: write a patch that has already been validated and authorized. */
export async function applyUpdate(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, account: Account, patch: AccountFields): Promise<Account> {
  if (patch.userCount !== undefined) {
    // User counts have a dated history that billing prorates from; changeUserCount writes it and audits.
    const { userCount, ...rest } = patch;
    account = { ...(await changeUserCount(trx, ctx, actor, { ...account }, userCount)) };
    patch = rest;
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
 * Deletes an account as the Rackspace face means it: the account disappears from lists and look-ups and its
 * service is cancelled, but its history, invoices and audit trail stay.
 */
export async function deleteAccount(ctx: DomainContext, actor: Actor, guid: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    // Locked like a parent during creation, so a child cannot appear below an account being deleted.
    await lockAccount(trx, ctx.dialect, guid);
    const account = await visibleAccount(trx, actor, guid);
    authorize(actor, 'account.delete', account);
    if (account.guid === actor.accountGuid) throw new DomainError(ErrorCode.Forbidden, 'An account cannot delete itself');
    if (await accountsRepo.hasLiveChildren(trx, account.guid)) {
      throw new DomainError(ErrorCode.Conflict, 'Account still has sub-accounts; delete them first');
    }
    if (account.status !== 'AccountCancelled') {
      await changeStatus(trx, ctx, actor, account, 'AccountCancelled', { reason: 'deleted' });
    }
    const at = ctx.clock.now().toISOString();
    await accountsRepo.markDeleted(trx, account.guid, at);
    await recordAudit(trx, ctx, actor, {
      action: 'account.delete',
      entityType: 'account',
      entityGuid: account.guid,
      accountGuid: account.guid,
      before: { deletedAt: null },
      after: { deletedAt: at },
    });
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
  const account = await accountsRepo.findBy(ctx.db, key, actor.system ? '/' : actor.accountPath);
  if (!account) throw notFound('account', 'Account not found');
  authorize(actor, 'account.read', account);
  return account;
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
    const scope = await visibleAccount(ctx.db, actor, scopeGuid);
    authorize(actor, 'account.read', scope);
    if (search.descendantsOf) descendantsPath = scope.path;
  } else if (!actor.system) {
    throw new DomainError(ErrorCode.Forbidden, 'An account list needs a scope');
  }
  return accountsRepo.search(ctx.db, { ...search, descendantsPath }, actor.system ? '/' : actor.accountPath);
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
  await lockAccount(trx, ctx.dialect, input.parentGuid);
  const parent = await accountsRepo.findByGuid(trx, input.parentGuid);
  if (!parent || parent.deletedAt) throw notFound('account', 'Parent account not found');
  authorize(actor, 'account.create', parent);
  if (!CHILD_KINDS[parent.kind].includes(input.kind)) {
    throw new DomainError(ErrorCode.Validation, `A ${input.kind} account cannot be created below a ${parent.kind}`, {
      fields: [{ field: 'kind', problem: 'invalid', message: `A ${input.kind} cannot be created below a ${parent.kind}` }],
    });
  }
  return insertAccount(trx, ctx, actor, parent, input);
}
