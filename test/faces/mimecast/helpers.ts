import type { FastifyInstance } from 'fastify';
import { MimecastClient, type MimecastCredentials, type MimecastTransport } from '../../../src/client/mimecast.js';
import type { ManualClock } from '../../../src/domain/clock.js';

/** Sends the client's requests through app.inject(), so face tests need no listening server. */
export function injectTransport(app: FastifyInstance): MimecastTransport {
  return async (req) => {
    const res = await app.inject({ method: req.method, url: new URL(req.url).pathname, headers: req.headers, payload: req.body });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
    return { status: res.statusCode, headers, text: res.body };
  };
}

export function clientFor(app: FastifyInstance, clock: ManualClock, credentials: MimecastCredentials): MimecastClient {
  return new MimecastClient({ baseUrl: 'http://partnerhub.test', credentials, transport: injectTransport(app), now: () => clock.now() });
}
