import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/**
 * Takes the lease of a job when nobody holds a live one. The conditional UPDATE is atomic in both
 * dialects, so of several racing processes exactly one gets `true`.
 */
export async function tryLease(db: Kysely<DB>, name: string, holder: string, now: string, until: string): Promise<boolean> {
  await db.insertInto('job_leases').values({ name, holder: null, lease_until: null, last_run_at: null }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const result = await db
    .updateTable('job_leases')
    .set({ holder, lease_until: until })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function release(db: Kysely<DB>, name: string, holder: string, ranAt: string): Promise<void> {
  await db.updateTable('job_leases').set({ holder: null, lease_until: null, last_run_at: ranAt }).where('name', '=', name).where('holder', '=', holder).execute();
}

export async function lastRun(db: Kysely<DB>, name: string): Promise<string | null> {
  const row = await db.selectFrom('job_leases').select('last_run_at').where('name', '=', name).executeTakeFirst();
  return row?.last_run_at ?? null;
}
