import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type RouteOptions } from 'fastify';
import formbody from '@fastify/formbody';
import { XMLParser } from 'fast-xml-parser';
import type { Store } from './store/connect.js';
import { ping } from './store/connect.js';
import type { Clock } from './domain/clock.js';
import type { SecretBox } from './domain/secrets.js';
import type { DomainContext } from './domain/context.js';
import { AuthCache } from './domain/auth-cache.js';
import type { RateWindows } from './domain/limits.js';
import { DomainError, ErrorCode } from './domain/errors.js';
import type { Config } from './config.js';
import { faces } from './faces/index.js';
import { ownerOfUrl, responderFor, type ScopeResponder, type UnknownUrlOwner } from './http/framework-errors.js';
import { prepareFaces } from './http/route.js';
import { lazyDefaultCompilers } from './http/lazy-schemas.js';
import { clientErrorHandler, serverTimeouts } from './http/connection.js';
import { openApi } from './http/openapi.js';
import { AppMetrics, registerMetrics } from './ops/metrics.js';
import { registerLanding } from './ops/landing.js';
import { SandboxClock } from './operator/clock.js';
import type { SandboxControls } from './operator/controls.js';
import { installSandboxTools } from './operator/install.js';

export interface AppDeps {
  store: Store;
  clock: Clock;
  secrets: SecretBox;
  /** Cache authentication in this process (default true; the store's change feed keeps it right). */
  authCache?: boolean;
  /** Keep rate windows and replay ids here instead of the store: only for a store's sole server (server.ts). */
  rateWindows?: RateWindows;
  /** Where the demo credentials were written, when the server was started with demo data (the landing page says so). */
  demoCredentialsFile?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    domain: DomainContext;
    config: Config;
  }
}

/** Header names and body fields that carry secrets: pino replaces them before anything is written. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-signature"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-signature"]',
  '*.secretKey',
  '*.apiKey',
  '*.appKey',
  '*.password',
  '*.adminPassword',
  '*.SecurityAnswer',
  '*.securityAnswer',
];

export const STATUS_FOR_CODE: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.CredentialExpired]: 401,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.InvalidTransition]: 409,
  [ErrorCode.LimitReached]: 400,
  [ErrorCode.NameTaken]: 409,
  [ErrorCode.Internal]: 500,
};

// Character references (&#233;, &#x2603;) are how XML clients send text outside ASCII; decode them.
const xmlParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, htmlEntities: true });

/** Builds the HTTP app without listening: tests use app.inject(); server.ts listens. */
export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** Told of every route as Fastify registers it (tests that compare the routes with the OpenAPI document). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(config: Config, deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const responders: ScopeResponder[] = [];
  let owners: UnknownUrlOwner[] = [];
  const timeouts = serverTimeouts(config);
  const app = Fastify({
    // Header, request and keep-alive timeouts (src/http/connection.ts); the HTTPS listener uses the same.
    http: timeouts,
    requestTimeout: timeouts.requestTimeout,
    keepAliveTimeout: timeouts.keepAliveTimeout,
    // Requests Node's parser refuses get JSON naming the error, and x-error-message on a Rackspace URL.
    clientErrorHandler: clientErrorHandler(() => owners),
    logger: options.logger ?? { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    bodyLimit: config.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Paths match without regard to case, as ServiceStack (CCC) routes do; the Mimecast signature still covers the path as sent.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, caseSensitive: false },
    return503OnClosing: true,
    // Bad percent-encoding and over-long path parameters are answered by the face that owns the URL.
    frameworkErrors: (error, request, reply) => {
      const respond = responderFor(responders, request.url) ?? ownerOfUrl(owners, request.url, request.method, request.headers)?.respond;
      if (respond) return respond(error, request, reply);
      return defaultErrorHandler(error, request, reply);
    },
    forceCloseConnections: 'idle',
    // Each route's validators and serializers are compiled on its first request, not while the app starts.
    schemaController: lazyDefaultCompilers(),
  });

  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.decorate('config', config);
  app.decorate('frameworkErrorResponders', responders);
  prepareFaces(app);
  owners = app.unknownUrlOwners;
  const authCache = deps.authCache === false ? undefined : new AuthCache(deps.store.changes);
  if (authCache) app.addHook('onClose', async () => authCache.close());
  const clock = config.sandbox ? new SandboxClock(deps.clock, deps.store.db, deps.store.changes) : deps.clock;
  // PostgreSQL: the cache is used once the change listener is up (it keeps trying in the background).
  await deps.store.changes.ready();
  const { db, dialect } = deps.store;
  const metrics = config.metrics ? new AppMetrics(deps.store) : undefined;
  const observer = metrics?.observer;
  app.decorate('domain', { db, dialect, clock, secrets: deps.secrets, authCache, rateWindows: deps.rateWindows, observer });
  if (clock instanceof SandboxClock) {
    const controls: SandboxControls = { changes: deps.store.changes };
    app.decorate('sandbox', controls);
    // The test clock lives in the store: catch up before each request (a statement only after it changed).
    await clock.refresh();
    app.addHook('onRequest', async () => clock.refresh());
    app.addHook('onClose', async () => clock.close());
  }
  // Before the faces: hooks reach only the scopes registered after them.
  if (metrics) registerMetrics(app, metrics);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await registerBodyParsers(app, config);

  registerHealth(app, deps.store);

  // A URL no scope owns: the face it looks like answers (a shared /api, an unserved /v3), else the app.
  app.setNotFoundHandler((request, reply) => {
    const owner = ownerOfUrl(owners, request.url, request.method, request.headers);
    if (owner) return owner.notFound(request, reply);
    reply.code(404).send({ error: 'Not Found', message: `Route ${request.method} ${request.url.split('?')[0]} not found`, statusCode: 404 });
  });
  app.setErrorHandler(defaultErrorHandler);

  // The document generator sees every route registered after it.
  await openApi(app);
  await installSandboxTools(app, deps.store, config);
  for (const face of faces) {
    await app.register(face);
  }
  registerLanding(app, { store: deps.store, demoCredentialsFile: deps.demoCredentialsFile });
  return app;
}

/** Form bodies, and XML bodies parsed once for every face that takes them. */
async function registerBodyParsers(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(formbody, { bodyLimit: config.bodyLimit });
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(null, {});
    try {
      done(null, xmlParser.parse(text, true));
    } catch (e) {
      const err = new Error(`Malformed XML body: ${(e as Error).message}`) as FastifyError;
      err.statusCode = 400;
      err.code = 'FST_ERR_CTP_INVALID_XML';
      done(err, undefined);
    }
  });
}

/** Liveness, and readiness as the store answers. */
function registerHealth(app: FastifyInstance, store: AppDeps['store']): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await ping(store);
      return { status: 'ready', store: store.dialect };
    } catch {
      return reply.code(503).send({ status: 'unavailable', store: store.dialect });
    }
  });
}

/** The fallback error shape, for routes outside any face. Faces install their own vendor-shaped handlers. */
export function defaultErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, message } = describeError(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  reply.code(status).send({ error: status >= 500 ? 'Internal Server Error' : 'Bad Request', message, statusCode: status });
}

/** Status and a client-safe message for any thrown error: 5xx never carry internals. */
export function describeError(error: unknown): { status: number; message: string; code?: ErrorCode } {
  if (error instanceof DomainError) {
    const status = STATUS_FOR_CODE[error.code];
    return { status, message: status >= 500 ? 'Internal Server Error' : error.message, code: error.code };
  }
  const e = error as FastifyError;
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
  if (status >= 500) return { status, message: 'Internal Server Error' };
  return { status, message: e.message };
}
