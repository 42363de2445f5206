import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Static, TSchema } from '@sinclair/typebox';
import type { DomainContext } from '../domain/context.js';
import type { IncomingHttpHeaders } from 'node:http';
import { setScopeErrorHandler, type UnknownUrlOwner } from './framework-errors.js';
import type { FaceOpenApi } from './face-openapi.js';
import { compileScopeLazily } from './lazy-schemas.js';

/**
 * The one way every face declares a route. A route names its method and path, its TypeBox schemas
 * (Fastify validates requests and serializes responses with them, and the OpenAPI document is generated
 * from them), whether it needs the face's authentication, and a handler that calls the domain. A face
 * supplies three things of its own, each in one place: its authentication, its codec and its error map.
 */

export type FaceName = 'rackspace' | 'mimecast' | 'ccc' | 'panel' | 'operator';

export interface RouteSchema {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  headers?: TSchema;
  /** Response schemas by status; JSON responses are serialized from them. */
  response?: Record<number | string, TSchema>;
}

type In<S extends RouteSchema, K extends keyof RouteSchema> = S[K] extends TSchema ? Static<S[K]> : unknown;

/** What a handler gets: the request and reply, the authenticated actor, the validated inputs and the domain. */
export interface Call<A, S extends RouteSchema = RouteSchema> {
  request: FastifyRequest;
  reply: FastifyReply;
  actor: A;
  params: In<S, 'params'>;
  query: In<S, 'querystring'>;
  body: In<S, 'body'>;
  domain: DomainContext;
}

export interface Route<A, S extends RouteSchema = RouteSchema> {
  method: HTTPMethods | HTTPMethods[];
  /** The path inside the face scope's prefix; several paths serve the same operation. */
  url: string | string[];
  /** A stable name for the operation: the vendor's operation name where it has one. */
  operationId: string;
  summary?: string;
  schema?: S;
  /** false: the face's authentication does not run (public routes). Default true. */
  auth?: boolean;
  /**
   * The operation this route is another address of (a ServiceStack pre-defined route of a CCC operation):
   * it serves the same operation, so an API description lists the operation once and leaves this out.
   */
  aliasOf?: string;
  /** Not an API operation (a face's self-description: metadata pages, DTO sources): no API description lists it. */
  hidden?: boolean;
  /** Face-specific facts about the route (a response DTO's name, an API version …), read by its codec and error map. */
  config?: Record<string, unknown>;
  handler(call: Call<A, S>): unknown;
}

/** Declares a route; the identity function, so the schema types flow into the handler. */
export function route<A, S extends RouteSchema>(r: Route<A, S>): Route<A, any> {
  return r as Route<A, any>;
}

export interface FaceDefinition<A> {
  name: FaceName;
  /**
   * Names the caller, or throws the face's own error. Runs as one hook for every route of the face (and,
   * unless `authenticateUnknownRoutes` is false, for unknown URLs under its prefixes too). The reply is there
   * for headers the authentication decides on every answer, success or refusal (Mimecast's rate headers).
   */
  authenticate?(request: FastifyRequest, reply: FastifyReply): Promise<A>;
  /** The hook the authentication runs in (default onRequest: before the body is read). */
  authenticateAt?: 'onRequest' | 'preValidation' | 'preHandler';
  authenticateUnknownRoutes?: boolean;
  /**
   * The face's one error map: domain errors, schema failures and framework errors to the vendor's shape.
   * `scope` is the config of the scope the request arrived in, also for unknown URLs and router errors,
   * where no route's config is there to say (for example) which API version the URL belongs to.
   */
  errors(error: FastifyError, request: FastifyRequest, reply: FastifyReply, scope: Record<string, unknown>): unknown;
  /** Content-type parsers, body and key normalisation, serializers: everything about the face's formats. */
  codec?(scope: FastifyInstance, scopeConfig: Record<string, unknown>): void;
  /** Answers an unknown URL under one of the face's prefixes (default: the error map with a 404). */
  notFound?(request: FastifyRequest, reply: FastifyReply): unknown;
  /** How the face describes itself in the OpenAPI document (security scheme, errors, examples). */
  openapi?: FaceOpenApi;
  /**
   * URLs beyond the face's scopes that are still the face's to answer when no route has them: a prefix two
   * faces share (`/api`), a version the face does not serve (`/v3`). Where several faces match, the first
   * whose `claims` says the request is its own answers, else the one without `claims`.
   */
  unknownUrls?: UnknownUrlClaim;
  /** The header that carries the message of every error this face answers (Rackspace: x-error-message), also on errors Node's HTTP parser answers for URLs `unknownUrls` matches. */
  errorHeader?: string;
  /** The face's answers to the sandbox's fault rules; a face without them is never failed on purpose. */
  faults?: FaultAnswers;
}

/** How a face fails a request the sandbox's fault rules pick, in its vendor's own words (see src/operator/fault-injector.ts). */
export interface FaultAnswers {
  /** The error the face's real throttling throws, with any headers that go with it set on the reply. */
  throttled(request: FastifyRequest, reply: FastifyReply, retryAfterMs?: number): Error;
  /** An error of this status in the face's shape. */
  failure(status: number, message?: string): Error;
}

/** Decides, once per request of a face with fault answers, whether the request fails, and acts. */
export interface FaultInjector {
  apply(face: FaceName, request: FastifyRequest, reply: FastifyReply, answers: FaultAnswers): Promise<void>;
}

export interface UnknownUrlClaim {
  match: RegExp;
  /** Whether the request (its method and headers) names this face; absent: the face is the default owner. */
  claims?(method: string, headers: IncomingHttpHeaders): boolean;
}

export interface FaceScope<A> {
  prefix: string;
  routes: Route<A, any>[];
  /** Merged into every route's config in this scope (for example the API version a prefix serves). */
  config?: Record<string, unknown>;
}

/** A route as registered, for the OpenAPI document and for tests that must cover every route. */
export interface RegisteredRoute {
  face: FaceName;
  /** The prefix of the scope it is mounted in ('' for a root scope). */
  prefix: string;
  method: HTTPMethods;
  url: string;
  operationId: string;
  auth: boolean;
  /** Set on another address of a declared operation (see Route.aliasOf): leave it out of API descriptions. */
  aliasOf?: string;
  /** Set on routes that are no API operation (see Route.hidden). */
  hidden?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller the face's authentication named (typed by the face through Call). */
    actor: unknown;
  }
  interface FastifyInstance {
    faceRoutes: RegisteredRoute[];
    unknownUrlOwners: UnknownUrlOwner[];
    /** Each mounted face's own description for the OpenAPI document, by face name. */
    faceDocs: Partial<Record<FaceName, FaceOpenApi>>;
    /** The sandbox's fault rules, when the sandbox is on (null otherwise). */
    faultInjector: FaultInjector | null;
  }
  interface FastifyContextConfig {
    face?: FaceName;
    operationId?: string;
    auth?: boolean;
    [key: string]: unknown;
  }
}

export class NotFoundRoute extends Error {
  readonly statusCode = 404;
  readonly code = 'FST_ERR_NOT_FOUND';
  constructor(readonly url: string) {
    super(`Route ${url} not found`);
  }
}

/** The app-level decorations the faces rely on; called once by buildApp. */
export function prepareFaces(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorate('faceRoutes', []);
  app.decorate('faultInjector', null);
  app.decorate('faceDocs', {});
  app.decorate('unknownUrlOwners', []);
}

/** The 404 of a face for a URL it has no route for, through its notFound or its error map. */
function answerNotFound<A>(face: FaceDefinition<A>, scopeConfig: Record<string, unknown>) {
  return (request: FastifyRequest, reply: FastifyReply) =>
    face.notFound ? face.notFound(request, reply) : face.errors(new NotFoundRoute(request.url.split('?')[0]) as any, request, reply, scopeConfig);
}

function claimUnknownUrls<A>(app: FastifyInstance, face: FaceDefinition<A>): void {
  if (!face.unknownUrls) return;
  app.unknownUrlOwners.push({
    face: face.name,
    match: face.unknownUrls.match,
    claims: face.unknownUrls.claims,
    errorHeader: face.errorHeader,
    notFound: answerNotFound(face, {}),
    respond: (error, request, reply) => face.errors(error, request, reply, {}),
  });
}

/** Mounts a face: one encapsulated Fastify context per prefix, each with the face's auth, codec and error map. */
export function mountFace<A>(face: FaceDefinition<A>, scopes: FaceScope<A>[]): FastifyPluginAsync {
  return async (app) => {
    claimUnknownUrls(app, face);
    if (face.openapi) app.faceDocs[face.name] = face.openapi;
    for (const s of scopes) {
      await app.register(
        async (scope) => {
          const scopeConfig = s.config ?? {};
          face.codec?.(scope, scopeConfig);
          compileScopeLazily(scope);
          setScopeErrorHandler(scope, (error, request, reply) => face.errors(error, request, reply, scopeConfig));
          // A scope at the root ('') owns only its routes: every other URL stays the app's (or another face's).
          if (s.prefix) scope.setNotFoundHandler(answerNotFound(face, scopeConfig));
          if (face.authenticate) {
            const authenticate = face.authenticate;
            scope.addHook(face.authenticateAt ?? 'onRequest', async (request, reply) => {
              if (request.is404 ? face.authenticateUnknownRoutes === false : request.routeOptions.config.auth === false) return;
              request.actor = await authenticate(request, reply);
            });
          }
          if (face.faults) addFaultHook(scope, face, face.faults);
          for (const r of s.routes) registerRoute(scope, face.name, r, scopeConfig);
        },
        { prefix: s.prefix },
      );
    }
  };
}

/** Sandbox faults, right after the face's authentication (so a rule can name the principal), in the face's error shape. */
function addFaultHook<A>(scope: FastifyInstance, face: FaceDefinition<A>, answers: FaultAnswers): void {
  scope.addHook(face.authenticateAt ?? 'onRequest', async (request, reply) => {
    const injector = request.server.faultInjector;
    if (injector) await injector.apply(face.name, request, reply, answers);
  });
}

function registerRoute<A>(scope: FastifyInstance, faceName: FaceName, r: Route<A, any>, scopeConfig: Record<string, unknown>): void {
  const auth = r.auth !== false;
  const methods = Array.isArray(r.method) ? r.method : [r.method];
  for (const url of Array.isArray(r.url) ? r.url : [r.url]) {
    // One Fastify route per method, so the OpenAPI document gives each method of an operation its own id.
    for (const method of methods) {
      scope.faceRoutes.push({ face: faceName, prefix: scope.prefix, method, url: scope.prefix + url, operationId: r.operationId, auth, ...(r.aliasOf ? { aliasOf: r.aliasOf } : {}), ...(r.hidden ? { hidden: true } : {}) });
      registerOne(scope, faceName, r, scopeConfig, method, url, auth);
    }
  }
}

function registerOne<A>(scope: FastifyInstance, faceName: FaceName, r: Route<A, any>, scopeConfig: Record<string, unknown>, method: HTTPMethods, url: string, auth: boolean): void {
  scope.route({
    method,
    url,
    // `hide` is @fastify/swagger's flag for a route its document leaves out.
    schema: { ...r.schema, operationId: r.operationId, summary: r.summary, tags: [faceName], ...(r.aliasOf || r.hidden ? { hide: true } : {}) } as any,
    config: { ...scopeConfig, ...r.config, face: faceName, operationId: r.operationId, auth },
    handler: (request, reply) =>
      r.handler({
        request,
        reply,
        actor: request.actor as A,
        params: request.params as any,
        query: request.query as any,
        body: request.body as any,
        domain: request.server.domain,
      }),
  });
}
