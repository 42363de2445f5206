import type { Kysely, Selectable } from 'kysely';
import type { DB, ServiceUsageDailyTable } from '../schema.js';
import type { DailyUsage, UsageCounters } from '../records.js';
import { prefixEnd } from './text-match.js';
import { pageWithTotal, totalRows } from './services.js';
import { toAccount } from './accounts.js';
import type { Account } from '../records.js';

/** The counter columns of a day's usage, in the order of the domain's counters. */
export const USAGE_COLUMNS = [
  'total_users',
  'pro_users',
  'guest_users',
  'disabled_users',
  'unregistered_users',
  'secure_messaging_gateway',
  'secure_messaging_plus',
  'data_leak_prevention',
  'secure_large_files',
  'secure_forms',
  'messages',
  'attachments',
  'attachment_storage_bytes',
] as const;

/** A day's usage from counter columns selected under a prefix (`u_total_users` …) by a joining query. */
export function usageFromColumns(row: Record<string, unknown>, prefix: string, accountGuid: string, day: string): DailyUsage {
  const columns = Object.fromEntries(USAGE_COLUMNS.map((c) => [c, row[prefix + c]]));
  return toDailyUsage({ ...columns, account_guid: accountGuid, day } as unknown as Selectable<ServiceUsageDailyTable>);
}

function toDailyUsage(r: Selectable<ServiceUsageDailyTable>): DailyUsage {
  return {
    accountGuid: r.account_guid,
    day: r.day,
    totalUsers: Number(r.total_users),
    proUsers: Number(r.pro_users),
    guestUsers: Number(r.guest_users),
    disabledUsers: Number(r.disabled_users),
    unregisteredUsers: Number(r.unregistered_users),
    secureMessagingGateway: Number(r.secure_messaging_gateway),
    secureMessagingPlus: Number(r.secure_messaging_plus),
    dataLeakPrevention: Number(r.data_leak_prevention),
    secureLargeFiles: Number(r.secure_large_files),
    secureForms: Number(r.secure_forms),
    messages: Number(r.messages),
    attachments: Number(r.attachments),
    attachmentStorageBytes: Number(r.attachment_storage_bytes),
  };
}

function counterColumns(u: UsageCounters) {
  return {
    total_users: u.totalUsers,
    pro_users: u.proUsers,
    guest_users: u.guestUsers,
    disabled_users: u.disabledUsers,
    unregistered_users: u.unregisteredUsers,
    secure_messaging_gateway: u.secureMessagingGateway,
    secure_messaging_plus: u.secureMessagingPlus,
    data_leak_prevention: u.dataLeakPrevention,
    secure_large_files: u.secureLargeFiles,
    secure_forms: u.secureForms,
    messages: u.messages,
    attachments: u.attachments,
    attachment_storage_bytes: u.attachmentStorageBytes,
  };
}

/** Inserts or replaces the day's counters: a re-import of the same day overwrites, it does not add up. */
export async function upsert(db: Kysely<DB>, rows: DailyUsage[], importedAt: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await db
      .insertInto('service_usage_daily')
      .values(chunk.map((u) => ({ account_guid: u.accountGuid, day: u.day, imported_at: importedAt, ...counterColumns(u) })))
      .onConflict((oc) =>
        oc.columns(['account_guid', 'day']).doUpdateSet((eb) => ({
          total_users: eb.ref('excluded.total_users'),
          pro_users: eb.ref('excluded.pro_users'),
          guest_users: eb.ref('excluded.guest_users'),
          disabled_users: eb.ref('excluded.disabled_users'),
          unregistered_users: eb.ref('excluded.unregistered_users'),
          secure_messaging_gateway: eb.ref('excluded.secure_messaging_gateway'),
          secure_messaging_plus: eb.ref('excluded.secure_messaging_plus'),
          data_leak_prevention: eb.ref('excluded.data_leak_prevention'),
          secure_large_files: eb.ref('excluded.secure_large_files'),
          secure_forms: eb.ref('excluded.secure_forms'),
          messages: eb.ref('excluded.messages'),
          attachments: eb.ref('excluded.attachments'),
          attachment_storage_bytes: eb.ref('excluded.attachment_storage_bytes'),
          imported_at: eb.ref('excluded.imported_at'),
        })),
      )
      .execute();
  }
}

/** Daily rows of the given accounts between two days (inclusive), oldest first. */
export async function forAccounts(db: Kysely<DB>, accountGuids: string[], fromDay: string, toDay: string): Promise<DailyUsage[]> {
  if (accountGuids.length === 0) return [];
  const rows = await db
    .selectFrom('service_usage_daily')
    .selectAll()
    .where('account_guid', 'in', accountGuids)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('account_guid')
    .orderBy('day')
    .execute();
  return rows.map(toDailyUsage);
}

/**
 * The customer accounts in a subtree that have usage between two days, a page of them by name with the
 * number of all, in one statement. `scopePath` limits to a subtree; the optional filters narrow further.
 */
export async function accountsWithUsage(
  db: Kysely<DB>,
  q: { scopePath: string; accountGuid?: string; resellerPath?: string; partnerPath?: string; fromDay: string; toDay: string; limit: number; offset: number },
): Promise<{ total: number; accounts: Account[] }> {
  let base = db
    .selectFrom('accounts as a')
    .where('a.kind', '=', 'customer')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('service_usage_daily as u')
          .select('u.account_guid')
          .whereRef('u.account_guid', '=', 'a.guid')
          .where('u.day', '>=', q.fromDay)
          .where('u.day', '<=', q.toDay),
      ),
    );
  for (const p of [q.scopePath, q.resellerPath, q.partnerPath]) {
    if (p && p !== '/') base = base.where('a.path', '>=', p).where('a.path', '<', prefixEnd(p));
  }
  if (q.accountGuid) base = base.where('a.guid', '=', q.accountGuid);
  const { total, rows } = await pageWithTotal(
    base,
    (b) => b.selectAll('a').select(totalRows).orderBy('a.name_lower').orderBy('a.guid').limit(q.limit).offset(q.offset) as never,
    q.offset,
  );
  return { total, accounts: rows.map((r) => toAccount(r as never)) };
}
