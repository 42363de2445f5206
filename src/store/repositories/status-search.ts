import { sql, type CompiledQuery, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Dialect } from '../migrations/index.js';
import type { DB, StatusHistoryTable } from '../schema.js';
import type { DailyUsage, StatusChange, StatusChangeSearch } from '../records.js';
import { CUSTOMER_HISTORY } from '../migrations/0017_status_counts.js';
import { toStatusChange } from './status-history.js';
import { USAGE_COLUMNS, usageFromColumns } from './service-usage.js';

/**
 * The domain's search of customer history rows, every condition on the history's own columns: the caller
 * turns what it may see into a partner, reseller or account condition (`resellerOrAccountGuid` when it only
 * knows the scope is one of the two: a reseller, or a customer directly below its partner).
 */
export type StatusChangeQuery = StatusChangeSearch & { resellerOrAccountGuid?: string };

export interface StatusChangeRow {
  change: StatusChange;
  /** The usage loaded for the service on the day of the change, if any. */
  usage: DailyUsage | null;
}

type History = SelectQueryBuilder<DB, 'status_history', object>;

/**
 * Status changes of customer accounts, newest first by insertion sequence, so rows already returned keep
 * their relative order however many are added later. One statement: the page's rows, each with its
 * change's usage of that day, and the total (from the per-day counts where the conditions allow, see
 * `totalOf`) beside them. On SQLite a search with a time range first reads the total alone, which decides
 * how the page is found (`walkIsCheaper`); so does a page past the end, which has no row to carry it.
 */
export async function search(db: Kysely<DB>, dialect: Dialect, q: StatusChangeQuery): Promise<{ total: number; rows: StatusChangeRow[] }> {
  const total = totalOf(db, q);
  if (total === 0) return { total: 0, rows: [] };
  let known: { total: number; scope: number | null } | null = null;
  if (dialect === 'sqlite' && (q.changedFrom || q.changedBefore)) {
    const row = await db.selectNoFrom([total.matches.as('n'), (total.scope ?? sql<number>`null`).as('scope')]).executeTakeFirstOrThrow();
    known = { total: Number(row.n), scope: row.scope == null ? null : Number(row.scope) };
    if (known.total <= q.offset || q.limit <= 0) return { total: known.total, rows: [] };
  }
  const pageSeqs = matches(db, q).select('seq').orderBy('seq', 'desc').limit(q.limit).offset(q.offset);
  const query = db
    .selectFrom('status_history as p')
    .leftJoin('service_usage_daily as u', (join) => join.onRef('u.account_guid', '=', 'p.account_guid').on('u.day', '=', sql<string>`substr(p.changed_at, 1, 10)`))
    .selectAll('p')
    .select(['u.day as u_day', ...USAGE_COLUMNS.map((c) => sql.ref(`u.${c}`).as(`u_${c}`)), (known ? sql<number>`null` : total.matches).as('total_rows')])
    .where('p.seq', 'in', pageSeqs)
    .orderBy('p.seq', 'desc');
  const walk = known?.scope != null && walkIsCheaper(q, known.total, known.scope) ? walkIndex(q) : null;
  const rows = (await db.executeQuery(walk ? withIndex(query.compile(), walk) : query.compile())).rows as (StatusHistoryTable & Record<string, unknown>)[];
  let counted = known?.total;
  // An empty page past the end still owes the client the total; an empty first page is a total of 0.
  if (counted == null) counted = rows.length ? Number(rows[0].total_rows) : q.offset === 0 ? 0 : Number((await db.selectNoFrom(total.matches.as('n')).executeTakeFirstOrThrow()).n);
  return {
    total: counted,
    rows: rows.map((r) => ({
      change: toStatusChange(r as never),
      usage: r.u_day == null ? null : usageFromColumns(r, 'u_', r.account_guid as string, r.u_day as string),
    })),
  };
}

/**
 * Whether a page is cheaper found by walking the scope's rows newest first, testing the time range inside
 * the index, than by reading the range's rows by time and sorting them. The walk reads about
 * (offset + limit) / density index entries, the density being the share of the scope's rows the range
 * holds; the sort reads every match. Only a search with a time range has the choice.
 */
function walkIsCheaper(q: StatusChangeQuery, total: number, scopeTotal: number): boolean {
  if (!(q.changedFrom || q.changedBefore) || total === 0) return false;
  return (q.offset + q.limit) * scopeTotal <= 4 * total * total;
}

/** The partial index (migration 0017) a walk of the search's scope goes down. */
function walkIndex(q: StatusChangeQuery): string {
  if (q.resellerGuid) return 'status_history_customer_reseller';
  if (q.partnerGuid) return 'status_history_customer_partner';
  return 'status_history_customer';
}

/**
 * SQLite keeps no statistics that tell a range holding most of a scope's rows from one holding a few, and
 * takes the scope-and-time index for both, sorting every match (230 ms for 900,000 of them); PostgreSQL's
 * statistics choose for themselves. So when a walk is cheaper, the SQLite statement names its index
 * (`INDEXED BY`, which Kysely cannot write) on the one unaliased `status_history` of the statement: the
 * subquery choosing the page.
 */
function withIndex(compiled: CompiledQuery, index: string): CompiledQuery {
  const from = 'from "status_history" where';
  if (compiled.sql.split(from).length !== 2) throw new Error('status search: expected one unaliased status_history');
  return { ...compiled, sql: compiled.sql.replace(from, `from "status_history" indexed by "${index}" where`) };
}

/** The rows a search matches: customer history rows (the partial indexes' condition), by the filters given. */
function matches(db: Kysely<DB>, q: StatusChangeQuery): History {
  let base = db.selectFrom('status_history').where(sql.raw<boolean>(CUSTOMER_HISTORY));
  if (q.accountGuid) base = base.where('account_guid', '=', q.accountGuid);
  if (q.resellerGuid) base = base.where('reseller_guid', '=', q.resellerGuid);
  if (q.partnerGuid) base = base.where('partner_guid', '=', q.partnerGuid);
  if (q.resellerOrAccountGuid) {
    const g = q.resellerOrAccountGuid;
    base = base.where((eb) => eb.or([eb('reseller_guid', '=', g), eb('account_guid', '=', g)]));
  }
  if (q.changedByGuid) base = base.where('changed_by_guid', '=', q.changedByGuid);
  if (q.changedByEmail) base = base.where(sql<boolean>`lower(changed_by_email) = ${q.changedByEmail.toLowerCase()}`);
  if (q.changedFrom) base = base.where('changed_at', '>=', q.changedFrom);
  if (q.changedBefore) base = base.where('changed_at', '<', q.changedBefore);
  return base;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The number of matches as one expression, and (when it comes from the counts) how many rows the scope
 * holds at any time; 0 when the range ends before it starts. A search by scope and time alone is a sum over
 * `status_day_counts` for the range's whole days plus an indexed count of its first and last day up to the
 * given instants — the same rows as the time test, since both compare the same strings and a row's day is
 * the start of its time. Any other condition (a service, who changed it, a scope known only as "reseller or
 * customer") is counted exactly; those narrow the rows to one service's or one principal's history.
 */
function totalOf(db: Kysely<DB>, q: StatusChangeQuery): { matches: RawBuilder<number>; scope: RawBuilder<number> | null } | 0 {
  const { changedFrom: from, changedBefore: before } = q;
  if (from != null && before != null && from >= before) return 0;
  const fromDay = from?.slice(0, 10);
  const beforeDay = before?.slice(0, 10);
  const exact = q.accountGuid || q.resellerOrAccountGuid || q.changedByGuid || q.changedByEmail;
  if (exact || (fromDay && !DAY.test(fromDay)) || (beforeDay && !DAY.test(beforeDay)) || (fromDay && fromDay === beforeDay)) {
    return { matches: sql<number>`(${matches(db, q).select((eb) => eb.fn.countAll<number>().as('n'))})`, scope: null };
  }
  const scoped = { partnerGuid: q.partnerGuid, resellerGuid: q.resellerGuid, limit: 0, offset: 0 };
  const count = (changedFrom: string, changedBefore: string) =>
    matches(db, { ...scoped, changedFrom, changedBefore }).select((eb) => eb.fn.countAll<number>().as('n'));
  const days = (after?: string, until?: string) => {
    let s = db.selectFrom('status_day_counts').select(sql<number>`coalesce(sum(n), 0)`.as('n'));
    if (q.partnerGuid) s = s.where('partner_guid', '=', q.partnerGuid);
    if (q.resellerGuid) s = s.where('reseller_guid', '=', q.resellerGuid);
    if (after) s = s.where('day', '>', after);
    if (until) s = s.where('day', '<', until);
    return s;
  };
  const first = from ? sql<number>`(${count(from, nextDay(fromDay!))})` : sql<number>`0`;
  const last = before ? sql<number>`(${count(beforeDay!, before)})` : sql<number>`0`;
  return { matches: sql<number>`(${days(fromDay, beforeDay)}) + ${first} + ${last}`, scope: sql<number>`(${days()})` };
}

/** Accounts by GUID, deleted ones included: history outlives the account. */
export async function accountsByGuid(db: Kysely<DB>, guids: string[]) {
  if (guids.length === 0) return [];
  return db.selectFrom('accounts').selectAll().where('guid', 'in', guids).execute();
}
