import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DomainContext } from './context.js';
import * as rateRepo from '../store/repositories/rate.js';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the key's window closes and its budget is whole again. */
  resetMs: number;
}

/**
 * A sliding-window counter kept in the store, so every server process sharing it agrees. An allowed
 * hit is counted; a refused one is counted only when `countRefused` is set (Rackspace counts throttled
 * calls). One upsert per hit and no transaction of its own; pruning old keys is a scheduled job.
 */
export async function hitRateLimit(
  ctx: DomainContext,
  key: string,
  limit: number,
  windowMs: number,
  options: { countRefused?: boolean } = {},
): Promise<RateDecision> {
  return hitRateLimitIn(ctx.db, ctx, key, limit, windowMs, options);
}

/**
 * hitRateLimit on the caller's handle. Inside a transaction the hit is kept only if that transaction
 * commits, so an operation that claims its window and then fails has not used it up; on PostgreSQL the
 * key's row stays locked until then.
 */
export async function hitRateLimitIn(
  db: Kysely<DB>,
  ctx: DomainContext,
  key: string,
  limit: number,
  windowMs: number,
  options: { countRefused?: boolean } = {},
): Promise<RateDecision> {
  const now = ctx.clock.now().getTime();
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

/** Records that a request id was seen; false when it already was within the window (a replay). One upsert. */
export async function claimOnce(ctx: DomainContext, key: string, windowMs: number): Promise<boolean> {
  const decision = await hitRateLimit(ctx, `once:${key}`, 1, windowMs);
  return decision.allowed;
}

/** Where a key stands in its window, without counting anything: for answers to a known user that must not spend its budget. */
export async function peekRateLimit(ctx: DomainContext, key: string, limit: number, windowMs: number): Promise<RateDecision> {
  const window = await rateRepo.peek(ctx.db, key);
  return standing(window?.times ?? [], ctx.clock.now().getTime(), limit, windowMs);
}
