import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { ChangeFeed } from '../store/changes.js';
import type { Clock } from '../domain/clock.js';
import { getState, putState } from '../store/repositories/sandbox-state.js';

/**
 * The sandbox's test clock: the business time (trials, the 90-day cancellation, the 5-minute enable/disable
 * window, login-token expiry, billing periods, usage days) is the real time plus an offset, or stands still
 * at a frozen instant. The state lives in the store (`sandbox_state` row `clock`), so every process sharing
 * the store agrees. Each process keeps a copy and re-reads it only when the store's change feed says it may
 * have changed (PostgreSQL: the row's trigger notifies; SQLite: another connection's commit), so a request
 * costs no statement while nothing moves. `wall()` stays the real time: clients sign with it.
 */
export interface ClockState {
  /** Business time minus real time while running (ms). */
  offsetMs: number;
  /** The business time (epoch ms) while frozen; null while running. */
  frozenAt: number | null;
}

export const CLOCK_STATE = 'clock';
const REAL_TIME: ClockState = Object.freeze({ offsetMs: 0, frozenAt: null });

export class SandboxClock implements Clock {
  #state: ClockState = REAL_TIME;
  #stale = true;
  readonly #unsubscribe: () => void;

  constructor(
    /** The real time (the system clock; a test's manual clock). */
    readonly base: Clock,
    private readonly db: Kysely<DB>,
    private readonly feed: ChangeFeed,
  ) {
    this.#unsubscribe = feed.subscribe((change) => {
      if (change.table === 'all') this.#stale = true;
    });
  }

  now(): Date {
    const s = this.#state;
    return new Date(s.frozenAt ?? this.base.now().getTime() + s.offsetMs);
  }

  wall(): Date {
    return this.base.now();
  }

  get state(): ClockState {
    return this.#state;
  }

  /** Re-reads the state when it may have changed (or while changes could go unseen). */
  async refresh(force = false): Promise<void> {
    this.feed.sync();
    if (!force && !this.#stale && this.feed.live) return;
    this.#stale = false;
    this.#state = (await getState<ClockState>(this.db, CLOCK_STATE)) ?? REAL_TIME;
  }

  /** Stores a new state for every process (this one at once, the others through the change feed). */
  async store(state: ClockState): Promise<void> {
    await putState(this.db, CLOCK_STATE, state, this.base.now().toISOString());
    this.#state = { ...state };
  }

  /** The state that shows `at` as now, frozen or running as before (or as `frozen` says). */
  stateAt(at: number, frozen = this.#state.frozenAt !== null): ClockState {
    return frozen ? { offsetMs: 0, frozenAt: at } : { offsetMs: at - this.base.now().getTime(), frozenAt: null };
  }

  close(): void {
    this.#unsubscribe();
  }
}
