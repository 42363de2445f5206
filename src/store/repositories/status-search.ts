import { sql, type Kysely } from 'kysely';
import type { DB, StatusHistoryTable } from '../schema.js';
import type { DailyUsage, StatusChange, StatusChangeSearch } from '../records.js';
import { toStatusChange } from './status-history.js';
import { prefixEnd } from './text-match.js';
import { USAGE_COLUMNS, usageFromColumns } from './service-usage.js';

/** The domain's search, limited to the services (customer accounts) whose path starts with `scopePath` ('/' for all). */
export type StatusChangeQuery = StatusChangeSearch & { scopePath: string };

export interface StatusChangeRow {
  change: StatusChange;
  /** The usage loaded for the service on the day of the change, if any. */
  usage: DailyUsage | null;
}

/**
 * Status changes of customer accounts, newest first by insertion sequence, so rows already returned keep
 * their relative order however many are added later. One statement: the total (a count over the matches,
 * evaluated once), the page, and — joined only to the page's rows, not to every match — each change's
 * usage of that day.
 */
export async function search(db: Kysely<DB>, q: StatusChangeQuery): Promise<{ total: number; rows: StatusChangeRow[] }> {
  const base = matches(db, q);
  const page = base.selectAll('h').orderBy('h.seq', 'desc').limit(q.limit).offset(q.offset).as('p');
  const total = base.select((eb) => eb.fn.countAll<number>().as('n'));
  const rows = (await db
    .selectFrom(page)
    .leftJoin('service_usage_daily as u', (join) => join.onRef('u.account_guid', '=', 'p.account_guid').on('u.day', '=', sql<string>`substr(p.changed_at, 1, 10)`))
    .selectAll('p')
    .select([total.as('total_rows'), 'u.day as u_day', ...USAGE_COLUMNS.map((c) => sql.ref(`u.${c}`).as(`u_${c}`))])
    .orderBy('p.seq', 'desc')
    .execute()) as unknown as (StatusHistoryTable & Record<string, unknown>)[];
  // An empty page past the end still owes the client the total; an empty first page is a total of 0.
  const counted = rows.length ? rows[0].total_rows : q.offset === 0 ? 0 : (await total.executeTakeFirstOrThrow()).n;
  return {
    total: Number(counted),
    rows: rows.map((r) => ({
      change: toStatusChange(r as never),
      usage: r.u_day == null ? null : usageFromColumns(r, 'u_', r.account_guid as string, r.u_day as string),
    })),
  };
}

/** The changes a search matches: in scope, of customer accounts, by the filters given. */
function matches(db: Kysely<DB>, q: StatusChangeQuery) {
  let base = db.selectFrom('status_history as h').innerJoin('accounts as a', 'a.guid', 'h.account_guid').where('a.kind', '=', 'customer');
  if (q.scopePath !== '/') base = base.where('a.path', '>=', q.scopePath).where('a.path', '<', prefixEnd(q.scopePath));
  if (q.accountGuid) base = base.where('h.account_guid', '=', q.accountGuid);
  if (q.resellerGuid) base = base.where('h.reseller_guid', '=', q.resellerGuid);
  if (q.partnerGuid) base = base.where('h.partner_guid', '=', q.partnerGuid);
  if (q.changedByGuid) base = base.where('h.changed_by_guid', '=', q.changedByGuid);
  if (q.changedByEmail) base = base.where(sql<boolean>`lower(h.changed_by_email) = ${q.changedByEmail.toLowerCase()}`);
  if (q.changedFrom) base = base.where('h.changed_at', '>=', q.changedFrom);
  if (q.changedBefore) base = base.where('h.changed_at', '<', q.changedBefore);
  return base;
}

/** Accounts by GUID, deleted ones included: history outlives the account. */
export async function accountsByGuid(db: Kysely<DB>, guids: string[]) {
  if (guids.length === 0) return [];
  return db.selectFrom('accounts').selectAll().where('guid', 'in', guids).execute();
}
