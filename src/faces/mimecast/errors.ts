import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, type FieldError, type FieldProblem } from '../../domain/errors.js';
import { NotFoundRoute } from '../../http/route.js';
import { requestFailure, type McEnvelope, type McError } from './envelope.js';

/**
 * The Mimecast face's one error map: every status, code and message it answers with, from its own
 * refusals (authentication, limits, bodies), domain errors, schema failures and framework errors.
 * Codes Mimecast documents are used verbatim.
 */

const err = (code: string, message: string, retryable = false): McError => ({ code, message, retryable });

/** A refusal of the whole request: its status, its one error and any headers it must carry. */
export class McFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: McError,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

const failure = (status: number, code: string, message: string, retryable = false) => new McFailure(status, err(code, message, retryable));

/** RFC 6750 §3: a refused bearer token names the scheme and why. */
const bearerChallenge = (description: string) => ({ 'WWW-Authenticate': `Bearer realm="partnerhub", error="invalid_token", error_description="${description}"` });

/** Every request-level refusal this face sends, with its status. */
export const FAILURES = {
  missingCredentials: () => failure(400, 'err_xdk_missing_credentials', '0001 Credentials are missing from the request'),
  invalidSignature: () => failure(401, 'err_xdk_invalid_signature', '0004 Invalid Signature'),
  // Mimecast answers an unknown application id with HTTP 200 (WIRE.md).
  unknownApp: (appId: string) => failure(200, 'err_developer_key', `App ID is invalid: ${appId}`),
  bindingExpired: () => failure(418, 'err_xdk_binding_expired', 'Binding Expired'),
  // API 2.0: a bearer token this server did not issue (or whose credential was revoked), or one past its lifetime.
  invalidToken: () => new McFailure(401, err('err_xdk_invalid_access_token', 'The access token is invalid'), bearerChallenge('The access token is invalid')),
  expiredToken: () => new McFailure(401, err('err_xdk_access_token_expired', 'The access token has expired; request a new one from /oauth/token'), bearerChallenge('The access token expired')),
  badDate: () =>
    failure(401, 'err_xdk_invalid_request_date', 'The x-mc-date header is not a date in RFC 1123 form, e.g. "Tue, 24 Nov 2015 12:50:11 UTC"'),
  staleDate: (windowMs: number) =>
    failure(401, 'err_xdk_request_date_out_of_range', `The x-mc-date header is more than ${Math.round(windowMs / 1000)} seconds away from the server time`),
  replayed: () => failure(401, 'err_xdk_request_replayed', 'This x-mc-req-id was already used; send every request with a new request id'),
  rateLimited: (resetMs: number) => new McFailure(429, rateLimitedError(resetMs)),
  forbidden: () => failure(403, 'err_xdk_operation_forbidden', '0003 Forbidden To Perform Operation'),
  notFound: (path: string) => failure(404, 'err_resource_not_found', `There is no endpoint ${path}`),
  malformed: (why: string) => failure(400, 'err_request_malformed', `The request body could not be read: ${why}`),
  badPageToken: () => new McFailure(400, { ...err('err_validation_invalid_value', 'pageToken is not a token this server issued'), field: 'pageToken' }),
  tooLarge: () => failure(413, 'err_request_too_large', 'The request body is too large'),
  internal: () => failure(500, 'err_internal_server_error', 'Internal Server Error', true),
};

/** The codes a sandbox fault of some status is sent with (others: err_request_failed). */
const CODE_FOR_STATUS: Record<number, [string, string]> = {
  400: ['err_request_malformed', 'The request could not be read'],
  401: ['err_xdk_invalid_signature', '0004 Invalid Signature'],
  403: ['err_xdk_operation_forbidden', '0003 Forbidden To Perform Operation'],
  404: ['err_resource_not_found', 'Not found'],
  429: ['err_xdk_rate_limit_exceeded', 'Rate limit exceeded'],
};

/** A sandbox fault of any status in Mimecast's envelope; 5xx and 429 are retryable, as Mimecast marks them. */
export function statusFailure(status: number, message?: string): McFailure {
  const [code, text] = status >= 500 ? ['err_internal_server_error', 'Internal Server Error'] : (CODE_FOR_STATUS[status] ?? ['err_request_failed', 'Request failed']);
  return failure(status, code, message ?? text, status >= 500 || status === 429);
}

function rateLimitedError(resetMs: number): McError {
  return err('err_xdk_rate_limit_exceeded', `Rate limit exceeded; a request is allowed again in ${resetMs} ms`, true);
}

const forbiddenForAccount = () => err('err_xdk_operation_forbidden_for_account', '0003 Forbidden To Perform Operation For Account');

const CODE_FOR_PROBLEM: Record<FieldProblem, string> = {
  missing: 'err_validation_null',
  blank: 'err_validation_blank',
  whitespace: 'err_validation_leading_or_trailing_whitespace',
  too_long: 'err_validation_max_length',
  invalid: 'err_validation_invalid_value',
  invalid_email: 'err_validation_invalid_email_address',
  unknown: 'err_validation_unknown_value',
};

/** Domain field names as this face's clients spell them. */
const FIELD_NAMES: Record<string, string> = {
  name: 'accountName',
  zip: 'postalCode',
  userCount: 'numberOfUsers',
  productIds: 'products',
};

/** A domain field problem in Mimecast's words: its code, and the field (also inside the message) as clients name it. */
export function fieldError(f: FieldError): McError {
  let code = CODE_FOR_PROBLEM[f.problem];
  if (f.field === 'products' && f.problem === 'unknown') code = 'err_validation_unknown_product';
  else if (f.field === 'products' && f.problem === 'invalid') code = 'err_validation_product_not_allowed';
  else if (f.field === 'userCount' && f.problem === 'invalid') code = 'err_validation_number_of_users';
  const field = FIELD_NAMES[f.field] ?? f.field;
  return { code, message: f.message.replace(new RegExp(`\\b${f.field}\\b`, 'g'), field), retryable: false, field };
}

/** A wrong JSON type for a field, found before the domain sees the item. */
function typeError(field: string, expected: string): McError {
  return { code: 'err_validation_invalid_type', message: `${field} must be ${expected}`, retryable: false, field };
}

/** What the fields of the request and of its items must be, as the type errors word it. */
const EXPECTED: Record<string, string> = {
  body: 'an object like {"data":[]}',
  data: 'an array',
  meta: 'an object',
  pagination: 'an object',
  pageToken: 'a string',
  numberOfUsers: 'a whole number',
  maximumRetention: 'a whole number',
  forcePasswordChange: 'true or false',
  products: 'an array of product ids',
  umbrellaAccounts: 'an array of strings',
};

/** One schema failure: where it is (a JSON pointer) and which rule failed (the keyword). */
export interface SchemaIssue {
  instancePath: string;
  keyword: string;
  message: string;
}

/** The keyword of the one rule no account field allows to fail silently: PostgreSQL text cannot hold U+0000. */
export const NUL_KEYWORD = 'noNul';

/** A request envelope that does not fit RequestBody: the first problem, as the envelope's own checks word it. */
function envelopeError(issue: SchemaIssue): McError {
  const segments = issue.instancePath.split('/').filter(Boolean);
  const field = segments.at(-1) ?? 'body';
  if (field === 'pageSize') return { code: 'err_validation_invalid_value', message: 'pageSize must be a whole number from 1 to 500', retryable: false, field };
  return typeError(field, EXPECTED[field] ?? 'valid');
}

/**
 * The errors of one `data` item that does not fit its operation's schema: one per field, in the
 * schema's field order. A field that is text with a NUL character gets its own error; any other
 * mismatch is a type error.
 */
export function itemSchemaErrors(issues: SchemaIssue[]): McError[] {
  const byField = new Map<string, SchemaIssue[]>();
  for (const issue of issues) {
    const field = issue.instancePath.split('/').filter(Boolean)[0] ?? '';
    byField.set(field, [...(byField.get(field) ?? []), issue]);
  }
  return [...byField].map(([field, found]) => {
    if (field === '') return typeError('data', 'an array of objects');
    if (found.every((i) => i.keyword === NUL_KEYWORD)) {
      return { code: 'err_validation_invalid_value', message: `${field} must not contain NUL characters`, retryable: false, field };
    }
    return typeError(field, EXPECTED[field] ?? 'a string');
  });
}

/** A required field the face itself checks (the account an update names). */
export function missingField(field: string, blank: boolean): McError {
  const f: FieldError = blank
    ? { field, problem: 'blank', message: `Required field ${field} cannot be empty` }
    : { field, problem: 'missing', message: `Missing required field: ${field}` };
  return fieldError(f);
}

/**
 * What a domain failure of one `data` item looks like in `fail`, and whether it was a refusal of the
 * account (outside the caller's reach). Errors that are not the item's fault are not caught here.
 */
export function itemErrors(e: DomainError): { errors: McError[]; refused: boolean } {
  switch (e.code) {
    case ErrorCode.Validation:
      return {
        errors: (e.details.fields?.length ? e.details.fields : [{ field: 'data', problem: 'invalid' as const, message: e.message }]).map(fieldError),
        refused: false,
      };
    case ErrorCode.Forbidden:
    case ErrorCode.NotFound:
      return { errors: [forbiddenForAccount()], refused: true };
    case ErrorCode.Conflict:
      return { errors: [err('err_conflict', e.message, true)], refused: false };
    case ErrorCode.NameTaken:
      return { errors: [err('err_validation_domain_already_exists', e.message)], refused: false };
    case ErrorCode.LimitReached:
    case ErrorCode.InvalidTransition:
      return { errors: [err('err_validation_invalid_value', e.message)], refused: false };
    case ErrorCode.RateLimited:
      return { errors: [rateLimitedError(e.details.retryAfterMs ?? 0)], refused: false };
    default:
      return { errors: [FAILURES.internal().error], refused: false };
  }
}

/** Whether an item's failure belongs in `fail` (true) or fails the whole request (an internal error). */
export function isItemFailure(e: unknown): e is DomainError {
  return e instanceof DomainError && e.code !== ErrorCode.Internal;
}

/** Any error that reached Fastify, as the refusal of the whole request Mimecast would send. */
function asFailure(error: FastifyError): McFailure {
  if (error instanceof McFailure) return error;
  // A request-level domain refusal (the role a route needs, the caller's own account gone) is Mimecast's 403.
  if (error instanceof DomainError) return error.code === ErrorCode.Forbidden || error.code === ErrorCode.NotFound ? FAILURES.forbidden() : FAILURES.internal();
  if (error instanceof NotFoundRoute) return FAILURES.notFound(error.url);
  if (error.validation?.length) return new McFailure(400, envelopeError(error.validation[0] as SchemaIssue));
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status === 413) return FAILURES.tooLarge();
  // Fastify's own 4xx (a bad Content-Length, broken percent-encoding): its message says what was wrong.
  if (status >= 400 && status < 500) return new McFailure(status, err('err_request_malformed', error.message));
  return FAILURES.internal();
}

function send(reply: FastifyReply, body: McEnvelope): FastifyReply {
  return reply.code(body.meta.status).type('application/json; charset=utf-8').send(body);
}

/** An OAuth 2.0 error response (RFC 6749 §5.2), as `POST /oauth/token` answers every refusal. */
export class OAuthFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'server_error',
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

/** Every refusal of the token endpoint. invalid_client is a 401 that names Basic, the scheme the endpoint takes. */
export const OAUTH = {
  invalidRequest: (why: string) => new OAuthFailure(400, 'invalid_request', why),
  invalidClient: () => new OAuthFailure(401, 'invalid_client', 'Client authentication failed', { 'WWW-Authenticate': 'Basic realm="partnerhub"' }),
  unsupportedGrant: (grant: string) =>
    new OAuthFailure(400, 'unsupported_grant_type', `The grant type ${JSON.stringify(grant)} is not supported; use client_credentials`),
};

/** Any error at the token endpoint in OAuth's shape; the status of a framework error (404, 413) is kept. */
function asOAuthFailure(error: FastifyError): OAuthFailure {
  if (error instanceof OAuthFailure) return error;
  const f = asFailure(error);
  if (f.status >= 500) return new OAuthFailure(500, 'server_error', 'Internal Server Error');
  return new OAuthFailure(f.status, 'invalid_request', f.error.message);
}

/** The face's error handler (FaceDefinition.errors). A 5xx is logged and never shows its cause. */
export function respond(error: FastifyError, request: FastifyRequest, reply: FastifyReply, scope: Record<string, unknown> = {}): FastifyReply {
  if (scope.oauth) {
    const o = asOAuthFailure(error);
    if (o.status >= 500) request.log.error({ err: error }, 'mimecast token request failed');
    // RFC 6749 §5.1: nothing about credentials is cached.
    reply.headers({ ...o.headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    return reply.code(o.status).type('application/json; charset=utf-8').send({ error: o.code, error_description: o.description });
  }
  const f = asFailure(error);
  if (f.status >= 500) request.log.error({ err: error }, 'mimecast request failed');
  reply.headers(f.headers);
  return send(reply, requestFailure(f.status, f.error));
}
