import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Account, AccountKind, Page } from '../records.js';
import { toAccount } from './accounts.js';
import { escapeLike, prefixEnd } from './text-match.js';

export interface ServiceQuery {
  scopePath: string;
  kind: AccountKind;
  parentGuid?: string;
  domainContains?: string;
  nameContains?: string;
  code?: string;
  createdFrom?: string;
  createdBefore?: string;
  limit: number;
  offset: number;
}

/** Live accounts of one kind in a subtree, by name then account number. */
export async function search(db: Kysely<DB>, q: ServiceQuery): Promise<Page<Account>> {
  let base = db.selectFrom('accounts').where('deleted_at', 'is', null).where('kind', '=', q.kind);
  if (q.scopePath !== '/') base = base.where('path', '>=', q.scopePath).where('path', '<', prefixEnd(q.scopePath));
  if (q.parentGuid) base = base.where('parent_guid', '=', q.parentGuid);
  if (q.domainContains) {
    base = base.where(sql<boolean>`lower(coalesce(primary_domain, '')) like ${'%' + escapeLike(q.domainContains.toLowerCase()) + '%'} escape '\\'`);
  }
  if (q.nameContains) base = base.where(sql<boolean>`name_lower like ${'%' + escapeLike(q.nameContains.toLowerCase()) + '%'} escape '\\'`);
  if (q.code) base = base.where('account_code', '=', q.code.toUpperCase());
  if (q.createdFrom) base = base.where('created_at', '>=', q.createdFrom);
  if (q.createdBefore) base = base.where('created_at', '<', q.createdBefore);
  const countRow = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('name_lower').orderBy('account_number').limit(q.limit).offset(q.offset).execute();
  return { total: Number(countRow.n), items: rows.map(toAccount) };
}

/** Customer accounts due for an automatic status change: in `status` since before `changedBefore` (by the given column). */
export async function dueForLifecycle(
  db: Kysely<DB>,
  status: string,
  column: 'trial_started_at' | 'status_changed_at',
  before: string,
  limit: number,
): Promise<Account[]> {
  const rows = await db
    .selectFrom('accounts')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('kind', '=', 'customer')
    .where('service_status', '=', status)
    .where(column, 'is not', null)
    .where(column, '<=', before)
    .orderBy(column)
    .orderBy('guid')
    .limit(limit)
    .execute();
  return rows.map(toAccount);
}
