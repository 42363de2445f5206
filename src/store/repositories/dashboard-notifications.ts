import type { Kysely, Selectable } from 'kysely';
import type { DashboardNotificationTable, DB } from '../schema.js';

/** Notices an operator puts on an account's dashboard. */

export interface DashboardNotificationRecord {
  guid: string;
  accountGuid: string;
  title: string;
  message: string;
  noticeType: string;
  warningLevel: string;
  visibleFrom: string;
  enabled: boolean;
  createdAt: string;
}

function toRecord(r: Selectable<DashboardNotificationTable>): DashboardNotificationRecord {
  return {
    guid: r.guid,
    accountGuid: r.account_guid,
    title: r.title,
    message: r.message,
    noticeType: r.notice_type,
    warningLevel: r.warning_level,
    visibleFrom: r.visible_from,
    enabled: Number(r.enabled) === 1,
    createdAt: r.created_at,
  };
}

export async function insert(db: Kysely<DB>, n: DashboardNotificationRecord): Promise<void> {
  await db
    .insertInto('dashboard_notifications')
    .values({
      guid: n.guid,
      account_guid: n.accountGuid,
      title: n.title,
      message: n.message,
      notice_type: n.noticeType,
      warning_level: n.warningLevel,
      visible_from: n.visibleFrom,
      enabled: n.enabled ? 1 : 0,
      created_at: n.createdAt,
    })
    .execute();
}

/** An account's notifications, oldest visible first; all accounts' when no account is given. */
export async function list(db: Kysely<DB>, accountGuid?: string): Promise<DashboardNotificationRecord[]> {
  let q = db.selectFrom('dashboard_notifications').selectAll();
  if (accountGuid) q = q.where('account_guid', '=', accountGuid);
  return (await q.orderBy('visible_from').orderBy('guid').execute()).map(toRecord);
}

export async function findByGuid(db: Kysely<DB>, guid: string): Promise<DashboardNotificationRecord | null> {
  const r = await db.selectFrom('dashboard_notifications').selectAll().where('guid', '=', guid).executeTakeFirst();
  return r ? toRecord(r) : null;
}

export async function remove(db: Kysely<DB>, guid: string): Promise<boolean> {
  const r = await db.deleteFrom('dashboard_notifications').where('guid', '=', guid).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
