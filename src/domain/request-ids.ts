import type { DomainContext } from './context.js';
import type { Job } from './jobs.js';
import { DAY, HOUR, wallTime } from './clock.js';
import * as rateRepo from '../store/repositories/rate.js';

/**
 * Request ids remembered for replay checks (claimOnce) are needed only while a request carrying them
 * could still be fresh. The longest configurable freshness window is one day either way, so after two
 * days (and an hour's margin) an id can be forgotten whatever the configuration. No rate window is
 * longer than that either (the Mimecast window is at most a day), so the same age forgets rate windows:
 * a window that is over counts as no window, so deleting it changes no decision.
 */
export const SEEN_ID_MAX_AGE_MS = 2 * DAY + HOUR;

/** Forgets replay ids and rate windows older than `maxAgeMs`, in batches, off the request path; returns how many went. */
export async function forgetOldRequestIds(ctx: DomainContext, maxAgeMs = SEEN_ID_MAX_AGE_MS): Promise<number> {
  // Throttling and replay ids count in real time, the enable/disable window in business time: keep what either still needs.
  const before = Math.min(ctx.clock.now().getTime(), wallTime(ctx.clock).getTime()) - maxAgeMs;
  let total = 0;
  for (;;) {
    const n = await rateRepo.pruneWindows(ctx.db, before, 5000);
    total += n;
    if (n < 5000) return total;
  }
}

export const forgetOldRequestIdsJob: Job = {
  name: 'forget-old-request-ids',
  leaseMs: 10 * 60_000,
  run: async (ctx) => void (await forgetOldRequestIds(ctx)),
};
