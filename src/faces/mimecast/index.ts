import type { Actor } from '../../domain/principal.js';
import { mountFace, type FaceDefinition } from '../../http/route.js';
import { authenticate } from './auth.js';
import { mimecastCodec } from './codec.js';
import { respond } from './errors.js';
import { faultAnswers } from './faults.js';
import { accountRoutes } from './account-routes.js';
import { provisioningRoutes } from './provisioning-routes.js';

/**
 * The Mimecast API 1.0 face: account and provisioning endpoints under /api/account/ and /api/provisioning/.
 * Everything here is wire format; the rules live in the domain.
 */
const face: FaceDefinition<Actor> = {
  name: 'mimecast',
  authenticate,
  // An unknown endpoint is answered 404 before anyone is asked who they are, as before.
  authenticateUnknownRoutes: false,
  codec: mimecastCodec,
  errors: respond,
  faults: faultAnswers,
};

export const mimecastFace = mountFace(face, [
  { prefix: '/api/account', routes: accountRoutes },
  { prefix: '/api/provisioning', routes: provisioningRoutes },
]);
