import type { Kysely, Selectable } from 'kysely';
import type { DB, PanelSessionTable } from '../schema.js';

/** A control-panel session as the store holds it (the id itself is never stored, only its hash). */
export interface PanelSessionRecord {
  idHash: string;
  accountGuid: string;
  userName: string;
  virtualUser: boolean;
  principalGuid: string | null;
  /** The roles a virtual user signed in with (a real admin user's come from its principal). */
  roles: string[];
  createdAt: string;
  lastSeenAt: string;
}

/** The instants before which a session is over: idle since, or created before. */
export interface SessionCutoffs {
  idleBefore: string;
  createdBefore: string;
}

function toRecord(r: Selectable<PanelSessionTable>): PanelSessionRecord {
  return {
    idHash: r.id_hash,
    accountGuid: r.account_guid,
    userName: r.user_name,
    virtualUser: Number(r.virtual_user) === 1,
    principalGuid: r.principal_guid,
    roles: JSON.parse(r.roles) as string[],
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
  };
}

export async function insert(db: Kysely<DB>, s: PanelSessionRecord): Promise<void> {
  await db
    .insertInto('panel_sessions')
    .values({
      id_hash: s.idHash,
      account_guid: s.accountGuid,
      user_name: s.userName,
      virtual_user: s.virtualUser ? 1 : 0,
      principal_guid: s.principalGuid,
      roles: JSON.stringify(s.roles),
      created_at: s.createdAt,
      last_seen_at: s.lastSeenAt,
    })
    .execute();
}

/**
 * Marks a live session seen at `now` and returns it; null when there is no such session or it is idle or
 * too old. Checking and touching are one statement, so a request costs one round trip for its session.
 */
export async function touch(db: Kysely<DB>, idHash: string, now: string, cutoffs: SessionCutoffs): Promise<PanelSessionRecord | null> {
  const r = await db
    .updateTable('panel_sessions')
    .set({ last_seen_at: now })
    .where('id_hash', '=', idHash)
    .where('last_seen_at', '>', cutoffs.idleBefore)
    .where('created_at', '>', cutoffs.createdBefore)
    .returningAll()
    .executeTakeFirst();
  return r ? toRecord(r) : null;
}

export async function remove(db: Kysely<DB>, idHash: string): Promise<boolean> {
  const result = await db.deleteFrom('panel_sessions').where('id_hash', '=', idHash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Forgets every session that is over; returns how many. */
export async function prune(db: Kysely<DB>, cutoffs: SessionCutoffs): Promise<number> {
  const result = await db
    .deleteFrom('panel_sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<=', cutoffs.idleBefore), eb('created_at', '<=', cutoffs.createdBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
