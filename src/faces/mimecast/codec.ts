import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { MAX_DEPTH, parsePythonLiteral } from './python-literal.js';
import { FAILURES, NUL_KEYWORD, type SchemaIssue } from './errors.js';

/**
 * Mimecast's formats: lenient bodies in, schemas checked without coercion.
 */

/** A body that could not be read, and why. */
export class UnreadableBody {
  constructor(readonly reason: string) {}
}

/** JSON first; failing that, a Python literal (what `str(payload)` sends); otherwise unreadable. */
export function readBody(text: string): unknown {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (jsonError) {
    try {
      return parsePythonLiteral(text);
    } catch {
      return new UnreadableBody(`not JSON (${(jsonError as Error).message})`);
    }
  }
  // JSON.parse takes any depth, but a failed item is echoed back as `key`, and serializing a value nested
  // tens of thousands deep overflows the stack: the same limit as the Python reader's.
  return nestedDeeperThan(parsed, MAX_DEPTH) ? new UnreadableBody(`nested more than ${MAX_DEPTH} levels deep`) : parsed;
}

/** Without recursion, so the check itself cannot overflow. */
function nestedDeeperThan(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** The envelope's null members left out, down to `meta.pagination`; the `data` items are left as sent (they are echoed). */
function envelopeWithoutNulls(body: unknown): unknown {
  const strip = (v: unknown, nullable: string[], inner: Record<string, (x: unknown) => unknown> = {}) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const entries = Object.entries(v).filter(([k, x]) => x !== null || !nullable.includes(k));
    return Object.fromEntries(entries.map(([k, x]) => [k, inner[k] ? inner[k](x) : x]));
  };
  const pagination = (p: unknown) => strip(p, ['pageSize', 'pageToken']);
  const meta = (m: unknown) => strip(m, ['pagination'], { pagination });
  return strip(body, ['data', 'meta'], { meta });
}

/** PostgreSQL text cannot hold U+0000, and no account field has a use for it: refused on every store alike. */
const NO_NUL_PATTERN = '^[^\\u0000]*$';

/** Text without NUL characters. */
export const Text = () => Type.String({ pattern: NO_NUL_PATTERN });

/** Every way a value misses a compiled schema, in the schema's order, as the error map reads them. */
export function schemaIssues(check: TypeCheck<TSchema>, value: unknown): SchemaIssue[] {
  return [...check.Errors(value)].map((e) => ({
    instancePath: e.path,
    message: e.message,
    keyword: e.type === ValueErrorType.StringPattern && e.schema.pattern === NO_NUL_PATTERN ? NUL_KEYWORD : ValueErrorType[e.type],
  }));
}

/**
 * Installs the face's formats on one of its scopes. Bodies: Mimecast's Python sample posts `str(dict)` as
 * application/json, and clients send any content type, so every body is read leniently here and only here.
 * Schemas: Fastify's default Ajv coerces types (`coerceTypes: 'array'`): it would wrap a scalar `data` into
 * a one-item array, turning a refused request into a per-item failure, and read `true` as a page size.
 * Mimecast's envelope is checked as sent, so the scope compiles its route schemas with TypeBox's compiler,
 * which neither coerces nor changes the body; responses are still serialized by Fastify from their schemas.
 */
export function mimecastCodec(scope: FastifyInstance, scopeConfig: Record<string, unknown> = {}): void {
  scope.removeAllContentTypeParsers();
  if (scopeConfig.oauth) return oauthCodec(scope);
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const value = readBody(String(body));
    if (value instanceof UnreadableBody) done(FAILURES.malformed(value.reason), undefined);
    else done(null, value);
  });
  // An empty body (or a JSON null) is an empty request, and a null envelope member an absent one, as Mimecast reads them.
  scope.addHook('preValidation', async (request) => {
    request.body = request.body === undefined || request.body === null ? {} : envelopeWithoutNulls(request.body);
  });
  scope.setValidatorCompiler(({ schema }) => {
    const check = TypeCompiler.Compile(schema as TSchema);
    // Shaped as Fastify's validation errors (error.validation), so the error map reads them like any schema failure.
    return (data: unknown) =>
      check.Check(data) ? true : { error: schemaIssues(check, data).slice(0, 1).map((i) => ({ ...i, schemaPath: '', params: {} })) };
  });
}

/** A token request's parameters, each with every value it was sent with (a repeated one is refused). */
export type OAuthParams = Record<string, string[]>;

/** application/x-www-form-urlencoded, as RFC 6749 asks; a JSON object is read too, since some clients send one. */
export function readOAuthParams(text: string, contentType: string | undefined): OAuthParams {
  const params: OAuthParams = {};
  if (/json/i.test(contentType ?? '') && text.trim().startsWith('{')) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) if (typeof v === 'string') params[k] = [v];
      return params;
    } catch {
      // Not JSON after all: read as a form.
    }
  }
  for (const [k, v] of new URLSearchParams(text)) (params[k] ??= []).push(v);
  return params;
}

/** The token endpoint's formats: form bodies in (any content type), OAuth's JSON out. */
function oauthCodec(scope: FastifyInstance): void {
  scope.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => done(null, readOAuthParams(String(body), request.headers['content-type'])));
  scope.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) request.body = {};
  });
}
