import { sql, type Kysely, type Selectable } from 'kysely';
import type { AccountTable, DB } from '../schema.js';
import type { Account, AccountKey, ServiceStatus } from '../records.js';
import type { Dialect } from '../connect.js';
import { prefixEnd } from './text-match.js';

type Row = Selectable<AccountTable>;

export function toAccount(r: Row): Account {
  return {
    guid: r.guid,
    parentGuid: r.parent_guid,
    path: r.path,
    kind: r.kind,
    name: r.name,
    referenceNumber: r.reference_number,
    accountNumber: r.account_number,
    accountCode: r.account_code,
    mimecastId: r.mimecast_id,
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    city: r.city,
    state: r.state,
    zip: r.zip,
    country: r.country,
    phone: r.phone,
    email: r.email,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    telephone: r.telephone,
    userCount: Number(r.user_count),
    primaryDomain: r.primary_domain,
    temporaryDomain: r.temporary_domain,
    adminEmail: r.admin_email,
    hostingJurisdiction: r.hosting_jurisdiction,
    supportJurisdiction: r.support_jurisdiction,
    supportPackage: r.support_package,
    customerAdvocate: r.customer_advocate,
    customerDevelopmentManager: r.customer_development_manager,
    mainProduct: r.main_product,
    renewalDate: r.renewal_date,
    officePhone: r.office_phone,
    supportMailto: r.support_mailto,
    extra: JSON.parse(r.extra || '{}'),
    status: r.service_status as ServiceStatus,
    statusChangedAt: r.status_changed_at,
    trialStartedAt: r.trial_started_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

/** Columns written by insert and update: everything but identity, status and deletion, which have their own writers. */
function editableRow(a: Account) {
  return {
    name: a.name,
    name_lower: a.name.toLowerCase(),
    reference_number: a.referenceNumber,
    reference_lower: (a.referenceNumber ?? '').toLowerCase(),
    address_line1: a.addressLine1,
    address_line2: a.addressLine2,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country,
    phone: a.phone,
    email: a.email,
    contact_name: a.contactName,
    contact_email: a.contactEmail,
    telephone: a.telephone,
    user_count: a.userCount,
    primary_domain: a.primaryDomain,
    admin_email: a.adminEmail,
    hosting_jurisdiction: a.hostingJurisdiction,
    support_jurisdiction: a.supportJurisdiction,
    support_package: a.supportPackage,
    customer_advocate: a.customerAdvocate,
    customer_development_manager: a.customerDevelopmentManager,
    main_product: a.mainProduct,
    renewal_date: a.renewalDate,
    office_phone: a.officePhone,
    support_mailto: a.supportMailto,
    extra: JSON.stringify(a.extra ?? {}),
    updated_at: a.updatedAt,
  };
}

/** The whole row of a new account (bulk.ts inserts many of them at once). */
export function accountRow(a: Account) {
  return {
    guid: a.guid,
    parent_guid: a.parentGuid,
    path: a.path,
    kind: a.kind,
    account_number: a.accountNumber,
    account_code: a.accountCode,
    mimecast_id: a.mimecastId,
    temporary_domain: a.temporaryDomain,
    service_status: a.status,
    status_changed_at: a.statusChangedAt,
    trial_started_at: a.trialStartedAt,
    created_at: a.createdAt,
    deleted_at: a.deletedAt,
    ...editableRow(a),
  };
}

export async function insert(db: Kysely<DB>, a: Account): Promise<void> {
  await db.insertInto('accounts').values(accountRow(a)).execute();
}

export async function update(db: Kysely<DB>, a: Account): Promise<void> {
  // user_count is written only by usage.setCount (under the account lock): writing the count read earlier would undo a concurrent change.
  const { user_count: _count, ...row } = editableRow(a);
  await db.updateTable('accounts').set(row).where('guid', '=', a.guid).execute();
}

/**
 * Compare-and-set on the status: returns false when the row no longer has `from`, so two concurrent
 * changes cannot both write history. Only domain/status.ts calls this.
 */
export async function setStatus(db: Kysely<DB>, guid: string, from: ServiceStatus, to: ServiceStatus, at: string, trialStartedAt?: string): Promise<boolean> {
  const result = await db
    .updateTable('accounts')
    .set({ service_status: to, status_changed_at: at, updated_at: at, ...(trialStartedAt ? { trial_started_at: trialStartedAt } : {}) })
    .where('guid', '=', guid)
    .where('service_status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markDeleted(db: Kysely<DB>, guid: string, at: string): Promise<void> {
  await db.updateTable('accounts').set({ deleted_at: at, updated_at: at }).where('guid', '=', guid).execute();
}

export async function findByGuid(db: Kysely<DB>, guid: string): Promise<Account | null> {
  const row = await db.selectFrom('accounts').selectAll().where('guid', '=', guid).executeTakeFirst();
  return row ? toAccount(row) : null;
}

/** By any identifier, inside a subtree (`underPath`), live accounts unless `includeDeleted`. */
export async function findBy(db: Kysely<DB>, key: AccountKey, underPath: string, includeDeleted = false): Promise<Account | null> {
  const row = await byKey(db, key, underPath, includeDeleted).selectAll().executeTakeFirst();
  return row ? toAccount(row) : null;
}

/**
 * findBy for a live account, locked until the transaction ends, in one statement: PostgreSQL reads the row
 * FOR UPDATE; SQLite takes its write lock with a no-op UPDATE … RETURNING of that row, so a concurrent writer
 * waits instead of failing after it has read.
 */
export async function lockBy(db: Kysely<DB>, dialect: Dialect, key: AccountKey, underPath: string): Promise<Account | null> {
  if (dialect === 'postgres') {
    const row = await byKey(db, key, underPath, false).selectAll().limit(1).forUpdate().executeTakeFirst();
    return row ? toAccount(row) : null;
  }
  const target = byKey(db, key, underPath, false).select('guid').limit(1);
  const row = await db.updateTable('accounts').set({ guid: sql`guid` }).where('guid', '=', target).returningAll().executeTakeFirst();
  return row ? toAccount(row) : null;
}

/** The oldest account matching the key inside the subtree; the one place identifiers meet columns. */
function byKey(db: Kysely<DB>, key: AccountKey, underPath: string, includeDeleted: boolean) {
  let q = db.selectFrom('accounts');
  if ('guid' in key) q = q.where('guid', '=', key.guid);
  else if ('accountNumber' in key) q = q.where('account_number', '=', key.accountNumber);
  else if ('accountCode' in key) q = q.where('account_code', '=', key.accountCode);
  else q = q.where('reference_number', '=', key.referenceNumber);
  if (underPath !== '/') q = q.where('path', '>=', underPath).where('path', '<', prefixEnd(underPath));
  if (!includeDeleted) q = q.where('deleted_at', 'is', null);
  return q.orderBy('created_at').orderBy('guid');
}

export async function hasLiveChildren(db: Kysely<DB>, guid: string): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('guid').where('parent_guid', '=', guid).where('deleted_at', 'is', null).executeTakeFirst();
  return !!row;
}

/** Live children of an account, of one kind or all, from the counts the store keeps (migration 0014). */
export async function countChildren(db: Kysely<DB>, parentGuid: string, kind?: Account['kind']): Promise<number> {
  let q = db.selectFrom('account_children').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('live'), eb.lit(0)).as('n')).where('parent_guid', '=', parentGuid);
  if (kind) q = q.where('kind', '=', kind);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Every live account in a subtree, for schedulers and reports that walk it in pages. */
export async function pageAll(db: Kysely<DB>, afterGuid: string | null, limit: number): Promise<Account[]> {
  let q = db.selectFrom('accounts').selectAll().where('deleted_at', 'is', null);
  if (afterGuid) q = q.where('guid', '>', afterGuid);
  const rows = await q.orderBy('guid').limit(limit).execute();
  return rows.map(toAccount);
}

export async function countAll(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Several accounts by guid in one query (deleted ones included), in no particular order. */
export async function findByGuids(db: Kysely<DB>, guids: string[]): Promise<Account[]> {
  if (guids.length === 0) return [];
  return (await db.selectFrom('accounts').selectAll().where('guid', 'in', guids).execute()).map(toAccount);
}

/** Live accounts by account code inside a subtree, in one query, in no particular order. */
export async function findLiveByCodes(db: Kysely<DB>, codes: string[], underPath: string): Promise<Account[]> {
  if (codes.length === 0) return [];
  let q = db.selectFrom('accounts').selectAll().where('account_code', 'in', codes).where('deleted_at', 'is', null);
  if (underPath !== '/') q = q.where('path', '>=', underPath).where('path', '<', prefixEnd(underPath));
  return (await q.execute()).map(toAccount);
}

/** Mirrors an account's primary e-mail domain into the account row (null: none). */
export async function setPrimaryDomain(db: Kysely<DB>, guid: string, name: string | null, at: string): Promise<void> {
  await db.updateTable('accounts').set({ primary_domain: name, updated_at: at }).where('guid', '=', guid).execute();
}
