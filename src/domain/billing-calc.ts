import { chargeCents, monthsHundredths } from './money.js';
import type { ServiceStatus } from './status.js';
import type { UserCountChange } from './usage.js';

/**
 * Pure billing arithmetic, separate from the store so it can be checked line by line.
 *
 * Model (documented in docs/billing.md): a period is a calendar month in UTC, billed after it ends. For each
 * stretch of the month in which the account was billable, each product gets one Renewal line for the users
 * the account had when the stretch began, for the stretch's share of the month; every rise above the
 * highest count billed so far in that stretch gets an Upgrade line for the added users from the moment of
 * the rise to the end of the stretch. Decreases are never credited within the month (the committed usage
 * holds until the next period).
 */

/** Only a paid, in-service account is billed: trials, demos and suspended, blocked or cancelled services are not. */
export const BILLABLE_STATUSES: readonly ServiceStatus[] = ['CertifiedSecure'];

export type LineType = 'Renewal' | 'Upgrade';

export interface Period {
  /** YYYY-MM */
  name: string;
  start: number;
  end: number;
}

export function parsePeriod(name: string): Period | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(name);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  if (y < 1970 || y > 9998) return null;
  return { name, start: Date.UTC(y, mo, 1), end: Date.UTC(y, mo + 1, 1) };
}

/** The calendar month (UTC) before the one holding `at`. */
export function previousPeriod(at: Date): Period {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
  return parsePeriod(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`)!;
}

export interface StatusPoint {
  at: number;
  status: ServiceStatus;
}

/**
 * The stretches [start, end) of the period in which the status was billable. `statusAtStart` is the
 * status in force when the period began (null when the account did not exist yet); `changes` are the
 * status changes inside the period, oldest first.
 */
export function billableIntervals(period: Period, statusAtStart: ServiceStatus | null, changes: StatusPoint[]): [number, number][] {
  const out: [number, number][] = [];
  let openedAt: number | null = statusAtStart && BILLABLE_STATUSES.includes(statusAtStart) ? period.start : null;
  for (const c of changes) {
    if (c.at < period.start || c.at >= period.end) continue;
    const billable = BILLABLE_STATUSES.includes(c.status);
    if (billable && openedAt === null) openedAt = c.at;
    else if (!billable && openedAt !== null) {
      if (c.at > openedAt) out.push([openedAt, c.at]);
      openedAt = null;
    }
  }
  if (openedAt !== null && period.end > openedAt) out.push([openedAt, period.end]);
  return out;
}

export interface UsageLine {
  type: LineType;
  start: number;
  /** Exclusive end of the billed stretch. */
  end: number;
  committedUsage: number;
  currentUsage: number;
  usageChange: number;
  monthsHundredths: number;
}

/**
 * Renewal and Upgrade usage for one account: `countAt(t)` is the number of users at t; `changes` are the
 * user-count changes inside the period, oldest first.
 */
export function usageLines(period: Period, intervals: [number, number][], countAt: (t: number) => number, changes: Pick<UserCountChange, 'changedAt' | 'newCount'>[]): UsageLine[] {
  const periodMs = period.end - period.start;
  const lines: UsageLine[] = [];
  for (const [a, b] of intervals) {
    const level = countAt(a);
    lines.push({ type: 'Renewal', start: a, end: b, committedUsage: level, currentUsage: level, usageChange: level, monthsHundredths: monthsHundredths(b - a, periodMs) });
    let committed = level;
    for (const c of changes) {
      const t = Date.parse(c.changedAt);
      if (t <= a || t >= b) continue;
      if (c.newCount > committed) {
        lines.push({
          type: 'Upgrade',
          start: t,
          end: b,
          committedUsage: committed,
          currentUsage: c.newCount,
          usageChange: c.newCount - committed,
          monthsHundredths: monthsHundredths(b - t, periodMs),
        });
        committed = c.newCount;
      }
    }
  }
  return lines;
}

export function lineCharge(rate: string, line: Pick<UsageLine, 'usageChange' | 'monthsHundredths'>): bigint {
  return chargeCents(rate, line.usageChange, line.monthsHundredths);
}
