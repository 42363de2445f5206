import { Type } from '@sinclair/typebox';
import { route, type Call } from '../../../http/route.js';
import { accountOverview } from '../../../domain/account-view.js';
import { deleteAccount } from '../../../domain/account.js';
import { disableAccount, enableAccount } from '../../../domain/suspension.js';
import { createLoginToken, USER_NAME_MAX } from '../../../domain/login-token.js';
import { DomainError, ErrorCode, isDomainError } from '../../../domain/errors.js';
import type { Actor } from '../../../domain/principal.js';
import type { PanelUser } from '../session.js';
import { sendPage, seeOther } from '../reply.js';
import { AccountPage, DeleteAccountPage, LoginLinkPage } from '../views/account.js';
import { accountUrl } from '../views/layout.js';
import { duration } from '../views/html.js';
import { AccountParams, CsrfForm } from './schemas.js';

type AccountCall = Call<PanelUser, { params: AccountParams }>;
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) });

const NOTICES: Record<string, string> = {
  disabled: 'The account is disabled: its service, and the running services below it, are suspended.',
  enabled: 'The account is enabled again.',
};

async function showAccount({ actor: user, params, query, domain, reply }: Call<PanelUser, { params: AccountParams; querystring: typeof NoticeQuery }>) {
  const overview = await accountOverview(domain, user.actor, params.n);
  const text = query.notice ? NOTICES[query.notice] : undefined;
  return sendPage(reply, 200, AccountPage({ overview, viewer: user.viewer, notice: text ? { kind: 'info', text } : undefined }));
}

/**
 * Enable and disable go through the same domain functions as the API, with the same 5-minute rule. A refusal
 * is shown on the account page itself, with how long until it is allowed, so the person sees the status too.
 */
function stateChange(action: 'enable' | 'disable') {
  const run = action === 'enable' ? enableAccount : disableAccount;
  return async ({ actor: user, params, domain, reply }: AccountCall) => {
    const overview = await accountOverview(domain, user.actor, params.n);
    try {
      await run(domain, user.actor, overview.account.guid);
    } catch (e) {
      if (!isDomainError(e, ErrorCode.RateLimited) && !isDomainError(e, ErrorCode.InvalidTransition)) throw e;
      const text = e.code === ErrorCode.RateLimited
        ? `Not ${action}d: an account can be enabled or disabled once every 5 minutes. Try again in ${duration(e.details.retryAfterMs ?? 0)}.`
        : e.message;
      return sendPage(reply, e.code === ErrorCode.RateLimited ? 429 : 409, AccountPage({ overview, viewer: user.viewer, notice: { kind: 'error', text } }));
    }
    return seeOther(reply, accountUrl(params.n, `?notice=${action}d`));
  };
}

/** The virtual user a panel user enters a customer's panel as: named after the panel user, so history shows who. */
function virtualNameFor(actor: Actor): string {
  const candidates = [actor.email, actor.email.split('@')[0]];
  return candidates.find((c) => c.length <= USER_NAME_MAX && /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/.test(c)) ?? 'admin';
}

export const accountRoutes = [
  route<PanelUser, { params: AccountParams; querystring: typeof NoticeQuery }>({
    method: 'GET',
    url: '/accounts/:n',
    operationId: 'ShowAccount',
    schema: { params: AccountParams, querystring: NoticeQuery },
    handler: showAccount,
  }),
  route<PanelUser, { params: AccountParams; body: typeof CsrfForm }>({
    method: 'POST',
    url: '/accounts/:n/disable',
    operationId: 'DisableAccount',
    schema: { params: AccountParams, body: CsrfForm },
    handler: stateChange('disable'),
  }),
  route<PanelUser, { params: AccountParams; body: typeof CsrfForm }>({
    method: 'POST',
    url: '/accounts/:n/enable',
    operationId: 'EnableAccount',
    schema: { params: AccountParams, body: CsrfForm },
    handler: stateChange('enable'),
  }),
  route<PanelUser, { params: AccountParams }>({
    method: 'GET',
    url: '/accounts/:n/delete',
    operationId: 'ConfirmDeleteAccount',
    schema: { params: AccountParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const overview = await accountOverview(domain, user.actor, params.n);
      if (!overview.may.delete) throw new DomainError(ErrorCode.Forbidden, 'deleting this account is not allowed');
      return sendPage(reply, 200, DeleteAccountPage({ overview, viewer: user.viewer }));
    },
  }),
  route<PanelUser, { params: AccountParams; body: typeof CsrfForm }>({
    method: 'POST',
    url: '/accounts/:n/delete',
    operationId: 'DeleteAccount',
    schema: { params: AccountParams, body: CsrfForm },
    handler: async ({ actor: user, params, domain, reply }) => {
      const overview = await accountOverview(domain, user.actor, params.n);
      try {
        await deleteAccount(domain, user.actor, overview.account.guid);
      } catch (e) {
        if (!isDomainError(e, ErrorCode.Conflict)) throw e;
        return sendPage(reply, 409, DeleteAccountPage({ overview, viewer: user.viewer, error: e.message }));
      }
      const back = overview.parent ? accountUrl(overview.parent.accountNumber, '/customers?notice=deleted') : '/panel/';
      return seeOther(reply, back);
    },
  }),
  route<PanelUser, { params: AccountParams; body: typeof CsrfForm }>({
    method: 'POST',
    url: '/accounts/:n/login-link',
    operationId: 'CreateLoginLink',
    schema: { params: AccountParams, body: CsrfForm },
    handler: async ({ actor: user, params, domain, request, reply }) => {
      const overview = await accountOverview(domain, user.actor, params.n);
      if (!overview.may.openPanel) throw new DomainError(ErrorCode.Forbidden, 'opening this panel is not allowed');
      const issued = await createLoginToken(domain, user.actor, overview.account.guid, { userName: virtualNameFor(user.actor), virtualUser: true });
      const base = request.server.config.publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
      const link = `${base}/TokenLogin.aspx?loginToken=${issued.token}`;
      return sendPage(reply, 200, LoginLinkPage({ overview, viewer: user.viewer, link, expiresAt: issued.expiresAt }));
    },
  }),
];
