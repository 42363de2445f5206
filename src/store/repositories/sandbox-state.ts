import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/** One named sandbox value (JSON), or undefined. */
export async function getState<T>(db: Kysely<DB>, name: string): Promise<T | undefined> {
  const row = await db.selectFrom('sandbox_state').select('value').where('name', '=', name).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : undefined;
}

/** Sets a named sandbox value (insert or replace). */
export async function putState(db: Kysely<DB>, name: string, value: unknown, at: string): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('sandbox_state')
    .values({ name, value: json, updated_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: json, updated_at: at }))
    .execute();
}

/** Sets a value only if none is there yet; returns whether this call set it. */
export async function putStateIfAbsent(db: Kysely<DB>, name: string, value: unknown, at: string): Promise<boolean> {
  const result = await db
    .insertInto('sandbox_state')
    .values({ name, value: JSON.stringify(value), updated_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
