import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { DomainError, ErrorCode, validationError, type FieldError } from './errors.js';
import { hasAction, type Actor } from './principal.js';
import { normalizeGuid } from './ids.js';
import { recordAudit } from './audit.js';
import type { Account, Page } from './account.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import * as usageRepo from '../store/repositories/service-usage.js';
import { toAccount } from '../store/repositories/accounts.js';
import { accountsByGuid } from '../store/repositories/status-search.js';
import { getAccountOfKind, relativesOf, type ServiceRelatives } from './customer-directory.js';

export type UsageCounters = import('../store/records.js').UsageCounters;

export const USAGE_COUNTERS = [
  'totalUsers',
  'proUsers',
  'guestUsers',
  'disabledUsers',
  'unregisteredUsers',
  'secureMessagingGateway',
  'secureMessagingPlus',
  'dataLeakPrevention',
  'secureLargeFiles',
  'secureForms',
  'messages',
  'attachments',
  'attachmentStorageBytes',
] as const satisfies readonly (keyof UsageCounters)[];

/**
 * How a month is made of its days: head counts and storage are levels, so the month reports the highest
 * day; messages, attachments and feature uses are flows, so the month reports their sum.
 */
const LEVEL_COUNTERS: ReadonlySet<keyof UsageCounters> = new Set([
  'totalUsers',
  'proUsers',
  'guestUsers',
  'disabledUsers',
  'unregisteredUsers',
  'attachmentStorageBytes',
]);

export type DailyUsage = import('../store/records.js').DailyUsage;

export type PeriodKind = 'daily' | 'monthly';

export interface UsagePeriod {
  kind: PeriodKind;
  /** First and last day (inclusive), YYYY-MM-DD. */
  firstDay: string;
  lastDay: string;
}

/** The day or calendar month (UTC) that contains `at`. */
export function usagePeriod(kind: PeriodKind, at: Date): UsagePeriod {
  const day = at.toISOString().slice(0, 10);
  if (kind === 'daily') return { kind, firstDay: day, lastDay: day };
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const last = new Date(0);
  last.setUTCFullYear(at.getUTCFullYear(), at.getUTCMonth() + 1, 0);
  return { kind, firstDay: `${day.slice(0, 7)}-01`, lastDay: last.toISOString().slice(0, 10) };
}

export function zeroUsage(): UsageCounters {
  return Object.fromEntries(USAGE_COUNTERS.map((k) => [k, 0])) as unknown as UsageCounters;
}

/** Combines days into one period's counters (see LEVEL_COUNTERS). */
export function aggregateUsage(days: UsageCounters[]): UsageCounters {
  const out = zeroUsage();
  for (const d of days) {
    for (const k of USAGE_COUNTERS) out[k] = LEVEL_COUNTERS.has(k) ? Math.max(out[k], d[k]) : out[k] + d[k];
  }
  return out;
}

/** One record of an import: the account by GUID, account number or account code, a day and any counters. */
export interface UsageRecordInput {
  account: string;
  day: string;
  counters: Partial<Record<keyof UsageCounters, unknown>>;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]00:?00)?)?$/;

function parseDay(raw: string): string | null {
  const m = DAY_RE.exec(raw.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  return d.toISOString().slice(0, 10) === day ? day : null;
}

const MAX_COUNTER = 9_007_199_254_740_991;

/**
 * Loads daily usage: every record is checked first and the whole import lands in one transaction, or
 * nothing does. A day already loaded for an account is replaced. Only operators import usage.
 */
export async function importDailyUsage(
  ctx: DomainContext,
  actor: Actor,
  records: UsageRecordInput[],
  /** Told as records are checked (how many, of how many): the CLI's progress bar. */
  onProgress?: (done: number, total: number) => void,
): Promise<{ imported: number; accounts: number }> {
  if (!actor.system) throw new DomainError(ErrorCode.Forbidden, 'Only an operator can import usage');
  const problems: FieldError[] = [];
  const rows: DailyUsage[] = [];
  const cache = new Map<string, Account | null>();
  for (const [i, r] of records.entries()) {
    onProgress?.(i, records.length);
    const where = `record ${i + 1}`;
    const key = String(r.account ?? '').trim();
    let account = cache.get(key);
    if (account === undefined) {
      const guid = normalizeGuid(key);
      account =
        (guid && (await accountsRepo.findBy(ctx.db, { guid }, '/'))) ||
        (/^\d+$/.test(key) && (await accountsRepo.findBy(ctx.db, { accountNumber: key }, '/'))) ||
        (key && (await accountsRepo.findBy(ctx.db, { accountCode: key.toUpperCase() }, '/'))) ||
        null;
      cache.set(key, account);
    }
    if (!account) {
      problems.push({ field: `${where}.account`, problem: 'unknown', message: `${where}: no live account "${key}"` });
      continue;
    }
    const day = parseDay(String(r.day ?? ''));
    if (!day) {
      problems.push({ field: `${where}.day`, problem: 'invalid', message: `${where}: day must be a date like 2026-03-01, got "${r.day ?? ''}"` });
      continue;
    }
    const counters = zeroUsage();
    for (const k of USAGE_COUNTERS) {
      const v = r.counters[k];
      if (v === undefined || v === null || v === '') continue;
      const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(String(v)) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n) || n < 0 || n > MAX_COUNTER) {
        problems.push({ field: `${where}.${k}`, problem: 'invalid', message: `${where}: ${k} must be a whole number of 0 or more, got "${v}"` });
      } else counters[k] = n;
    }
    rows.push({ accountGuid: account.guid, day, ...counters });
  }
  onProgress?.(records.length, records.length);
  if (problems.length) throw validationError(problems);
  // A later record for the same account and day wins, as a re-import would.
  const unique = new Map(rows.map((r) => [`${r.accountGuid}/${r.day}`, r]));
  const at = ctx.clock.now().toISOString();
  await inTransaction(ctx, async (trx) => {
    await usageRepo.upsert(trx, [...unique.values()], at);
    await recordAudit(trx, ctx, actor, {
      action: 'usage.import',
      entityType: 'usage',
      entityGuid: '',
      accountGuid: null,
      before: null,
      after: { records: unique.size, accounts: new Set(rows.map((r) => r.accountGuid)).size },
    });
  });
  return { imported: unique.size, accounts: new Set(rows.map((r) => r.accountGuid)).size };
}

export interface ServiceUsageView {
  account: Account;
  period: UsagePeriod;
  /** Null when no day of the period has usage loaded. */
  usage: UsageCounters | null;
  daysReported: number;
}

async function usageFor(ctx: DomainContext, accounts: Account[], period: UsagePeriod): Promise<ServiceUsageView[]> {
  const days = await usageRepo.forAccounts(ctx.db, accounts.map((a) => a.guid), period.firstDay, period.lastDay);
  return accounts.map((account) => {
    const mine = days.filter((d) => d.accountGuid === account.guid);
    return { account, period, usage: mine.length ? aggregateUsage(mine) : null, daysReported: mine.length };
  });
}

/** One service's usage for a day or month, with its reseller and partner. */
export async function serviceUsage(
  ctx: DomainContext,
  actor: Actor,
  accountGuid: string,
  period: UsagePeriod,
): Promise<ServiceUsageView & ServiceRelatives> {
  const { account, reseller, partner } = await getAccountOfKind(ctx, actor, accountGuid, 'customer');
  return { ...(await usageFor(ctx, [account], period))[0], reseller, partner };
}

export interface UsageSearch {
  accountGuid?: string;
  resellerGuid?: string;
  partnerGuid?: string;
  period: UsagePeriod;
  limit: number;
  offset: number;
}

/**
 * The services with usage in a period, within the actor's subtree and the optional filters, by name, each
 * with its reseller and partner. A filter naming an account the actor cannot see yields nothing rather
 * than an error, as any filter does.
 */
export async function searchUsage(ctx: DomainContext, actor: Actor, q: UsageSearch): Promise<Page<ServiceUsageView & ServiceRelatives>> {
  if (!hasAction(actor, 'account.read')) throw new DomainError(ErrorCode.Forbidden, 'Not authorized');
  const filters = [q.resellerGuid, q.partnerGuid].filter((g): g is string => !!g);
  const named = new Map((await accountsByGuid(ctx.db, filters)).map((r) => [r.guid, toAccount(r)]));
  const pathOf = (guid: string | undefined) => (guid ? named.get(guid)?.path ?? '/nothing/' : undefined);
  const { total, accounts } = await usageRepo.accountsWithUsage(ctx.db, {
    scopePath: actor.system ? '/' : actor.accountPath,
    accountGuid: q.accountGuid,
    resellerPath: pathOf(q.resellerGuid),
    partnerPath: pathOf(q.partnerGuid),
    fromDay: q.period.firstDay,
    toDay: q.period.lastDay,
    limit: q.limit,
    offset: q.offset,
  });
  const relatives = await relativesOf(ctx, accounts, named);
  const views = await usageFor(ctx, accounts, q.period);
  return { total, items: views.map((v) => ({ ...v, ...relatives.get(v.account.guid)! })) };
}
