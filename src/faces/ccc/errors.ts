/**
 * The CCC face's one error map: the face's own refusals, schema failures, domain errors and framework
 * errors all become ServiceStack's ResponseStatus here, and nowhere else. 5xx never say more than that
 * they failed.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { DomainError, ErrorCode, rateLimited, type FieldError } from '../../domain/errors.js';
import { NAME_MAX, REFERENCE_MAX } from '../../domain/account.js';
import { SERVICE_DOMAIN_MAX } from '../../domain/customer-directory.js';
import { NotFoundRoute, type FaultAnswers } from '../../http/route.js';

export interface ResponseError {
  errorCode: string;
  fieldName: string;
  message: string;
  meta?: Record<string, string> | null;
}

export interface ResponseStatus {
  errorCode: string;
  message: string;
  errors: ResponseError[];
}

/** A refusal the face itself makes (authentication, a refused callback, a wrong method). */
export class CccError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly errors: ResponseError[] = [],
  ) {
    super(message);
  }
}

/** ServiceStack's error codes for a sandbox fault of some status (others: HttpError). */
const CODE_FOR_STATUS: Record<number, [string, string]> = {
  400: ['ArgumentException', 'Bad Request'],
  401: ['Unauthorized', 'Not Authenticated'],
  403: ['Forbidden', 'Forbidden'],
  404: ['NotFound', 'Not Found'],
  409: ['Conflict', 'Conflict'],
  429: ['TooManyRequests', 'Exceeded request limits'],
  500: ['Exception', 'An internal error occurred'],
  503: ['ServiceUnavailable', 'Service Unavailable'],
};

/**
 * A sandbox fault rule's answers: throttling is the domain's own refusal (the 5-minute enable/disable window,
 * 429 TooManyRequests), any other status a ResponseStatus with ServiceStack's code for it.
 */
export const faultAnswers: FaultAnswers = {
  throttled: (_request, _reply, retryAfterMs) => rateLimited(retryAfterMs ?? 5 * 60_000),
  failure: (status, message) => {
    const [code, text] = CODE_FOR_STATUS[status] ?? [status >= 500 ? 'Exception' : 'HttpError', 'Request failed'];
    return new CccError(status, code, message ?? text);
  },
};

export const notAuthenticated = () => new CccError(401, 'Unauthorized', 'Not Authenticated');

export const keyRefused = (revoked: boolean) => new CccError(403, 'Forbidden', revoked ? 'API Key has been cancelled' : 'API Key has expired');

export function callbackRefused(name: string): CccError {
  const message = `'${name}' is an Invalid value for 'callback'`;
  return new CccError(400, 'ArgumentException', message, [{ errorCode: 'ArgumentException', fieldName: 'callback', message }]);
}

export function methodNotAllowed(method: string, operationId: string): CccError {
  const m = method.charAt(0) + method.slice(1).toLowerCase();
  return new CccError(405, 'NotImplementedException', `Could not find method named ${m}(${operationId}) or Any(${operationId}) on Service CccService`);
}

/** A pre-defined route naming no operation: ServiceStack's handler throws NotImplementedException, answered 405. */
export function unknownOperation(name: string): CccError {
  return new CccError(405, 'NotImplementedException', `The operation '${name}' does not exist for this service`);
}

/** A value that does not convert to its property's type, worded as ServiceStack words it. */
function invalidValue(prop: string, value: string): ResponseStatus {
  const message = `'${value}' is an Invalid value for '${prop}'`;
  return { errorCode: 'SerializationException', message, errors: [{ errorCode: 'SerializationException', fieldName: prop, message }] };
}

/** FluentValidation-style errors: the first one is also the top-level code and message. */
function validationFailed(errors: ResponseError[]): ResponseStatus {
  return { errorCode: errors[0].errorCode, message: errors[0].message, errors };
}

/** FluentValidation's display name of a property: its PascalCase words ('PageSize' → 'Page Size'). */
function displayName(path: string): string {
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  return leaf.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
}

// ---- schema failures ----

const CONVERSION_KEYWORDS = new Set(['type', 'format', 'pattern', 'enum']);

/** Failures of binding (a value that is not the property's type) rather than of a validator's rule. */
function isConversion(e: ErrorObject): boolean {
  return CONVERSION_KEYWORDS.has(e.keyword) && !(e.keyword === 'format' && e.params.format === 'ccc-email');
}

function propertyPath(e: ErrorObject): string {
  const parts = e.instancePath.split('/').filter(Boolean);
  if (e.keyword === 'required') parts.push(e.params.missingProperty as string);
  return parts.join('.');
}

/** One schema failure as the FluentValidation rule the vendor's validator declares for the property. */
function fluentError(e: ErrorObject): ResponseError {
  const prop = propertyPath(e);
  const display = displayName(prop);
  const meta = { PropertyName: prop };
  switch (e.keyword) {
    case 'required':
      return { errorCode: 'NotEmpty', fieldName: prop, message: `'${display}' must not be empty.`, meta };
    case 'minimum':
      return {
        errorCode: 'GreaterThanOrEqual',
        fieldName: prop,
        message: `'${display}' must be greater than or equal to '${e.params.limit}'.`,
        meta: { ...meta, ComparisonValue: String(e.params.limit) },
      };
    case 'maxLength':
      return { errorCode: 'MaximumLength', fieldName: prop, message: `The length of '${display}' must be ${e.params.limit} characters or fewer.${entered(e.data)}`, meta };
    case 'format':
      return { errorCode: 'Email', fieldName: prop, message: `'${display}' is not a valid email address.`, meta };
    default:
      return { errorCode: 'Predicate', fieldName: prop, message: `'${display}' ${e.message ?? 'is not valid'}.`, meta };
  }
}

function entered(value: unknown): string {
  return typeof value === 'string' ? ` You entered ${[...value.trim()].length} characters.` : '';
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
}

/** Property paths in declaration order, depth first: the order FluentValidation runs its rules in. */
function declarationOrder(schema: SchemaNode | undefined, prefix = '', out: string[] = []): string[] {
  for (const [name, p] of Object.entries(schema?.properties ?? {})) {
    out.push(prefix + name);
    declarationOrder(p, `${prefix}${name}.`, out);
  }
  return out;
}

/**
 * ServiceStack binds the whole request DTO before any validator runs, so a value that does not convert is
 * the one error reported; otherwise every failed rule is, in the order the DTO declares its properties
 * (Ajv reports `required` before the other keywords of an object).
 */
function fromSchema(error: FastifyError, request: FastifyRequest): ResponseStatus {
  const failures = (error.validation ?? []) as ErrorObject[];
  const conversion = failures.find(isConversion);
  if (conversion) {
    const prop = propertyPath(conversion);
    const value = conversion.data;
    return invalidValue(prop.slice(prop.lastIndexOf('.') + 1), typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const schemas = request.routeOptions.schema as Record<string, SchemaNode> | undefined;
  const order = declarationOrder(schemas?.[error.validationContext ?? '']);
  const rank = (p: string) => (order.indexOf(p) < 0 ? order.length : order.indexOf(p));
  const errors = failures.map(fluentError).sort((a, b) => rank(a.fieldName) - rank(b.fieldName));
  return validationFailed(errors.length ? errors : [{ errorCode: 'Predicate', fieldName: '', message: error.message }]);
}

// ---- domain failures ----

/**
 * Domain field names → the request DTO's property path and the length limit the domain applies. Display
 * names come from the property, as FluentValidation derives them; the domain's own messages name its
 * fields (userCount), which a CCC client does not know, so they are reworded here.
 */
const FIELDS: Record<string, [prop: string, max?: number]> = {
  primaryDomain: ['PrimaryDomain', SERVICE_DOMAIN_MAX],
  resellerGuid: ['ResellerGuid'],
  name: ['ServiceName', NAME_MAX],
  referenceNumber: ['ReferenceId', REFERENCE_MAX],
  contactName: ['Contact.Name', 255],
  contactEmail: ['Contact.Email', 255],
  telephone: ['Contact.PhoneNumber', 255],
  addressLine1: ['Company.Address', 255],
  city: ['Company.City', 255],
  state: ['Company.StateProvince', 255],
  zip: ['Company.PostalCode', 255],
  country: ['Company.Country', 255],
  userCount: ['TotalUserCount'],
};

/** The bound request DTO's value at a property path (for "You entered N characters"). */
function submitted(request: FastifyRequest, path: string): unknown {
  let v: unknown = request.body;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

function fromField(f: FieldError, request: FastifyRequest): ResponseError {
  const [prop, max] = FIELDS[f.field] ?? [f.field.charAt(0).toUpperCase() + f.field.slice(1)];
  const display = FIELDS[f.field] ? displayName(prop) : f.field;
  const meta = { PropertyName: prop };
  switch (f.problem) {
    case 'missing':
    case 'blank':
      return { errorCode: 'NotEmpty', fieldName: prop, message: `'${display}' must not be empty.`, meta };
    case 'too_long':
      return { errorCode: 'MaximumLength', fieldName: prop, message: `The length of '${display}' must be ${max ?? 255} characters or fewer.${entered(submitted(request, prop))}`, meta };
    case 'invalid_email':
      return { errorCode: 'Email', fieldName: prop, message: `'${display}' is not a valid email address.`, meta };
    case 'whitespace':
      return { errorCode: 'Predicate', fieldName: prop, message: `'${display}' cannot begin or end with a space.`, meta };
    default: {
      const word = new RegExp(`\\b${f.field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
      return { errorCode: 'Predicate', fieldName: prop, message: f.message.replace(word, `'${display}'`), meta };
    }
  }
}

function fromDomain(e: DomainError, request: FastifyRequest): { status: number; responseStatus: ResponseStatus } | null {
  const rs = (status: number, errorCode: string, message: string) => ({ status, responseStatus: { errorCode, message, errors: [] } });
  switch (e.code) {
    case ErrorCode.Validation: {
      const errors = (e.details.fields ?? []).map((f) => fromField(f, request));
      return { status: 400, responseStatus: validationFailed(errors.length ? errors : [{ errorCode: 'Predicate', fieldName: '', message: e.message }]) };
    }
    case ErrorCode.NotFound: {
      // A route reports any not-found in the words of what it names ("Reseller not found"), never which
      // account of the chain was missing or out of the caller's subtree.
      const what = (request.routeOptions.config as { notFoundAs?: string }).notFoundAs;
      return rs(404, 'NotFound', what ? `${what} not found` : e.message);
    }
    case ErrorCode.Forbidden:
      // ServiceStack's wording for a principal that lacks the role an operation needs.
      return rs(403, 'Forbidden', e.message === 'Not authorized' ? 'Invalid Role' : e.message);
    case ErrorCode.Unauthenticated:
    case ErrorCode.CredentialExpired:
      return rs(401, 'Unauthorized', 'Not Authenticated');
    case ErrorCode.Conflict:
    case ErrorCode.InvalidTransition:
      return rs(409, 'Conflict', e.message);
    case ErrorCode.RateLimited:
      return rs(429, 'TooManyRequests', e.message);
    case ErrorCode.LimitReached:
      return rs(400, 'ArgumentException', e.message);
    case ErrorCode.NameTaken:
      return rs(409, 'AlreadyExists', e.message);
    default:
      return null;
  }
}

// ---- everything ----

const INTERNAL = { status: 500, responseStatus: { errorCode: 'Exception', message: 'An internal error occurred', errors: [] } };
const FRAMEWORK_CODES: Record<number, string> = { 404: 'NotFound', 405: 'MethodNotAllowed', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType' };

export function toResponseStatus(e: unknown, request: FastifyRequest): { status: number; responseStatus: ResponseStatus } {
  if (e instanceof CccError) return { status: e.status, responseStatus: { errorCode: e.errorCode, message: e.message, errors: e.errors } };
  if (e instanceof DomainError) return fromDomain(e, request) ?? INTERNAL;
  const fe = e as FastifyError;
  if (fe?.validation) return { status: 400, responseStatus: fromSchema(fe, request) };
  if (e instanceof NotFoundRoute) {
    return { status: 404, responseStatus: { errorCode: 'NotFound', message: `Handler for Request not found: ${request.method} ${e.url}`, errors: [] } };
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // A body or path that does not parse is what ServiceStack reports as a failed deserialization.
    const errorCode = fe.statusCode === 400 ? 'SerializationException' : FRAMEWORK_CODES[fe.statusCode] ?? 'HttpError';
    return { status: fe.statusCode, responseStatus: { errorCode, message: fe.message ?? 'Bad Request', errors: [] } };
  }
  return INTERNAL;
}

/** The face's error responder (mountFace installs it on every CCC scope). */
export function cccErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, responseStatus } = toResponseStatus(error, request);
  if (status >= 500) request.log.error({ err: error }, 'CCC request failed');
  return reply.code(status).send({ responseStatus });
}
