import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { mimecastHeaders, type MimecastClient } from '../../../src/client/mimecast.js';
import { withMimecastApp } from './helpers.js';

for (const kind of STORE_KINDS) {
  describe(`mimecast routing on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let partnerClient: MimecastClient;
    withMimecastApp(kind, {}, (m) => ({ t, fx, partnerClient } = m));

    it('declares each Mimecast endpoint once, as a POST: authenticated ones, and the two that come before credentials', () => {
      const mine = t.app.faceRoutes.filter((r) => r.face === 'mimecast');
      assert.deepEqual(
        mine.map((r) => `${r.method} ${r.url} ${r.operationId} ${r.auth}`),
        [
          'POST /api/account/get-support-info getSupportInfo true',
          'POST /api/account/get-account getAccount true',
          'POST /api/account/get-dashboard-notifications getDashboardNotifications true',
          'POST /api/account/update-account updateAccount true',
          'POST /api/account/create-account createAccount true',
          'POST /api/provisioning/get-packages getPackages true',
          'POST /api/login/discover-authentication discoverAuthentication false',
          'POST /oauth/token oauthToken false',
        ],
      );
    });

    it('answers unknown paths under its prefixes with a 404 envelope', async () => {
      for (const path of ['/api/account/no-such-thing', '/api/provisioning/nothing/here', '/api/account']) {
        const res = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json' }, payload: '{"data":[]}' });
        assert.equal(res.statusCode, 404, path);
        assert.deepEqual(res.json(), { meta: { status: 404 }, data: [], fail: [{ errors: [{ code: 'err_resource_not_found', message: `There is no endpoint ${path}`, retryable: false }] }] });
      }
      const get = await t.app.inject({ method: 'GET', url: '/api/account/get-account' });
      assert.equal(get.statusCode, 404);
      assert.equal(get.json().meta.status, 404);
    });
    it('answers oversized bodies with a 413 envelope and reads bodies sent with another content type', async () => {
      const big = JSON.stringify({ data: [{ accountCode: 'x'.repeat(t.config.bodyLimit) }] });
      const tooLarge = await partnerClient.call('/api/account/update-account', big);
      assert.equal(tooLarge.status, 413);
      assert.equal(tooLarge.body!.fail[0].errors[0].code, 'err_request_too_large');
      const headers = mimecastHeaders(fx.reader.mimecast, '/api/account/get-account', { now: () => t.clock.now() });
      const plain = await t.app.inject({ method: 'POST', url: '/api/account/get-account', headers: { ...headers, 'content-type': 'text/plain' }, payload: '{"data":[]}' });
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.json().data[0].accountCode, fx.partner.accountCode);
    });
    it('does not claim other /api paths', async () => {
      // /api/services belongs to the CCC face: it answers in ServiceStack's shape, not the Mimecast envelope.
      const res = await t.app.inject({ method: 'GET', url: '/api/services' });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().meta, undefined);
      assert.equal(res.json().responseStatus.errorCode, 'Unauthorized');
    });
    it('signs the path the client sent, so a signature for one endpoint does not open another', async () => {
      const headers = mimecastHeaders(fx.provisioning.mimecast, '/api/account/get-account', { now: () => t.clock.now() });
      const res = await t.app.inject({ method: 'POST', url: '/api/account/update-account', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"data":[]}' });
      assert.equal(res.statusCode, 401);
    });
  });
}
