import type { FastifyRequest } from 'fastify';
import { MINUTE, wallTime } from '../../domain/clock.js';
import { DomainError, ErrorCode } from '../../domain/errors.js';
import { hitRateLimit } from '../../domain/limits.js';
import { credentialToVerify, evenOutRefusal, lookupByPublicId, openSecret } from '../../domain/credential.js';
import type { Actor } from '../../domain/principal.js';
import { hashMatches, parseSignatureHeader, timestampFresh } from './signature.js';
import { exceededRequestLimits } from './errors.js';

/**
 * The face's authentication, run once per request by the route pipeline: X-Api-Signature names the principal,
 * then the principal's rate window is counted. Every signature failure looks the same to the client (403,
 * "Authentication failed.") and takes the same work, so a caller cannot tell an unknown key from a wrong secret.
 */
export async function authenticate(request: FastifyRequest): Promise<Actor> {
  const ctx = request.server.domain;
  const config = request.server.config;
  const refused = () => new DomainError(ErrorCode.Unauthenticated, 'Authentication failed.');
  const parts = parseSignatureHeader(request.headers['x-api-signature']);
  if (!parts) throw refused();
  const policy = { maxAgeMs: config.rackspaceSignatureMaxAgeSeconds * 1000, anyZone: config.rackspaceSignatureAnyZone };
  if (!timestampFresh(parts.timestamp, wallTime(ctx.clock), policy)) throw refused();
  const found = await lookupByPublicId(ctx, 'rackspace', parts.userKey);
  // An unknown key is checked against a decoy, so it costs what a known key with a wrong hash costs.
  const userAgent = request.headers['user-agent'] ?? '';
  const matches = hashMatches(parts, userAgent, openSecret(ctx, credentialToVerify(ctx, 'rackspace', found)));
  if (found.status !== 'ok' || !matches) {
    await evenOutRefusal(ctx, 'rackspace', parts.userKey, found);
    throw refused();
  }
  await throttle(request, found.actor);
  return found.actor;
}

/**
 * Per principal (so across all of its keys) and per kind of call, where every server of the store counts
 * together (see hitRateLimit). Calls that fail later and calls refused here are counted too, as Rackspace does.
 */
async function throttle(request: FastifyRequest, actor: Actor): Promise<void> {
  const config = request.server.config;
  const write = request.method !== 'GET' && request.method !== 'HEAD';
  const limit = write ? config.rackspaceWritesPerMinute : config.rackspaceReadsPerMinute;
  if (limit <= 0) return;
  const decision = await hitRateLimit(request.server.domain, `rackspace:${write ? 'write' : 'read'}:${actor.guid}`, limit, MINUTE, { countRefused: true });
  if (!decision.allowed) throw exceededRequestLimits();
}
