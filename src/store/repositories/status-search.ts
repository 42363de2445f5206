import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { StatusChange, StatusChangeSearch } from '../records.js';
import { toStatusChange } from './status-history.js';
import { prefixEnd } from './text-match.js';

/** The domain's search, limited to the services (customer accounts) whose path starts with `scopePath` ('/' for all). */
export type StatusChangeQuery = StatusChangeSearch & { scopePath: string };

/**
 * Status changes of customer accounts, newest first by insertion sequence, so rows already returned keep
 * their relative order however many are added later.
 */
export async function search(db: Kysely<DB>, q: StatusChangeQuery): Promise<{ total: number; changes: StatusChange[] }> {
  let base = db.selectFrom('status_history as h').innerJoin('accounts as a', 'a.guid', 'h.account_guid').where('a.kind', '=', 'customer');
  if (q.scopePath !== '/') base = base.where('a.path', '>=', q.scopePath).where('a.path', '<', prefixEnd(q.scopePath));
  if (q.accountGuid) base = base.where('h.account_guid', '=', q.accountGuid);
  if (q.resellerGuid) base = base.where('h.reseller_guid', '=', q.resellerGuid);
  if (q.partnerGuid) base = base.where('h.partner_guid', '=', q.partnerGuid);
  if (q.changedByGuid) base = base.where('h.changed_by_guid', '=', q.changedByGuid);
  if (q.changedByEmail) base = base.where(sql<boolean>`lower(h.changed_by_email) = ${q.changedByEmail.toLowerCase()}`);
  if (q.changedFrom) base = base.where('h.changed_at', '>=', q.changedFrom);
  if (q.changedBefore) base = base.where('h.changed_at', '<', q.changedBefore);
  const head = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll('h').orderBy('h.seq', 'desc').limit(q.limit).offset(q.offset).execute();
  return { total: Number(head.n), changes: rows.map(toStatusChange) };
}

/** Accounts by GUID, deleted ones included: history outlives the account. */
export async function accountsByGuid(db: Kysely<DB>, guids: string[]) {
  if (guids.length === 0) return [];
  return db.selectFrom('accounts').selectAll().where('guid', 'in', guids).execute();
}
