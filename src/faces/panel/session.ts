import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { parseCookie, stringifySetCookie } from 'cookie';
import { HOUR, MINUTE } from '../../domain/clock.js';
import type { Actor } from '../../domain/principal.js';
import { safeEqual } from '../../domain/secrets.js';
import { resumePanelSession, type PanelSession, type PanelSessionPolicy } from '../../domain/panel-session.js';
import type { Config } from '../../config.js';
import type { Viewer } from './views/layout.js';
import { PanelError } from './errors.js';

/**
 * The panel's authentication: the session cookie names a session in the store, and a form post must also
 * carry the CSRF token derived from that session's id. The id is only in the HttpOnly cookie, so a page on
 * another site can neither read the token nor compute it; SameSite=Lax keeps the cookie off its posts too.
 */

export const SESSION_COOKIE = 'partnerhub_session';

/** Who a signed-in request comes from (the handlers' `actor`). */
export interface PanelUser {
  sessionId: string;
  session: PanelSession;
  actor: Actor;
  viewer: Viewer;
}

export function sessionPolicy(config: Pick<Config, 'panelSessionIdleMinutes' | 'panelSessionLifetimeHours'>): PanelSessionPolicy {
  return { idleMs: config.panelSessionIdleMinutes * MINUTE, lifetimeMs: config.panelSessionLifetimeHours * HOUR };
}

/** The session's CSRF token: an HMAC keyed by the session id, so it needs no storage and dies with the session. */
export function csrfToken(sessionId: string): string {
  return createHmac('sha256', sessionId).update('partnerhub panel form').digest('base64url');
}

export function sessionIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

/** Secure when the browser reached us over TLS: directly, or through the https public URL a proxy serves. */
function secure(request: FastifyRequest): boolean {
  return request.protocol === 'https' || (request.server.config.publicUrl ?? '').startsWith('https:');
}

/**
 * The cookie lives for the browser session; the server decides when the session is over (idle timeout,
 * absolute lifetime, sign-out), whatever the browser keeps.
 */
export function sessionCookie(request: FastifyRequest, sessionId: string): string {
  return stringifySetCookie({ name: SESSION_COOKIE, value: sessionId, path: '/', httpOnly: true, sameSite: 'lax', secure: secure(request) });
}

export function clearedSessionCookie(request: FastifyRequest): string {
  return stringifySetCookie({ name: SESSION_COOKIE, value: '', path: '/', httpOnly: true, sameSite: 'lax', secure: secure(request), maxAge: 0, expires: new Date(0) });
}

/** Names the signed-in user, or refuses: 401 without a live session, 403 for a post without its CSRF token. */
export async function authenticate(request: FastifyRequest): Promise<PanelUser> {
  const sessionId = sessionIdOf(request);
  const session = await resumePanelSession(request.server.domain, sessionId, sessionPolicy(request.server.config));
  if (!session || !sessionId) throw new PanelError(401, 'signed-out');
  const csrf = csrfToken(sessionId);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof sent !== 'string' || !safeEqual(sent, csrf)) throw new PanelError(403, 'csrf');
  }
  return { sessionId, session, actor: session.actor, viewer: { userName: session.userName, virtualUser: session.virtualUser, csrf } };
}
