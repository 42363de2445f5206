import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../connect.js';

/** A key's window as the store holds it: the counted hits (epoch ms, oldest first) and the latest verdict. */
export interface RateWindow {
  times: number[];
  allowed: boolean;
}

interface Hit {
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
function sqliteHit(h: Hit): RawBuilder<unknown> {
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
 * The upsert on PostgreSQL. ON CONFLICT DO UPDATE locks the key's row and, when another transaction held
 * it, works on the row as that one left it; the subqueries only unnest that row's own array, so no
 * older snapshot is consulted and concurrent hits are counted one after another.
 */
function postgresHit(h: Hit): RawBuilder<unknown> {
  const over = h.now - h.windowMs;
  const inWindow = sql`(select count(*) from unnest(rate_keys.times) t where t > ${over}::bigint)`;
  const counted = sql`array(select t from (
      select t from (select t from unnest(rate_keys.times) t where t > ${over}::bigint union all select ${h.now}::bigint) u
      order by t desc limit ${h.limit}::int) s order by t)`;
  return sql`insert into rate_keys (key, times, allowed, last_at) values (${h.key}, array[${h.now}::bigint], true, ${h.now}::bigint)
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
export async function hit(db: Kysely<DB>, dialect: Dialect, h: Hit): Promise<RateWindow> {
  const query = dialect === 'postgres' ? postgresHit(h) : sqliteHit(h);
  const { rows } = await query.execute(db);
  return toWindow(rows[0] as { times: unknown; allowed: unknown });
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
