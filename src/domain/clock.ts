/** Time source for the domain. The domain never reads the wall clock itself, so tests and sandbox users can move time. */
export interface Clock {
  now(): Date;
  /**
   * The real time, where a sandbox's test clock moves `now`: what clients sign with (Mimecast `x-mc-date`,
   * Rackspace timestamps) and what request throttling counts in. Absent: the same as `now`.
   */
  wall?(): Date;
  /** Catches up with a clock kept in the store (the sandbox's test clock); called before a request or a scheduler tick. */
  refresh?(): Promise<void>;
}

/** The time clients' own clocks show: signature freshness and throttling use it, never a moved test clock. */
export function wallTime(clock: Clock): Date {
  return clock.wall ? clock.wall() : clock.now();
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved: for tests, the demo's simulated timeline and sandbox time travel. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string | number = '2026-01-01T00:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string | number): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function iso(d: Date): string {
  return d.toISOString();
}
