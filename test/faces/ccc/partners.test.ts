/** GetPartnerResellers (/api/partners/{PartnerGuid}/resellers) within the key's subtree. */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { cccClient } from '../../helpers/ccc.js';
import { servicesWorld } from './worlds.js';

for (const kind of STORE_KINDS) {
  describe(`CCC partners on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const world = servicesWorld(kind);
    before(() => void ({ t, fx } = world));
    const get = (url: string, key = fx.reader.ccc.apiKey, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });

    it('lists a partner\'s resellers, in JSON and XML', async () => {
      const reader = cccClient(t.app, fx.reader.ccc.apiKey);
      const resellers = await reader.getPartnerResellers(fx.partner.guid);
      assert.deepEqual(resellers.results.map((x) => x.resellerName), ['Reseller A', 'Reseller B']);
      assert.ok(resellers.results.every((x) => x.partnerName === 'Test Partner'));
      const xml = await get(`/api/partners/${fx.partner.guid}/resellers.xml`);
      assert.match(xml.body, /<ResellersResponse [^>]*>.*<Results><Reseller>.*<ResellerName>Reseller A<\/ResellerName>/);
    });

    it('answers a partner above the key, a non-partner and bad paging as ServiceStack does', async () => {
      const a = fx.resellerAdminA.ccc.apiKey;
      assert.equal((await get(`/api/partners/${fx.partner.guid}/resellers`, a)).statusCode, 404);
      assert.equal((await get(`/api/partners/${fx.resellerA.guid}/resellers`)).json().responseStatus.message, 'Partner not found');
      const paging = await get(`/api/partners/${fx.partner.guid}/resellers?PageSize=-1`);
      assert.equal(paging.statusCode, 400);
      assert.deepEqual(paging.json().responseStatus.errors, [
        { errorCode: 'GreaterThanOrEqual', fieldName: 'PageSize', message: "'Page Size' must be greater than or equal to '0'.", meta: { PropertyName: 'PageSize', ComparisonValue: '0' } },
      ]);
      const wrong = await get(`/api/partners/${fx.partner.guid}/resellers`, 'ph_unknown');
      assert.equal(wrong.statusCode, 401);
    });
  });
}
