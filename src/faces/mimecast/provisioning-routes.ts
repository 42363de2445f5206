import type { Actor } from '../../domain/principal.js';
import { provisionableProducts } from '../../domain/provisioning.js';
import { route } from '../../http/route.js';
import { envelope, RequestBody, responses, type McRouteSchema } from './envelope.js';
import { FAILURES } from './errors.js';
import { PackageView, packageView } from './views.js';

/** The provisioning endpoints of Mimecast API 1.0 under /api/provisioning. */

const DEFAULT_PAGE_SIZE = 100;

/** A page token is the offset of the page, opaque to clients. */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function readPageToken(token: string): number | null {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return Number.isInteger(v?.o) && v.o >= 0 ? v.o : null;
  } catch {
    return null;
  }
}

export const provisioningRoutes = [
  route<Actor, McRouteSchema<typeof PackageView>>({
    method: 'POST',
    url: '/get-packages',
    operationId: 'getPackages',
    summary: 'The products the partner may provision, in pages',
    schema: { body: RequestBody, response: responses(PackageView) },
    handler: async ({ actor, body, domain }) => {
      const products = await provisionableProducts(domain, actor);
      const pagination = body.meta?.pagination;
      const pageSize = pagination?.pageSize == null ? DEFAULT_PAGE_SIZE : Number(pagination.pageSize);
      let offset = 0;
      if (pagination?.pageToken) {
        const o = readPageToken(pagination.pageToken);
        if (o === null) throw FAILURES.badPageToken();
        offset = o;
      }
      const page = products.slice(offset, offset + pageSize);
      const next = offset + pageSize < products.length ? pageToken(offset + pageSize) : undefined;
      const previous = offset > 0 ? pageToken(Math.max(0, offset - pageSize)) : undefined;
      return envelope(200, page.map(packageView), [], {
        pageSize,
        totalCount: products.length,
        ...(next ? { next } : {}),
        ...(previous ? { previous } : {}),
      });
    },
  }),
];
