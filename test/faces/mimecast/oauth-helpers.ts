import type { FastifyInstance } from 'fastify';
import { injectRequest, type InjectedResponse } from '../../helpers/transport.js';

/** What API 2.0 clients send: OAuth 2.0 client credentials, then `Authorization: Bearer`. */

export interface ClientKeys {
  accessKey: string;
  secretKey: string;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** POST /oauth/token with the id and secret form-encoded in the body (or, with `basic`, as HTTP Basic). */
export function requestToken(app: FastifyInstance, keys: ClientKeys, how: 'form' | 'basic' = 'form', extra: Record<string, string> = {}): Promise<InjectedResponse> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(how === 'form' ? { client_id: keys.accessKey, client_secret: keys.secretKey } : {}), ...extra });
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(keys.accessKey)}:${encodeURIComponent(keys.secretKey)}`).toString('base64')}`;
  return injectRequest(app, { method: 'POST', url: '/oauth/token', headers: { ...FORM, ...(how === 'basic' ? { authorization: basic } : {}) }, body: form.toString() });
}

/** A raw token request: the body as given, with any headers. */
export function postToken(app: FastifyInstance, body: string, headers: Record<string, string> = {}): Promise<InjectedResponse> {
  return injectRequest(app, { method: 'POST', url: '/oauth/token', headers: { ...FORM, ...headers }, body });
}

/** A new token for the keys, or a failed assertion's message. */
export async function tokenFor(app: FastifyInstance, keys: ClientKeys): Promise<string> {
  const res = await requestToken(app, keys);
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.body}`);
  return JSON.parse(res.body).access_token;
}

/** One Mimecast call with a bearer token; the body defaults to the empty envelope. */
export function bearerCall(app: FastifyInstance, token: string, path: string, body: unknown = { data: [] }): Promise<InjectedResponse> {
  return injectRequest(app, {
    method: 'POST',
    url: path,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
