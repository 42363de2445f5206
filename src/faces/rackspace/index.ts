import { mountFace, type FaceDefinition } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { authenticate } from './auth.js';
import { rackspaceCodec } from './codec.js';
import { faultAnswers, rackspaceErrors } from './errors.js';
import { customerRoutes } from './customers.js';
import { customerStateRoutes } from './customer-state.js';
import { loginTokenRoutes } from './login-tokens.js';
import { contactRoutes } from './contacts.js';
import { invoiceRoutes } from './invoices.js';
import { domainRoutes } from './domains.js';
import { mailboxRoutes } from './mailboxes.js';
import { aliasRoutes } from './aliases.js';
import { spamRoutes } from './spam.js';
import { rackspaceOpenApi } from './openapi.js';

/**
 * The Rackspace Email & Apps face: customers v0/v1 (and the v0 page's unversioned URLs) with their domains,
 * Rackspace mailboxes, aliases and the spam settings and lists of domains and mailboxes; v2 contacts and invoices.
 */
const face: FaceDefinition<Actor> = {
  name: 'rackspace',
  authenticate,
  codec: rackspaceCodec,
  errors: rackspaceErrors,
  // Any version (a client written for /v3 gets a fault it can read) and the v0 page's unversioned /customers,
  // also followed by `;` or `.`: a 404 fault with x-error-message.
  unknownUrls: { match: /^\/(v\d+|customers)(?=[/.;]|$)/i },
  errorHeader: 'x-error-message',
  openapi: rackspaceOpenApi,
  faults: faultAnswers,
};

const customers = (version: 'v0' | 'v1', base: string, publicPath: string) => [
  ...customerRoutes(version, base, publicPath),
  ...customerStateRoutes(base),
  ...loginTokenRoutes(base),
  ...domainRoutes(version, base),
  ...mailboxRoutes(base),
  ...aliasRoutes(base),
  ...spamRoutes(base),
];

export const rackspaceFace = mountFace(face, [
  { prefix: '/v1', config: { version: 'v1' }, routes: customers('v1', '/customers', '/v1/customers') },
  { prefix: '/v0', config: { version: 'v0' }, routes: customers('v0', '/customers', '/v0/customers') },
  // The v0 page writes add, edit, delete and login tokens without a version; they behave as v0.
  { prefix: '/customers', config: { version: 'v0' }, routes: customers('v0', '', '/customers') },
  { prefix: '/v2', config: { version: 'v2' }, routes: [...contactRoutes(), ...invoiceRoutes()] },
]);
