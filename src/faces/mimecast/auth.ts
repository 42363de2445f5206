import { createHash, createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../domain/context.js';
import type { Config } from '../../config.js';
import type { Actor } from '../../domain/principal.js';
import { isRegisteredAppId, lookupByPublicId, openAppKey, openSecret, type Credential } from '../../domain/credential.js';
import { safeEqual } from '../../domain/secrets.js';
import { hitRateLimitAndClaim, peekRateLimit, type RateDecision } from '../../domain/limits.js';
import { wallTime } from '../../domain/clock.js';
import { FAILURES } from './errors.js';
import { parseMimecastDate } from './date.js';

/**
 * The face's one authentication hook: Mimecast's HMAC signature, then partnerhub's freshness, rate and
 * replay rules. Order matters: nothing about a key is revealed before its signature is checked, the rate
 * headers are sent only once the signature proves who is asking, and a request id is remembered only once
 * the request is known to be genuine, fresh and within its budget.
 */

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

export function setRateHeaders(reply: FastifyReply, rate: RateDecision): void {
  reply.header('X-RateLimit-Limit', String(rate.limit));
  reply.header('X-RateLimit-Remaining', String(rate.remaining));
  reply.header('X-RateLimit-Reset', String(rate.resetMs));
}

interface Signed {
  date: string;
  requestId: string;
  credential: Credential;
  actor: Actor;
}

/** The four headers, the application id and the signature: who is asking, or the refusal Mimecast sends. */
async function verifySignature(ctx: DomainContext, request: FastifyRequest): Promise<Signed> {
  const authorization = header(request, 'authorization');
  const date = header(request, 'x-mc-date');
  const requestId = header(request, 'x-mc-req-id');
  const appId = header(request, 'x-mc-app-id');
  if (!authorization || !date || !requestId || !appId) throw FAILURES.missingCredentials();

  const m = /^MC\s+([^:\s]+):(\S+)\s*$/i.exec(authorization);
  if (!m) throw FAILURES.invalidSignature();
  const [, accessKey, signature] = m;

  if (!(await isRegisteredAppId(ctx, appId))) throw FAILURES.unknownApp(appId);

  const lookup = await lookupByPublicId(ctx, 'mimecast', accessKey);
  if (lookup.status === 'unknown') throw FAILURES.invalidSignature();
  const credential = lookup.credential;
  // The signature covers the path as the client sent it, so one endpoint's signature does not open another.
  const path = request.url.split('?')[0];
  let expected: string;
  try {
    expected = createHmac('sha1', Buffer.from(openSecret(ctx, credential), 'base64'))
      .update(`${date}:${requestId}:${path}:${openAppKey(ctx, credential)}`, 'utf8')
      .digest('base64');
  } catch {
    // A credential whose secret cannot be opened (the sealing key changed) cannot sign anything.
    throw FAILURES.invalidSignature();
  }
  // The application id is part of what the key is bound to: another application's id does not verify.
  const appMatches = safeEqual(credential.appId ?? '', appId);
  const signatureMatches = safeEqual(expected, signature);
  if (!appMatches || !signatureMatches) throw FAILURES.invalidSignature();
  if (lookup.status === 'expired') throw FAILURES.bindingExpired();
  return { date, requestId, credential, actor: lookup.actor };
}

/** Authenticates one request (FaceDefinition.authenticate): the actor, with the rate headers set on every answer to a known user. */
export async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Actor> {
  const ctx = request.server.domain;
  const config: Config = request.server.config;
  const { date, requestId, credential, actor } = await verifySignature(ctx, request);

  // One budget per user, whichever of the user's keys signs.
  const rateKey = `mimecast:principal:${actor.guid}`;
  const sentAt = parseMimecastDate(date);
  if (sentAt === null || Math.abs(wallTime(ctx.clock).getTime() - sentAt) > config.mimecastDateWindowMs) {
    // The user is known, so the answer shows its budget; it does not spend it, or anyone replaying an old
    // captured request could use up the user's budget.
    setRateHeaders(reply, await peekRateLimit(ctx, rateKey, config.mimecastRateLimit, config.mimecastRateWindowMs));
    throw sentAt === null ? FAILURES.badDate() : FAILURES.staleDate(config.mimecastDateWindowMs);
  }

  // A request dated up to one window ahead stays fresh for two windows, so ids are remembered that long.
  // The id is hashed: it is the client's string, of any length, and the store indexes the key. The budget
  // is spent and the id claimed in one store statement; a refused request does not claim its id.
  const idHash = createHash('sha256').update(requestId.toLowerCase(), 'utf8').digest('hex');
  const { rate, firstUse } = await hitRateLimitAndClaim(
    ctx,
    { key: rateKey, limit: config.mimecastRateLimit, windowMs: config.mimecastRateWindowMs },
    { key: `mimecast:req:${credential.guid}:${idHash}`, windowMs: 2 * config.mimecastDateWindowMs },
  );
  setRateHeaders(reply, rate);
  // Refused before its id is claimed: the function did not run, so the client may retry the same request.
  if (!rate.allowed) throw FAILURES.rateLimited(rate.resetMs);
  if (!firstUse) throw FAILURES.replayed();
  return actor;
}
