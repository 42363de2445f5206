import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../../domain/errors.js';

/**
 * The operator API's one error map. Every failure is `{"error": {"code", "message"}}` with a matching status;
 * the codes are the domain's (validation, not_found …) plus the operator API's own (unauthorized).
 */
export interface OperatorErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A refusal of the operator API itself (not a domain rule): bad token, a bad fixture file, an unknown snapshot. */
export class OperatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const DOMAIN: Record<ErrorCode, [number, string]> = {
  [ErrorCode.Validation]: [400, 'validation'],
  [ErrorCode.NotFound]: [404, 'not_found'],
  [ErrorCode.Forbidden]: [403, 'forbidden'],
  [ErrorCode.Unauthenticated]: [401, 'unauthorized'],
  [ErrorCode.CredentialExpired]: [401, 'unauthorized'],
  [ErrorCode.Conflict]: [409, 'conflict'],
  [ErrorCode.NameTaken]: [409, 'name_taken'],
  [ErrorCode.RateLimited]: [429, 'rate_limited'],
  [ErrorCode.InvalidTransition]: [409, 'invalid_transition'],
  [ErrorCode.LimitReached]: [400, 'limit_reached'],
  [ErrorCode.Internal]: [500, 'internal'],
};

function describe(error: unknown): { status: number; body: OperatorErrorBody } {
  const body = (code: string, message: string, details?: unknown) => ({ error: details === undefined ? { code, message } : { code, message, details } });
  if (error instanceof OperatorError) return { status: error.status, body: body(error.code, error.message, error.details) };
  if (error instanceof DomainError) {
    const [status, code] = DOMAIN[error.code];
    return { status, body: body(code, status >= 500 ? 'Internal Server Error' : error.message) };
  }
  const e = error as FastifyError;
  if (e?.validation) return { status: 400, body: body('validation', e.message) };
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  if (status === 404) return { status, body: body('not_found', e.message || 'not found') };
  if (status < 500) return { status, body: body('bad_request', e.message) };
  return { status: 500, body: body('internal', 'Internal Server Error') };
}

export function operatorErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = describe(error);
  if (status >= 500) request.log.error({ err: error }, 'operator request failed');
  return reply.code(status).type('application/json').send(body);
}
