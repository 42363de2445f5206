import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { AccountTable, DB } from '../schema.js';
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

/**
 * One page of a query and the number of rows it matches, in one statement: the total rides on every row
 * as a window count. Only a page past the end (no row to carry it) costs a second, counting statement.
 */
export async function pageWithTotal<DBT, TB extends keyof DBT, R>(
  base: SelectQueryBuilder<DBT, TB, object>,
  page: (q: SelectQueryBuilder<DBT, TB, object>) => SelectQueryBuilder<DBT, TB, R & { total_rows: unknown }>,
  offset: number,
): Promise<{ total: number; rows: R[] }> {
  const rows = await page(base).execute();
  if (rows.length) return { total: Number(rows[0].total_rows), rows };
  if (offset === 0) return { total: 0, rows };
  const counted = await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return { total: Number((counted as { n: unknown }).n), rows };
}

export const totalRows = sql<number>`count(*) over ()`.as('total_rows');

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
  const { total, rows } = await pageWithTotal(
    base,
    (b) => b.selectAll().select(totalRows).orderBy('name_lower').orderBy('account_number').limit(q.limit).offset(q.offset),
    q.offset,
  );
  return { total, items: rows.map((r) => toAccount(r as AccountTable as never)) };
}

/**
 * An account and every account above it (its parent, the parent's parent …), deleted ones too, in one
 * statement: what a route that names an account needs to check it and to name its reseller and partner.
 */
export async function withAncestors(db: Kysely<DB>, guid: string): Promise<Account[]> {
  const { rows } = await sql<AccountTable>`
    with recursive chain(guid) as (
      select cast(${guid} as text)
      union all
      select a.parent_guid from accounts a inner join chain c on a.guid = c.guid where a.parent_guid is not null
    )
    select * from accounts where guid in (select guid from chain)`.execute(db);
  return rows.map((r) => toAccount(r as never));
}

/** Customer accounts due for an automatic status change: in `status` since before `changedBefore` (by the given column). */
/** The earliest value of `column` after `after` among live customers in `status` (null: none). */
export async function firstLifecycleStartAfter(db: Kysely<DB>, status: string, column: 'trial_started_at' | 'status_changed_at', after: string): Promise<string | null> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.min(column).as('first'))
    .where('deleted_at', 'is', null)
    .where('kind', '=', 'customer')
    .where('service_status', '=', status)
    .where(column, '>', after)
    .executeTakeFirst();
  return (row?.first as string | null | undefined) ?? null;
}

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
