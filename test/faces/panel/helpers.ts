import type { TestApp } from '../../helpers/context.js';
import { systemActor } from '../../../src/domain/principal.js';
import { createLoginToken } from '../../../src/domain/login-token.js';
import { csrfToken, SESSION_COOKIE } from '../../../src/faces/panel/session.js';

/** A browser's session as the tests hold it: the cookie to send and the CSRF token its forms carry. */
export interface PanelSessionHandle {
  cookie: string;
  sessionId: string;
  csrf: string;
}

/** A fresh login token for an account, as an operator makes one (`partnerhub panel-link`). */
export async function loginToken(t: TestApp, accountGuid: string, userName: string, virtualUser: boolean): Promise<string> {
  return (await createLoginToken(t.ctx, systemActor('test'), accountGuid, { userName, virtualUser })).token;
}

/** The session id a redemption's Set-Cookie carries, or null. */
export function sessionIdFrom(setCookie: string | string[] | undefined): string | null {
  const header = Array.isArray(setCookie) ? setCookie.join('\n') : (setCookie ?? '');
  const m = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(header);
  return m && m[1] ? m[1] : null;
}

export async function redeem(t: TestApp, token: string, path = '/TokenLogin.aspx') {
  return t.app.inject({ method: 'GET', url: `${path}?loginToken=${encodeURIComponent(token)}` });
}

/** Signs in through the token page, as a browser does. */
export async function signIn(t: TestApp, accountGuid: string, userName: string, virtualUser = false): Promise<PanelSessionHandle> {
  const res = await redeem(t, await loginToken(t, accountGuid, userName, virtualUser));
  const sessionId = sessionIdFrom(res.headers['set-cookie']);
  if (res.statusCode !== 303 || !sessionId) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return { cookie: `${SESSION_COOKIE}=${sessionId}`, sessionId, csrf: csrfToken(sessionId) };
}

export function get(t: TestApp, s: PanelSessionHandle | null, url: string) {
  return t.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });
}

/** A form post with the session's CSRF token unless the test gives its own `_csrf` (or null for none). */
export function post(t: TestApp, s: PanelSessionHandle | null, url: string, form: Record<string, string | null> = {}) {
  const fields: Record<string, string> = {};
  if (s && !('_csrf' in form)) fields._csrf = s.csrf;
  for (const [k, v] of Object.entries(form)) if (v !== null) fields[k] = v;
  return t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(s ? { cookie: s.cookie } : {}) },
    payload: new URLSearchParams(fields).toString(),
  });
}
