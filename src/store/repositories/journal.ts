import type { Insertable, Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { DB, RequestJournalTable } from '../schema.js';

export type JournalRow = Selectable<RequestJournalTable>;
export type NewJournalRow = Insertable<RequestJournalTable>;

export interface JournalFilter {
  face?: string;
  principalGuid?: string;
  method?: string;
  /** A SQL LIKE pattern over the path. */
  pathLike?: string;
  operation?: string;
  /** [lowest, highest] status, both included. */
  status?: [number, number];
}

function filtered<O>(q: SelectQueryBuilder<DB, 'request_journal', O>, f: JournalFilter): SelectQueryBuilder<DB, 'request_journal', O> {
  if (f.face) q = q.where('face', '=', f.face);
  if (f.principalGuid) q = q.where('principal_guid', '=', f.principalGuid);
  if (f.method) q = q.where('method', '=', f.method);
  if (f.pathLike) q = q.where('path', 'like', f.pathLike);
  if (f.operation) q = q.where('operation', '=', f.operation);
  if (f.status) q = q.where('status', '>=', f.status[0]).where('status', '<=', f.status[1]);
  return q;
}

/** Appends a batch and drops what falls out of the last `keep`: one insert and one delete, no transaction. */
export async function append(db: Kysely<DB>, rows: NewJournalRow[], keep: number): Promise<void> {
  if (!rows.length) return;
  await db.insertInto('request_journal').values(rows).execute();
  await db
    .deleteFrom('request_journal')
    .where('seq', '<=', (eb) => eb.selectFrom('request_journal').select((e) => e(e.fn.max('seq'), '-', keep).as('edge')))
    .execute();
}

/** Newest first. */
export async function list(db: Kysely<DB>, f: JournalFilter, limit: number): Promise<JournalRow[]> {
  return filtered(db.selectFrom('request_journal').selectAll(), f).orderBy('seq', 'desc').limit(limit).execute();
}

export async function count(db: Kysely<DB>, f: JournalFilter): Promise<number> {
  const row = await filtered(db.selectFrom('request_journal').select((eb) => eb.fn.countAll<number>().as('n')), f).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function clear(db: Kysely<DB>): Promise<number> {
  return Number((await db.deleteFrom('request_journal').executeTakeFirst()).numDeletedRows);
}
