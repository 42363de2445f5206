import type { FastifyInstance } from 'fastify';
import { injectRequest } from '../../helpers/transport.js';
import { MimecastClient, type MimecastCredentials, type MimecastTransport } from '../../../src/client/mimecast.js';
import type { ManualClock } from '../../../src/domain/clock.js';

/** Sends the client's requests through app.inject(), so face tests need no listening server. */
export function injectTransport(app: FastifyInstance): MimecastTransport {
  return async (req) => {
    const res = await injectRequest(app, { ...req, url: new URL(req.url).pathname });
    return { status: res.status, headers: res.headers, text: res.body };
  };
}

export function clientFor(app: FastifyInstance, clock: ManualClock, credentials: MimecastCredentials): MimecastClient {
  return new MimecastClient({ baseUrl: 'http://partnerhub.test', credentials, transport: injectTransport(app), now: () => clock.now() });
}
