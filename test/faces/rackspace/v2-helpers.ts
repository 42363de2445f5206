import assert from 'node:assert/strict';
import type { RackspaceResponse } from '../../../src/client/rackspace.js';
import { signRackspaceRequest } from '../../../src/client/rackspace.js';
import type { TestApp } from '../../helpers/context.js';
import { injectTransport } from './helpers.js';

export const UA = 'Rackspace Management Interface';

export interface RawCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  /** Sent exactly as given (also malformed or empty); no body when undefined. */
  body?: string;
  contentType?: string;
  accept?: string;
  signed?: boolean;
}

/** A request signed with the holder's Rackspace keys, with the body and headers exactly as given. */
export async function rawCall(t: TestApp, who: { rackspace: { userKey: string; secretKey: string } }, c: RawCall): Promise<RackspaceResponse> {
  const headers: Record<string, string> = { 'user-agent': UA };
  if (c.signed !== false) headers['x-api-signature'] = signRackspaceRequest({ ...who.rackspace, userAgent: UA, at: t.clock.now() });
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  if (c.accept !== undefined) headers.accept = c.accept;
  const res = await injectTransport(t.app)({ method: c.method, url: c.path, headers, body: c.body });
  const out: RackspaceResponse = { ...res };
  if (res.headers['x-error-message']) out.errorMessage = res.headers['x-error-message'];
  if ((res.headers['content-type'] ?? '').includes('json') && res.body) out.json = JSON.parse(res.body);
  return out;
}

/** A v2 fault: status, x-error-message and a JSON fault document carrying the same message. */
export function assertV2Fault(res: RackspaceResponse, status: number, message: string, label = message): void {
  assert.equal(res.status, status, `${label}: status (body ${res.body})`);
  assert.equal(res.errorMessage, message, `${label}: x-error-message`);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/, `${label}: JSON fault`);
  const body = JSON.parse(res.body) as Record<string, { message: string; code: number }>;
  const [kind] = Object.keys(body);
  assert.match(kind, /Fault$/, label);
  assert.equal(body[kind].message, message, `${label}: fault message`);
  assert.equal(body[kind].code, status, `${label}: fault code`);
}
