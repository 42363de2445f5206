import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/principal.js';
import { route } from '../../http/route.js';
import { RequestBody, responses, type McRouteSchema } from './envelope.js';
import { eachItem, readDiscoverItem } from './items.js';
import { DiscoverView, discoverView } from './views.js';

/**
 * `POST /api/login/discover-authentication`: API 1.0 clients ask it which regional base URL serves an
 * address before they sign anything, so it needs no credentials, as at Mimecast. partnerhub is every
 * region at once: the answer is this server's own base URL, for any address, so it tells nobody which
 * addresses exist.
 */

/** PARTNERHUB_PUBLIC_URL when set (behind a proxy), otherwise the scheme and host the client reached. */
function ownBaseUrl(request: FastifyRequest): string {
  return request.server.config.publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
}

export const loginRoutes = [
  route<Actor, McRouteSchema<typeof DiscoverView>>({
    method: 'POST',
    url: '/discover-authentication',
    operationId: 'discoverAuthentication',
    summary: 'The base URL of the region serving an address (this server), before any credentials',
    auth: false,
    schema: { body: RequestBody, response: responses(DiscoverView) },
    handler: async ({ request, body }) => {
      const base = ownBaseUrl(request);
      return eachItem(body.data ?? [], readDiscoverItem, async ({ emailAddress }) => discoverView(emailAddress, base));
    },
  }),
];
