import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Actor } from '../../domain/principal.js';
import { issueAccessToken } from '../../domain/access-token.js';
import { route } from '../../http/route.js';
import type { OAuthParams } from './codec.js';
import { OAUTH } from './errors.js';

/**
 * Mimecast API 2.0's token endpoint, `POST /oauth/token`: OAuth 2.0 client credentials (RFC 6749 §4.4).
 * The client id is a Mimecast credential's access key and the client secret its secret key, sent in the
 * form body or as HTTP Basic (not both). Every refusal is in OAuth's shape (errors.ts).
 */

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
});

/** A parameter sent at most once (RFC 6749 §3.2: a repeated one is an invalid request). */
function single(params: OAuthParams, name: string): string | undefined {
  const values = params[name];
  if (!values?.length) return undefined;
  if (values.length > 1) throw OAUTH.invalidRequest(`${name} was sent more than once`);
  return values[0];
}

/** RFC 6749 §2.3.1 form-encodes Basic's id and secret; clients that do not are read as sent. */
function formDecoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface ClientCredentials {
  id: string;
  secret: string;
}

function basicCredentials(request: FastifyRequest, params: OAuthParams): ClientCredentials | undefined {
  const authorization = request.headers.authorization;
  if (!authorization) return undefined;
  const m = /^Basic\s+(\S+)\s*$/i.exec(authorization);
  if (!m) throw OAUTH.invalidClient();
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw OAUTH.invalidClient();
  const id = formDecoded(decoded.slice(0, colon));
  // One method only (§2.3): a secret in the body too is refused; a client id repeated there must agree.
  if (single(params, 'client_secret') !== undefined) throw OAUTH.invalidRequest('client_secret was sent both in the body and as HTTP Basic');
  const bodyId = single(params, 'client_id');
  if (bodyId !== undefined && bodyId !== id) throw OAUTH.invalidRequest('client_id in the body differs from the HTTP Basic one');
  return { id, secret: formDecoded(decoded.slice(colon + 1)) };
}

/** The client's id and secret, from HTTP Basic or the body; none at all is a failed client authentication. */
function clientCredentials(request: FastifyRequest, params: OAuthParams): ClientCredentials {
  const basic = basicCredentials(request, params);
  if (basic) return basic;
  const id = single(params, 'client_id');
  const secret = single(params, 'client_secret');
  if (id === undefined && secret === undefined) throw OAUTH.invalidClient();
  if (id === undefined || id === '') throw OAUTH.invalidRequest('client_id is missing');
  if (secret === undefined || secret === '') throw OAUTH.invalidRequest('client_secret is missing');
  return { id, secret };
}

export const oauthRoutes = [
  route<Actor, { response: { 200: typeof TokenResponse } }>({
    method: 'POST',
    url: '/token',
    operationId: 'oauthToken',
    summary: 'OAuth 2.0 client credentials: a bearer token for a Mimecast credential (API 2.0)',
    auth: false,
    schema: { response: { 200: TokenResponse } },
    handler: async ({ request, reply, body, domain }) => {
      const params = (body ?? {}) as OAuthParams;
      const grant = single(params, 'grant_type');
      if (grant === undefined || grant === '') throw OAUTH.invalidRequest('grant_type is missing');
      if (grant !== 'client_credentials') throw OAUTH.unsupportedGrant(grant);
      const client = clientCredentials(request, params);
      // A secret key is base64, which never holds a space: a '+' sent unencoded in a form body reads as one.
      const secret = client.secret.replaceAll(' ', '+');
      const lifetimeMs = request.server.config.mimecastTokenLifetimeMinutes * 60_000;
      const issued = await issueAccessToken(domain, client.id, secret, lifetimeMs);
      if (!issued) throw OAUTH.invalidClient();
      reply.headers({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      return { access_token: issued.token, token_type: 'Bearer' as const, expires_in: issued.lifetimeSeconds };
    },
  }),
];
