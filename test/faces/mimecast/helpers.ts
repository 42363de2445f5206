import { before, after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { injectRequest } from '../../helpers/transport.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import type { StoreKind } from '../../helpers/stores.js';
import { MimecastClient, type MimecastCredentials, type MimecastTransport } from '../../../src/client/mimecast.js';
import type { ManualClock } from '../../../src/domain/clock.js';
import type { Config } from '../../../src/config.js';
import { createPrincipal, systemActor } from '../../../src/domain/principal.js';
import { issueCredential } from '../../../src/domain/credential.js';
import { upsertProduct } from '../../../src/domain/product.js';
import { findAccount, type Account } from '../../../src/domain/account.js';

/** Sends the client's requests through app.inject(), so face tests need no listening server. */
export function injectTransport(app: FastifyInstance): MimecastTransport {
  return async (req) => {
    const res = await injectRequest(app, { ...req, url: new URL(req.url).pathname });
    return { status: res.status, headers: res.headers, text: res.body };
  };
}

export function clientFor(app: FastifyInstance, clock: ManualClock, credentials: MimecastCredentials): MimecastClient {
  return new MimecastClient({ baseUrl: 'http://partnerhub.test', credentials, transport: injectTransport(app), now: () => clock.now() });
}

export const system = systemActor('test');

/** An app over a fresh store with the fixture tree, and a Mimecast client for each kind of caller. */
export interface MimecastApp {
  t: TestApp;
  fx: Fixture;
  partnerClient: MimecastClient;
  readerClient: MimecastClient;
  customerClient: MimecastClient;
  /** A provisioning principal whose reach is reseller A's subtree only. */
  resellerProvisioner: MimecastClient;
  /** An account as the store has it now. */
  account(guid: string): Promise<Account>;
}

/** Registers the suite's hooks: before it, the app (handed to `use`); after it, the app and store closed. */
export function withMimecastApp(kind: StoreKind, config: Partial<Config>, use: (m: MimecastApp) => void): void {
  let t: TestApp | undefined;
  before(async () => {
    t = await makeTestApp(kind, config);
    const app = t;
    const fx = await buildFixture(app.ctx);
    // In the catalog, but not one of the partner's products.
    await upsertProduct(app.ctx, system, { id: 1041, name: 'Cloud Archive', packageLabel: 'Archive', monthlyRate: '1.75' });
    const p = await createPrincipal(app.ctx, system, { accountGuid: fx.resellerA.guid, email: 'prov@reseller-a.example', name: 'prov', roles: ['partner_provisioning'] });
    const c = (await issueCredential(app.ctx, system, p.guid, 'mimecast')).secrets as MimecastCredentials;
    use({
      t: app,
      fx,
      partnerClient: clientFor(app.app, app.clock, fx.provisioning.mimecast),
      readerClient: clientFor(app.app, app.clock, fx.reader.mimecast),
      customerClient: clientFor(app.app, app.clock, fx.customerAdminA1.mimecast),
      resellerProvisioner: clientFor(app.app, app.clock, c),
      account: (guid) => findAccount(app.ctx, system, { guid }),
    });
  });
  after(async () => t?.close());
}
