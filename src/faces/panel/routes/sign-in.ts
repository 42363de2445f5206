import { Type } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import { endPanelSession, signInWithLoginToken } from '../../../domain/panel-session.js';
import { findAccount } from '../../../domain/account.js';
import { clearedSessionCookie, sessionCookie, sessionIdOf, sessionPolicy, type PanelUser } from '../session.js';
import { PanelError } from '../errors.js';
import { PAGE_HEADERS, sendPage, seeOther } from '../reply.js';
import { SignedOutPage } from '../views/messages.js';
import { PANEL, accountUrl } from '../views/layout.js';
import { STYLESHEET } from '../style.js';
import { CsrfForm } from './schemas.js';

const TokenQuery = Type.Object({ loginToken: Type.Optional(Type.String({ maxLength: 200 })) });

/** ASP.NET reads query parameters without regard to case, and links in the wild say loginToken, LoginToken, logintoken. */
function loginTokenOf(query: Record<string, unknown>): string {
  const key = Object.keys(query).find((k) => k.toLowerCase() === 'logintoken');
  const value = key === undefined ? undefined : query[key];
  return typeof value === 'string' ? value : '';
}

/** The entry points outside /panel: the vendor's token-login pages (the site root is the app's landing page). */
export const entryRoutes = [
  route<PanelUser, { querystring: typeof TokenQuery }>({
    method: 'GET',
    // Seed 002: the standard panel's TokenLogin.aspx and a private-label panel's logintokens.aspx.
    url: ['/TokenLogin.aspx', '/logintokens.aspx'],
    operationId: 'RedeemLoginToken',
    auth: false,
    schema: { querystring: TokenQuery },
    handler: async ({ request, reply, query, domain }) => {
      const result = await signInWithLoginToken(domain, loginTokenOf(query as Record<string, unknown>), sessionPolicy(request.server.config));
      if (result.status !== 'ok') throw new PanelError(401, `token-${result.status}`);
      // A browser holds one panel session: the one it had before ends now rather than lingering until idle.
      await endPanelSession(domain, sessionIdOf(request));
      reply.header('set-cookie', sessionCookie(request, result.sessionId));
      return seeOther(reply, `${PANEL}/`);
    },
  }),
];

/** Signing out, the panel's home and its stylesheet. */
export const sessionRoutes = [
  route<PanelUser, {}>({
    method: 'GET',
    url: '/',
    operationId: 'PanelHome',
    handler: async ({ actor: user, domain, reply }) => {
      const own = await findAccount(domain, user.actor, { guid: user.actor.accountGuid });
      return seeOther(reply, accountUrl(own.accountNumber));
    },
  }),
  route<PanelUser, { body: typeof CsrfForm }>({
    method: 'POST',
    url: '/sign-out',
    operationId: 'SignOut',
    schema: { body: CsrfForm },
    handler: async ({ actor: user, domain, request, reply }) => {
      await endPanelSession(domain, user.sessionId);
      reply.header('set-cookie', clearedSessionCookie(request));
      return sendPage(reply, 200, SignedOutPage());
    },
  }),
  route<PanelUser, {}>({
    method: 'GET',
    url: '/static/panel.css',
    operationId: 'Stylesheet',
    auth: false,
    handler: ({ reply }) =>
      reply
        .code(200)
        .headers({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': PAGE_HEADERS['x-content-type-options'] })
        .send(STYLESHEET),
  }),
];
