/**
 * Ping and GetPublicService: the routes anyone may call without a key.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { servicesWorld } from './worlds.js';

for (const kind of STORE_KINDS) {
  describe(`CCC public routes on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const world = servicesWorld(kind);
    before(() => void ({ t, fx } = world));

    it('answers ping without authentication', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/ping' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().result, 'Pong');
      const xml = await t.app.inject({ method: 'GET', url: '/api/ping.xml' });
      assert.match(xml.body, /<PingResponse [^>]*><Result>Pong<\/Result>/);
    });

    it('looks a service up by code publicly', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/public/services/single?servicecode=${fx.a1.accountCode.toLowerCase()}` });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { serviceCode: fx.a1.accountCode, serviceName: 'API Customer 17', primaryDomain: 'customer17.example', status: 'TrialActive' });
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/public/services/single?ServiceCode=NOPE' })).statusCode, 404);
      const missing = await t.app.inject({ method: 'GET', url: '/api/public/services/single' });
      assert.equal(missing.json().responseStatus.errorCode, 'NotEmpty');
      // Resellers are not services.
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/public/services/single?ServiceCode=${fx.resellerA.accountCode}` })).statusCode, 404);
    });

    it('needs no key and ignores a bad one; tells nothing but the public facts', async () => {
      for (const headers of [{}, { authorization: 'Bearer ph_unknown' }, { authorization: 'Basic !!!!' }]) {
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/ping', headers })).statusCode, 200);
        const res = await t.app.inject({ method: 'GET', url: `/api/public/services/single?ServiceCode=${fx.a1.accountCode}`, headers });
        assert.equal(res.statusCode, 200);
        assert.deepEqual(Object.keys(res.json()), ['serviceCode', 'serviceName', 'primaryDomain', 'status']);
      }
    });
  });
}
