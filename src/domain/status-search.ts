import type { DomainContext } from './context.js';
import { DomainError, ErrorCode } from './errors.js';
import { hasAction, type Actor } from './principal.js';
import type { Account, Page } from './account.js';
import type { StatusChange } from './status.js';
import type { DailyUsage } from './service-usage.js';
import { usageOnDays } from './service-usage.js';
import { relativesOf, type ServiceRelatives } from './service.js';
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
  const { total, changes } = await searchRepo.search(ctx.db, { ...q, scopePath: actor.system ? '/' : actor.accountPath });
  const accounts = new Map(
    (await searchRepo.accountsByGuid(ctx.db, [...new Set(changes.map((c) => c.accountGuid))])).map((r) => [r.guid, toAccount(r)]),
  );
  const relatives = await relativesOf(ctx, [...accounts.values()]);
  const usage = await usageOnDays(
    ctx,
    changes.map((c) => ({ accountGuid: c.accountGuid, day: c.changedAt.slice(0, 10) })),
  );
  const items = changes.map((change) => {
    const account = accounts.get(change.accountGuid)!;
    const rel = relatives.get(account.guid) ?? { reseller: null, partner: null };
    return {
      change,
      account,
      reseller: rel.reseller,
      partner: rel.partner,
      usage: usage.find((u) => u.accountGuid === change.accountGuid && u.day === change.changedAt.slice(0, 10)) ?? null,
    };
  });
  return { total, items };
}
