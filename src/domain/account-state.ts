import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { MINUTE } from './clock.js';
import { DomainError, ErrorCode } from './errors.js';
import { newGuid } from './ids.js';
import { authorize, type Actor } from './principal.js';
import { visibleAccount, type Account } from './account.js';
import { canTransition, changeStatus, type ServiceStatus, type StatusChange } from './status.js';
import { hitRateLimitIn } from './limits.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import * as subAccounts from '../store/repositories/sub-accounts.js';
import * as history from '../store/repositories/status-history.js';

/** Enabling or disabling one account is allowed once per this sliding window (Rackspace's documented rule). */
export const STATE_CHANGE_WINDOW_MS = 5 * MINUTE;

/** States in which a service runs; disabling suspends exactly these. */
const RUNNING: readonly ServiceStatus[] = ['TrialActive', 'TrialExpired', 'CertifiedSecure', 'DemoAccount', 'Provisioning'];

export interface StateChangeResult {
  account: Account;
  /** The status changes written (empty when the account already was in the asked-for state). */
  changes: StatusChange[];
}

/**
 * Authorizes an enable/disable and claims the account's window, inside the change's own transaction. The
 * window is claimed only after the caller is known to be allowed, so a stranger cannot lock an account out;
 * the claim locks the window's key, so of two concurrent requests (in any processes) exactly one proceeds;
 * and it is kept only if the change commits, so a refused or failed change does not use the window up.
 */
async function claimStateChange(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, guid: string): Promise<Account> {
  const account = await visibleAccount(trx, actor, guid);
  authorize(actor, 'account.status', account);
  if (account.guid === actor.accountGuid) throw new DomainError(ErrorCode.Forbidden, 'An account cannot enable or disable itself');
  const decision = await hitRateLimitIn(trx, ctx, `account-state:${account.guid}`, 1, STATE_CHANGE_WINDOW_MS);
  if (!decision.allowed) {
    throw new DomainError(ErrorCode.RateLimited, 'Exceeded request limits', { retryAfterMs: decision.resetMs });
  }
  return account;
}

async function reread(trx: Kysely<DB>, guid: string): Promise<Account> {
  const account = await accountsRepo.findByGuid(trx, guid);
  if (!account || account.deletedAt) throw new DomainError(ErrorCode.NotFound, 'Account not found', { resource: 'account' });
  return account;
}

/**
 * Suspends the account and every running service below it, as one operation (the history rows share an
 * operation id, which is how enable finds what this disable suspended). Already suspended or blocked
 * accounts are left as they are; a cancelled account cannot be disabled.
 */
export async function disableAccount(ctx: DomainContext, actor: Actor, guid: string): Promise<StateChangeResult> {
  return inTransaction(ctx, async (trx) => {
    await claimStateChange(trx, ctx, actor, guid);
    const account = await reread(trx, guid);
    if (account.status === 'AccountCancelled') {
      throw new DomainError(ErrorCode.InvalidTransition, `Account ${account.accountNumber} is cancelled and cannot be disabled`);
    }
    const operationGuid = newGuid();
    const changes: StatusChange[] = [];
    for (const target of [account, ...(await subAccounts.liveDescendants(trx, account.path))]) {
      if (!RUNNING.includes(target.status) || !canTransition(target.status, 'AccountSuspended')) continue;
      changes.push(await changeStatus(trx, ctx, actor, target, 'AccountSuspended', { operationGuid, reason: 'disabled' }));
    }
    return { account, changes };
  });
}

/** The suspension that put an account in AccountSuspended: its latest history row into that state. */
async function lastSuspension(trx: Kysely<DB>, accountGuid: string): Promise<StatusChange | undefined> {
  const rows = await history.forAccount(trx, accountGuid);
  return rows.filter((r) => r.newStatus === 'AccountSuspended').at(-1);
}

/**
 * Lifts a suspension: the account, and the services below it that the same disable suspended, go back to
 * the status they had before, as the status history records it. A running account is left as it is;
 * blocked and cancelled accounts cannot be enabled here.
 */
export async function enableAccount(ctx: DomainContext, actor: Actor, guid: string): Promise<StateChangeResult> {
  return inTransaction(ctx, async (trx) => {
    await claimStateChange(trx, ctx, actor, guid);
    const account = await reread(trx, guid);
    if (RUNNING.includes(account.status)) return { account, changes: [] };
    if (account.status !== 'AccountSuspended') {
      throw new DomainError(ErrorCode.InvalidTransition, `Account ${account.accountNumber} is ${account.status} and cannot be enabled`);
    }
    const suspension = await lastSuspension(trx, account.guid);
    const previous = suspension?.oldStatus;
    if (!previous || !canTransition('AccountSuspended', previous)) {
      throw new DomainError(ErrorCode.InvalidTransition, `Account ${account.accountNumber} has no earlier status to restore`);
    }
    const operationGuid = newGuid();
    const changes = [await changeStatus(trx, ctx, actor, account, previous, { operationGuid, reason: 'enabled' })];
    for (const below of await subAccounts.liveDescendants(trx, account.path)) {
      if (below.status !== 'AccountSuspended') continue;
      const own = await lastSuspension(trx, below.guid);
      if (!own?.oldStatus || own.operationGuid !== suspension!.operationGuid || !canTransition('AccountSuspended', own.oldStatus)) continue;
      changes.push(await changeStatus(trx, ctx, actor, below, own.oldStatus, { operationGuid, reason: 'enabled' }));
    }
    return { account, changes };
  });
}
