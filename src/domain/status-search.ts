import type { DomainContext } from './context.js';
import { DomainError, ErrorCode } from './errors.js';
import { hasAction, type Actor } from './principal.js';
import type { Account, Page } from './account.js';
import type { StatusChange } from './status.js';
import type { DailyUsage } from './service-usage.js';
import { relativesIn, type ServiceRelatives } from './customer-directory.js';
import * as searchRepo from '../store/repositories/status-search.js';
import { toAccount } from '../store/repositories/accounts.js';

export type StatusChangeSearch = import('../store/records.js').StatusChangeSearch;

export interface StatusChangeView extends ServiceRelatives {
  change: StatusChange;
  /** The service as it is now (its name, code and domain); the change carries the user count of its time. */
  account: Account;
  /** Usage loaded for the service on the day of the change, if any. */
  usage: DailyUsage | null;
}

/**
 * The status history of the services (customer accounts) in the actor's subtree, newest first. Ordered
 * by the history's insertion sequence, so new changes only ever appear at the top and never reorder the
 * rows a client has already seen.
 */
export async function searchStatusChanges(ctx: DomainContext, actor: Actor, q: StatusChangeSearch): Promise<Page<StatusChangeView>> {
  if (!hasAction(actor, 'account.read')) throw new DomainError(ErrorCode.Forbidden, 'Not authorized');
  // Two statements whatever the page size: the page (with its total and each day's usage), then every
  // service, reseller and partner it names.
  const { total, rows } = await searchRepo.search(ctx.db, { ...q, scopePath: actor.system ? '/' : actor.accountPath });
  const named = new Set<string>();
  for (const { change } of rows) for (const g of [change.accountGuid, change.resellerGuid, change.partnerGuid]) if (g) named.add(g);
  const accounts = new Map((await searchRepo.accountsByGuid(ctx.db, [...named])).map((r) => [r.guid, toAccount(r)]));
  const items = rows.map(({ change, usage }) => {
    const account = accounts.get(change.accountGuid)!;
    return { change, account, ...relativesIn(account, accounts), usage };
  });
  return { total, items };
}
