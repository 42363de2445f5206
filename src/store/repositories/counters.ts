import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';

/**
 * Takes the next value of a named sequence. The single UPDATE … RETURNING is atomic in both dialects
 * (PostgreSQL locks the row until the transaction ends), so concurrent callers get distinct values.
 */
export async function next(db: Kysely<DB>, name: string): Promise<number> {
  const row = await db
    .updateTable('counters')
    .set({ value: sql`value + 1` })
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirst();
  if (!row) throw new Error(`unknown counter ${name}`);
  return Number(row.value);
}
