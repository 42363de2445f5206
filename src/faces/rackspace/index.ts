import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { MINUTE } from '../../domain/clock.js';
import { hitRateLimit } from '../../domain/limits.js';
import { lookupByPublicId, openSecret } from '../../domain/credential.js';
import { hashMatches, parseSignatureHeader, timestampFresh } from './signature.js';
import { badRequest, EXCEEDED_LIMITS, RackspaceFault, sendFault, toV0Fault, unauthorized } from './faults.js';
import { registerCustomerRoutes, type Version } from './customers.js';
import { v2Context } from './v2.js';
import { setScopeErrorHandler } from '../../http/framework-errors.js';

/**
 * Checks X-Api-Signature and names the principal. Every failure looks the same to the client (403,
 * "Authentication failed."), so a caller cannot tell an unknown key from a wrong secret.
 */
async function authenticate(request: FastifyRequest): Promise<void> {
  const ctx = request.server.domain;
  const config = request.server.config;
  const parts = parseSignatureHeader(request.headers['x-api-signature']);
  if (!parts) throw unauthorized();
  const policy = { maxAgeMs: config.rackspaceSignatureMaxAgeSeconds * 1000, anyZone: config.rackspaceSignatureAnyZone };
  if (!timestampFresh(parts.timestamp, ctx.clock.now(), policy)) throw unauthorized();
  const found = await lookupByPublicId(ctx, 'rackspace', parts.userKey);
  if (found.status !== 'ok') throw unauthorized();
  const userAgent = request.headers['user-agent'] ?? '';
  if (!hashMatches(parts, userAgent, openSecret(ctx, found.credential))) throw unauthorized();
  request.rackspaceActor = found.actor;
}

/**
 * Per principal (so across all of its keys) and per kind of call, in the store so every process counts
 * together. Calls that fail later and calls refused here are counted too, as Rackspace does.
 */
async function throttle(request: FastifyRequest): Promise<void> {
  const actor = request.rackspaceActor;
  if (!actor) return;
  const config = request.server.config;
  const write = request.method !== 'GET' && request.method !== 'HEAD';
  const limit = write ? config.rackspaceWritesPerMinute : config.rackspaceReadsPerMinute;
  if (limit <= 0) return;
  const decision = await hitRateLimit(request.server.domain, `rackspace:${write ? 'write' : 'read'}:${actor.guid}`, limit, MINUTE, { countRefused: true });
  if (!decision.allowed) throw unauthorized(EXCEEDED_LIMITS);
}

/**
 * JSON bodies: an empty body is no fields (clients post enable/disable with a JSON content type and
 * nothing in it), and a malformed one is a Rackspace fault rather than Fastify's own error.
 */
function installBodyParsers(app: FastifyInstance): void {
  // Plain text is no Rackspace body format: refuse it as an unsupported type rather than treat it as a field set.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badRequest('Malformed JSON body') as unknown as FastifyError, undefined);
    }
  });
}

/** One encapsulated context per URL prefix, so unknown Rackspace URLs get Rackspace-shaped answers. */
function versionContext(version: Version, base: string, publicPrefix: string): FastifyPluginAsync {
  return async (app) => {
    installBodyParsers(app);
    app.addHook('onRequest', async (request) => {
      await authenticate(request);
      await throttle(request);
    });
    setScopeErrorHandler(app, (error, request, reply: FastifyReply) => sendFault(request, reply, error, version === 'v0' ? { map: toV0Fault } : {}));
    app.setNotFoundHandler((request, reply) => sendFault(request, reply, new RackspaceFault(404, 'itemNotFoundFault', 'Make sure the URL is correct.')));
    registerCustomerRoutes(app, version, base, publicPrefix);
  };
}

/** The Rackspace Email & Apps customer API: /v1, /v0 and the unversioned /customers URLs of the v0 page. */
export const rackspaceFace: FastifyPluginAsync = async (app) => {
  app.decorateRequest('rackspaceActor', null);
  await app.register(versionContext('v1', '/customers', '/v1'), { prefix: '/v1' });
  await app.register(versionContext('v0', '/customers', '/v0'), { prefix: '/v0' });
  // The v0 page writes add, edit, delete and login tokens without a version; they behave as v0.
  await app.register(versionContext('v0', '', ''), { prefix: '/customers' });
  // v2 (contacts, invoices) is signed and throttled by the same hooks, with its own JSON-only faults.
  await app.register(
    v2Context(async (request) => {
      await authenticate(request);
      await throttle(request);
    }),
    { prefix: '/v2' },
  );
};
