import type { FastifyInstance } from 'fastify';
import { injectRequest } from './transport.js';
import { CccClient, type Transport } from '../../src/client/ccc.js';

/** A transport that sends the client's requests into an in-process app. */
export function injectTransport(app: FastifyInstance): Transport {
  return (req) => injectRequest(app, req);
}

export function cccClient(app: FastifyInstance, apiKey?: string, auth: 'bearer' | 'basic' = 'bearer'): CccClient {
  return new CccClient({ baseUrl: 'http://partnerhub.test', apiKey, auth, transport: injectTransport(app) });
}
