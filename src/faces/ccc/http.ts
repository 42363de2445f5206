/** Per-request CCC state (format, JSONP callback, response type), authentication and sending DTOs. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../domain/context.js';
import type { Actor } from '../../domain/principal.js';
import { lookupApiKey } from '../../domain/credential.js';
import { encode, isSafeCallback, negotiate, type Dto, type Format } from './codec.js';
import { CccError, notAuthenticated, type ResponseStatus } from './errors.js';
import { stringify } from 'csv-stringify/sync';

export interface CccState {
  format: Format;
  callback: string | null;
  /** A callback name that was refused; the route answers 400 before doing anything. */
  refusedCallback: string | null;
  /** The response DTO of the operation, so an error comes back under the right XML root. */
  responseType: string;
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
  const path = request.url.split('?')[0];
  const format = negotiate(path, queryValue(request.query, 'format'), request.headers.accept);
  const cb = queryValue(request.query, 'callback')?.trim();
  const safe = cb && isSafeCallback(cb) ? cb : null;
  const state: CccState = {
    format,
    callback: format === 'json' ? safe : null,
    refusedCallback: cb && !safe ? cb : null,
    responseType: 'ErrorResponse',
  };
  r[STATE] = state;
  return state;
}

export function sendDto(request: FastifyRequest, reply: FastifyReply, status: number, dto: Dto) {
  const state = cccState(request);
  const { contentType, payload } = encode(dto, state.format, state.callback);
  reply.code(status).header('content-type', contentType).header('x-content-type-options', 'nosniff');
  return reply.send(payload);
}

/** Errors in CSV: one row for the error, then one per field error. */
function errorCsv(rs: ResponseStatus): string {
  const rows = [[rs.errorCode, '', rs.message], ...rs.errors.map((e) => [e.errorCode, e.fieldName, e.message])];
  return stringify(rows, { header: true, columns: ['ErrorCode', 'FieldName', 'Message'], record_delimiter: '\r\n' });
}

export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, responseStatus: ResponseStatus) {
  const state = cccState(request);
  if (state.format === 'csv') {
    reply.code(status).header('content-type', 'text/csv; charset=utf-8');
    return reply.send(errorCsv(responseStatus));
  }
  return sendDto(request, reply, status, { type: state.responseType, body: { responseStatus } });
}


/**
 * A ServiceStack API key, sent as `Authorization: Bearer <key>` or as the user name of Basic auth. An
 * unknown key is 401 Not Authenticated; a revoked or expired one is refused with ServiceStack's 403.
 */
export async function authenticate(ctx: DomainContext, request: FastifyRequest): Promise<Actor> {
  const header = request.headers.authorization?.trim();
  let key: string | undefined;
  if (header) {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const rest = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer') key = rest;
    else if (scheme === 'basic') {
      const decoded = Buffer.from(rest, 'base64').toString('utf8');
      key = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
    }
  }
  if (!key) throw notAuthenticated();
  const found = await lookupApiKey(ctx, key);
  if (found.status === 'unknown') throw notAuthenticated();
  if (found.status === 'expired') {
    throw new CccError(403, 'Forbidden', found.credential.revokedAt ? 'API Key has been cancelled' : 'API Key has expired');
  }
  return found.actor;
}
