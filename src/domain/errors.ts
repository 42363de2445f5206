/**
 * Every failure the domain reports carries one of these codes. Each face maps codes to its vendor's
 * status and body in one place; the domain never knows which face asked.
 */
export enum ErrorCode {
  Validation = 'validation',
  NotFound = 'not_found',
  Forbidden = 'forbidden',
  Unauthenticated = 'unauthenticated',
  CredentialExpired = 'credential_expired',
  Conflict = 'conflict',
  RateLimited = 'rate_limited',
  InvalidTransition = 'invalid_transition',
  LimitReached = 'limit_reached',
  /** A name that must be unique is in use: a domain anywhere in the system, a mailbox or alias in its domain. */
  NameTaken = 'name_taken',
  Internal = 'internal',
}

/** The kind of problem with one field, so faces can pick the vendor's own wording or code. */
export type FieldProblem = 'missing' | 'blank' | 'whitespace' | 'too_long' | 'invalid' | 'invalid_email' | 'unknown';

export interface FieldError {
  field: string;
  problem: FieldProblem;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { fields?: FieldError[]; resource?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function validationError(fields: FieldError[]): DomainError {
  return new DomainError(ErrorCode.Validation, fields[0]?.message ?? 'Invalid input', { fields });
}

export function notFound(resource: string, message = `${resource} not found`): DomainError {
  return new DomainError(ErrorCode.NotFound, message, { resource });
}

/** A refusal for going over a limit on how often something may be done; the faces send their vendor's throttling answer. */
export function rateLimited(retryAfterMs: number): DomainError {
  return new DomainError(ErrorCode.RateLimited, 'Exceeded request limits', { retryAfterMs });
}

export function forbidden(message = 'Not authorized'): DomainError {
  return new DomainError(ErrorCode.Forbidden, message);
}

export function isDomainError(e: unknown, code?: ErrorCode): e is DomainError {
  return e instanceof DomainError && (code === undefined || e.code === code);
}
