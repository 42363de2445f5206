import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from '../../domain/principal.js';
import { mountFace, type FaceDefinition } from '../../http/route.js';
import { authenticate } from './auth.js';
import { mimecastCodec } from './codec.js';
import { respond } from './errors.js';
import { faultAnswers } from './faults.js';
import { accountRoutes } from './account-routes.js';
import { provisioningRoutes } from './provisioning-routes.js';
import { loginRoutes } from './login-routes.js';
import { oauthRoutes } from './oauth-routes.js';
import { mimecastOpenApi } from './openapi.js';

/**
 * Whether a request under the /api prefix Mimecast shares with CCC is a Mimecast client's: it signs with
 * `Authorization: MC …`, or sends a bearer token with Mimecast's own x-mc-* headers (API 2.0 clients), or
 * POSTs (every API 1.0 endpoint is a POST) with an x-mc-app-id or x-mc-date.
 */
export function namesMimecast(method: string, headers: IncomingHttpHeaders): boolean {
  const authorization = String(headers.authorization ?? '');
  if (/^MC\s/i.test(authorization)) return true;
  const mcHeader = Object.keys(headers).some((h) => h.toLowerCase().startsWith('x-mc-'));
  if (/^Bearer\s/i.test(authorization) && mcHeader) return true;
  return method === 'POST' && (headers['x-mc-app-id'] !== undefined || headers['x-mc-date'] !== undefined);
}

/**
 * The Mimecast face: API 1.0's account and provisioning endpoints under /api/account/ and /api/provisioning/,
 * signed (`Authorization: MC …`) or, as API 2.0 calls them, with a bearer token from /oauth/token;
 * discover-authentication under /api/login/. Everything here is wire format; the rules live in the domain.
 */
const face: FaceDefinition<Actor> = {
  name: 'mimecast',
  authenticate,
  // An unknown endpoint is answered 404 before anyone is asked who they are, as before.
  authenticateUnknownRoutes: false,
  codec: mimecastCodec,
  errors: respond,
  unknownUrls: { match: /^\/api(?=[/.;]|$)/i, claims: namesMimecast },
  openapi: mimecastOpenApi,
  faults: faultAnswers,
};

export const mimecastFace = mountFace(face, [
  { prefix: '/api/account', routes: accountRoutes },
  { prefix: '/api/provisioning', routes: provisioningRoutes },
  { prefix: '/api/login', routes: loginRoutes },
  // OAuth's own formats and error shape (codec.ts, errors.ts read this flag).
  { prefix: '/oauth', routes: oauthRoutes, config: { oauth: true } },
]);
