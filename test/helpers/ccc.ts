import type { FastifyInstance } from 'fastify';
import { CccClient, type Transport } from '../../src/client/ccc.js';

/** A transport that sends the client's requests into an in-process app. */
export function injectTransport(app: FastifyInstance): Transport {
  return async (req) => {
    const url = new URL(req.url);
    const res = await app.inject({ method: req.method as any, url: url.pathname + url.search, headers: req.headers, payload: req.body });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
    return { status: res.statusCode, headers, body: res.body };
  };
}

export function cccClient(app: FastifyInstance, apiKey?: string, auth: 'bearer' | 'basic' = 'bearer'): CccClient {
  return new CccClient({ baseUrl: 'http://partnerhub.test', apiKey, auth, transport: injectTransport(app) });
}
