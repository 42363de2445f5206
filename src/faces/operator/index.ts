import type { FastifyPluginAsync } from 'fastify';
import { mountFace, type FaceDefinition, type Route } from '../../http/route.js';
import { authenticate, type Operator } from './auth.js';
import { operatorErrors } from './errors.js';
import { aboutRoutes } from './routes/about.js';
import { clockRoutes } from './routes/clock.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { fixtureRoutes } from './routes/fixtures.js';
import { faultRoutes } from './routes/faults.js';
import { journalRoutes } from './routes/journal.js';
import { webhookRoutes } from './routes/webhooks.js';

/**
 * The operator API: the sandbox's controls under one reserved prefix no vendor path uses, `/_partnerhub/v1`,
 * authenticated by the operator token, JSON in and out, one error shape. Mounted only when the `sandbox`
 * setting is on; off, its URLs are unknown (404) like any other. Each routes/*.ts file is one area of
 * control; a new area is one more entry in ROUTE_FILES.
 */
export const OPERATOR_PREFIX = '/_partnerhub/v1';

const ROUTE_FILES: Route<Operator, any>[][] = [aboutRoutes, clockRoutes, snapshotRoutes, fixtureRoutes, faultRoutes, journalRoutes, webhookRoutes];

const operator: FaceDefinition<Operator> = {
  name: 'operator',
  authenticate,
  errors: operatorErrors,
};

const mount = mountFace(operator, [{ prefix: OPERATOR_PREFIX, routes: ROUTE_FILES.flat() }]);

export const operatorFace: FastifyPluginAsync = async (app, opts) => {
  if (!app.config.sandbox) return;
  await mount(app, opts);
};
