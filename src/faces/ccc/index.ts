/**
 * The DeliverySlip Cloud Command Center face (ServiceStack conventions), assembled: its authentication,
 * its codec, its one error map and its routes. It owns only its prefixes — /api/services,
 * /api/resellers, /api/partners, /api/ping and /api/public — so other faces can share /api, and at the
 * root only ServiceStack's own paths: the pre-defined routes (/api/{Name}, /json/reply/{Name} …), the
 * metadata pages and the DTO sources.
 */
import { mountFace, type FaceDefinition } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { authenticate } from './auth.js';
import { installCodec } from './pipeline.js';
import { cccErrors, faultAnswers } from './errors.js';
import { serviceRoutes } from './routes/services.js';
import { statusRoutes } from './routes/status.js';
import { usageRoutes } from './routes/usage.js';
import { domainRoutes } from './routes/domains.js';
import { partnerRoutes, resellerRoutes } from './routes/accounts.js';
import { pingRoutes, publicRoutes } from './routes/public.js';
import { predefinedRoutes } from './routes/predefined.js';
import { metadataRoutes } from './routes/metadata.js';
import { operationTable, type DeclaredScope } from './operations.js';
import { cccOpenApi } from './openapi.js';

export const cccFaceDefinition: FaceDefinition<Actor> = {
  name: 'ccc',
  authenticate,
  // An unknown path is a 404 whoever asks, as ServiceStack answers before its authentication runs.
  authenticateUnknownRoutes: false,
  codec: installCodec,
  errors: cccErrors,
  // CCC is the default owner of the /api prefix it shares with Mimecast: an unknown /api URL that does not
  // name Mimecast (see the Mimecast face) gets ServiceStack's 404.
  unknownUrls: { match: /^\/api(?=[/.;]|$)/i },
  openapi: cccOpenApi,
  faults: faultAnswers,
};

/** The custom routes, as the vendor documents them. */
const declared: DeclaredScope[] = [
  { prefix: '/api/services', routes: [...serviceRoutes, ...statusRoutes, ...usageRoutes, ...domainRoutes] },
  { prefix: '/api/resellers', routes: resellerRoutes },
  { prefix: '/api/partners', routes: partnerRoutes },
  { prefix: '/api/ping', routes: pingRoutes },
  { prefix: '/api/public', routes: publicRoutes },
];

/** Every operation, read from the custom routes: the pre-defined routes and the metadata are made from it. */
export const cccOperations = operationTable(declared);

export default mountFace(cccFaceDefinition, [
  ...declared,
  // ServiceStack's host conventions, at the root: they own only their own paths.
  { prefix: '', config: { predefined: true, operations: cccOperations.map((op) => op.name) }, routes: [...predefinedRoutes(cccOperations), ...metadataRoutes(cccOperations)] },
]);
