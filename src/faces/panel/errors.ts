import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { DomainError, ErrorCode } from '../../domain/errors.js';
import { duration, html } from './views/html.js';
import { ProblemPage, SignInNeededPage, TokenProblemPage } from './views/messages.js';
import { sendPage } from './reply.js';

/** The panel's own refusals, besides the domain's. */
export type PanelProblem = 'signed-out' | 'csrf' | 'token-invalid' | 'token-expired' | 'token-used';

export class PanelError extends Error {
  constructor(
    readonly status: number,
    readonly problem: PanelProblem,
  ) {
    super(problem);
  }
}

function panelProblemPage(e: PanelError): VNode {
  switch (e.problem) {
    case 'signed-out':
      return html`<${SignInNeededPage} />`;
    case 'csrf':
      return html`<${ProblemPage}
        title="This form was refused"
        text="The form did not carry this session's security token, so it may not have come from this control panel (or it was opened before you signed in again). Nothing was changed. Go back, reload the page and try again."
      />`;
    default:
      return html`<${TokenProblemPage} problem=${e.problem.slice('token-'.length)} />`;
  }
}

const DOMAIN_PAGES: Record<ErrorCode, [number, string]> = {
  [ErrorCode.Validation]: [400, 'That did not work'],
  [ErrorCode.NotFound]: [404, 'Not found'],
  [ErrorCode.Forbidden]: [403, 'Not allowed'],
  [ErrorCode.Unauthenticated]: [401, 'Please sign in'],
  [ErrorCode.CredentialExpired]: [401, 'Please sign in'],
  [ErrorCode.Conflict]: [409, 'That did not work'],
  [ErrorCode.RateLimited]: [429, 'Too soon'],
  [ErrorCode.InvalidTransition]: [409, 'That did not work'],
  [ErrorCode.LimitReached]: [400, 'That did not work'],
  [ErrorCode.NameTaken]: [409, 'That name is taken'],
  [ErrorCode.Internal]: [500, 'Something went wrong'],
};

function domainText(e: DomainError, status: number): string {
  if (status === 404) return 'There is no such page, or it is not yours to see.';
  if (status === 403) return `Your user may not do this here (${e.message}).`;
  if (e.code === ErrorCode.RateLimited) return `This is allowed again in ${duration(e.details.retryAfterMs ?? 0)}.`;
  if (status >= 500) return 'Something went wrong on our side. Nothing you did caused it; please try again later.';
  return e.message;
}

/** Status and page for any error; a 5xx never shows what went wrong inside. */
export function describePanelError(error: unknown): { status: number; page: VNode } {
  if (error instanceof PanelError) return { status: error.status, page: panelProblemPage(error) };
  if (error instanceof DomainError) {
    const [status, title] = DOMAIN_PAGES[error.code];
    return { status, page: html`<${ProblemPage} title=${title} text=${domainText(error, status)} />` };
  }
  const e = error as FastifyError;
  // A malformed account number or id in the path names no page.
  if (e?.validation && e.validationContext === 'params') return describePanelError(new DomainError(ErrorCode.NotFound, 'not found'));
  if (e?.validation) return { status: 400, page: html`<${ProblemPage} title="That did not work" text="The form was not filled in as this page expects." />` };
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  if (status === 404) return describePanelError(new DomainError(ErrorCode.NotFound, 'not found'));
  if (status === 415) return { status, page: html`<${ProblemPage} title="Forms only" text="The control panel takes only its own HTML forms." />` };
  if (status === 413) return { status, page: html`<${ProblemPage} title="Too much" text="That form was larger than the server accepts." />` };
  if (status < 500) return { status, page: html`<${ProblemPage} title="That did not work" text="The request could not be handled." />` };
  return { status: 500, page: html`<${ProblemPage} title="Something went wrong" text=${domainText(new DomainError(ErrorCode.Internal, ''), 500)} />` };
}

/** The panel's one error map: every failure becomes an HTML page with the right status. */
export function panelErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, page } = describePanelError(error);
  if (status >= 500) request.log.error({ err: error }, 'panel request failed');
  return sendPage(reply, status, page);
}
