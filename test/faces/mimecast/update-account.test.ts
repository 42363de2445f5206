import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import type { MimecastClient } from '../../../src/client/mimecast.js';
import { accountProducts } from '../../../src/domain/account.js';
import { queryAudit } from '../../../src/domain/audit.js';
import { userCountChanges } from '../../../src/domain/usage.js';
import { clientFor, withMimecastApp, type MimecastApp } from './helpers.js';

for (const kind of STORE_KINDS) {
  describe(`mimecast update-account on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let partnerClient: MimecastClient;
    let readerClient: MimecastClient;
    let customerClient: MimecastClient;
    let resellerProvisioner: MimecastClient;
    let account: MimecastApp['account'];
    withMimecastApp(kind, {}, (m) => ({ t, fx, partnerClient, readerClient, customerClient, resellerProvisioner, account } = m));

    it('replaces contact fields, adds users, replaces products, and answers with the seed 001 shape', async () => {
      const before = await account(fx.a2.guid);
      const res = await partnerClient.updateAccount([
        { accountCode: fx.a2.accountCode, accountName: 'API Customer 39 Ltd', contactEmail: 'ops@c39.example', contactName: 'Ops', telephone: '1-555-0139', numberOfUsers: 50, products: [1050, '1053'] },
      ]);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body!.fail, []);
      assert.deepEqual(Object.keys(res.body!.data[0]), ['userCount', 'accountCode', 'domain', 'packages', 'umbrellaAccounts', 'primaryDomain', 'mimecastId', 'adminEmail', 'accountName']);
      assert.deepEqual(res.body!.data[0], {
        userCount: before.userCount + 50,
        accountCode: fx.a2.accountCode,
        domain: fx.a2.temporaryDomain,
        packages: ['Hosted Exchange [1050]', 'Office 365 Business Essentials [1053]'],
        umbrellaAccounts: [fx.resellerA.accountCode, fx.partner.accountCode],
        primaryDomain: '',
        mimecastId: fx.a2.mimecastId,
        adminEmail: '',
        accountName: 'API Customer 39 Ltd',
      });
      const after = await account(fx.a2.guid);
      assert.deepEqual([after.name, after.contactEmail, after.contactName, after.telephone, after.userCount], ['API Customer 39 Ltd', 'ops@c39.example', 'Ops', '1-555-0139', before.userCount + 50]);

      const audit = await queryAudit(t.ctx, { accountGuid: fx.a2.guid });
      const products = audit.filter((e) => e.action === 'account.products').at(-1)!;
      assert.deepEqual(products.before, { productIds: [] });
      assert.deepEqual(products.after, { productIds: [1050, 1053] });
      assert.equal(products.actorEmail, 'provisioning@partner.example');
      const users = audit.filter((e) => e.action === 'account.user_count').at(-1)!;
      assert.deepEqual(users.before, { userCount: before.userCount });
      assert.deepEqual(users.after, { userCount: before.userCount + 50 });
      const history = await userCountChanges(t.ctx.db, fx.a2.guid, '0000', '9999');
      assert.deepEqual(history.map((l) => [l.oldCount, l.newCount]), [[before.userCount, before.userCount + 50]]);
    });

    it('reduces users with a negative number and refuses to go below zero without changing anything', async () => {
      const start = (await account(fx.b1.guid)).userCount;
      const down = await partnerClient.updateAccount([{ accountCode: fx.b1.accountCode, numberOfUsers: -5 }]);
      assert.equal(down.body!.data[0].userCount, start - 5);
      const auditBefore = (await queryAudit(t.ctx, {})).length;
      const tooFar = await partnerClient.updateAccount([{ accountCode: fx.b1.accountCode, numberOfUsers: -(start - 5) - 1, accountName: 'Should Not Stick' }]);
      assert.equal(tooFar.status, 200);
      assert.deepEqual(tooFar.body!.data, []);
      assert.deepEqual(tooFar.body!.fail[0].key, { accountCode: fx.b1.accountCode, numberOfUsers: -(start - 5) - 1, accountName: 'Should Not Stick' });
      assert.equal(tooFar.body!.fail[0].errors[0].code, 'err_validation_number_of_users');
      assert.equal(tooFar.body!.fail[0].errors[0].field, 'numberOfUsers');
      const after = await account(fx.b1.guid);
      assert.deepEqual([after.userCount, after.name], [start - 5, 'Other Customer']);
      assert.equal((await queryAudit(t.ctx, {})).length, auditBefore, 'nothing written');
      const zero = await partnerClient.updateAccount([{ accountCode: fx.b1.accountCode, numberOfUsers: -(start - 5) }]);
      assert.equal(zero.body!.data[0].userCount, 0);
    });

    it('applies concurrent user deltas without losing one', async () => {
      const start = (await account(fx.a1.guid)).userCount;
      const results = await Promise.all(Array.from({ length: 6 }, () => partnerClient.updateAccount([{ accountCode: fx.a1.accountCode, numberOfUsers: 3 }])));
      assert.ok(results.every((r) => r.status === 200 && r.body!.fail.length === 0));
      assert.equal((await account(fx.a1.guid)).userCount, start + 18);
    });

    it('refuses unknown and not-allowed product ids, leaving the product set alone', async () => {
      const before = (await accountProducts(t.ctx, fx.a1.guid)).map((p) => p.id);
      const unknown = await partnerClient.updateAccount([{ accountCode: fx.a1.accountCode, products: [1039, 424242] }]);
      assert.deepEqual(unknown.body!.fail[0].errors, [{ code: 'err_validation_unknown_product', message: 'Unknown product id: 424242', retryable: false, field: 'products' }]);
      const notAllowed = await partnerClient.updateAccount([{ accountCode: fx.a1.accountCode, products: [1041] }]);
      assert.deepEqual(notAllowed.body!.fail[0].errors, [
        { code: 'err_validation_product_not_allowed', message: 'Product not available to this partner: 1041', retryable: false, field: 'products' },
      ]);
      const badType = await partnerClient.updateAccount([{ accountCode: fx.a1.accountCode, products: ['abc'] as any }]);
      assert.equal(badType.body!.fail[0].errors[0].code, 'err_validation_invalid_type');
      assert.deepEqual((await accountProducts(t.ctx, fx.a1.guid)).map((p) => p.id), before);
      const cleared = await partnerClient.updateAccount([{ accountCode: fx.a1.accountCode, products: [] }]);
      assert.deepEqual(cleared.body!.data[0].packages, []);
    });

    it('processes each data item as its own call: valid ones succeed, invalid ones land in fail', async () => {
      const res = await partnerClient.call('/api/account/update-account', {
        data: [
          { accountCode: fx.a1.accountCode, telephone: '1-555-0001' },
          { numberOfUsers: 5 },
          { accountCode: fx.a2.accountCode, contactEmail: 'not-an-email' },
          { accountCode: fx.a2.accountCode, accountName: '   ' },
          { accountCode: '' },
          'not an object',
          { accountCode: fx.b1.accountCode, contactName: 'B One' },
        ],
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body!.data.map((d: any) => d.accountCode), [fx.a1.accountCode, fx.b1.accountCode]);
      assert.deepEqual(
        res.body!.fail.map((f) => [f.key, f.errors.map((e) => [e.code, e.field])]),
        [
          [{ numberOfUsers: 5 }, [['err_validation_null', 'accountCode']]],
          [{ accountCode: fx.a2.accountCode, contactEmail: 'not-an-email' }, [['err_validation_invalid_email_address', 'contactEmail']]],
          [{ accountCode: fx.a2.accountCode, accountName: '   ' }, [['err_validation_blank', 'accountName']]],
          [{ accountCode: '' }, [['err_validation_blank', 'accountCode']]],
          ['not an object', [['err_validation_invalid_type', 'data']]],
        ],
      );
      assert.equal((await account(fx.a1.guid)).telephone, '1-555-0001');
      assert.equal((await account(fx.b1.guid)).contactName, 'B One');
      assert.notEqual((await account(fx.a2.guid)).contactEmail, 'not-an-email');
    });

    it('accepts a Python dict literal body, as the seed Python sample sends it', async () => {
      const body = `{'data': [{'accountCode': '${fx.a1.accountCode}', 'contactName': "O'Neil", 'telephone': None, 'numberOfUsers': 1, 'products': [1039]}], 'meta': {'flag': True}}`;
      const start = (await account(fx.a1.guid)).userCount;
      const res = await partnerClient.call('/api/account/update-account', body);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body!.fail, []);
      const after = await account(fx.a1.guid);
      assert.deepEqual([after.contactName, after.userCount], ["O'Neil", start + 1]);
    });

    it('answers 400 in the envelope for bodies it cannot read, never 500', async () => {
      for (const body of ['{"data": [', "{'data': open('/etc/passwd')}", '<data/>', '[1,2]', '{"data": {"accountCode": "x"}}', '"just a string"']) {
        const res = await partnerClient.call('/api/account/update-account', body);
        assert.equal(res.status, 400, body);
        assert.equal(res.body!.meta.status, 400);
        assert.deepEqual(res.body!.data, []);
        assert.ok(['err_request_malformed', 'err_validation_invalid_type'].includes(res.body!.fail[0].errors[0].code), body);
      }
    });

    it('refuses accounts outside the caller subtree, and the caller itself, with 403', async () => {
      const outside = await resellerProvisioner.updateAccount([{ accountCode: fx.b1.accountCode, numberOfUsers: 1 }]);
      assert.equal(outside.status, 403);
      assert.deepEqual(outside.body, {
        meta: { status: 403 },
        data: [],
        fail: [
          {
            key: { accountCode: fx.b1.accountCode, numberOfUsers: 1 },
            errors: [{ code: 'err_xdk_operation_forbidden_for_account', message: '0003 Forbidden To Perform Operation For Account', retryable: false }],
          },
        ],
      });
      const self = await partnerClient.updateAccount([{ accountCode: fx.partner.accountCode, accountName: 'Renamed Partner' }]);
      assert.equal(self.status, 403);
      const missing = await partnerClient.updateAccount([{ accountCode: 'CXXA0A0' }]);
      assert.equal(missing.status, 403, 'an unknown code looks the same as one outside the subtree');
      // Mixed with an item that succeeds, the request is a 200 with the refused item in fail.
      const mixed = await resellerProvisioner.updateAccount([{ accountCode: fx.b1.accountCode }, { accountCode: fx.a2.accountCode, telephone: '1' }]);
      assert.equal(mixed.status, 200);
      assert.equal(mixed.body!.data.length, 1);
      assert.equal(mixed.body!.fail[0].errors[0].code, 'err_xdk_operation_forbidden_for_account');
      assert.equal((await account(fx.partner.guid)).name, 'Test Partner');
    });

    it('needs the Partner Provisioning role, even for roles that may edit accounts', async () => {
      for (const client of [readerClient, customerClient, clientFor(t.app, t.clock, fx.resellerAdminA.mimecast)]) {
        const res = await client.updateAccount([{ accountCode: fx.a1.accountCode, telephone: '999' }]);
        assert.equal(res.status, 403);
        assert.equal(res.body!.fail[0].errors[0].code, 'err_xdk_operation_forbidden');
        assert.equal(res.body!.fail[0].key, undefined);
      }
      assert.notEqual((await account(fx.a1.guid)).telephone, '999');
    });

    it('answers an empty or absent data list with an empty 200', async () => {
      for (const body of ['', '{}', '{"data":[]}', 'null', "{'data': None}"]) {
        const res = await partnerClient.call('/api/account/update-account', body);
        assert.equal(res.text, '{"meta":{"status":200},"data":[],"fail":[]}', JSON.stringify(body));
      }
    });

    it('reports every wrongly typed field of an item in the order of the fields, the missing account first', async () => {
      const item = { numberOfUsers: 'five', telephone: 7, products: [1039, 'x'], contactName: null };
      const res = await partnerClient.call('/api/account/update-account', { data: [item] });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body!.fail, [
        {
          key: item,
          errors: [
            { code: 'err_validation_null', message: 'Missing required field: accountCode', retryable: false, field: 'accountCode' },
            { code: 'err_validation_invalid_type', message: 'telephone must be a string', retryable: false, field: 'telephone' },
            { code: 'err_validation_invalid_type', message: 'numberOfUsers must be a whole number', retryable: false, field: 'numberOfUsers' },
            { code: 'err_validation_invalid_type', message: 'products must be an array of product ids', retryable: false, field: 'products' },
          ],
        },
      ]);
    });

    it('takes numbers of users and product ids sent as digits, and clears contact fields sent blank', async () => {
      const before = await account(fx.a2.guid);
      const res = await partnerClient.updateAccount([{ accountCode: ` ${fx.a2.accountCode.toLowerCase()} `, numberOfUsers: ' 2 ' as any, products: [' 1050 '], contactName: ' ' }]);
      assert.deepEqual(res.body!.fail, []);
      assert.deepEqual([res.body!.data[0].userCount, res.body!.data[0].packages], [before.userCount + 2, ['Hosted Exchange [1050]']]);
      assert.equal((await account(fx.a2.guid)).contactName, null);
    });
  });
}
