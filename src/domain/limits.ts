import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DomainContext } from './context.js';
import * as rateRepo from '../store/repositories/rate.js';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the oldest counted event leaves the window (a slot frees up). */
  resetMs: number;
}

/**
 * A sliding-window counter kept in the store, so every server process sharing it agrees. An allowed
 * hit is counted; a refused one is counted only when `countRefused` is set (Rackspace counts throttled calls).
 */
export async function hitRateLimit(
  ctx: DomainContext,
  key: string,
  limit: number,
  windowMs: number,
  options: { countRefused?: boolean } = {},
): Promise<RateDecision> {
  return ctx.db.transaction().execute((trx) => hitRateLimitIn(trx, ctx, key, limit, windowMs, options));
}

/**
 * hitRateLimit inside the caller's transaction: the hit is kept only if that transaction commits, so an
 * operation that claims its window and then fails has not used it up. The key stays locked until then.
 */
export async function hitRateLimitIn(
  trx: Kysely<DB>,
  ctx: DomainContext,
  key: string,
  limit: number,
  windowMs: number,
  options: { countRefused?: boolean } = {},
): Promise<RateDecision> {
  const now = ctx.clock.now().getTime();
  await rateRepo.lockKey(trx, ctx.dialect, key);
  await rateRepo.prune(trx, key, now - windowMs);
  const events = await rateRepo.window(trx, key, now - windowMs);
  const allowed = events.count < limit;
  if (allowed || options.countRefused) await rateRepo.record(trx, key, now);
  const used = events.count + (allowed || options.countRefused ? 1 : 0);
  const oldest = events.oldest ?? now;
  return {
    allowed,
    limit,
    remaining: Math.max(0, limit - used),
    resetMs: Math.max(0, oldest + windowMs - now),
  };
}

/** Records that a request id was seen; false when it already was within the window (a replay). */
export async function claimOnce(ctx: DomainContext, key: string, windowMs: number): Promise<boolean> {
  const decision = await hitRateLimit(ctx, `once:${key}`, 1, windowMs);
  return decision.allowed;
}

/** Where a key stands in its window, without counting anything: for answers to a known user that must not spend its budget. */
export async function peekRateLimit(ctx: DomainContext, key: string, limit: number, windowMs: number): Promise<RateDecision> {
  const now = ctx.clock.now().getTime();
  const events = await rateRepo.window(ctx.db, key, now - windowMs);
  return {
    allowed: events.count < limit,
    limit,
    remaining: Math.max(0, limit - events.count),
    resetMs: events.oldest === null ? 0 : Math.max(0, events.oldest + windowMs - now),
  };
}
