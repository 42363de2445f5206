import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { UserCountChange } from '../records.js';
import { byAccount } from './grouped.js';

function toChange(r: { account_guid: string; changed_at: string; old_count: number; new_count: number; changed_by_guid: string }): UserCountChange {
  return {
    accountGuid: r.account_guid,
    changedAt: r.changed_at,
    oldCount: Number(r.old_count),
    newCount: Number(r.new_count),
    changedByGuid: r.changed_by_guid,
  };
}

export async function currentCount(db: Kysely<DB>, accountGuid: string): Promise<number | null> {
  const row = await db.selectFrom('accounts').select('user_count').where('guid', '=', accountGuid).executeTakeFirst();
  return row ? Number(row.user_count) : null;
}

export async function setCount(db: Kysely<DB>, accountGuid: string, count: number, at: string): Promise<void> {
  await db.updateTable('accounts').set({ user_count: count, updated_at: at }).where('guid', '=', accountGuid).execute();
}

export async function insert(db: Kysely<DB>, c: UserCountChange): Promise<void> {
  await db
    .insertInto('user_count_changes')
    .values({ account_guid: c.accountGuid, changed_at: c.changedAt, old_count: c.oldCount, new_count: c.newCount, changed_by_guid: c.changedByGuid })
    .execute();
}

/** The first change strictly after `at`, whose old count is the count that held at `at`. */
export async function firstAfter(db: Kysely<DB>, accountGuid: string, at: string): Promise<UserCountChange | null> {
  const row = await db
    .selectFrom('user_count_changes')
    .selectAll()
    .where('account_guid', '=', accountGuid)
    .where('changed_at', '>', at)
    .orderBy('changed_at')
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return row ? toChange(row) : null;
}

/** Changes with from <= changed_at < to, oldest first. */
export async function between(db: Kysely<DB>, accountGuid: string, from: string, to: string): Promise<UserCountChange[]> {
  const rows = await db
    .selectFrom('user_count_changes')
    .selectAll()
    .where('account_guid', '=', accountGuid)
    .where('changed_at', '>=', from)
    .where('changed_at', '<', to)
    .orderBy('changed_at')
    .orderBy('seq')
    .execute();
  return rows.map(toChange);
}

/**
 * For several accounts at once: the old count of each one's first change strictly after `at` (the count that
 * held at `at`; accounts without such a change are absent), one index probe per account in one statement.
 */
export async function firstOldCountsAfter(db: Kysely<DB>, accountGuids: readonly string[], at: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (accountGuids.length === 0) return out;
  const rows = await db
    .selectFrom('accounts as a')
    .select((eb) => [
      'a.guid',
      eb
        .selectFrom('user_count_changes as u')
        .select('u.old_count')
        .whereRef('u.account_guid', '=', 'a.guid')
        .where('u.changed_at', '>', at)
        .orderBy('u.changed_at')
        .orderBy('u.seq')
        .limit(1)
        .as('old_count'),
    ])
    .where('a.guid', 'in', accountGuids)
    .execute();
  for (const r of rows) if (r.old_count !== null) out.set(r.guid, Number(r.old_count));
  return out;
}

/** For several accounts at once: changes with from <= changed_at < to, each account's oldest first. */
export async function betweenForAccounts(db: Kysely<DB>, accountGuids: readonly string[], from: string, to: string): Promise<Map<string, UserCountChange[]>> {
  if (accountGuids.length === 0) return new Map();
  const rows = await db
    .selectFrom('user_count_changes')
    .selectAll()
    .where('account_guid', 'in', accountGuids)
    .where('changed_at', '>=', from)
    .where('changed_at', '<', to)
    .orderBy('account_guid')
    .orderBy('changed_at')
    .orderBy('seq')
    .execute();
  return byAccount(rows, toChange);
}
