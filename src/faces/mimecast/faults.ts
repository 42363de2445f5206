import type { FaultAnswers } from '../../http/route.js';
import { setRateHeaders } from './auth.js';
import { FAILURES, statusFailure } from './errors.js';

/**
 * A sandbox fault rule's answers, through the face's error map. Throttling is the rate limiter's own answer:
 * the rate headers of a spent budget (the window's length until it is whole again, unless the rule says)
 * and the 429 the face sends when a user is over its limit.
 */
export const faultAnswers: FaultAnswers = {
  throttled(request, reply, retryAfterMs) {
    const config = request.server.config;
    const resetMs = retryAfterMs ?? config.mimecastRateWindowMs;
    setRateHeaders(reply, { allowed: false, limit: config.mimecastRateLimit, remaining: 0, resetMs });
    return FAILURES.rateLimited(resetMs);
  },
  failure: statusFailure,
};
