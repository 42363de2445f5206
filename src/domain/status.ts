import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import * as history from '../store/repositories/status-history.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import type { Account } from './account.js';
import type { Actor } from './principal.js';
import { inTransaction, type DomainContext } from './context.js';
import { DomainError, ErrorCode } from './errors.js';
import { newGuid } from './ids.js';
import { recordAudit } from './audit.js';

export const SERVICE_STATUSES = [
  'Blocked',
  'AccountCancelled',
  'AccountSuspended',
  'Provisioning',
  'TrialExpired',
  'TrialActive',
  'DemoAccount',
  'CertifiedSecure',
] as const satisfies readonly ServiceStatus[];
export type ServiceStatus = import('../store/records.js').ServiceStatus;

export function isServiceStatus(s: string): s is ServiceStatus {
  return (SERVICE_STATUSES as readonly string[]).includes(s);
}

/**
 * Which status may follow which. A suspension or block may be lifted back to any live state (enable
 * restores what was there before); a cancellation is final.
 */
const LIVE: ServiceStatus[] = ['TrialActive', 'TrialExpired', 'CertifiedSecure', 'DemoAccount', 'Provisioning'];
export const TRANSITIONS: Record<ServiceStatus, ServiceStatus[]> = {
  Provisioning: ['TrialActive', 'CertifiedSecure', 'DemoAccount', 'AccountSuspended', 'Blocked', 'AccountCancelled'],
  TrialActive: ['TrialExpired', 'CertifiedSecure', 'DemoAccount', 'AccountSuspended', 'Blocked', 'AccountCancelled'],
  TrialExpired: ['TrialActive', 'CertifiedSecure', 'AccountSuspended', 'Blocked', 'AccountCancelled'],
  CertifiedSecure: ['AccountSuspended', 'Blocked', 'AccountCancelled'],
  DemoAccount: ['TrialActive', 'CertifiedSecure', 'AccountSuspended', 'Blocked', 'AccountCancelled'],
  AccountSuspended: [...LIVE, 'Blocked', 'AccountCancelled'],
  Blocked: [...LIVE, 'AccountSuspended', 'AccountCancelled'],
  AccountCancelled: [],
};

export function canTransition(from: ServiceStatus, to: ServiceStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export type StatusChange = import('../store/records.js').StatusChange;

export interface ChangeStatusOptions {
  /** Groups the rows of one operation (a disable that suspends several services shares one). */
  operationGuid?: string;
  reason?: string;
}

/** The reseller and partner above an account, from its materialized path ('/partner/reseller/customer/'). */
export function ancestry(account: Pick<Account, 'path' | 'kind' | 'guid'>): { partnerGuid: string | null; resellerGuid: string | null } {
  const parts = account.path.split('/').filter(Boolean);
  const partnerGuid = parts[0] ?? null;
  let resellerGuid: string | null = null;
  if (account.kind === 'reseller') resellerGuid = account.guid;
  else if (account.kind === 'customer' && parts.length >= 3) resellerGuid = parts[parts.length - 2];
  return { partnerGuid, resellerGuid };
}

/**
 * The one way a service status changes: it writes the account's new status, a history row and an audit
 * entry in the caller's transaction. Faces and schedulers all come through here. Given a plain handle (an
 * operator's script, a test), the change still lands whole: it runs in a transaction of its own.
 */
export async function changeStatus(
  trx: Kysely<DB>,
  ctx: DomainContext,
  actor: Actor,
  account: Account,
  to: ServiceStatus,
  options: ChangeStatusOptions = {},
): Promise<StatusChange> {
  return inTransaction({ ...ctx, db: trx }, (t) => writeStatusChange(t, ctx, actor, account, to, options));
}

async function writeStatusChange(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, account: Account, to: ServiceStatus, options: ChangeStatusOptions): Promise<StatusChange> {
  const from = account.status;
  if (from === to) {
    throw new DomainError(ErrorCode.InvalidTransition, `Account ${account.accountNumber} is already ${to}`);
  }
  if (!canTransition(from, to)) {
    throw new DomainError(ErrorCode.InvalidTransition, `A service cannot change from ${from} to ${to}`);
  }
  const at = ctx.clock.now().toISOString();
  const updated = await accountsRepo.setStatus(trx, account.guid, from, to, at, to === 'TrialActive' && from !== 'AccountSuspended' && from !== 'Blocked' ? at : undefined);
  if (!updated) {
    // Someone else changed it between our read and this write: refuse rather than write a history row that lies.
    throw new DomainError(ErrorCode.Conflict, `Account ${account.accountNumber} changed status concurrently; retry`);
  }
  const change = await writeHistory(trx, actor, account, from, to, at, options);
  await recordAudit(trx, ctx, actor, {
    action: 'account.status',
    entityType: 'account',
    entityGuid: account.guid,
    accountGuid: account.guid,
    before: { status: from },
    after: { status: to, operationGuid: change.operationGuid, reason: options.reason ?? null },
  });
  account.status = to;
  account.statusChangedAt = at;
  return change;
}

/** The first history row of a new account (old status null). Only account creation calls this. */
export async function recordInitialStatus(
  trx: Kysely<DB>,
  actor: Actor,
  account: Account,
  options: ChangeStatusOptions = {},
): Promise<StatusChange> {
  return writeHistory(trx, actor, account, null, account.status, account.statusChangedAt, options);
}

async function writeHistory(
  trx: Kysely<DB>,
  actor: Actor,
  account: Account,
  from: ServiceStatus | null,
  to: ServiceStatus,
  at: string,
  options: ChangeStatusOptions,
): Promise<StatusChange> {
  const { partnerGuid, resellerGuid } = ancestry(account);
  const change: StatusChange = {
    guid: newGuid(),
    accountGuid: account.guid,
    resellerGuid,
    partnerGuid,
    oldStatus: from,
    newStatus: to,
    changedAt: at,
    changedByGuid: actor.guid,
    changedByEmail: actor.email,
    operationGuid: options.operationGuid ?? newGuid(),
    userCount: account.userCount,
    reason: options.reason ?? null,
  };
  await history.insert(trx, change);
  return change;
}

/** An account's history, oldest first. */
export async function statusHistory(ctx: DomainContext, accountGuid: string): Promise<StatusChange[]> {
  return history.forAccount(ctx.db, accountGuid);
}
