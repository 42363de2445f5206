/** ServiceStack's ResponseStatus errors, and the one place domain error codes become CCC statuses. */
import { DomainError, ErrorCode, type FieldError } from '../../domain/errors.js';
import { NAME_MAX, REFERENCE_MAX } from '../../domain/account.js';
import { SERVICE_DOMAIN_MAX } from '../../domain/service.js';

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

/** A query or body value that does not convert to its property's type, worded as ServiceStack words it. */
export function invalidValue(prop: string, value: string): CccError {
  const message = `'${value}' is an Invalid value for '${prop}'`;
  return new CccError(400, 'SerializationException', message, [{ errorCode: 'SerializationException', fieldName: prop, message }]);
}

/** FluentValidation-style errors: the first one is also the top-level code and message. */
export function validationFailed(errors: ResponseError[]): CccError {
  return new CccError(400, errors[0].errorCode, errors[0].message, errors);
}

export const notAuthenticated = () => new CccError(401, 'Unauthorized', 'Not Authenticated');

/** Domain field names → CCC property path, the words FluentValidation would show, and a length limit. */
const FIELDS: Record<string, [prop: string, display: string, max?: number]> = {
  primaryDomain: ['PrimaryDomain', 'Primary Domain', SERVICE_DOMAIN_MAX],
  resellerGuid: ['ResellerGuid', 'Reseller Guid'],
  name: ['ServiceName', 'Service Name', NAME_MAX],
  referenceNumber: ['ReferenceId', 'Reference Id', REFERENCE_MAX],
  contactName: ['Contact.Name', 'Name', 255],
  contactEmail: ['Contact.Email', 'Email', 255],
  telephone: ['Contact.PhoneNumber', 'Phone Number', 255],
  addressLine1: ['Company.Address', 'Address', 255],
  city: ['Company.City', 'City', 255],
  state: ['Company.StateProvince', 'State Province', 255],
  zip: ['Company.PostalCode', 'Postal Code', 255],
  country: ['Company.Country', 'Country', 255],
  userCount: ['TotalUserCount', 'Total User Count'],
};

/** One domain field problem in FluentValidation's codes and words. `valueOf` gives the submitted value, for lengths. */
export function responseError(f: FieldError, valueOf: (field: string) => unknown = () => undefined): ResponseError {
  const [prop, display, max] = FIELDS[f.field] ?? [f.field.charAt(0).toUpperCase() + f.field.slice(1), f.field];
  switch (f.problem) {
    case 'missing':
    case 'blank':
      return { errorCode: 'NotEmpty', fieldName: prop, message: `'${display}' must not be empty.`, meta: { PropertyName: prop } };
    case 'too_long': {
      const v = valueOf(f.field);
      const entered = typeof v === 'string' ? ` You entered ${[...v.trim()].length} characters.` : '';
      return { errorCode: 'MaximumLength', fieldName: prop, message: `The length of '${display}' must be ${max ?? 255} characters or fewer.${entered}`, meta: { PropertyName: prop } };
    }
    case 'invalid_email':
      return { errorCode: 'Email', fieldName: prop, message: `'${display}' is not a valid email address.`, meta: { PropertyName: prop } };
    case 'whitespace':
      return { errorCode: 'Predicate', fieldName: prop, message: `'${display}' cannot begin or end with a space.`, meta: { PropertyName: prop } };
    default:
      // The domain's message names its own field (userCount); a CCC client knows the property's display name.
      return { errorCode: 'Predicate', fieldName: prop, message: f.message.replace(new RegExp(`\\b${f.field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`), `'${display}'`), meta: { PropertyName: prop } };
  }
}

/** The status and ResponseStatus for anything a route threw; 5xx never say more than that they failed. */
export function toResponseStatus(e: unknown): { status: number; responseStatus: ResponseStatus } {
  if (e instanceof CccError) return { status: e.status, responseStatus: { errorCode: e.errorCode, message: e.message, errors: e.errors } };
  if (e instanceof DomainError) {
    switch (e.code) {
      case ErrorCode.Validation: {
        const errors = (e.details.fields ?? []).map((f) => responseError(f));
        if (errors.length === 0) errors.push({ errorCode: 'Predicate', fieldName: '', message: e.message });
        return { status: 400, responseStatus: { errorCode: errors[0].errorCode, message: errors[0].message, errors } };
      }
      case ErrorCode.NotFound:
        return { status: 404, responseStatus: { errorCode: 'NotFound', message: e.message, errors: [] } };
      case ErrorCode.Forbidden:
        // ServiceStack's wording for a principal that lacks the role an operation needs.
        return { status: 403, responseStatus: { errorCode: 'Forbidden', message: e.message === 'Not authorized' ? 'Invalid Role' : e.message, errors: [] } };
      case ErrorCode.Unauthenticated:
      case ErrorCode.CredentialExpired:
        return { status: 401, responseStatus: { errorCode: 'Unauthorized', message: 'Not Authenticated', errors: [] } };
      case ErrorCode.Conflict:
      case ErrorCode.InvalidTransition:
        return { status: 409, responseStatus: { errorCode: 'Conflict', message: e.message, errors: [] } };
      case ErrorCode.RateLimited:
        return { status: 429, responseStatus: { errorCode: 'TooManyRequests', message: e.message, errors: [] } };
      case ErrorCode.LimitReached:
        return { status: 400, responseStatus: { errorCode: 'ArgumentException', message: e.message, errors: [] } };
      default:
        return internal();
    }
  }
  const fe = e as { statusCode?: number; code?: string; message?: string };
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    if (fe.statusCode === 400) {
      // A body that does not parse is what ServiceStack reports as a failed deserialization.
      return { status: 400, responseStatus: { errorCode: 'SerializationException', message: fe.message ?? 'Bad Request', errors: [] } };
    }
    const names: Record<number, string> = { 404: 'NotFound', 405: 'MethodNotAllowed', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType' };
    return { status: fe.statusCode, responseStatus: { errorCode: names[fe.statusCode] ?? 'HttpError', message: fe.message ?? 'Bad Request', errors: [] } };
  }
  return internal();
}

function internal() {
  return { status: 500, responseStatus: { errorCode: 'Exception', message: 'An internal error occurred', errors: [] } };
}
