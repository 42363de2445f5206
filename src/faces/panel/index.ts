import type { FastifyInstance } from 'fastify';
import { mountFace, type FaceDefinition } from '../../http/route.js';
import { authenticate, type PanelUser } from './session.js';
import { panelErrors } from './errors.js';
import { entryRoutes, sessionRoutes } from './routes/sign-in.js';
import { accountRoutes } from './routes/account.js';
import { contactRoutes } from './routes/contacts.js';
import { invoiceRoutes } from './routes/invoices.js';
import { customerRoutes } from './routes/customers.js';
import { domainRoutes } from './routes/domains.js';
import { mailboxRoutes } from './routes/mailboxes.js';

/**
 * The control panel: server-rendered pages for the people behind the API keys, entered with a login token
 * and kept by a session cookie. Every change goes through the same domain functions as the APIs.
 */

/** The panel speaks HTML forms only (the app's urlencoded parser); any other body is refused with a 415 page. */
function codec(scope: FastifyInstance): void {
  scope.removeContentTypeParser(['application/json', 'text/plain', 'application/xml', 'text/xml']);
}

const panel: FaceDefinition<PanelUser> = {
  name: 'panel',
  authenticate,
  // After the body is read: a form post's CSRF token is part of its authentication.
  authenticateAt: 'preValidation',
  authenticateUnknownRoutes: false,
  errors: panelErrors,
  codec,
};

export const panelFace = mountFace(panel, [
  { prefix: '', routes: entryRoutes },
  { prefix: '/panel', routes: [...sessionRoutes, ...accountRoutes, ...contactRoutes, ...invoiceRoutes, ...customerRoutes, ...domainRoutes, ...mailboxRoutes] },
]);
