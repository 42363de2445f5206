import type { DomainContext } from '../domain/context.js';
import { DomainError, ErrorCode } from '../domain/errors.js';
import { catchUp } from '../domain/jobs.js';
import { DAY, HOUR, MINUTE } from '../domain/clock.js';
import type { SandboxClock } from './clock.js';

/**
 * Moving the test clock. Forward, every scheduled job runs at each instant where it falls due in between,
 * in time order (trial expiry on day 30, each month's billing run …), exactly as if the time had passed;
 * backward, nothing runs (what happened stays, as it would with a wall clock set back).
 */
export interface Duration {
  /** Calendar months (UTC): 2026-01-31 + 1mo is 2026-03-03, as Date.UTC rolls over. */
  months: number;
  ms: number;
}

const UNITS: Record<string, (n: number) => Duration> = {
  y: (n) => ({ months: 12 * n, ms: 0 }),
  mo: (n) => ({ months: n, ms: 0 }),
  w: (n) => ({ months: 0, ms: 7 * n * DAY }),
  d: (n) => ({ months: 0, ms: n * DAY }),
  h: (n) => ({ months: 0, ms: n * HOUR }),
  m: (n) => ({ months: 0, ms: n * MINUTE }),
  s: (n) => ({ months: 0, ms: n * 1000 }),
  ms: (n) => ({ months: 0, ms: n }),
};

/** `31d`, `2mo`, `1w`, `12h`, `90m`, `30s`, `500ms`, `1y`, or several together: `1d12h`. */
export function parseDuration(text: string): Duration {
  const t = text.trim().toLowerCase();
  const parts = [...t.matchAll(/(\d+)(ms|mo|y|w|d|h|m|s)/g)];
  if (!t || parts.map((p) => p[0]).join('') !== t) {
    throw new DomainError(ErrorCode.Validation, `not a duration: "${text}" (use e.g. 31d, 2mo, 1w, 12h, 90m, 30s, 1d12h)`);
  }
  return parts.reduce<Duration>(
    (sum, p) => {
      const d = UNITS[p[2]](Number(p[1]));
      return { months: sum.months + d.months, ms: sum.ms + d.ms };
    },
    { months: 0, ms: 0 },
  );
}

export function addDuration(at: Date, d: Duration): Date {
  const moved = new Date(at.getTime());
  if (d.months) moved.setUTCMonth(moved.getUTCMonth() + d.months);
  return new Date(moved.getTime() + d.ms);
}

export function parseInstant(text: string): Date {
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime())) throw new DomainError(ErrorCode.Validation, `not an ISO 8601 time: "${text}"`);
  return d;
}

export interface ClockView {
  now: string;
  frozen: boolean;
  offsetMs: number;
  /** The real time (what signatures are checked against). */
  wall: string;
}

export function viewClock(clock: SandboxClock): ClockView {
  const now = clock.now();
  const wall = clock.wall();
  return { now: now.toISOString(), frozen: clock.state.frozenAt !== null, offsetMs: now.getTime() - wall.getTime(), wall: wall.toISOString() };
}

export interface Travel extends ClockView {
  from: string;
  /** The instants scheduled jobs ran at, in order. */
  jobsRanAt: string[];
}

/** Moves the clock to `to`, running what falls due on the way (forward only). */
export async function travelTo(ctx: DomainContext, clock: SandboxClock, to: Date): Promise<Travel> {
  await clock.refresh(true);
  const from = clock.now();
  const ranAt = to > from ? await catchUp(ctx, from, to) : [];
  await clock.store(clock.stateAt(to.getTime()));
  return { from: from.toISOString(), jobsRanAt: ranAt.map((d) => d.toISOString()), ...viewClock(clock) };
}

export async function freeze(clock: SandboxClock, frozen: boolean): Promise<ClockView> {
  await clock.refresh(true);
  await clock.store(clock.stateAt(clock.now().getTime(), frozen));
  return viewClock(clock);
}

/** Back to the real time (no offset, running); runs nothing. */
export async function realTime(clock: SandboxClock): Promise<ClockView> {
  await clock.store({ offsetMs: 0, frozenAt: null });
  return viewClock(clock);
}
