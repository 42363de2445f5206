import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { mimecastHeaders, type MimecastClient } from '../../../src/client/mimecast.js';
import { withMimecastApp } from './helpers.js';

const PATH = '/api/account/get-support-info';

for (const kind of STORE_KINDS) {
  describe(`mimecast get-support-info on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let readerClient: MimecastClient;
    let customerClient: MimecastClient;
    withMimecastApp(kind, {}, (m) => ({ t, fx, readerClient, customerClient } = m));

    it("returns the caller's support profile with all ten fields in the seed's order", async () => {
      const res = await readerClient.getSupportInfo();
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        meta: { status: 200 },
        data: [
          {
            partnerName: 'Test Partner',
            supportPackage: 'Premium',
            customerDevelopmentManager: 'Luis Ortega',
            mailtoLink: 'mailto:support@partner.example',
            supportJurisdiction: 'US',
            renewalDate: '2027-01-31',
            hostingJurisdiction: 'US',
            customerAdvocate: 'Dana Whitfield',
            mainProduct: 'Secure Email Gateway',
            officePhone: '+1 800 555 0199',
          },
        ],
        fail: [],
      });
      assert.ok(res.text.startsWith('{"meta":{"status":200},"data":[{"partnerName":'), 'meta, data, fail order');
      assert.ok(res.text.endsWith(',"fail":[]}'));
    });

    it("gives a customer its own account's profile with its partner's name", async () => {
      const res = await customerClient.getSupportInfo();
      assert.equal(res.body!.data[0].partnerName, 'Test Partner');
      // Inherited from the partner when the account was created.
      assert.equal(res.body!.data[0].customerAdvocate, 'Dana Whitfield');
      assert.equal(res.body!.data[0].mainProduct, '');
    });

    it('answers a body it cannot read with 400 in the envelope, once the caller is known', async () => {
      const res = await readerClient.call(PATH, '{"data": [');
      assert.equal(res.status, 400);
      assert.equal(res.body!.fail[0].errors[0].code, 'err_request_malformed');
      assert.match(res.headers['x-ratelimit-limit'], /^\d+$/);
    });

    it("answers only with the caller's own profile, whatever the body names", async () => {
      const res = await customerClient.call(PATH, { data: [{ accountCode: fx.b1.accountCode }] });
      assert.equal(res.status, 200);
      assert.equal(res.body!.data.length, 1);
      assert.equal(res.body!.data[0].customerAdvocate, 'Dana Whitfield');
      const unsigned = await t.app.inject({ method: 'POST', url: PATH, headers: { 'content-type': 'application/json' }, payload: '{"data":[]}' });
      assert.equal(unsigned.statusCode, 400);
      assert.equal(unsigned.json().fail[0].errors[0].code, 'err_xdk_missing_credentials');
      // A signature made for this path by one user does not work with another user's access key.
      const headers = mimecastHeaders({ ...fx.reader.mimecast, accessKey: fx.customerAdminA1.mimecast.accessKey }, PATH, { now: () => t.clock.now() });
      const mixed = await t.app.inject({ method: 'POST', url: PATH, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"data":[]}' });
      assert.equal(mixed.statusCode, 401);
    });
  });
}
