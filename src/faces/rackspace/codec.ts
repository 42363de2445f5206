import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type AjvCompiler from '@fastify/ajv-compiler';
import { documentElements, xmlDocument } from './xml.js';
import { compilerOnFirstUse, requireWhenNeeded } from '../../http/lazy-schemas.js';

/**
 * Rackspace wire formats: content negotiation, request bodies (form, JSON or XML for v0 and v1; JSON judged
 * with v2's own messages), the letter case of keys, and the XML twin of every JSON document.
 */

export type Format = 'json' | 'xml';

export interface Negotiated {
  format: Format;
  /** The client named a format itself (not just "anything"): only then do bodyless operations answer with a body. */
  explicit: boolean;
}

/** Without a usable Accept header the answer is XML, as in every example of the v0 and v1 pages. */
export const DEFAULT_FORMAT: Format = 'xml';

/** Picks JSON or XML from an Accept header, honouring q-values; anything else falls back to the default. */
export function negotiate(accept: string | string[] | undefined): Negotiated {
  const text = Array.isArray(accept) ? accept.join(',') : accept ?? '';
  let best: { format: Format; q: number } | null = null;
  for (const part of text.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k === 'q' && v !== undefined && !Number.isNaN(Number(v))) q = Number(v);
    }
    const format: Format | null = type === 'application/json' || type === 'text/json' ? 'json' : type === 'text/xml' || type === 'application/xml' ? 'xml' : null;
    if (format && q > 0 && (!best || q > best.q)) best = { format, q };
  }
  return best ? { format: best.format, explicit: true } : { format: DEFAULT_FORMAT, explicit: false };
}

export const CONTENT_TYPE: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/**
 * Answers with a document in the format the client asked for: JSON is serialized by Fastify from the route's
 * response schema; XML is written here, element for element in the same order, under `root`.
 */
export function sendDocument(
  request: FastifyRequest,
  reply: FastifyReply,
  root: string,
  doc: Record<string, unknown>,
  items: Record<string, string> = {},
  namespace?: string,
): FastifyReply {
  if (negotiate(request.headers.accept).format === 'json') return reply.code(200).send(doc);
  return reply.code(200).type(CONTENT_TYPE.xml).send(xmlDocument(root, documentElements(doc, items), namespace));
}

/** Whether the client named a format: bodyless operations (an add) answer with a body only then. */
export function namesFormat(request: FastifyRequest): boolean {
  return negotiate(request.headers.accept).explicit;
}

/**
 * Fastify's own validator compiler, without type coercion: Rackspace clients send a name as text or a number
 * but never as `true` or `["a"]`, and coercion would quietly turn those into "true" and "a" (and null into "")
 * where the vendor refuses them. Query strings and paths are text anyway.
 */
const validatorCompiler = compilerOnFirstUse(() =>
  (requireWhenNeeded('@fastify/ajv-compiler') as typeof AjvCompiler)()({}, { customOptions: { coerceTypes: false, allowUnionTypes: true } }),
);

/** The codec of one scope: v0, v1 and the unversioned URLs read bodies leniently; v2 reads JSON objects only. */
export function rackspaceCodec(scope: FastifyInstance, scopeConfig: Record<string, unknown>): void {
  scope.setValidatorCompiler(validatorCompiler);
  if (scopeConfig.version === 'v2') readJsonObjects(scope);
  else readFieldSets(scope);
}

/**
 * v0 and v1 bodies are a flat set of fields, form-encoded, JSON or XML (whose root element, `<customer>`, is
 * unwrapped); an absent or empty body is no fields (clients post enable/disable with a JSON content type and
 * nothing in it). Field and query names match whatever their letter case (clients send `Name` as well as `name`).
 */
function readFieldSets(scope: FastifyInstance): void {
  // Plain text is no Rackspace body format: refuse it as an unsupported type rather than treat it as a field set.
  scope.removeContentTypeParser('text/plain');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
  });
  scope.addHook('preValidation', async (request) => {
    canonicalQuery(request);
    const names = declaredNames(request, 'body');
    if (names) request.body = fieldSet(request.body, names);
  });
}

/**
 * v2 reads the body exactly as it arrived, whatever its content type, and judges it only where a route takes
 * one, in the vendor's order: empty first, then the content type, then the JSON itself (errors.ts words each).
 * Nothing here logs a body: contact bodies carry security answers.
 */
class RawPayload {
  constructor(
    readonly text: string,
    readonly contentType: string | undefined,
  ) {}
}

function readJsonObjects(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    done(null, new RawPayload(String(body), request.headers['content-type']));
  });
  scope.addHook('preValidation', async (request) => {
    canonicalQuery(request);
    const names = declaredNames(request, 'body');
    if (names) request.body = canonicalKeys(jsonPayload(request.body), names);
  });
}

function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type === 'text/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function jsonPayload(body: unknown): unknown {
  const raw = body instanceof RawPayload ? body : null;
  if (!raw || raw.text.trim() === '') throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
  if (!isJsonType(raw.contentType)) throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(raw.contentType ?? '');
  try {
    return JSON.parse(raw.text);
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
}

/** The property names a route's schema declares for one part of the request, or null when it declares none. */
function declaredNames(request: FastifyRequest, part: 'body' | 'querystring'): string[] | null {
  const schema = (request.routeOptions.schema as Record<string, { properties?: Record<string, unknown> }> | undefined)?.[part];
  return schema?.properties ? Object.keys(schema.properties) : null;
}

function canonicalQuery(request: FastifyRequest): void {
  const names = declaredNames(request, 'querystring');
  if (names) request.query = canonicalKeys(request.query, names);
}

/** Keys renamed to the declared names they match regardless of letter case; an exact match wins. */
function canonicalKeys(value: unknown, names: string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = names.includes(key) ? key : byLower.get(key.toLowerCase()) ?? key;
    if (name !== key && Object.prototype.hasOwnProperty.call(value, name)) continue;
    out[name] = v;
  }
  return out;
}

/** A body as a flat set of fields: the XML declaration dropped and a lone root element unwrapped. */
function fieldSet(body: unknown, names: string[]): unknown {
  if (body === undefined || body === '') return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  let fields = Object.fromEntries(Object.entries(body).filter(([k]) => !k.startsWith('?')));
  const keys = Object.keys(fields);
  const isField = (k: string) => names.some((n) => n.toLowerCase() === k.toLowerCase());
  if (keys.length === 1 && !isField(keys[0])) {
    const only = fields[keys[0]];
    if (only !== null && typeof only === 'object' && !Array.isArray(only)) fields = only as Record<string, unknown>;
    else if (only === '') fields = {};
  }
  return canonicalKeys(fields, names);
}
