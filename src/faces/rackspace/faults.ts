import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../../domain/errors.js';
import { CONTENT_TYPE, dotNetDate, headerSafe, negotiate, xmlFault, type Format, type XmlElement } from './codec.js';

export type FaultKind = 'badRequestFault' | 'itemNotFoundFault' | 'unauthorizedFault' | 'validationFault' | 'appsFault';

/** A Rackspace fault: the status, the fault element and the message that also goes to `x-error-message`. */
export class RackspaceFault extends Error {
  constructor(
    readonly status: number,
    readonly kind: FaultKind,
    message: string,
    readonly resourceType?: string,
  ) {
    super(message);
    this.name = 'RackspaceFault';
  }
}

export const AUTHENTICATION_FAILED = 'Authentication failed.';
export const NOT_AUTHORIZED = 'Not authorized';
export const EXCEEDED_LIMITS = 'Exceeded request limits';

export const badRequest = (message: string) => new RackspaceFault(400, 'badRequestFault', message);
export const unauthorized = (message = AUTHENTICATION_FAILED) => new RackspaceFault(403, 'unauthorizedFault', message);
export const customerNotFound = () => new RackspaceFault(404, 'itemNotFoundFault', 'Customer Not Found', 'customer');

/** The domain's resource names in the vendor's words. */
const RESOURCE_TYPES: Record<string, string> = { account: 'customer', user: 'user' };

/** Every failure becomes one fault; this is the one place domain codes meet Rackspace statuses. */
export function toFault(error: unknown): RackspaceFault {
  if (error instanceof RackspaceFault) return error;
  if (error instanceof DomainError) {
    switch (error.code) {
      case ErrorCode.Validation:
        return new RackspaceFault(400, 'validationFault', error.message);
      case ErrorCode.NotFound: {
        const resource = RESOURCE_TYPES[error.details.resource ?? 'account'] ?? error.details.resource ?? 'customer';
        return resource === 'customer' ? customerNotFound() : new RackspaceFault(404, 'itemNotFoundFault', error.message, resource);
      }
      case ErrorCode.Forbidden:
        return unauthorized(NOT_AUTHORIZED);
      case ErrorCode.RateLimited:
        return unauthorized(EXCEEDED_LIMITS);
      case ErrorCode.Unauthenticated:
      case ErrorCode.CredentialExpired:
        return unauthorized();
      case ErrorCode.InvalidTransition:
      case ErrorCode.LimitReached:
        return badRequest(error.message);
      case ErrorCode.Conflict:
        return new RackspaceFault(409, 'appsFault', error.message);
      default:
        return new RackspaceFault(500, 'appsFault', 'Internal Server Error');
    }
  }
  const e = error as FastifyError;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return new RackspaceFault(413, 'badRequestFault', 'Request body too large');
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
    return badRequest('Unsupported content type: send application/x-www-form-urlencoded, application/json or text/xml');
  }
  if (e?.code === 'FST_ERR_CTP_INVALID_XML') return badRequest('Malformed XML body');
  if (e?.code === 'FST_ERR_CTP_INVALID_JSON' || e?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return badRequest('Malformed JSON body');
  if (status >= 400 && status < 500) return badRequest('Malformed request');
  return new RackspaceFault(500, 'appsFault', 'Internal Server Error');
}

/**
 * v0 reads errors as v1 does, except that its page (seed 003) words the whitespace rule on names as just
 * "Improper Customer Name"; v0 clients compare that text.
 */
export function toV0Fault(error: unknown): RackspaceFault {
  const first = error instanceof DomainError && error.code === ErrorCode.Validation ? error.details.fields?.[0] : undefined;
  if (first?.field === 'name' && first.problem === 'whitespace') return new RackspaceFault(400, 'validationFault', 'Improper Customer Name');
  return toFault(error);
}

export interface FaultOptions {
  /** How this API version reads errors (v2 has its own messages); toFault by default. */
  map?: (error: unknown) => RackspaceFault;
  /** A fixed format (v2 is JSON only); by default the client's Accept decides. */
  format?: Format;
}

/** Sends a fault: `x-error-message` plus the fault body in the format the client asked for. */
export function sendFault(request: FastifyRequest, reply: FastifyReply, error: unknown, options: FaultOptions = {}): FastifyReply {
  const fault = (options.map ?? toFault)(error);
  if (fault.status >= 500) request.log.error({ err: error }, 'rackspace request failed');
  const format = options.format ?? negotiate(request.headers.accept).format;
  // The server's time helps a client whose signature was refused because its clock is off.
  const details = dotNetDate(new Date(request.server.domain.clock.now()));
  reply.code(fault.status).header('x-error-message', headerSafe(fault.message)).header('content-type', CONTENT_TYPE[format]);
  if (format === 'json') {
    const body: Record<string, unknown> = { message: fault.message, details, code: fault.status };
    if (fault.resourceType) body.resourceType = fault.resourceType;
    return reply.send(JSON.stringify({ [fault.kind]: body }));
  }
  const children: XmlElement[] = [
    ['message', fault.message],
    ['details', details],
  ];
  if (fault.resourceType) children.push(['resourceType', fault.resourceType]);
  return reply.send(xmlFault(fault.kind, fault.status, children));
}
