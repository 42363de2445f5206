import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { TlsMaterial } from '../tls.js';
import { clientErrorHandler, serverTimeouts, type TimeoutSettings } from './connection.js';

/**
 * HTTPS beside plain HTTP: Fastify's own server listens for HTTP on --port, and this second server, a Node
 * `https` server with the same timeouts and client-error answers, hands every request to the same app
 * (`app.routing`, the handler Fastify's own server calls) on --tls-port. One app, one set of routes, hooks
 * and error maps for both. (Fastify's `https` option would make its one server HTTPS only.)
 */
export interface HttpsListener {
  server: Server;
  listen(port: number, host: string): Promise<number>;
}

/** Creates the server and closes it with the app; call before the app is ready, listen after it listens. */
export function httpsListener(app: FastifyInstance, tls: TlsMaterial, timeouts: TimeoutSettings): HttpsListener {
  const options = serverTimeouts(timeouts);
  const server = createServer({ cert: tls.cert, key: tls.key, ...options }, app.routing);
  // As Fastify does for its own server: the properties are what Node reads on every connection.
  server.keepAliveTimeout = options.keepAliveTimeout;
  server.requestTimeout = options.requestTimeout;
  server.headersTimeout = options.headersTimeout;
  server.on('clientError', clientErrorHandler(() => app.unknownUrlOwners));
  // preClose: before the store closes (onClose), in-flight HTTPS requests finish as HTTP ones do.
  app.addHook('preClose', async () => {
    if (!server.listening) return;
    server.closeIdleConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });
  return {
    server,
    listen: (port, host) =>
      new Promise((done, fail) => {
        server.once('error', fail);
        server.listen(port, host, () => {
          server.off('error', fail);
          done((server.address() as AddressInfo).port);
        });
      }),
  };
}
