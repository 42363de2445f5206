import type { Kysely, Selectable } from 'kysely';
import type { DB, StatusHistoryTable } from '../schema.js';
import type { ServiceStatus, StatusChange } from '../records.js';
import { prefixEnd } from './text-match.js';
import { byAccount } from './grouped.js';

export function toStatusChange(r: Selectable<StatusHistoryTable>): StatusChange {
  return {
    guid: r.guid,
    accountGuid: r.account_guid,
    resellerGuid: r.reseller_guid,
    partnerGuid: r.partner_guid,
    oldStatus: r.old_status as ServiceStatus | null,
    newStatus: r.new_status as ServiceStatus,
    changedAt: r.changed_at,
    changedByGuid: r.changed_by_guid,
    changedByEmail: r.changed_by_email,
    operationGuid: r.operation_guid,
    userCount: Number(r.user_count),
    reason: r.reason,
  };
}

/** The row of one status change (bulk.ts inserts many of them at once). */
export function statusChangeRow(c: StatusChange) {
  return {
    guid: c.guid,
    account_guid: c.accountGuid,
    reseller_guid: c.resellerGuid,
    partner_guid: c.partnerGuid,
    old_status: c.oldStatus,
    new_status: c.newStatus,
    changed_at: c.changedAt,
    changed_by_guid: c.changedByGuid,
    changed_by_email: c.changedByEmail,
    operation_guid: c.operationGuid,
    user_count: c.userCount,
    reason: c.reason,
  };
}

export async function insert(db: Kysely<DB>, c: StatusChange): Promise<void> {
  await db.insertInto('status_history').values(statusChangeRow(c)).execute();
}

/** Oldest first. */
export async function forAccount(db: Kysely<DB>, accountGuid: string): Promise<StatusChange[]> {
  const rows = await db.selectFrom('status_history').selectAll().where('account_guid', '=', accountGuid).orderBy('seq').execute();
  return rows.map(toStatusChange);
}

/** A status an account entered, and when: all the billing run needs of a change. */
export interface StatusPoint {
  newStatus: ServiceStatus;
  changedAt: string;
}

/** The statuses several accounts entered before `before`, each account's oldest first (by seq), in one read. */
export async function statusPointsBefore(db: Kysely<DB>, accountGuids: readonly string[], before: string): Promise<Map<string, StatusPoint[]>> {
  if (accountGuids.length === 0) return new Map();
  const rows = await db
    .selectFrom('status_history')
    .select(['account_guid', 'new_status', 'changed_at'])
    .where('account_guid', 'in', accountGuids)
    .where('changed_at', '<', before)
    .orderBy('account_guid')
    .orderBy('seq')
    .execute();
  return byAccount(rows, (r) => ({ newStatus: r.new_status as ServiceStatus, changedAt: r.changed_at }));
}

/** The rows into one status of every account strictly below `path`, oldest first, in one read. */
export async function intoStatusBelow(db: Kysely<DB>, path: string, status: ServiceStatus): Promise<StatusChange[]> {
  const rows = await db
    .selectFrom('status_history as h')
    .innerJoin('accounts as a', 'a.guid', 'h.account_guid')
    .selectAll('h')
    .where('a.path', '>', path)
    .where('a.path', '<', prefixEnd(path))
    .where('h.new_status', '=', status)
    .orderBy('h.seq')
    .execute();
  return rows.map(toStatusChange);
}
