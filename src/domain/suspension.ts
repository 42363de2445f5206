import { assertTransaction, type DomainContext } from './context.js';
import { MINUTE } from './clock.js';
import { DomainError, ErrorCode, rateLimited } from './errors.js';
import { newGuid } from './ids.js';
import { authorize, type Actor } from './principal.js';
import { visibleAccount, type Account } from './account.js';
import { canTransition, changeStatus, type ServiceStatus, type StatusChange } from './status.js';
import { hitRateLimitIn } from './limits.js';
import { transaction } from './transaction.js';
import * as subAccounts from '../store/repositories/sub-accounts.js';
import * as history from '../store/repositories/status-history.js';

/**
 * Suspending an account's service tree and lifting that suspension (what the Rackspace face calls disable
 * and enable): the account and the running services below it, as one operation.
 */

/** Suspending or lifting one account's suspension is allowed once per this sliding window. */
export const STATE_CHANGE_WINDOW_MS = 5 * MINUTE;

/** States in which a service runs; a suspension covers exactly these. */
const RUNNING: readonly ServiceStatus[] = ['TrialActive', 'TrialExpired', 'CertifiedSecure', 'DemoAccount', 'Provisioning'];

export interface StateChangeResult {
  account: Account;
  /** The status changes written (empty when the account already was in the asked-for state). */
  changes: StatusChange[];
}

/**
 * Authorizes the change and claims the account's window, inside the change's own transaction. The window is
 * claimed only after the caller is known to be allowed, so a stranger cannot lock an account out; the claim
 * locks the window's key, so of two concurrent requests (in any processes) exactly one proceeds; and it is
 * kept only if the change commits, so a refused or failed change does not use the window up.
 */
async function claimStateChange(tx: DomainContext, actor: Actor, account: Account): Promise<void> {
  assertTransaction(tx.db);
  authorize(actor, 'account.status', account);
  if (account.guid === actor.accountGuid) throw new DomainError(ErrorCode.Forbidden, 'An account cannot enable or disable itself');
  const decision = await hitRateLimitIn(tx.db, tx, `account-state:${account.guid}`, 1, STATE_CHANGE_WINDOW_MS, { businessTime: true });
  if (!decision.allowed) {
    throw rateLimited(decision.resetMs);
  }
}

/**
 * Suspends the account (read by the caller in this transaction) and every running service below it, as one
 * operation: the history rows share an operation id, which is how a lift finds what this suspended. Already
 * suspended or blocked accounts are left as they are; a cancelled account cannot be suspended.
 */
export async function suspendAccountTree(tx: DomainContext, actor: Actor, account: Account): Promise<StateChangeResult> {
  await claimStateChange(tx, actor, account);
  if (account.status === 'AccountCancelled') {
    throw new DomainError(ErrorCode.InvalidTransition, `Account ${account.accountNumber} is cancelled and cannot be disabled`);
  }
  const operationGuid = newGuid();
  const changes: StatusChange[] = [];
  for (const target of [account, ...(await subAccounts.liveDescendants(tx.db, account.path))]) {
    if (!RUNNING.includes(target.status) || !canTransition(target.status, 'AccountSuspended')) continue;
    changes.push(await changeStatus(tx.db, tx, actor, target, 'AccountSuspended', { operationGuid, reason: 'disabled' }));
  }
  return { account, changes };
}

/**
 * Lifts a suspension: the account, and the services below it that the same operation suspended, go back to
 * the status they had before, as the status history records it. A running account is left as it is; blocked
 * and cancelled accounts cannot be lifted here.
 */
export async function liftSuspension(tx: DomainContext, actor: Actor, account: Account): Promise<StateChangeResult> {
  await claimStateChange(tx, actor, account);
  if (RUNNING.includes(account.status)) return { account, changes: [] };
  if (account.status !== 'AccountSuspended') {
    throw new DomainError(ErrorCode.InvalidTransition, `Account ${account.accountNumber} is ${account.status} and cannot be enabled`);
  }
  const suspension = (await history.forAccount(tx.db, account.guid)).filter((r) => r.newStatus === 'AccountSuspended').at(-1);
  const previous = suspension?.oldStatus;
  if (!suspension || !previous || !canTransition('AccountSuspended', previous)) {
    throw new DomainError(ErrorCode.InvalidTransition, `Account ${account.accountNumber} has no earlier status to restore`);
  }
  const operationGuid = newGuid();
  const changes = [await changeStatus(tx.db, tx, actor, account, previous, { operationGuid, reason: 'enabled' })];
  // Each service below: its own latest suspension, all read at once; only those of the same operation are lifted.
  const latest = new Map<string, StatusChange>();
  for (const row of await history.intoStatusBelow(tx.db, account.path, 'AccountSuspended')) latest.set(row.accountGuid, row);
  for (const below of await subAccounts.liveDescendants(tx.db, account.path)) {
    const own = latest.get(below.guid);
    if (below.status !== 'AccountSuspended' || !own?.oldStatus || own.operationGuid !== suspension.operationGuid) continue;
    if (!canTransition('AccountSuspended', own.oldStatus)) continue;
    changes.push(await changeStatus(tx.db, tx, actor, below, own.oldStatus, { operationGuid, reason: 'enabled' }));
  }
  return { account, changes };
}

/** suspendAccountTree in a transaction of its own, for callers that name the account by guid. */
export async function disableAccount(ctx: DomainContext, actor: Actor, guid: string): Promise<StateChangeResult> {
  return transaction(ctx, async (tx) => suspendAccountTree(tx, actor, await visibleAccount(tx.db, actor, guid)));
}

/** liftSuspension in a transaction of its own, for callers that name the account by guid. */
export async function enableAccount(ctx: DomainContext, actor: Actor, guid: string): Promise<StateChangeResult> {
  return transaction(ctx, async (tx) => liftSuspension(tx, actor, await visibleAccount(tx.db, actor, guid)));
}
