import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderDocument } from './views/html.js';

/**
 * Every page leaves through here, with headers that keep it to itself: no scripts or frames from anywhere,
 * forms only back to the panel, no Referer (sign-in links carry a token), and no caching of what a session saw.
 */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
} as const;

export function sendPage(reply: FastifyReply, status: number, page: VNode): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(renderDocument(page));
}

/** After a form post: see the result with a GET, so reloading does not post again. */
export function seeOther(reply: FastifyReply, url: string): FastifyReply {
  return reply.code(303).headers({ location: url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).send();
}
