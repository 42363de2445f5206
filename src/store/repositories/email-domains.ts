import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, EmailDomainTable } from '../schema.js';

/** An e-mail domain as stored; spam settings stay JSON text for the domain to read. */
export interface StoredEmailDomain {
  id: number;
  name: string;
  accountGuid: string;
  isPrimary: boolean;
  serviceType: string;
  maxMailboxes: number;
  baseMailboxSize: number;
  exchangeMaxMailboxes: number;
  spam: string;
  createdAt: string;
  updatedAt: string;
}

/** A domain with the account number of its owner, as lists show it. */
export interface ListedEmailDomain extends StoredEmailDomain {
  accountNumber: string;
}

function toDomain(r: Selectable<EmailDomainTable>): StoredEmailDomain {
  return {
    id: Number(r.id),
    name: r.name,
    accountGuid: r.account_guid,
    isPrimary: Number(r.is_primary) === 1,
    serviceType: r.service_type,
    maxMailboxes: Number(r.max_mailboxes),
    baseMailboxSize: Number(r.base_mailbox_size),
    exchangeMaxMailboxes: Number(r.exchange_max_mailboxes),
    spam: r.spam,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function row(d: Omit<StoredEmailDomain, 'id'>) {
  return {
    name: d.name,
    account_guid: d.accountGuid,
    is_primary: d.isPrimary ? 1 : 0,
    service_type: d.serviceType,
    max_mailboxes: d.maxMailboxes,
    base_mailbox_size: d.baseMailboxSize,
    exchange_max_mailboxes: d.exchangeMaxMailboxes,
    spam: d.spam,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

/**
 * Inserts a domain, or returns null when the name is taken: the unique index decides, so of two concurrent
 * inserts of one name exactly one returns a domain (the other waits for the first to commit, then finds the
 * name taken). `on conflict do nothing` leaves the caller's transaction usable on PostgreSQL.
 */
export async function insertIfFree(db: Kysely<DB>, d: Omit<StoredEmailDomain, 'id'>): Promise<StoredEmailDomain | null> {
  const r = await db
    .insertInto('email_domains')
    .values(row(d))
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r ? { ...d, id: Number(r.id) } : null;
}

export async function update(db: Kysely<DB>, d: StoredEmailDomain): Promise<void> {
  const { created_at: _c, ...set } = row(d);
  await db.updateTable('email_domains').set(set).where('id', '=', d.id).execute();
}

export async function remove(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('email_domains').where('id', '=', id).execute();
}

export async function findByName(db: Kysely<DB>, name: string): Promise<StoredEmailDomain | null> {
  const r = await db.selectFrom('email_domains').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toDomain(r) : null;
}

export async function ofAccount(db: Kysely<DB>, accountGuid: string): Promise<StoredEmailDomain[]> {
  const rows = await db.selectFrom('email_domains').selectAll().where('account_guid', '=', accountGuid).orderBy('name').execute();
  return rows.map(toDomain);
}

/** Makes `id` the account's one primary domain (none when id is null). */
export async function setPrimary(db: Kysely<DB>, accountGuid: string, id: number | null, at: string): Promise<void> {
  await db
    .updateTable('email_domains')
    .set({ is_primary: sql<number>`case when id = ${id ?? -1} then 1 else 0 end`, updated_at: at })
    .where('account_guid', '=', accountGuid)
    .execute();
}

export interface DomainScope {
  /** Domains of exactly this account… */
  accountGuid?: string;
  /** …or of every live account whose path starts with this one. */
  pathPrefix?: string;
  names?: string[];
}

/** A page of domains by name, with the owner's account number; only live accounts' domains. */
export async function page(db: Kysely<DB>, scope: DomainScope, limit: number, offset: number): Promise<{ total: number; items: ListedEmailDomain[] }> {
  let q = db.selectFrom('email_domains as d').innerJoin('accounts as a', 'a.guid', 'd.account_guid').where('a.deleted_at', 'is', null);
  if (scope.accountGuid) q = q.where('d.account_guid', '=', scope.accountGuid);
  if (scope.pathPrefix) q = q.where('a.path', 'like', `${scope.pathPrefix}%`);
  if (scope.names) q = q.where('d.name', 'in', scope.names.length ? scope.names : ['']);
  const n = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = limit === 0 ? [] : await q.selectAll('d').select('a.account_number').orderBy('d.name').limit(limit).offset(offset).execute();
  return { total: Number(n.n), items: rows.map((r) => ({ ...toDomain(r), accountNumber: r.account_number })) };
}
