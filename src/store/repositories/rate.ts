import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../connect.js';

/** A key's window as the store holds it: the counted hits (epoch ms, oldest first) and the latest verdict. */
export interface RateWindow {
  times: number[];
  allowed: boolean;
}

/** One hit on a key's window: counted at `now`, allowed while fewer than `limit` counted hits are younger than `windowMs`. */
export interface WindowHit {
  key: string;
  now: number;
  windowMs: number;
  limit: number;
  countRefused: boolean;
}

/**
 * The upsert on SQLite. A write statement takes SQLite's one write lock before it reads, so the row it
 * reads is the latest; `times` is a JSON array.
 */
function sqliteHit(h: WindowHit): RawBuilder<unknown> {
  const over = h.now - h.windowMs;
  const inWindow = sql`(select count(*) from json_each(rate_keys.times) where value > ${over})`;
  const counted = sql`(select json_group_array(value order by value) from (
      select value from (select value from json_each(rate_keys.times) where value > ${over} union all select cast(${h.now} as integer))
      order by value desc limit ${h.limit}))`;
  return sql`insert into rate_keys (key, times, allowed, last_at) values (${h.key}, json_array(cast(${h.now} as integer)), true, ${h.now})
    on conflict (key) do update set
      times = case when ${inWindow} < ${h.limit} or ${h.countRefused ? 1 : 0} then ${counted} else rate_keys.times end,
      allowed = ${inWindow} < ${h.limit},
      last_at = excluded.last_at
    returning times, allowed`;
}

/**
 * A hit's own row, or its row selected from a source. Outside a transaction the upsert is a transaction of
 * its own, and the source turns `synchronous_commit` off for it (set_config(…, true) lasts until that
 * commit): it returns without waiting for the WAL to reach the disk, which is most of what a hit costs. A
 * crash of PostgreSQL can then forget the last fraction of a second of hits, never a business change; a
 * hit inside a caller's transaction (a window claimed with a change) commits as that transaction does.
 */
function postgresSource(h: WindowHit, relaxed: boolean, onlyWhen?: RawBuilder<unknown>): RawBuilder<unknown> {
  const row = sql`${h.key}::text, array[${h.now}::bigint], true, ${h.now}::bigint`;
  // A hit that depends on another (a request id claimed only once its rate window allowed it) selects its row from it.
  if (onlyWhen) return sql`select ${row} from ${onlyWhen}`;
  if (relaxed) return sql`select ${row} from (select set_config('synchronous_commit', 'off', true)) as relaxed`;
  return sql`values (${row})`;
}

/**
 * The upsert on PostgreSQL. ON CONFLICT DO UPDATE locks the key's row and, when another transaction held
 * it, works on the row as that one left it; the subqueries only unnest that row's own array, so no
 * older snapshot is consulted and concurrent hits are counted one after another.
 */
function postgresHit(h: WindowHit, source: RawBuilder<unknown>): RawBuilder<unknown> {
  const over = h.now - h.windowMs;
  const inWindow = sql`(select count(*) from unnest(rate_keys.times) t where t > ${over}::bigint)`;
  const counted = sql`array(select t from (
      select t from (select t from unnest(rate_keys.times) t where t > ${over}::bigint union all select ${h.now}::bigint) u
      order by t desc limit ${h.limit}::int) s order by t)`;
  return sql`insert into rate_keys (key, times, allowed, last_at) ${source}
    on conflict (key) do update set
      times = case when ${inWindow} < ${h.limit}::int or ${h.countRefused}::boolean then ${counted} else rate_keys.times end,
      allowed = ${inWindow} < ${h.limit}::int,
      last_at = excluded.last_at
    returning times, allowed`;
}

function toWindow(row: { times: unknown; allowed: unknown }): RateWindow {
  const raw = typeof row.times === 'string' ? (JSON.parse(row.times) as unknown[]) : (row.times as unknown[]);
  return { times: raw.map(Number), allowed: row.allowed === true || Number(row.allowed) === 1 };
}

/**
 * Counts one hit in one statement: allowed while fewer than `limit` counted hits are younger than
 * `windowMs`; an allowed hit (or any, with `countRefused`) is counted. Only the newest `limit` hits are
 * kept: older ones cannot change a verdict. Atomic on both stores, in one process or several.
 */
export async function hit(db: Kysely<DB>, dialect: Dialect, h: WindowHit): Promise<RateWindow> {
  const query = dialect === 'postgres' ? postgresHit(h, postgresSource(h, !db.isTransaction)) : sqliteHit(h);
  const { rows } = await query.execute(db);
  return toWindow(rows[0] as { times: unknown; allowed: unknown });
}

/** A rate window's hit and, when it is allowed, a request id's claim (a window of limit 1); `claimed` is null when refused. */
export interface HitAndClaim {
  window: RateWindow;
  claimed: boolean | null;
}

/**
 * Counts a hit on `rate` and, only if it is allowed, claims `once`: one statement on PostgreSQL (two
 * upserts in one WITH, the claim selecting its row from the hit's result), two on SQLite, which has no
 * writing WITH. Same verdicts as `hit` twice, in one round trip.
 */
export async function hitAndClaim(db: Kysely<DB>, dialect: Dialect, rate: WindowHit, once: WindowHit): Promise<HitAndClaim> {
  if (dialect === 'sqlite') {
    const window = await hit(db, dialect, rate);
    return { window, claimed: window.allowed ? (await hit(db, dialect, once)).allowed : null };
  }
  const relaxed = !db.isTransaction;
  const { rows } = await sql<{ times: unknown; allowed: unknown; claimed: boolean | null }>`with rate as (${postgresHit(rate, postgresSource(rate, relaxed))}),
    once as (${postgresHit(once, postgresSource(once, relaxed, sql`rate where rate.allowed`))})
    select rate.times, rate.allowed, (select once.allowed from once) as claimed from rate`.execute(db);
  return { window: toWindow(rows[0]), claimed: rows[0].claimed };
}

/** The key's window without counting anything; null when it has none. */
export async function peek(db: Kysely<DB>, key: string): Promise<RateWindow | null> {
  const row = await db.selectFrom('rate_keys').select(['times', 'allowed']).where('key', '=', key).executeTakeFirst();
  return row ? toWindow(row) : null;
}

/** Deletes up to `batch` keys whose latest hit came at or before `before`; returns how many went. */
export async function pruneWindows(db: Kysely<DB>, before: number, batch: number): Promise<number> {
  const old = db.selectFrom('rate_keys').select('key').where('last_at', '<=', before).limit(batch);
  const result = await db.deleteFrom('rate_keys').where('key', 'in', old).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A key's window as a process that kept it in memory saves it (see src/store/memory-windows.ts). */
export interface SavedWindow {
  key: string;
  times: number[];
  allowed: boolean;
  lastAt: number;
}

/**
 * Saves windows kept in memory, in batches, in one transaction the caller owns. A row the store holds
 * with a later hit wins: a key counted in the store meanwhile (a window claimed inside a change) keeps it.
 */
export async function saveWindows(db: Kysely<DB>, dialect: Dialect, rows: SavedWindow[]): Promise<void> {
  const row = (r: SavedWindow) =>
    dialect === 'postgres'
      ? sql`(${r.key}, ${r.times}::bigint[], ${r.allowed}::boolean, ${r.lastAt}::bigint)`
      : sql`(${r.key}, ${JSON.stringify(r.times)}, ${r.allowed ? 1 : 0}, ${r.lastAt})`;
  for (let i = 0; i < rows.length; i += 500) {
    await sql`insert into rate_keys (key, times, allowed, last_at) values ${sql.join(rows.slice(i, i + 500).map(row))}
      on conflict (key) do update set times = excluded.times, allowed = excluded.allowed, last_at = excluded.last_at
      where rate_keys.last_at <= excluded.last_at`.execute(db);
  }
}

/** Windows with a hit after `since` (epoch ms), to keep in memory again. */
export async function loadWindows(db: Kysely<DB>, since: number): Promise<SavedWindow[]> {
  const rows = await db.selectFrom('rate_keys').select(['key', 'times', 'allowed', 'last_at']).where('last_at', '>', since).execute();
  return rows.map((r) => ({ key: r.key, ...toWindow(r), lastAt: Number(r.last_at) }));
}
