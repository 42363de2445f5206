import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { withMimecastApp, type MimecastApp } from './helpers.js';
import { bearerCall, tokenFor } from './oauth-helpers.js';

/**
 * API 1.0 signing and API 2.0 bearer tokens open every authenticated Mimecast route alike: the same status,
 * the same envelope, the same rate headers. Iterates the face's declared routes, so a new route is covered.
 */
for (const kind of STORE_KINDS) {
  describe(`mimecast: both authentication schemes on every route on ${kind}`, storeSuiteOptions(kind), () => {
    let m: MimecastApp;
    withMimecastApp(kind, {}, (app) => (m = app));

    const routes = () => m.t.app.faceRoutes.filter((r) => r.face === 'mimecast' && r.auth);

    it('answers each route the same with a signature and with a bearer token', async () => {
      assert.ok(routes().length >= 6);
      const token = await tokenFor(m.t.app, m.fx.provisioning.mimecast);
      for (const r of routes()) {
        assert.equal(r.method, 'POST');
        const signed = await m.partnerClient.call(r.url, { data: [] });
        const bearer = await bearerCall(m.t.app, token, r.url, { data: [] });
        assert.equal(signed.status, 200, `${r.url} signed: ${signed.text}`);
        assert.equal(bearer.status, signed.status, `${r.url} bearer: ${bearer.body}`);
        assert.deepEqual(JSON.parse(bearer.body), signed.body, r.url);
        for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) assert.ok(bearer.headers[h], `${r.url}: ${h}`);
      }
    });

    it('refuses each route with a token it did not issue, in the envelope, before reading the body', async () => {
      for (const r of routes()) {
        const res = await bearerCall(m.t.app, 'forged-token', r.url, '{not json');
        assert.equal(res.status, 401, r.url);
        const body = JSON.parse(res.body);
        assert.deepEqual(Object.keys(body), ['meta', 'data', 'fail']);
        assert.equal(body.fail[0].errors[0].code, 'err_xdk_invalid_access_token', r.url);
      }
    });
  });
}
