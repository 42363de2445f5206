import type { Kysely, Selectable } from 'kysely';
import type { ContactTable, DB } from '../schema.js';

/** A contact as stored: the security answer is still sealed; the domain opens it. */
export interface StoredContact {
  id: number;
  accountGuid: string;
  name: string;
  email: string;
  phone: string;
  receivesAlerts: boolean;
  receivesBilling: boolean;
  receivesUpdates: boolean;
  securityQuestion: string;
  securityAnswerSealed: string;
  createdAt: string;
  updatedAt: string;
}

function toContact(r: Selectable<ContactTable>): StoredContact {
  return {
    id: Number(r.id),
    accountGuid: r.account_guid,
    name: r.name,
    email: r.email,
    phone: r.phone,
    receivesAlerts: Number(r.receives_alerts) === 1,
    receivesBilling: Number(r.receives_billing) === 1,
    receivesUpdates: Number(r.receives_updates) === 1,
    securityQuestion: r.security_question,
    securityAnswerSealed: r.security_answer_sealed,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The row of a new contact (bulk.ts inserts many of them at once). */
export function row(c: Omit<StoredContact, 'id'>) {
  return {
    account_guid: c.accountGuid,
    name: c.name,
    email: c.email,
    phone: c.phone,
    receives_alerts: c.receivesAlerts ? 1 : 0,
    receives_billing: c.receivesBilling ? 1 : 0,
    receives_updates: c.receivesUpdates ? 1 : 0,
    security_question: c.securityQuestion,
    security_answer_sealed: c.securityAnswerSealed,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export async function insert(db: Kysely<DB>, c: Omit<StoredContact, 'id'>): Promise<StoredContact> {
  const r = await db.insertInto('contacts').values(row(c)).returning('id').executeTakeFirstOrThrow();
  return { ...c, id: Number(r.id) };
}

export async function update(db: Kysely<DB>, c: StoredContact): Promise<void> {
  const { account_guid: _a, created_at: _c, ...set } = row(c);
  await db.updateTable('contacts').set(set).where('id', '=', c.id).execute();
}

export async function remove(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('contacts').where('id', '=', id).execute();
}

export async function find(db: Kysely<DB>, accountGuid: string, id: number): Promise<StoredContact | null> {
  const r = await db.selectFrom('contacts').selectAll().where('account_guid', '=', accountGuid).where('id', '=', id).executeTakeFirst();
  return r ? toContact(r) : null;
}

export async function page(db: Kysely<DB>, accountGuid: string, limit: number, offset: number): Promise<{ total: number; items: StoredContact[] }> {
  const n = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_guid', '=', accountGuid)
    .executeTakeFirstOrThrow();
  const rows = limit === 0 ? [] : await db.selectFrom('contacts').selectAll().where('account_guid', '=', accountGuid).orderBy('id').limit(limit).offset(offset).execute();
  return { total: Number(n.n), items: rows.map(toContact) };
}

/** How many contacts the account has, and how many of them receive billing and alerts. */
export async function roleCounts(db: Kysely<DB>, accountGuid: string): Promise<{ total: number; billing: number; alerts: number }> {
  const r = await db
    .selectFrom('contacts')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>('receives_billing').as('billing'),
      eb.fn.sum<number>('receives_alerts').as('alerts'),
    ])
    .where('account_guid', '=', accountGuid)
    .executeTakeFirstOrThrow();
  return { total: Number(r.total), billing: Number(r.billing ?? 0), alerts: Number(r.alerts ?? 0) };
}
