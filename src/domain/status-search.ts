import type { DomainContext } from './context.js';
import { DomainError, ErrorCode } from './errors.js';
import { hasAction, type Actor } from './principal.js';
import type { Account, Page } from './account.js';
import { ancestry, type StatusChange } from './status.js';
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
  const query = await narrowed(ctx, actor, q);
  if (!query) return { total: 0, items: [] };
  // Three statements whatever the page size: the total, the page (with each day's usage), then every
  // service, reseller and partner it names.
  const { total, rows } = await searchRepo.search(ctx.db, ctx.dialect, query);
  const named = new Set<string>();
  for (const { change } of rows) for (const g of [change.accountGuid, change.resellerGuid, change.partnerGuid]) if (g) named.add(g);
  const accounts = new Map((await searchRepo.accountsByGuid(ctx.db, [...named])).map((r) => [r.guid, toAccount(r)]));
  const items = rows.map(({ change, usage }) => {
    const account = accounts.get(change.accountGuid)!;
    return { change, account, ...relativesIn(account, accounts), usage };
  });
  return { total, items };
}

/**
 * The search as conditions on the history's own columns: what the actor may see (its partner's, its
 * reseller's or its own service's rows — an account's path never changes, so each history row names the
 * partner and reseller its service has) joined with the filters; null when the two cannot both hold.
 * A partner-wide search for one reseller becomes a search by the reseller alone once the reseller is
 * known to be the partner's, so it is served by the reseller's counts and index.
 */
async function narrowed(ctx: DomainContext, actor: Actor, q: StatusChangeSearch): Promise<searchRepo.StatusChangeQuery | null> {
  const seen = visibleTo(actor);
  const both = (a?: string, b?: string) => (a && b && a !== b ? null : (a ?? b));
  const partnerGuid = both(seen.partnerGuid, q.partnerGuid);
  const resellerGuid = both(seen.resellerGuid, q.resellerGuid);
  const accountGuid = both(seen.accountGuid, q.accountGuid);
  if (partnerGuid === null || resellerGuid === null || accountGuid === null) return null;
  const query: searchRepo.StatusChangeQuery = { ...q, partnerGuid, resellerGuid, accountGuid, resellerOrAccountGuid: seen.resellerOrAccountGuid };
  if (partnerGuid && resellerGuid) {
    const [reseller] = await searchRepo.accountsByGuid(ctx.db, [resellerGuid]);
    if (reseller && ancestry(toAccount(reseller)).partnerGuid !== partnerGuid) return null;
    if (reseller) query.partnerGuid = undefined;
  }
  return query;
}

function visibleTo(actor: Actor): Pick<searchRepo.StatusChangeQuery, 'partnerGuid' | 'resellerGuid' | 'accountGuid' | 'resellerOrAccountGuid'> {
  const [partner, second, third] = actor.system ? [] : actor.accountPath.split('/').filter(Boolean);
  if (third) return { accountGuid: third };
  if (!second) return partner ? { partnerGuid: partner } : {};
  if (actor.accountKind === 'reseller') return { resellerGuid: second };
  if (actor.accountKind === 'customer') return { accountGuid: second };
  return { partnerGuid: partner, resellerOrAccountGuid: second };
}
