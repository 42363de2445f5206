import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { Fixture } from '../../helpers/fixture.js';
import type { MimecastClient } from '../../../src/client/mimecast.js';
import { withMimecastApp } from './helpers.js';

const PATH = '/api/account/get-account';

for (const kind of STORE_KINDS) {
  describe(`mimecast get-account on ${kind}`, storeSuiteOptions(kind), () => {
    let fx: Fixture;
    let partnerClient: MimecastClient;
    let customerClient: MimecastClient;
    withMimecastApp(kind, {}, (m) => ({ fx, partnerClient, customerClient } = m));

    it("returns the caller's own account", async () => {
      const res = await customerClient.getAccount();
      assert.equal(res.status, 200);
      const a = res.body!.data[0];
      assert.equal(a.accountCode, fx.a1.accountCode);
      assert.equal(a.accountName, 'API Customer 17');
      assert.equal(a.mimecastId, fx.a1.mimecastId);
      assert.equal(a.domain, fx.a1.temporaryDomain);
      assert.equal(a.region, 'us');
      assert.equal(a.userCount, fx.a1.userCount);
      assert.deepEqual(a.packages, ['Secure Email Gateway (Site) [1039]']);
      assert.deepEqual(a.umbrellaAccounts, [fx.resellerA.accountCode, fx.partner.accountCode]);
      assert.equal(a.type, 'customer');
    });

    it('answers every field of the account in a fixed order, a partner with no umbrella accounts', async () => {
      const res = await partnerClient.getAccount();
      assert.deepEqual(Object.keys(res.body!.data[0]), [
        'region', 'mimecastId', 'accountCode', 'accountName', 'adminEmail', 'contactEmail', 'contactName', 'telephone', 'domain',
        'primaryDomain', 'userCount', 'packages', 'umbrellaAccounts', 'mailPlatform', 'type', 'maxRetention', 'status', 'accountCreated',
      ]);
      const a = res.body!.data[0];
      assert.deepEqual([a.accountCode, a.type, a.umbrellaAccounts, a.maxRetention, a.status], [fx.partner.accountCode, 'partner', [], null, 'CertifiedSecure']);
    });

    it('refuses a request envelope of the wrong shape with 400, naming the member', async () => {
      for (const [body, field] of [['{"data":"abc"}', 'data'], ['{"meta":[]}', 'meta'], ['{"meta":{"pagination":5}}', 'pagination'], ['[1]', 'body']] as const) {
        const res = await customerClient.call(PATH, body);
        assert.equal(res.status, 400, body);
        assert.deepEqual(res.body!.fail[0].errors[0], { code: 'err_validation_invalid_type', message: `${field} must be ${expected(field)}`, retryable: false, field }, body);
      }
    });

    it("shows the caller's own account only, whatever the body names", async () => {
      const res = await customerClient.call(PATH, { data: [{ accountCode: fx.b1.accountCode }, { accountCode: fx.partner.accountCode }] });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body!.data.map((d) => d.accountCode), [fx.a1.accountCode]);
      assert.ok(!res.text.includes(fx.b1.accountCode));
    });
  });
}

function expected(field: string): string {
  return { data: 'an array', meta: 'an object', pagination: 'an object', body: 'an object like {"data":[]}' }[field]!;
}
