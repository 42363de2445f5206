/**
 * The DeliverySlip Cloud Command Center face (ServiceStack conventions), assembled: its authentication,
 * its codec, its one error map and its routes. It owns only its prefixes — /api/services,
 * /api/resellers, /api/partners, /api/ping and /api/public — so other faces can share /api.
 */
import { mountFace, type FaceDefinition } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { authenticate } from './auth.js';
import { installCodec } from './pipeline.js';
import { cccErrors, faultAnswers } from './errors.js';
import { serviceRoutes } from './routes/services.js';
import { statusRoutes } from './routes/status.js';
import { usageRoutes } from './routes/usage.js';
import { partnerRoutes, resellerRoutes } from './routes/accounts.js';
import { pingRoutes, publicRoutes } from './routes/public.js';

export const cccFaceDefinition: FaceDefinition<Actor> = {
  name: 'ccc',
  authenticate,
  // An unknown path is a 404 whoever asks, as ServiceStack answers before its authentication runs.
  authenticateUnknownRoutes: false,
  codec: installCodec,
  errors: cccErrors,
  faults: faultAnswers,
};

export default mountFace(cccFaceDefinition, [
  { prefix: '/api/services', routes: [...serviceRoutes, ...statusRoutes, ...usageRoutes] },
  { prefix: '/api/resellers', routes: resellerRoutes },
  { prefix: '/api/partners', routes: partnerRoutes },
  { prefix: '/api/ping', routes: pingRoutes },
  { prefix: '/api/public', routes: publicRoutes },
]);
