/**
 * The CCC codec: everything about ServiceStack's wire conventions, installed once on each of the face's
 * URL scopes. Content negotiation (Accept, ?format=, a .json/.xml/.csv suffix), JSONP, binding request
 * text onto the route's request DTO, and ServiceStack's routing habits (every static path also answers
 * with a format suffix; a known path asked with another method is a 405).
 * JSON responses are written by Fastify's serializer from the route's response schema; XML and CSV by
 * the serializers here, from the same DTO.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { encodeCsv, encodeXml, isSafeCallback, negotiate, stripSuffix, CONTENT_TYPES, type Format } from './codec.js';
import { bindToSchema, convertValue, unwrapXmlRoot } from './binding.js';
import { validatorCompiler } from './validator.js';
import { callbackRefused, methodNotAllowed, unknownOperation, type ResponseStatus } from './errors.js';
import { PREDEFINED_FORMS } from './routes/predefined.js';
import { stringify } from 'csv-stringify/sync';
import { NotFoundRoute } from '../../http/route.js';
import { ownerOfUrl, answeredByOwner } from '../../http/framework-errors.js';

export interface CccState {
  format: Format;
  /** The JSONP callback, when the answer is JSON and the name is safe. */
  callback: string | null;
  /** A callback name that was refused: the request is answered 400 before anything else. */
  refusedCallback: string | null;
}

const STATE = Symbol('ccc');

function queryValue(query: unknown, name: string): string | undefined {
  if (!query || typeof query !== 'object') return undefined;
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (k.toLowerCase() === name) return String(Array.isArray(v) ? v[0] : v);
  }
  return undefined;
}

export function cccState(request: FastifyRequest): CccState {
  const r = request as unknown as { [STATE]?: CccState };
  if (r[STATE]) return r[STATE];
  // The self-description (metadata pages, DTO sources) has one format of its own.
  if ((request.routeOptions.config as { describes?: boolean } | undefined)?.describes) {
    r[STATE] = { format: 'json', callback: null, refusedCallback: null };
    return r[STATE];
  }
  const format = negotiate(request.url.split('?')[0], queryValue(request.query, 'format'), request.headers.accept);
  const cb = queryValue(request.query, 'callback')?.trim();
  const safe = cb && isSafeCallback(cb) ? cb : null;
  r[STATE] = { format, callback: format === 'json' ? safe : null, refusedCallback: cb && !safe ? cb : null };
  return r[STATE];
}

interface SchemaNode {
  title?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** For XML: the element name of the items of each list property, from the response schema's titles. */
function listItems(schema: SchemaNode | undefined, out: Record<string, string> = {}): Record<string, string> {
  for (const [k, p] of Object.entries(schema?.properties ?? {})) {
    if (p.items?.title) out[k] = p.items.title;
    if (p.items) listItems(p.items, out);
    if (p.properties) listItems(p, out);
  }
  return out;
}

/** Errors in CSV: one row for the error, then one per field error. */
function errorCsv(rs: ResponseStatus): string {
  const rows = [[rs.errorCode, '', rs.message], ...rs.errors.map((e) => [e.errorCode, e.fieldName, e.message])];
  return stringify(rows, { header: true, columns: ['ErrorCode', 'FieldName', 'Message'], record_delimiter: '\r\n' });
}

function serializerFor(request: FastifyRequest, reply: FastifyReply, format: 'xml' | 'csv') {
  return (payload: unknown): string => {
    const body = payload as Record<string, unknown>;
    const failed = reply.statusCode >= 400 && body && typeof body === 'object' && 'responseStatus' in body;
    if (format === 'csv') return failed ? errorCsv(body.responseStatus as ResponseStatus) : encodeCsv({ type: '', body });
    const config = request.routeOptions.config as { response?: string };
    const schema = (request.routeOptions.schema?.response as Record<string, SchemaNode> | undefined)?.[200];
    // An error comes back under the operation's response DTO, as ServiceStack writes it.
    return encodeXml({ type: config?.response ?? 'ErrorResponse', body, listItems: failed ? {} : listItems(schema) });
  };
}

/** ServiceStack leaves null properties out of JSON. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
  return out;
}

/** Binds path, query and body onto the route's request DTO (see binding.ts). */
function bindRequest(request: FastifyRequest): void {
  const schema = request.routeOptions.schema as Record<string, SchemaNode> | undefined;
  if (!schema) return;
  if (schema.params) {
    const params = request.params as Record<string, string>;
    const props = schema.params.properties ?? {};
    // A suffix on the last path parameter is the format, not part of the value.
    request.params = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, props[k] ? convertValue(stripSuffix(v), props[k]) : v]));
  }
  const query = (request.query ?? {}) as Record<string, unknown>;
  const config = request.routeOptions.config as { operationId?: string; operation?: string; predefined?: boolean };
  const operation = config.operation ?? config.operationId ?? '';
  if (schema.querystring) request.query = bindToSchema(config.predefined ? predefinedSource(request, query, operation) : query, schema.querystring);
  if (schema.body) {
    const body = unwrapXmlRoot(request.body, operation);
    // ServiceStack fills a request DTO from the query string too; the body wins.
    const source = body && typeof body === 'object' && !Array.isArray(body) ? { ...query, ...(body as object) } : { ...query };
    request.body = bindToSchema(source, schema.body);
  }
}

/**
 * A pre-defined route's request DTO: the query string and the body together, the body winning. A body
 * is JSON whatever its content type says (JsonApiClient sends JSON as text/plain to spare a CORS
 * preflight), unless it was parsed as a form or XML.
 */
function predefinedSource(request: FastifyRequest, query: Record<string, unknown>, operation: string): Record<string, unknown> {
  let body: unknown = request.body;
  if (typeof body === 'string' && body.trim()) {
    try {
      body = JSON.parse(body);
    } catch (e) {
      throw Object.assign(new Error(`Malformed JSON body: ${(e as Error).message}`), { statusCode: 400 });
    }
  }
  body = unwrapXmlRoot(body, operation);
  return body && typeof body === 'object' && !Array.isArray(body) ? { ...query, ...(body as object) } : { ...query };
}

export function installCodec(scope: FastifyInstance, scopeConfig: Record<string, unknown> = {}): void {
  scope.setValidatorCompiler(validatorCompiler);
  // Registered before the face's authentication hook, so a refused callback is answered first.
  scope.addHook('onRequest', async (request, reply) => {
    const state = cccState(request);
    reply.header('x-content-type-options', 'nosniff');
    if (state.format === 'xml' || state.format === 'csv') reply.serializer(serializerFor(request, reply, state.format));
    if (state.refusedCallback !== null) throw callbackRefused(state.refusedCallback);
  });
  scope.addHook('preValidation', async (request) => bindRequest(request));
  // JsonServiceClient sends `Content-Type: application/json` on every request, a DELETE with no body too;
  // ServiceStack reads an empty body as no body. Anything else is Fastify's own (poisoning-safe) JSON parser.
  const json = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    String(body).trim() === '' ? done(null, undefined) : json(request, body as string, done),
  );
  scope.addHook('preSerialization', async (request, _reply, payload) => (cccState(request).format === 'json' ? withoutNulls(payload) : payload));
  // The content type is set as the answer leaves: Fastify drops it before an error handler runs.
  scope.addHook('onSend', async (request, reply, payload) => {
    const { format, callback } = cccState(request);
    if (format !== 'json') reply.type(CONTENT_TYPES[format]);
    if (!callback || typeof payload !== 'string') return payload;
    reply.type(CONTENT_TYPES.jsonp);
    return `${callback}(${payload})`;
  });
  routingConventions(scope);
  if (scopeConfig.predefined) unknownOperations(scope, (scopeConfig.operations as string[] | undefined) ?? []);
}

/**
 * A pre-defined route naming no operation is answered as ServiceStack answers it: its handler cannot
 * resolve the request DTO and throws NotImplementedException, which ServiceStack maps to 405.
 */
function unknownOperations(scope: FastifyInstance, operations: string[]): void {
  const known = new Map(operations.map((name) => [name.toLowerCase(), name]));
  for (const form of PREDEFINED_FORMS) {
    scope.route({
      method: [...ALL_METHODS, 'OPTIONS'],
      url: `${form}/:operation`,
      config: { face: 'ccc', auth: false, cccVariant: true },
      handler: async (request, reply) => {
        // /api/account is Mimecast's prefix, not an operation named "account".
        if (form === '/api' && answeredByOwner(request, reply, new NotFoundRoute(request.url.split('?')[0]) as never)) return reply;
        // A Mimecast client's unknown endpoint (its signature or x-mc-* headers) gets Mimecast's envelope.
        const owner = form === '/api' ? ownerOfUrl(request.server.unknownUrlOwners, request.url, request.method, request.headers) : undefined;
        if (owner && owner.face !== 'ccc') return owner.notFound(request, reply);
        const name = stripSuffix((request.params as { operation: string }).operation);
        // A known operation asked with a verb it has no route for (OPTIONS).
        const op = known.get(name.toLowerCase());
        throw op ? methodNotAllowed(request.method, op) : unknownOperation(name);
      },
    } as RouteOptions);
  }
}

const ALL_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
const SUFFIXES = ['.json', '.xml', '.csv'];

interface Declared {
  methods: Set<string>;
  operationId: string;
  /** A pre-defined route: it has no suffixed forms. */
  predefined: boolean;
}

/**
 * ServiceStack's routing habits, for every route the face declares in this scope: a static path also
 * answers with a format suffix (a path ending in a parameter strips the suffix from its value instead),
 * and a known path asked with another method is a 405 naming the operation. Neither is a route of its
 * own in `app.faceRoutes`: they are the declared route, answered the ServiceStack way.
 */
function routingConventions(scope: FastifyInstance): void {
  const declared = new Map<string, Declared>();
  scope.addHook('onRoute', function (this: FastifyInstance, opts: RouteOptions & { routePath?: string }) {
    const config = (opts.config ?? {}) as { face?: string; cccVariant?: boolean; operationId?: string; operation?: string; predefined?: boolean };
    if (config.face !== 'ccc' || config.cccVariant || opts.method === 'HEAD') return;
    const path = opts.routePath ?? '';
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    const entry = declared.get(path) ?? { methods: new Set<string>(), operationId: config.operation ?? config.operationId ?? '', predefined: !!config.predefined };
    for (const m of methods) entry.methods.add(m);
    declared.set(path, entry);
    // A pre-defined route names its format in its path already.
    if (config.predefined) return;
    for (const url of variants(path).slice(1)) {
      this.route({ method: opts.method, url, schema: opts.schema, handler: opts.handler, config: { ...opts.config, cccVariant: true } });
    }
  });
  // After the scope's routes are declared, the other methods of each of their paths answer 405.
  scope.after(() => {
    for (const [path, { methods, operationId, predefined }] of declared) {
      const others = ALL_METHODS.filter((m) => !methods.has(m));
      const allow = ALL_METHODS.filter((m) => methods.has(m)).join(', ');
      if (!others.length) continue;
      for (const url of predefined ? [path] : variants(path)) {
        scope.route({
          method: others as unknown as string[],
          url,
          config: { face: 'ccc', auth: false, cccVariant: true },
          handler: async (request, reply) => {
            reply.header('allow', allow);
            throw methodNotAllowed(request.method, operationId);
          },
        } as RouteOptions);
      }
    }
  });
  // Fastify's not-found handler covers `prefix` and `prefix/…` only; unknown suffixes of the prefix itself
  // (/api/ping.json.json, /api/services.txt) are this scope's too. A scope at the root has no such suffix.
  if (!scope.prefix) return;
  scope.route({
    method: [...ALL_METHODS, 'OPTIONS'],
    url: '.*',
    config: { face: 'ccc', auth: false, cccVariant: true },
    handler: async (request) => {
      throw new NotFoundRoute(request.url.split('?')[0]);
    },
  } as RouteOptions);
}

function variants(path: string): string[] {
  const last = path.split('/').pop() ?? '';
  if (last.startsWith(':')) return [path];
  return [path, ...SUFFIXES.map((s) => path + s)];
}
