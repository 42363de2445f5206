import type { Kysely, Selectable } from 'kysely';
import type { DB, MailAliasTable } from '../schema.js';

export interface StoredMailAlias {
  id: number;
  domainId: number;
  name: string;
  /** JSON array of addresses. */
  targets: string;
  createdAt: string;
  updatedAt: string;
}

function toAlias(r: Selectable<MailAliasTable>): StoredMailAlias {
  return { id: Number(r.id), domainId: Number(r.domain_id), name: r.name, targets: r.targets, createdAt: r.created_at, updatedAt: r.updated_at };
}

export async function insert(db: Kysely<DB>, a: Omit<StoredMailAlias, 'id'>): Promise<StoredMailAlias> {
  const r = await db
    .insertInto('mail_aliases')
    .values({ domain_id: a.domainId, name: a.name, targets: a.targets, created_at: a.createdAt, updated_at: a.updatedAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...a, id: Number(r.id) };
}

export async function update(db: Kysely<DB>, a: StoredMailAlias): Promise<void> {
  await db.updateTable('mail_aliases').set({ targets: a.targets, updated_at: a.updatedAt }).where('id', '=', a.id).execute();
}

export async function remove(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('mail_aliases').where('id', '=', id).execute();
}

export async function removeOfDomain(db: Kysely<DB>, domainId: number): Promise<void> {
  await db.deleteFrom('mail_aliases').where('domain_id', '=', domainId).execute();
}

export async function find(db: Kysely<DB>, domainId: number, name: string): Promise<StoredMailAlias | null> {
  const r = await db.selectFrom('mail_aliases').selectAll().where('domain_id', '=', domainId).where('name', '=', name).executeTakeFirst();
  return r ? toAlias(r) : null;
}

export async function page(db: Kysely<DB>, domainId: number, limit: number, offset: number): Promise<{ total: number; items: StoredMailAlias[] }> {
  const q = db.selectFrom('mail_aliases').where('domain_id', '=', domainId);
  const n = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = limit === 0 ? [] : await q.selectAll().orderBy('name').limit(limit).offset(offset).execute();
  return { total: Number(n.n), items: rows.map(toAlias) };
}
