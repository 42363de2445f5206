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

/** `next` for several sequences in one statement; each value is distinct from every other caller's, as with `next`. */
export async function nextEach<N extends string>(db: Kysely<DB>, names: readonly N[]): Promise<Record<N, number>> {
  const rows = await db.updateTable('counters').set({ value: sql`value + 1` }).where('name', 'in', names).returning(['name', 'value']).execute();
  const out = {} as Record<N, number>;
  for (const r of rows) out[r.name as N] = Number(r.value);
  for (const n of names) if (out[n] === undefined) throw new Error(`unknown counter ${n}`);
  return out;
}
