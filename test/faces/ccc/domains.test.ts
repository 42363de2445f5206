import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { injectRequest } from '../../helpers/transport.js';
import { clientFor } from '../mimecast/helpers.js';
import { call, UNTHROTTLED } from '../rackspace/helpers.js';

/**
 * AddRemoveServiceDomain and UpdateServiceDomain, and the one set of domains the three faces show: a domain
 * added through CCC is listed by Rackspace and is Mimecast get-account's domain.
 */
for (const kind of STORE_KINDS) {
  describe(`ccc service domains on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());
    const send = (method: string, url: string, key = fx.resellerAdminA.ccc.apiKey) =>
      injectRequest(t.app, { method, url, headers: { authorization: `Bearer ${key}`, accept: 'application/json' } });

    it('makes the first domain primary, and all three faces show it', async () => {
      const res = await send('POST', `/api/services/${fx.a1.guid}/domains/Shared.example`);
      assert.equal(res.status, 200, res.body);
      assert.equal(JSON.parse(res.body).primaryDomain, 'shared.example');
      const second = await send('POST', `/api/services/${fx.a1.guid}/domains/other.example`);
      assert.equal(JSON.parse(second.body).primaryDomain, 'shared.example');
      const listed = await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}/domains`, format: 'json' });
      assert.deepEqual((listed.json as any).domains.map((d: any) => d.name), ['other.example', 'shared.example']);
      const mc = await clientFor(t.app, t.clock, fx.customerAdminA1.mimecast).getAccount();
      assert.equal(mc.body!.data[0].domain, 'shared.example');
      assert.equal((mc.body!.data[0] as any).primaryDomain, 'shared.example');
    });

    it('refuses a domain another service has, anywhere in the system', async () => {
      const res = await send('POST', `/api/services/${fx.b1.guid}/domains/shared.example`, fx.resellerAdminB.ccc.apiKey);
      assert.equal(res.status, 409, res.body);
      assert.deepEqual(JSON.parse(res.body).responseStatus.errorCode, 'AlreadyExists');
    });

    it('renames a domain and sets the primary one with UpdateServiceDomain', async () => {
      const renamed = await send('PUT', `/api/services/${fx.a1.guid}/domains/shared.example?NewDomain=renamed.example`);
      assert.equal(renamed.status, 200, renamed.body);
      assert.equal(JSON.parse(renamed.body).primaryDomain, 'renamed.example');
      const primary = await send('PUT', `/api/services/${fx.a1.guid}/domains/other.example?SetAsPrimaryDomain=true`);
      assert.equal(JSON.parse(primary.body).primaryDomain, 'other.example');
      const rs = await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}/domains/renamed.example`, format: 'json' });
      assert.equal(rs.status, 200);
    });

    it('removes a domain, handing the primary mark to the one left, and 404s an unknown one', async () => {
      const res = await send('DELETE', `/api/services/${fx.a1.guid}/domains/other.example`);
      assert.equal(res.status, 200, res.body);
      assert.equal(JSON.parse(res.body).primaryDomain, 'renamed.example');
      const gone = await send('DELETE', `/api/services/${fx.a1.guid}/domains/other.example`);
      assert.equal(gone.status, 404);
      const bad = await send('POST', `/api/services/${fx.a1.guid}/domains/not_a_domain`);
      assert.equal(bad.status, 400);
    });
  });
}
