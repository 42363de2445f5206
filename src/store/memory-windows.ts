import type { RateWindow, SavedWindow, WindowHit } from './repositories/rate.js';

interface Entry {
  times: number[];
  allowed: boolean;
  lastAt: number;
  /** When no hit counted now can matter any more: the entry can be forgotten. */
  until: number;
  /** Hit by this process since it was loaded: only these are saved back. */
  dirty: boolean;
}

const SWEEP_EVERY_MS = 10_000;

/**
 * Rate windows and replay ids in this process's memory, with the store's semantics (src/store/repositories/
 * rate.ts `hit`): for a server that is its store's only server (SQLite, see src/store/serve-lock.ts), where
 * no other process could count the same key. A hit is a few array operations instead of a write.
 * Entries whose window has passed are swept every ten seconds (of the clock that stamps the hits).
 */
export class MemoryWindows {
  readonly #entries = new Map<string, Entry>();
  #nextSweep = 0;

  /** The returned `times` is the entry's own array, valid until the key's next hit: read it, do not keep it. */
  hit(h: WindowHit): RateWindow {
    this.#sweep(h.now);
    const entry = this.#entries.get(h.key);
    if (!entry) {
      this.#entries.set(h.key, { times: [h.now], allowed: true, lastAt: h.now, until: h.now + h.windowMs, dirty: true });
      return { times: [h.now], allowed: true };
    }
    // `times` is kept in ascending order, so the hits still in the window are a suffix of it.
    const first = firstAfter(entry.times, h.now - h.windowMs);
    const allowed = entry.times.length - first < h.limit;
    if (allowed || h.countRefused) {
      entry.times.splice(0, first);
      insertInOrder(entry.times, h.now);
      if (entry.times.length > h.limit) entry.times.splice(0, entry.times.length - h.limit);
    }
    entry.allowed = allowed;
    entry.lastAt = h.now;
    entry.until = Math.max(entry.until, h.now + h.windowMs);
    entry.dirty = true;
    return { times: entry.times, allowed };
  }

  peek(key: string): RateWindow | null {
    const entry = this.#entries.get(key);
    return entry ? { times: [...entry.times], allowed: entry.allowed } : null;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Windows saved by an earlier run; each is kept `horizonMs` after its last hit (the longest window in use). */
  load(rows: SavedWindow[], horizonMs: number): void {
    for (const r of rows) {
      if (this.#entries.has(r.key)) continue;
      this.#entries.set(r.key, { times: r.times, allowed: r.allowed, lastAt: r.lastAt, until: r.lastAt + horizonMs, dirty: false });
    }
  }

  /** The windows hit since they were loaded and not yet over, to save when the server stops. */
  changed(now: number): SavedWindow[] {
    const out: SavedWindow[] = [];
    for (const [key, e] of this.#entries) {
      if (e.dirty && e.until > now) out.push({ key, times: e.times, allowed: e.allowed, lastAt: e.lastAt });
    }
    return out;
  }

  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + SWEEP_EVERY_MS;
    for (const [key, e] of this.#entries) if (e.until <= now) this.#entries.delete(key);
  }
}

/** The index of the first value greater than `bound` in an ascending array (its length when there is none). */
function firstAfter(times: number[], bound: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] > bound) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Inserts keeping ascending order; a hit is nearly always the newest, so this is nearly always a push. */
function insertInOrder(times: number[], t: number): void {
  let i = times.length;
  while (i > 0 && times[i - 1] > t) i--;
  times.splice(i, 0, t);
}
