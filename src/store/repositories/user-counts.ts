import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../connect.js';
import type { UserCountChange } from '../../domain/provisioning.js';

/**
 * Locks an account's row until the transaction ends, so a read-modify-write of its user count cannot
 * lose a concurrent change. SQLite runs one write transaction at a time; the no-op update makes this
 * transaction the writer before it reads.
 */
export async function lockAccount(db: Kysely<DB>, dialect: Dialect, guid: string): Promise<void> {
  if (dialect === 'postgres') {
    await sql`select guid from accounts where guid = ${guid} for update`.execute(db);
  } else {
    await db.updateTable('accounts').set({ guid }).where('guid', '=', guid).execute();
  }
}

export async function insert(db: Kysely<DB>, c: UserCountChange): Promise<void> {
  await db
    .insertInto('user_count_changes')
    .values({
      guid: c.guid,
      account_guid: c.accountGuid,
      at: c.at,
      old_count: c.oldCount,
      new_count: c.newCount,
      delta: c.delta,
      actor_guid: c.actorGuid,
      actor_email: c.actorEmail,
      reason: c.reason,
    })
    .execute();
}

export async function list(db: Kysely<DB>, q: { accountGuid?: string; since?: string; until?: string; limit: number }): Promise<UserCountChange[]> {
  let sel = db.selectFrom('user_count_changes').selectAll();
  if (q.accountGuid) sel = sel.where('account_guid', '=', q.accountGuid);
  if (q.since) sel = sel.where('at', '>=', q.since);
  if (q.until) sel = sel.where('at', '<', q.until);
  const rows = await sel.orderBy('seq').limit(q.limit).execute();
  return rows.map((r) => ({
    guid: r.guid,
    accountGuid: r.account_guid,
    at: r.at,
    oldCount: Number(r.old_count),
    newCount: Number(r.new_count),
    delta: Number(r.delta),
    actorGuid: r.actor_guid,
    actorEmail: r.actor_email,
    reason: r.reason,
  }));
}
