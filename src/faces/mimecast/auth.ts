import { createHash, createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../domain/context.js';
import type { Config } from '../../config.js';
import type { Actor } from '../../domain/principal.js';
import { credentialToVerify, evenOutRefusal, isRegisteredAppId, lookupByPublicId, openAppKey, openSecret, type Credential } from '../../domain/credential.js';
import { safeEqual } from '../../domain/secrets.js';
import { hitRateLimit, hitRateLimitAndClaim, peekRateLimit, type RateDecision } from '../../domain/limits.js';
import { lookupAccessToken } from '../../domain/access-token.js';
import { wallTime } from '../../domain/clock.js';
import { FAILURES } from './errors.js';
import { parseMimecastDate } from './date.js';

/**
 * The face's one authentication hook: Mimecast's HMAC signature, then partnerhub's freshness, rate and
 * replay rules. Order matters: nothing about a key is revealed before its signature is checked, the rate
 * headers are sent only once the signature proves who is asking, and a request id is remembered only once
 * the request is known to be genuine, fresh and within its budget. API 2.0's bearer tokens (from
 * `POST /oauth/token`) are the other way in: one cached lookup, then the same budget.
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
  // An unknown key is checked against a decoy, so it costs what a known key with a wrong signature costs.
  const credential = credentialToVerify(ctx, 'mimecast', lookup);
  // The signature covers the path as the client sent it, so one endpoint's signature does not open another.
  const path = request.url.split('?')[0];
  let expected: string;
  try {
    expected = createHmac('sha1', Buffer.from(openSecret(ctx, credential), 'base64'))
      .update(`${date}:${requestId}:${path}:${openAppKey(ctx, credential)}`, 'utf8')
      .digest('base64');
  } catch {
    // A credential whose secret cannot be opened (the sealing key changed) cannot sign anything.
    expected = '';
  }
  // The application id is part of what the key is bound to: another application's id does not verify.
  const appMatches = safeEqual(credential.appId ?? '', appId);
  const signatureMatches = expected !== '' && safeEqual(expected, signature);
  const verified = lookup.status !== 'unknown' && appMatches && signatureMatches;
  if (!verified || lookup.status === 'expired') await evenOutRefusal(ctx, 'mimecast', accessKey, lookup);
  if (!verified) throw FAILURES.invalidSignature();
  if (lookup.status === 'expired') throw FAILURES.bindingExpired();
  return { date, requestId, credential, actor: lookup.actor };
}

/** One budget per user, whichever of the user's keys or tokens is used. */
const rateKeyOf = (actor: Actor) => `mimecast:principal:${actor.guid}`;

/** `Authorization: Bearer <token>`: the token, '' when the scheme comes without one, undefined for any other scheme. */
function bearerToken(request: FastifyRequest): string | undefined {
  const m = /^Bearer(?:\s+(\S*))?\s*$/i.exec(header(request, 'authorization') ?? '');
  return m ? (m[1] ?? '') : undefined;
}

/**
 * API 2.0: the token's credential, read with its principal and account in one cached lookup, then the
 * user's budget. No date, request id or replay rule: a bearer request carries none of them.
 */
async function authenticateBearer(request: FastifyRequest, reply: FastifyReply, token: string): Promise<Actor> {
  const ctx = request.server.domain;
  const config: Config = request.server.config;
  const lookup = token === '' ? { status: 'unknown' as const } : await lookupAccessToken(ctx, token);
  if (lookup.status === 'token_expired') throw FAILURES.expiredToken();
  if (lookup.status !== 'ok') throw FAILURES.invalidToken();
  const rate = await hitRateLimit(ctx, rateKeyOf(lookup.actor), config.mimecastRateLimit, config.mimecastRateWindowMs);
  setRateHeaders(reply, rate);
  if (!rate.allowed) throw FAILURES.rateLimited(rate.resetMs);
  return lookup.actor;
}

/** Authenticates one request (FaceDefinition.authenticate): the actor, with the rate headers set on every answer to a known user. */
export async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Actor> {
  const token = bearerToken(request);
  if (token !== undefined) return authenticateBearer(request, reply, token);
  const ctx = request.server.domain;
  const config: Config = request.server.config;
  const { date, requestId, credential, actor } = await verifySignature(ctx, request);

  const rateKey = rateKeyOf(actor);
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
