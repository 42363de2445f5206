import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../connect.js';

/**
 * Serializes checks of one rate key across processes: PostgreSQL locks the key's row until the
 * transaction ends; SQLite runs one write transaction at a time anyway, and the upsert makes it a writer.
 */
export async function lockKey(db: Kysely<DB>, dialect: Dialect, key: string): Promise<void> {
  await db.insertInto('rate_keys').values({ key }).onConflict((oc) => oc.column('key').doNothing()).execute();
  if (dialect === 'postgres') {
    await sql`select key from rate_keys where key = ${key} for update`.execute(db);
  }
}

export async function prune(db: Kysely<DB>, key: string, before: number): Promise<void> {
  await db.deleteFrom('rate_events').where('key', '=', key).where('at', '<=', before).execute();
}

export async function window(db: Kysely<DB>, key: string, after: number): Promise<{ count: number; oldest: number | null }> {
  const row = await db
    .selectFrom('rate_events')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('at').as('oldest')])
    .where('key', '=', key)
    .where('at', '>', after)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
}

export async function record(db: Kysely<DB>, key: string, at: number): Promise<void> {
  await db.insertInto('rate_events').values({ key, at }).execute();
}
