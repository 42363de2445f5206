import { DomainError, ErrorCode, type FieldError, type FieldProblem } from '../../domain/errors.js';

/** One error in a Mimecast `fail` entry. */
export interface McError {
  code: string;
  message: string;
  retryable: boolean;
  field?: string;
}

export interface McFail {
  key?: unknown;
  errors: McError[];
}

export interface McPagination {
  pageSize: number;
  totalCount: number;
  next?: string;
  previous?: string;
}

export interface McEnvelope {
  meta: { status: number; pagination?: McPagination };
  data: unknown[];
  fail: McFail[];
}

/** Always `meta`, `data`, `fail`, in that order: clients that compare raw bodies see Mimecast's order. */
export function envelope(status: number, data: unknown[] = [], fail: McFail[] = [], pagination?: McPagination): McEnvelope {
  return { meta: pagination ? { status, pagination } : { status }, data, fail };
}

/** A failure of the whole request (authentication, limits, parsing): no `key`, one error. */
export function requestFailure(status: number, error: McError): McEnvelope {
  return envelope(status, [], [{ errors: [error] }]);
}

const err = (code: string, message: string, retryable = false): McError => ({ code, message, retryable });

/** Every request-level error this face sends, in one place. Codes Mimecast documents are used verbatim. */
export const ERRORS = {
  missingCredentials: () => err('err_xdk_missing_credentials', '0001 Credentials are missing from the request'),
  invalidSignature: () => err('err_xdk_invalid_signature', '0004 Invalid Signature'),
  unknownApp: (appId: string) => err('err_developer_key', `App ID is invalid: ${appId}`),
  bindingExpired: () => err('err_xdk_binding_expired', 'Binding Expired'),
  badDate: () => err('err_xdk_invalid_request_date', 'The x-mc-date header is not a date in RFC 1123 form, e.g. "Tue, 24 Nov 2015 12:50:11 UTC"'),
  staleDate: (windowMs: number) =>
    err('err_xdk_request_date_out_of_range', `The x-mc-date header is more than ${Math.round(windowMs / 1000)} seconds away from the server time`),
  replayed: () => err('err_xdk_request_replayed', 'This x-mc-req-id was already used; send every request with a new request id'),
  rateLimited: (resetMs: number) => err('err_xdk_rate_limit_exceeded', `Rate limit exceeded; a request is allowed again in ${resetMs} ms`, true),
  forbidden: () => err('err_xdk_operation_forbidden', '0003 Forbidden To Perform Operation'),
  forbiddenForAccount: () => err('err_xdk_operation_forbidden_for_account', '0003 Forbidden To Perform Operation For Account'),
  notFound: (path: string) => err('err_resource_not_found', `There is no endpoint ${path}`),
  malformed: (why: string) => err('err_request_malformed', `The request body could not be read: ${why}`),
  tooLarge: () => err('err_request_too_large', 'The request body is too large'),
  internal: () => err('err_internal_server_error', 'Internal Server Error', true),
};

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

export function faceField(domainField: string): string {
  return FIELD_NAMES[domainField] ?? domainField;
}

export function fieldError(f: FieldError): McError {
  let code = CODE_FOR_PROBLEM[f.problem];
  if (f.field === 'products' && f.problem === 'unknown') code = 'err_validation_unknown_product';
  else if (f.field === 'products' && f.problem === 'invalid') code = 'err_validation_product_not_allowed';
  else if (f.field === 'userCount' && f.problem === 'invalid') code = 'err_validation_number_of_users';
  const field = faceField(f.field);
  return { code, message: f.message.replace(new RegExp(`\\b${f.field}\\b`, 'g'), field), retryable: false, field };
}

/** A wrong JSON type for a field, found before the domain sees the item. */
export function typeError(field: string, expected: string): McError {
  return { code: 'err_validation_invalid_type', message: `${field} must be ${expected}`, retryable: false, field };
}

/** What a domain failure of one `data` item looks like in `fail`. Unknown errors are not caught here. */
export function itemErrors(e: DomainError): McError[] {
  switch (e.code) {
    case ErrorCode.Validation:
      return (e.details.fields?.length ? e.details.fields : [{ field: 'data', problem: 'invalid' as const, message: e.message }]).map(fieldError);
    case ErrorCode.Forbidden:
    case ErrorCode.NotFound:
      return [ERRORS.forbiddenForAccount()];
    case ErrorCode.Conflict:
      return [{ code: 'err_conflict', message: e.message, retryable: true }];
    case ErrorCode.LimitReached:
    case ErrorCode.InvalidTransition:
      return [{ code: 'err_validation_invalid_value', message: e.message, retryable: false }];
    case ErrorCode.RateLimited:
      return [ERRORS.rateLimited(e.details.retryAfterMs ?? 0)];
    default:
      return [ERRORS.internal()];
  }
}
