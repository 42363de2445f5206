import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../../domain/errors.js';
import type { FaultAnswers } from '../../http/route.js';
import { CONTENT_TYPE, negotiate } from './codec.js';
import { dotNetDate, headerSafe, xmlFault, type XmlElement } from './xml.js';

/**
 * The Rackspace face's one error map: every domain error, schema failure, framework error and failed
 * authentication becomes a fault — a status, an `x-error-message` header and a fault document in the format
 * the client asked for (v2: always JSON). What differs by API version or by operation is read from the
 * route's config (and, for unknown URLs and router errors, its scope's): `version` and `unknownCustomer`.
 */

export type FaultKind = 'badRequestFault' | 'itemNotFoundFault' | 'unauthorizedFault' | 'validationFault' | 'appsFault';

interface Fault {
  status: number;
  kind: FaultKind;
  message: string;
  resourceType?: string;
}

interface RackspaceConfig {
  version?: 'v0' | 'v1' | 'v2';
  /** How an operation answers for a customer the caller cannot see or act on (enable/disable: "Not authorized"). */
  unknownCustomer?: 'notFound' | 'notAuthorized';
}

export const MESSAGES = {
  authenticationFailed: 'Authentication failed.',
  notAuthorized: 'Not authorized',
  exceededLimits: 'Exceeded request limits',
  customerNotFound: 'Customer Not Found',
  unknownUrl: 'Make sure the URL is correct.',
  /** v2's own words. */
  v2Unauthorized: 'Unauthorized.',
  v2EmptyPayload: 'Payload must be a valid JSON object. Make sure the POST body contains content.',
  v2WrongContentType: 'Payload must be a valid JSON object. Verify that the content type is application/json .',
  v2NotAnObject: 'Payload must be a valid JSON object.',
} as const;

/** Throttled: what the rate limiter throws, and a sandbox fault rule's throttling answer. */
export const exceededRequestLimits = () => new DomainError(ErrorCode.RateLimited, MESSAGES.exceededLimits);

/** A sandbox fault of any status, as the fault Rackspace sends with that status. */
class StatusFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const KIND_FOR_STATUS: Record<number, FaultKind> = { 400: 'badRequestFault', 401: 'unauthorizedFault', 403: 'unauthorizedFault', 404: 'itemNotFoundFault' };

export const faultAnswers: FaultAnswers = {
  throttled: () => exceededRequestLimits(),
  failure: (status, message) => new StatusFailure(status, message ?? (status >= 500 ? 'Internal Server Error' : 'Request failed')),
};

const fault = (status: number, kind: FaultKind, message: string, resourceType?: string): Fault => ({ status, kind, message, resourceType });
const badRequest = (message: string) => fault(400, 'badRequestFault', message);
const unauthorized = (message: string) => fault(403, 'unauthorizedFault', message);
const customerNotFound = () => fault(404, 'itemNotFoundFault', MESSAGES.customerNotFound, 'customer');
const unknownUrl = () => fault(404, 'itemNotFoundFault', MESSAGES.unknownUrl);
const internal = () => fault(500, 'appsFault', 'Internal Server Error');

/** The domain's resource names in the vendor's words. */
const RESOURCE_TYPES: Record<string, string> = { account: 'customer', user: 'user', mailbox: 'rsMailbox', alias: 'rsAlias' };

function domainFault(e: DomainError, config: RackspaceConfig): Fault {
  switch (e.code) {
    case ErrorCode.Validation: {
      // v0's page (seed 003) words the whitespace rule on names as just "Improper Customer Name"; its clients compare that text.
      const first = e.details.fields?.[0];
      if (config.version === 'v0' && first?.field === 'name' && first.problem === 'whitespace') return fault(400, 'validationFault', 'Improper Customer Name');
      return fault(400, 'validationFault', e.message);
    }
    case ErrorCode.NotFound: {
      if (config.unknownCustomer === 'notAuthorized') return unauthorized(MESSAGES.notAuthorized);
      const resource = RESOURCE_TYPES[e.details.resource ?? 'account'] ?? e.details.resource ?? 'customer';
      return resource === 'customer' ? customerNotFound() : fault(404, 'itemNotFoundFault', e.message, resource);
    }
    case ErrorCode.Forbidden:
      return unauthorized(MESSAGES.notAuthorized);
    case ErrorCode.RateLimited:
      return unauthorized(MESSAGES.exceededLimits);
    case ErrorCode.Unauthenticated:
    case ErrorCode.CredentialExpired:
      return unauthorized(MESSAGES.authenticationFailed);
    case ErrorCode.InvalidTransition:
    case ErrorCode.LimitReached:
    case ErrorCode.NameTaken:
      return badRequest(e.message);
    case ErrorCode.Conflict:
      return fault(409, 'appsFault', e.message);
    default:
      return internal();
  }
}

/**
 * v2 reads domain errors its own way: every missing thing (account, contact, invoice, CSV) is the one "Make sure
 * the URL is correct." 404, a missing role is "Unauthorized.", and paging errors are bad requests.
 */
function v2DomainFault(e: DomainError): Fault {
  switch (e.code) {
    case ErrorCode.NotFound:
      return unknownUrl();
    case ErrorCode.Forbidden:
      return unauthorized(MESSAGES.v2Unauthorized);
    case ErrorCode.Validation: {
      const field = e.details.fields?.[0]?.field;
      return fault(400, field === 'size' || field === 'offset' ? 'badRequestFault' : 'validationFault', e.message);
    }
    case ErrorCode.LimitReached:
      return badRequest(e.message);
    default:
      return domainFault(e, {});
  }
}

/** The top-level field a schema failure is about (`/size` → size), or '' when it is about the whole part. */
function fieldOf(issue: { instancePath?: string }): string {
  return (issue.instancePath ?? '').split('/')[1] ?? '';
}

/** A query value the schema refused: given twice, carrying NUL, not a whole number, or a search of both kinds. */
function queryMessage(issue: { instancePath?: string; keyword?: string }, query: unknown): string {
  if (issue.keyword === 'not' && !issue.instancePath) return 'Cannot search with both startswith and contains';
  const name = fieldOf(issue);
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string') return `Invalid ${name}: give it once`;
  if (value.includes('\u0000')) return `Invalid ${name}: text cannot contain NUL characters`;
  if (name === 'size' && /^\s*\d{1,9}\s*$/.test(value)) return 'Invalid size: must be from 1 to 250';
  return `Invalid ${name}: must be a whole number of 0 or more`;
}

/** How each body field says what it takes, when the schema refused its value. */
const FIELD_TAKES: Record<string, string> = { virtualUser: 'use true or false' };

function bodyFault(issue: { instancePath?: string }, body: unknown, config: RackspaceConfig): Fault {
  const name = fieldOf(issue);
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const nul = typeof value === 'string' && value.includes('\u0000');
  if (config.version === 'v2') return badRequest(name ? `${name} cannot contain NUL characters.` : MESSAGES.v2NotAnObject);
  if (!name) return badRequest('The request body must be a set of fields');
  if (nul) return badRequest(`Invalid value for field ${name}: text cannot contain NUL characters`);
  return badRequest(`Invalid value for field ${name}: ${FIELD_TAKES[name] ?? 'expected text'}`);
}

function validationFault(e: FastifyError, request: FastifyRequest, config: RackspaceConfig): Fault {
  const issue = e.validation?.[0] ?? {};
  switch (e.validationContext) {
    case 'params':
      if (config.version === 'v2') return unknownUrl();
      return config.unknownCustomer === 'notAuthorized' ? unauthorized(MESSAGES.notAuthorized) : customerNotFound();
    case 'querystring':
      return badRequest(queryMessage(issue, request.query));
    case 'body':
      return bodyFault(issue, request.body, config);
    default:
      return badRequest('Malformed request');
  }
}

function frameworkFault(e: FastifyError | undefined, config: RackspaceConfig): Fault {
  const v2 = config.version === 'v2';
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  switch (e?.code) {
    case 'FST_ERR_NOT_FOUND':
      return unknownUrl();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return fault(413, 'badRequestFault', 'Request body too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return badRequest(v2 ? MESSAGES.v2WrongContentType : 'Unsupported content type: send application/x-www-form-urlencoded, application/json or text/xml');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest(v2 ? MESSAGES.v2EmptyPayload : 'Malformed JSON body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest(v2 ? MESSAGES.v2NotAnObject : 'Malformed JSON body');
    case 'FST_ERR_CTP_INVALID_XML':
      return badRequest('Malformed XML body');
  }
  if (status === 413) return fault(413, 'badRequestFault', 'Request body too large');
  if (status >= 400 && status < 500) return badRequest('Malformed request');
  return internal();
}

function faultFor(error: unknown, request: FastifyRequest, config: RackspaceConfig): Fault {
  if (error instanceof StatusFailure) return fault(error.status, KIND_FOR_STATUS[error.status] ?? (error.status >= 500 ? 'appsFault' : 'badRequestFault'), error.message);
  if (error instanceof DomainError) return config.version === 'v2' ? v2DomainFault(error) : domainFault(error, config);
  const e = error as FastifyError | undefined;
  if (e?.validation) return validationFault(e, request, config);
  return frameworkFault(e, config);
}

/** Sends the fault: `x-error-message` plus the fault document (JSON through the route's fault schema, or XML). */
export function rackspaceErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply, scope: Record<string, unknown>): FastifyReply {
  const config = { ...scope, ...(request.routeOptions?.config ?? {}) } as RackspaceConfig;
  const f = faultFor(error, request, config);
  if (f.status >= 500 && !(error instanceof StatusFailure)) request.log.error({ err: error }, 'rackspace request failed');
  const format = config.version === 'v2' ? 'json' : negotiate(request.headers.accept).format;
  // The server's time helps a client whose signature was refused because its clock is off.
  const details = dotNetDate(new Date(request.server.domain.clock.now()));
  reply.code(f.status).header('x-error-message', headerSafe(f.message));
  if (format === 'json') {
    const body: Record<string, unknown> = { message: f.message, details, code: f.status };
    if (f.resourceType) body.resourceType = f.resourceType;
    return reply.type(CONTENT_TYPE.json).send({ [f.kind]: body });
  }
  const children: XmlElement[] = [
    ['message', f.message],
    ['details', details],
  ];
  if (f.resourceType) children.push(['resourceType', f.resourceType]);
  return reply.type(CONTENT_TYPE.xml).send(xmlFault(f.kind, f.status, children));
}
