import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DomainContext } from './context.js';
import { assertTransaction, inTransaction } from './context.js';
import { validationError, notFound } from './errors.js';
import { authorize, type Actor } from './principal.js';
import type { Account } from './account.js';
import { recordAudit } from './audit.js';
import { lockAccount } from '../store/repositories/account-lock.js';
import * as usageRepo from '../store/repositories/usage.js';
import * as accountsRepo from '../store/repositories/accounts.js';

export type UserCountChange = import('../store/records.js').UserCountChange;

export const USER_COUNT_MAX = 10_000_000;

function checkCount(n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > USER_COUNT_MAX) {
    throw validationError([{ field: 'userCount', problem: 'invalid', message: `userCount must be a whole number from 0 to ${USER_COUNT_MAX}` }]);
  }
}

/**
 * THE way an account's number of users changes: writes the new count, a dated history row (what billing
 * prorates upgrades from) and an audit entry, in the caller's transaction. The caller authorizes (like
 * changeStatus). The account row is locked and its count re-read first, so two concurrent changes each
 * record the count they really replaced. Returns the account with its new count (the object passed in is
 * updated too). Setting the count it already has records nothing.
 */
export async function changeUserCount(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, account: Account, newCount: number): Promise<Account> {
  checkCount(newCount);
  await lockAccount(trx, ctx.dialect, account.guid);
  const current = await usageRepo.currentCount(trx, account.guid);
  if (current === null) throw notFound('account', 'Account not found');
  return write(trx, ctx, actor, account, current, newCount);
}

/**
 * changeUserCount for a caller that loaded the account under its lock in this same transaction
 * (lockLiveAccount): the count it holds is the stored one, so neither the lock nor the count is taken again.
 */
export async function changeLockedUserCount(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, locked: Account, newCount: number): Promise<Account> {
  checkCount(newCount);
  return write(trx, ctx, actor, locked, locked.userCount, newCount);
}

/**
 * Adds `delta` (negative to remove users) to the count as it is in the store at the moment of the change,
 * so concurrent deltas (Mimecast's numberOfUsers adjustments) never lose one another. Refuses a result
 * below zero.
 */
export async function adjustUserCount(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, account: Account, delta: number): Promise<Account> {
  if (!Number.isInteger(delta)) {
    throw validationError([{ field: 'userCount', problem: 'invalid', message: 'a user count change must be a whole number' }]);
  }
  await lockAccount(trx, ctx.dialect, account.guid);
  const current = await usageRepo.currentCount(trx, account.guid);
  if (current === null) throw notFound('account', 'Account not found');
  const next = current + delta;
  if (next < 0) {
    throw validationError([{ field: 'userCount', problem: 'invalid', message: `the account has ${current} users; it cannot lose ${-delta}` }]);
  }
  checkCount(next);
  return write(trx, ctx, actor, account, current, next);
}

async function write(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, account: Account, current: number, next: number): Promise<Account> {
  account.userCount = current;
  if (current === next) return account;
  // The count read under the lock is current only inside that lock's transaction.
  assertTransaction(trx);
  const at = ctx.clock.now().toISOString();
  await usageRepo.setCount(trx, account.guid, next, at);
  await usageRepo.insert(trx, { accountGuid: account.guid, changedAt: at, oldCount: current, newCount: next, changedByGuid: actor.guid });
  await recordAudit(trx, ctx, actor, {
    action: 'account.user_count',
    entityType: 'account',
    entityGuid: account.guid,
    accountGuid: account.guid,
    before: { userCount: current },
    after: { userCount: next },
  });
  account.userCount = next;
  account.updatedAt = at;
  return account;
}

/** For operators and callers outside a transaction: authorizes account.update, then changes the count. */
export async function setUserCount(ctx: DomainContext, actor: Actor, accountGuid: string, newCount: number): Promise<Account> {
  return inTransaction(ctx, async (trx) => {
    const account = await accountsRepo.findByGuid(trx, accountGuid);
    if (!account || account.deletedAt) throw notFound('account', 'Account not found');
    authorize(actor, 'account.update', account);
    return changeUserCount(trx, ctx, actor, account, newCount);
  });
}

/**
 * The number of users an account had at `at`: the old count of the first change after it, or the current
 * count when nothing changed since. Correct because every change goes through changeUserCount.
 */
export async function userCountAt(db: Kysely<DB>, account: Pick<Account, 'guid' | 'userCount'>, at: string): Promise<number> {
  const next = await usageRepo.firstAfter(db, account.guid, at);
  return next ? next.oldCount : account.userCount;
}

/** Changes with from <= changedAt < to, oldest first. */
export async function userCountChanges(db: Kysely<DB>, accountGuid: string, from: string, to: string): Promise<UserCountChange[]> {
  return usageRepo.between(db, accountGuid, from, to);
}

/** userCountAt for several accounts in one read: guid → the number of users it had at `at`. */
export async function userCountsAt(db: Kysely<DB>, accounts: readonly Pick<Account, 'guid' | 'userCount'>[], at: string): Promise<Map<string, number>> {
  const before = await usageRepo.firstOldCountsAfter(
    db,
    accounts.map((a) => a.guid),
    at,
  );
  return new Map(accounts.map((a) => [a.guid, before.get(a.guid) ?? a.userCount]));
}

/** userCountChanges for several accounts in one read: guid → its changes, oldest first (absent: none). */
export async function userCountChangesOf(db: Kysely<DB>, accountGuids: readonly string[], from: string, to: string): Promise<Map<string, UserCountChange[]>> {
  return usageRepo.betweenForAccounts(db, accountGuids, from, to);
}
