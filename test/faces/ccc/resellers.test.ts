/** GetReseller and GetResellerServices (/api/resellers/{ResellerGuid}[/services]) within the key's subtree. */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { cccClient } from '../../helpers/ccc.js';
import { servicesWorld } from './worlds.js';

for (const kind of STORE_KINDS) {
  describe(`CCC resellers on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const world = servicesWorld(kind);
    before(() => void ({ t, fx } = world));
    const get = (url: string, key = fx.reader.ccc.apiKey, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });

    it('shows a reseller and its services, paged', async () => {
      const reader = cccClient(t.app, fx.reader.ccc.apiKey);
      const r = await reader.getReseller(fx.resellerA.guid);
      assert.deepEqual([r.resellerGuid, r.resellerName, r.partnerGuid, r.partnerName], [fx.resellerA.guid, 'Reseller A', fx.partner.guid, 'Test Partner']);
      const services = await reader.getResellerServices(fx.resellerB.guid);
      assert.deepEqual(services.results.map((s) => s.serviceName), ['Later Customer', 'Other Customer']);
      const paged = await reader.getResellerServices(fx.resellerB.guid, { PageSize: 1, Page: 2 });
      assert.deepEqual([paged.totalPages, paged.results[0].serviceName], [2, 'Other Customer']);
      // Each service names its reseller and partner.
      assert.deepEqual([services.results[0].resellerName, services.results[0].partnerName], ['Reseller B', 'Test Partner']);
    });

    it('answers another subtree\'s reseller, a non-reseller and a bad GUID as ServiceStack does', async () => {
      const a = fx.resellerAdminA.ccc.apiKey;
      assert.equal((await get(`/api/resellers/${fx.resellerB.guid}`, a)).statusCode, 404);
      assert.equal((await get(`/api/resellers/${fx.resellerB.guid}/services`, a)).json().responseStatus.message, 'Reseller not found');
      assert.equal((await get(`/api/resellers/${fx.a1.guid}`)).statusCode, 404);
      const bad = await get('/api/resellers/nope/services');
      assert.deepEqual([bad.statusCode, bad.json().responseStatus.message], [400, "'nope' is an Invalid value for 'ResellerGuid'"]);
      const noKey = await t.app.inject({ method: 'GET', url: `/api/resellers/${fx.resellerA.guid}` });
      assert.equal(noKey.statusCode, 401);
    });
  });
}
