import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import type { MemoryWindows } from '../store/memory-windows.js';
import * as rateRepo from '../store/repositories/rate.js';
import { wallTime } from './clock.js';

/**
 * Where rate windows live when not in the store: this process's memory (src/store/memory-windows.ts),
 * with the store's semantics. Only a server that is its store's only server may use it.
 */
export interface RateWindows {
  hit(h: rateRepo.WindowHit): rateRepo.RateWindow;
  peek(key: string): rateRepo.RateWindow | null;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the key's window closes and its budget is whole again. */
  resetMs: number;
}

export interface RateOptions {
  /** Count refused hits too (Rackspace counts throttled calls). */
  countRefused?: boolean;
  /**
   * Count in business time (the domain's rules, such as the 5-minute enable/disable window, which a
   * sandbox's test clock moves) instead of the real time clients' throttling is measured in (the default).
   */
  businessTime?: boolean;
}

const rateTime = (ctx: DomainContext, options: RateOptions) => (options.businessTime ? ctx.clock.now() : wallTime(ctx.clock)).getTime();

/**
 * A sliding-window counter kept in the store, so every server process sharing it agrees. An allowed
 * hit is counted; a refused one is counted only when `countRefused` is set (Rackspace counts throttled
 * calls). One upsert per hit and no transaction of its own; pruning old keys is a scheduled job. The one
 * server of a SQLite store keeps its windows in memory instead (`ctx.rateWindows`): no write at all.
 */
export async function hitRateLimit(
  ctx: DomainContext,
  key: string,
  limit: number,
  windowMs: number,
  options: RateOptions = {},
): Promise<RateDecision> {
  if (!ctx.rateWindows) return hitRateLimitIn(ctx.db, ctx, key, limit, windowMs, options);
  const now = rateTime(ctx, options);
  if (limit <= 0) return { allowed: false, limit, remaining: 0, resetMs: 0 };
  const window = ctx.rateWindows.hit({ key, now, windowMs, limit, countRefused: options.countRefused === true });
  return { ...standing(window.times, now, limit, windowMs), allowed: window.allowed };
}

/**
 * hitRateLimit on the caller's handle, always in the store. Inside a transaction the hit is kept only if
 * that transaction commits, so an operation that claims its window and then fails has not used it up; on
 * PostgreSQL the key's row stays locked until then.
 */
export async function hitRateLimitIn(
  db: Kysely<DB>,
  ctx: DomainContext,
  key: string,
  limit: number,
  windowMs: number,
  options: RateOptions = {},
): Promise<RateDecision> {
  const now = rateTime(ctx, options);
  if (limit <= 0) return { allowed: false, limit, remaining: 0, resetMs: 0 };
  const window = await rateRepo.hit(db, ctx.dialect, { key, now, windowMs, limit, countRefused: options.countRefused === true });
  return { ...standing(window.times, now, limit, windowMs), allowed: window.allowed };
}

/** Limit, remaining and the time until the oldest counted hit leaves the window (a slot frees up). */
function standing(times: number[], now: number, limit: number, windowMs: number): RateDecision {
  const inWindow = times.filter((t) => t > now - windowMs);
  const oldest = inWindow.length ? Math.min(...inWindow) : null;
  return {
    allowed: inWindow.length < limit,
    limit,
    remaining: Math.max(0, limit - inWindow.length),
    resetMs: oldest === null ? 0 : Math.max(0, oldest + windowMs - now),
  };
}

/**
 * A rate-limit hit and, only if it is allowed, a request id's claim (claimOnce), in one store statement on
 * PostgreSQL instead of two: the Mimecast hot path. `firstUse` is false for a replay and for a refused hit
 * (whose id is not claimed: the request did not run, so the client may send it again).
 */
export async function hitRateLimitAndClaim(
  ctx: DomainContext,
  rate: { key: string; limit: number; windowMs: number },
  once: { key: string; windowMs: number },
): Promise<{ rate: RateDecision; firstUse: boolean }> {
  const now = wallTime(ctx.clock).getTime();
  if (rate.limit <= 0) return { rate: { allowed: false, limit: rate.limit, remaining: 0, resetMs: 0 }, firstUse: false };
  const rateHit = { key: rate.key, now, windowMs: rate.windowMs, limit: rate.limit, countRefused: false };
  const onceHit = { key: `once:${once.key}`, now, windowMs: once.windowMs, limit: 1, countRefused: false };
  let window: rateRepo.RateWindow;
  let claimed: boolean | null;
  if (ctx.rateWindows) {
    window = ctx.rateWindows.hit(rateHit);
    claimed = window.allowed ? ctx.rateWindows.hit(onceHit).allowed : null;
  } else {
    ({ window, claimed } = await rateRepo.hitAndClaim(ctx.db, ctx.dialect, rateHit, onceHit));
  }
  return { rate: { ...standing(window.times, now, rate.limit, rate.windowMs), allowed: window.allowed }, firstUse: claimed === true };
}

/** Records that a request id was seen; false when it already was within the window (a replay). One upsert. */
export async function claimOnce(ctx: DomainContext, key: string, windowMs: number): Promise<boolean> {
  const decision = await hitRateLimit(ctx, `once:${key}`, 1, windowMs);
  return decision.allowed;
}

/** Where a key stands in its window, without counting anything: for answers to a known user that must not spend its budget. */
export async function peekRateLimit(ctx: DomainContext, key: string, limit: number, windowMs: number): Promise<RateDecision> {
  const window = ctx.rateWindows ? ctx.rateWindows.peek(key) : await rateRepo.peek(ctx.db, key);
  return standing(window?.times ?? [], wallTime(ctx.clock).getTime(), limit, windowMs);
}

/** Windows a sole server keeps in memory, read back from the store at start-up (what the last run saved). */
export async function restoreRateWindows(ctx: DomainContext, windows: MemoryWindows, horizonMs: number): Promise<void> {
  windows.load(await rateRepo.loadWindows(ctx.db, wallTime(ctx.clock).getTime() - horizonMs), horizonMs);
}

/**
 * Saves the windows a sole server kept in memory when it stops, so replay ids and budgets outlive a
 * restart. A server that crashes forgets them (see README, "One server per SQLite file").
 */
export async function saveRateWindows(ctx: DomainContext, windows: MemoryWindows): Promise<number> {
  const rows = windows.changed(wallTime(ctx.clock).getTime());
  if (rows.length) await inTransaction(ctx, (trx) => rateRepo.saveWindows(trx, ctx.dialect, rows));
  return rows.length;
}
