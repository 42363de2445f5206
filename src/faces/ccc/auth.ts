/**
 * CCC's authentication: a ServiceStack API key, sent as `Authorization: Bearer <key>` or as the user name
 * of Basic auth. An unknown key is 401 Not Authenticated; a revoked or expired one is refused with
 * ServiceStack's 403. A route that names the action its operation needs (`config.requires`) refuses a
 * principal without it here, before the request DTO is validated, as ServiceStack's role attributes run
 * before its validators; the domain checks the same action again with the same permission table.
 */
import type { FastifyRequest } from 'fastify';
import { lookupApiKey } from '../../domain/credential.js';
import { forbidden } from '../../domain/errors.js';
import { hasAction, type Action, type Actor } from '../../domain/principal.js';
import { keyRefused, notAuthenticated } from './errors.js';

function apiKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization?.trim();
  if (!header) return undefined;
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') return rest;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(rest, 'base64').toString('utf8');
  return decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
}

export async function authenticate(request: FastifyRequest): Promise<Actor> {
  const key = apiKey(request);
  if (!key) throw notAuthenticated();
  const found = await lookupApiKey(request.server.domain, key);
  if (found.status === 'unknown') throw notAuthenticated();
  if (found.status === 'expired') throw keyRefused(!!found.credential.revokedAt);
  const requires = (request.routeOptions.config as { requires?: Action }).requires;
  if (requires && !hasAction(found.actor, requires)) throw forbidden();
  return found.actor;
}
