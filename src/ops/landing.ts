import { resolve } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import type { RegisteredRoute } from '../http/route.js';
import type { Store } from '../store/connect.js';
import { packageInfo } from '../package-info.js';
import { landingPage } from './landing-view.js';

/**
 * The landing page at `/`: what this server is, which store it runs on, the faces and where they are
 * mounted, and where to go next (API docs, control panel, health, metrics, demo credentials). Browsers get
 * HTML; a client that asks for JSON gets the same facts as JSON. Everything is derived from the running
 * app — its registered face routes, its store, its settings — and nothing secret is shown: the store's
 * description has its password masked, and the demo credentials are named by file, never printed.
 */

export interface FaceFacts {
  name: string;
  title: string;
  /** Where its routes are mounted: each scope's prefix, or the route's own path for a scope at the root. */
  basePaths: string[];
  routes: number;
}

export interface LandingFacts {
  name: string;
  version: string;
  description: string;
  store: { dialect: string; description: string };
  faces: FaceFacts[];
  links: { docs: string; openapi: string; panel: string | null; health: string; ready: string; metrics: string | null };
  demo: { credentialsFile: string; note: string } | null;
}

/** Names a face by what it speaks; a face not listed here is shown by its name. */
const FACE_TITLES: Record<string, string> = {
  rackspace: 'Rackspace Email & Apps (customers v0/v1, v2 contacts and invoices)',
  mimecast: 'Mimecast API 1.0 (account, provisioning)',
  ccc: 'DeliverySlip CCC (ServiceStack)',
  panel: 'Control panel (HTML, login-token sign-in)',
};

/** Each face's base paths and route count, in the order the faces were mounted. */
export function describeFaces(routes: RegisteredRoute[]): FaceFacts[] {
  const byFace = new Map<string, { paths: Set<string>; routes: Set<string> }>();
  for (const r of routes) {
    const face = byFace.get(r.face) ?? { paths: new Set<string>(), routes: new Set<string>() };
    byFace.set(r.face, face);
    face.paths.add(r.prefix || r.url);
    face.routes.add(`${r.method} ${r.url}`);
  }
  return [...byFace].map(([name, f]) => ({ name, title: FACE_TITLES[name] ?? name, basePaths: [...f.paths], routes: f.routes.size }));
}

export interface LandingOptions {
  store: Store;
  demoCredentialsFile?: string;
}

export function landingFacts(app: FastifyInstance, options: LandingOptions): LandingFacts {
  const pkg = packageInfo();
  const faces = describeFaces(app.faceRoutes);
  const file = options.demoCredentialsFile;
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    store: { dialect: options.store.dialect, description: options.store.description },
    faces,
    links: {
      docs: '/docs',
      openapi: '/openapi.json',
      panel: faces.some((f) => f.name === 'panel') ? '/panel/' : null,
      health: '/healthz',
      ready: '/readyz',
      metrics: app.config.metrics ? '/metrics' : null,
    },
    demo: file
      ? {
          credentialsFile: resolve(file),
          note: 'Keys for every face and role, printed at start-up too; `partnerhub call` signs requests with them and `partnerhub panel-link` makes a control-panel sign-in link.',
        }
      : null,
  };
}

/** JSON when the client prefers it to HTML (`Accept: application/json`, weights respected); HTML otherwise. */
function wantsJson(request: FastifyRequest): boolean {
  if (!request.headers.accept) return false;
  return new Negotiator(request).mediaType(['text/html', 'application/json']) === 'application/json';
}

/** Serves `/`. Call after the faces are registered: the page lists their routes. */
export function registerLanding(app: FastifyInstance, options: LandingOptions): void {
  app.get('/', async (request, reply) => {
    const facts = landingFacts(app, options);
    reply.header('vary', 'accept').header('cache-control', 'no-store');
    if (wantsJson(request)) return reply.code(200).send(facts);
    return reply.code(200).header('content-type', 'text/html; charset=utf-8').send(landingPage(facts));
  });
}
