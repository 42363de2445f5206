import type { DomainContext } from './context.js';
import { assertTransaction, inTransaction } from './context.js';
import { notFound, validationError, type FieldError } from './errors.js';
import { newGuid } from './ids.js';
import { recordAudit } from './audit.js';
import { findAccount, type Account } from './account.js';
import type { Actor } from './principal.js';
import * as notificationsRepo from '../store/repositories/dashboard-notifications.js';
import * as accountsRepo from '../store/repositories/accounts.js';

/**
 * Dashboard notifications: notices an operator puts on one account's dashboard (product news, service
 * notices). Principals read those of accounts they can read, once their `visibleFrom` time has come.
 */

export type DashboardNotification = notificationsRepo.DashboardNotificationRecord;

export const NOTICE_TYPES = ['product_news', 'service_notification'] as const;
export const WARNING_LEVELS = ['good', 'info', 'warning', 'critical'] as const;
export const TITLE_MAX = 200;
export const MESSAGE_MAX = 4000;

export interface NewDashboardNotification {
  accountGuid: string;
  title: string;
  message: string;
  noticeType?: string;
  warningLevel?: string;
  /** ISO 8601; default now. */
  visibleFrom?: string;
  enabled?: boolean;
}

function checkText(field: string, value: string, max: number, problems: FieldError[]): void {
  if (value.trim() === '') problems.push({ field, problem: 'blank', message: `${field} cannot be empty` });
  else if (value.length > max) problems.push({ field, problem: 'too_long', message: `${field} is longer than ${max} characters` });
}

function checkChoice(field: string, value: string, choices: readonly string[], problems: FieldError[]): void {
  if (!choices.includes(value)) problems.push({ field, problem: 'invalid', message: `${field} must be one of ${choices.join(', ')}` });
}

/** The notification as it will be stored, or the field problems of the input. */
function validated(ctx: DomainContext, input: NewDashboardNotification): DashboardNotification {
  const problems: FieldError[] = [];
  checkText('title', input.title, TITLE_MAX, problems);
  checkText('message', input.message, MESSAGE_MAX, problems);
  const noticeType = (input.noticeType ?? 'service_notification').toLowerCase();
  const warningLevel = (input.warningLevel ?? 'info').toLowerCase();
  checkChoice('noticeType', noticeType, NOTICE_TYPES, problems);
  checkChoice('warningLevel', warningLevel, WARNING_LEVELS, problems);
  const now = ctx.clock.now().toISOString();
  const from = input.visibleFrom === undefined ? new Date(now) : new Date(input.visibleFrom);
  if (Number.isNaN(from.getTime())) problems.push({ field: 'visibleFrom', problem: 'invalid', message: 'visibleFrom must be a date and time (ISO 8601)' });
  if (problems.length) throw validationError(problems);
  return {
    guid: newGuid(),
    accountGuid: input.accountGuid,
    title: input.title,
    message: input.message,
    noticeType,
    warningLevel,
    visibleFrom: from.toISOString(),
    enabled: input.enabled ?? true,
    createdAt: now,
  };
}

/** Puts a notification on an account's dashboard (operators: the CLI). */
export async function addDashboardNotification(ctx: DomainContext, actor: Actor, input: NewDashboardNotification): Promise<DashboardNotification> {
  const notification = validated(ctx, input);
  await inTransaction(ctx, async (trx) => {
    assertTransaction(trx);
    const account = await accountsRepo.findByGuid(trx, input.accountGuid);
    if (!account || account.deletedAt) throw notFound('account', 'Account not found');
    await notificationsRepo.insert(trx, notification);
    const { guid, createdAt, ...after } = notification;
    await recordAudit(trx, ctx, actor, { action: 'dashboard_notification.create', entityType: 'dashboard_notification', entityGuid: guid, accountGuid: account.guid, before: null, after });
  });
  return notification;
}

/** Takes a notification off its dashboard. */
export async function removeDashboardNotification(ctx: DomainContext, actor: Actor, guid: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    assertTransaction(trx);
    const found = await notificationsRepo.findByGuid(trx, guid);
    if (!found) throw notFound('dashboard_notification', 'Notification not found');
    await notificationsRepo.remove(trx, guid);
    const { guid: _guid, createdAt, ...before } = found;
    await recordAudit(trx, ctx, actor, { action: 'dashboard_notification.delete', entityType: 'dashboard_notification', entityGuid: guid, accountGuid: found.accountGuid, before, after: null });
  });
}

/** Every notification (of one account when given), whether visible yet or not: for operators. */
export async function listDashboardNotifications(ctx: DomainContext, accountGuid?: string): Promise<DashboardNotification[]> {
  return notificationsRepo.list(ctx.db, accountGuid);
}

/**
 * The notifications an account shows now, for a principal who may read the account (by account code, its
 * own or one in its subtree; any other account is not found). Notifications whose `visibleFrom` is still ahead are not shown.
 */
export async function accountDashboardNotifications(
  ctx: DomainContext,
  actor: Actor,
  which: string | { guid: string },
): Promise<{ account: Account; notifications: DashboardNotification[] }> {
  const account = await findAccount(ctx, actor, typeof which === 'string' ? { accountCode: which } : which);
  const now = ctx.clock.now().toISOString();
  const notifications = (await notificationsRepo.list(ctx.db, account.guid)).filter((n) => n.visibleFrom <= now);
  return { account, notifications };
}
