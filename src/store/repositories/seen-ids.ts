import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { escapeLike } from './accounts.js';

/**
 * Forgets one-time ids (claimOnce keys) under a prefix whose last sighting is older than `before`:
 * their events, then their now-empty key rows. Returns how many events went.
 */
export async function pruneSeen(db: Kysely<DB>, prefix: string, before: number, batch: number): Promise<number> {
  const pattern = escapeLike(prefix) + '%';
  const old = await db
    .selectFrom('rate_events')
    .select('seq')
    .where(sql<boolean>`key like ${pattern} escape '\\'`)
    .where('at', '<=', before)
    .limit(batch)
    .execute();
  if (old.length === 0) return 0;
  await db.deleteFrom('rate_events').where('seq', 'in', old.map((r) => r.seq)).execute();
  await db
    .deleteFrom('rate_keys')
    .where(sql<boolean>`key like ${pattern} escape '\\'`)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('rate_events').select('seq').whereRef('rate_events.key', '=', 'rate_keys.key'))))
    .execute();
  return old.length;
}
