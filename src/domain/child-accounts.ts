import type { DomainContext } from './context.js';
import { notFound } from './errors.js';
import { authorize, type Actor } from './principal.js';
import type { Account } from './account.js';
import * as subAccounts from '../store/repositories/sub-accounts.js';

/**
 * The actor's own sub-account (a direct child of its account) with exactly this reference number. Deeper
 * accounts and the actor's own account do not count, as Rackspace v1 documents for `?referenceNumber=`.
 * The actor's own account was loaded by its authentication and is not read again.
 */
export async function findSubAccountByReference(ctx: DomainContext, actor: Actor, referenceNumber: string): Promise<Account> {
  authorize(actor, 'account.read', { path: actor.accountPath });
  const account = referenceNumber === '' ? null : await subAccounts.findChildByReference(ctx.db, actor.accountGuid, referenceNumber);
  if (!account) throw notFound('account', 'Account not found');
  authorize(actor, 'account.read', account);
  return account;
}
