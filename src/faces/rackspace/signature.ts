import { createHash } from 'node:crypto';
import { HOUR, MINUTE } from '../../domain/clock.js';
import { safeEqual } from '../../domain/secrets.js';

/** The parts of an `X-Api-Signature: userKey:timestamp:hash` header. */
export interface SignatureParts {
  userKey: string;
  /** yyyyMMddHHmmss, exactly as sent: the hash covers this text. */
  timestamp: string;
  hash: string;
}

/**
 * Splits the header. Clients add whitespace around the parts and Ruby's Base64.encode64 leaves a
 * newline after the hash, so surrounding whitespace is dropped; anything else malformed is refused.
 */
export function parseSignatureHeader(header: unknown): SignatureParts | null {
  if (typeof header !== 'string') return null;
  const m = /^\s*([^:\s]+)\s*:\s*(\d{14})\s*:\s*(\S+)\s*$/.exec(header);
  if (!m) return null;
  return { userKey: m[1], timestamp: m[2], hash: m[3] };
}

/** base64(SHA1(userKey + userAgent + timestamp + secretKey)): the binary digest, 28 characters. */
export function signatureHash(userKey: string, userAgent: string, timestamp: string, secretKey: string): string {
  return createHash('sha1').update(userKey + userAgent + timestamp + secretKey, 'utf8').digest('base64');
}

/** Constant-time check of a presented hash against the one the secret gives. */
export function hashMatches(parts: SignatureParts, userAgent: string, secretKey: string): boolean {
  return safeEqual(signatureHash(parts.userKey, userAgent, parts.timestamp, secretKey), parts.hash);
}

/** The timestamp read as if it were UTC, in epoch milliseconds; null when it is not a real date and time. */
export function timestampMillis(timestamp: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(timestamp);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) {
    return null;
  }
  return t;
}

export interface FreshnessPolicy {
  /** How long after its timestamp a signature may still be used (clients sign once per session). */
  maxAgeMs: number;
  /** Timestamps may be in any local zone, UTC-12 to UTC+14, rather than only UTC. */
  anyZone: boolean;
}

/** Tolerated difference between the client's and the server's clocks. */
export const CLOCK_SKEW_MS = 5 * MINUTE;
/** The earliest and latest zones in use: a local timestamp is at most this far behind or ahead of UTC. */
const ZONE_BEHIND_MS = 12 * HOUR;
const ZONE_AHEAD_MS = 14 * HOUR;

/**
 * Whether a signature's timestamp is acceptable now. A local-time timestamp written at real time S reads
 * as S + offset, offset in [-12h, +14h]; a reused signature was written up to maxAge ago. So the window is
 * [now - maxAge - 12h - skew, now + 14h + skew] with zones, [now - maxAge - skew, now + skew] without.
 */
export function timestampFresh(timestamp: string, now: Date, policy: FreshnessPolicy): boolean {
  const t = timestampMillis(timestamp);
  if (t === null) return false;
  const n = now.getTime();
  const earliest = n - policy.maxAgeMs - CLOCK_SKEW_MS - (policy.anyZone ? ZONE_BEHIND_MS : 0);
  const latest = n + CLOCK_SKEW_MS + (policy.anyZone ? ZONE_AHEAD_MS : 0);
  return t >= earliest && t <= latest;
}
