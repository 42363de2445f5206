import { createHash, createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { DomainContext } from '../../domain/context.js';
import type { Config } from '../../config.js';
import type { Actor } from '../../domain/principal.js';
import { isRegisteredAppId, lookupByPublicId, openAppKey, openSecret } from '../../domain/credential.js';
import { safeEqual } from '../../domain/secrets.js';
import { claimOnce, hitRateLimit, peekRateLimit, type RateDecision } from '../../domain/limits.js';
import { ERRORS, requestFailure, type McEnvelope } from './envelope.js';
import { parseMimecastDate } from './date.js';

export type AuthResult =
  | { ok: true; actor: Actor; rate: RateDecision }
  | { ok: false; status: number; body: McEnvelope; rate?: RateDecision };

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

const fail = (status: number, error: ReturnType<(typeof ERRORS)[keyof typeof ERRORS]>, rate?: RateDecision): AuthResult => ({
  ok: false,
  status,
  body: requestFailure(status, error),
  rate,
});

/**
 * Authenticates one request the way Mimecast does, then applies partnerhub's freshness, rate and replay
 * rules. Order matters: nothing about a key is revealed before its signature is checked, and a request
 * id is remembered only once the request is known to be genuine and fresh.
 */
export async function authenticate(ctx: DomainContext, config: Config, request: FastifyRequest, path: string): Promise<AuthResult> {
  const authorization = header(request, 'authorization');
  const date = header(request, 'x-mc-date');
  const requestId = header(request, 'x-mc-req-id');
  const appId = header(request, 'x-mc-app-id');
  if (!authorization || !date || !requestId || !appId) return fail(400, ERRORS.missingCredentials());

  const m = /^MC\s+([^:\s]+):(\S+)\s*$/i.exec(authorization);
  if (!m) return fail(401, ERRORS.invalidSignature());
  const [, accessKey, signature] = m;

  if (!(await isRegisteredAppId(ctx, appId))) return fail(200, ERRORS.unknownApp(appId));

  const lookup = await lookupByPublicId(ctx, 'mimecast', accessKey);
  if (lookup.status === 'unknown') return fail(401, ERRORS.invalidSignature());
  const credential = lookup.credential;
  let expected: string;
  try {
    expected = createHmac('sha1', Buffer.from(openSecret(ctx, credential), 'base64'))
      .update(`${date}:${requestId}:${path}:${openAppKey(ctx, credential)}`, 'utf8')
      .digest('base64');
  } catch {
    // A credential whose secret cannot be opened (the sealing key changed) cannot sign anything.
    return fail(401, ERRORS.invalidSignature());
  }
  // The application id is part of what the key is bound to: another application's id does not verify.
  const appMatches = safeEqual(credential.appId ?? '', appId);
  const signatureMatches = safeEqual(expected, signature);
  if (!appMatches || !signatureMatches) return fail(401, ERRORS.invalidSignature());
  if (lookup.status === 'expired') return fail(418, ERRORS.bindingExpired());
  const actor = lookup.actor;

  // One budget per user, whichever of the user's keys signs.
  const rateKey = `mimecast:principal:${actor.guid}`;

  const sentAt = parseMimecastDate(date);
  const now = ctx.clock.now().getTime();
  if (sentAt === null || Math.abs(now - sentAt) > config.mimecastDateWindowMs) {
    // The user is known, so the answer shows its budget; it does not spend it, or anyone replaying an old
    // captured request could use up the user's budget.
    const rate = await peekRateLimit(ctx, rateKey, config.mimecastRateLimit, config.mimecastRateWindowMs);
    return fail(401, sentAt === null ? ERRORS.badDate() : ERRORS.staleDate(config.mimecastDateWindowMs), rate);
  }

  const rate = await hitRateLimit(ctx, rateKey, config.mimecastRateLimit, config.mimecastRateWindowMs);

  // Refused before its id is claimed: the function did not run, so the client may retry the same request.
  if (!rate.allowed) return fail(429, ERRORS.rateLimited(rate.resetMs), rate);

  // A request dated up to one window ahead stays fresh for two windows, so ids are remembered that long.
  // The id is hashed: it is the client's string, of any length, and the store indexes the key.
  const idHash = createHash('sha256').update(requestId.toLowerCase(), 'utf8').digest('hex');
  const firstUse = await claimOnce(ctx, `mimecast:req:${credential.guid}:${idHash}`, 2 * config.mimecastDateWindowMs);
  if (!firstUse) return fail(401, ERRORS.replayed(), rate);

  return { ok: true, actor, rate };
}
