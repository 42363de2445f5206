import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { mimecastHeaders, type MimecastClient, type MimecastCredentials } from '../../../src/client/mimecast.js';
import { createPrincipal, systemActor } from '../../../src/domain/principal.js';
import { issueCredential } from '../../../src/domain/credential.js';
import { upsertProduct } from '../../../src/domain/product.js';
import { accountProducts, findAccount, findAccountUnscoped, listAccounts } from '../../../src/domain/account.js';
import { queryAudit } from '../../../src/domain/audit.js';
import { statusHistory } from '../../../src/domain/status.js';
import { userCountChanges } from '../../../src/domain/usage.js';
import { clientFor } from './helpers.js';

const system = systemActor('test');

for (const kind of STORE_KINDS) {
  describe(`mimecast endpoints on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let partnerClient: MimecastClient;
    let readerClient: MimecastClient;
    let customerClient: MimecastClient;
    /** A provisioning principal whose reach is reseller A's subtree only. */
    let resellerProvisioner: MimecastClient;

    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
      // In the catalog, but not one of the partner's products.
      await upsertProduct(t.ctx, system, { id: 1041, name: 'Cloud Archive', packageLabel: 'Archive', monthlyRate: '1.75' });
      const p = await createPrincipal(t.ctx, system, { accountGuid: fx.resellerA.guid, email: 'prov@reseller-a.example', name: 'prov', roles: ['partner_provisioning'] });
      const c = (await issueCredential(t.ctx, system, p.guid, 'mimecast')).secrets as MimecastCredentials;
      partnerClient = clientFor(t.app, t.clock, fx.provisioning.mimecast);
      readerClient = clientFor(t.app, t.clock, fx.reader.mimecast);
      customerClient = clientFor(t.app, t.clock, fx.customerAdminA1.mimecast);
      resellerProvisioner = clientFor(t.app, t.clock, c);
    });
    after(async () => t?.close());

    const account = (guid: string) => findAccount(t.ctx, system, { guid });

    describe('get-support-info', () => {
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
    });

    describe('get-account', () => {
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
    });

    describe('get-packages', () => {
      it('lists only the products the partner may provision', async () => {
        const res = await partnerClient.getPackages();
        assert.equal(res.status, 200);
        assert.deepEqual(res.body!.data, [
          { products: { id: '1039', name: 'Secure Email Gateway (Site)' } },
          { products: { id: '1050', name: 'Hosted Exchange' } },
          { products: { id: '1053', name: 'Office 365 Business Essentials' } },
        ]);
        assert.deepEqual(res.body!.meta.pagination, { pageSize: 100, totalCount: 3 });
      });
      it('pages with next and previous tokens, present only when such a page exists', async () => {
        const p1 = await partnerClient.getPackages({ pageSize: 2 });
        assert.deepEqual(p1.body!.data.map((d) => d.products.id), ['1039', '1050']);
        assert.equal(p1.body!.meta.pagination!.previous, undefined);
        const next = p1.body!.meta.pagination!.next!;
        assert.equal(typeof next, 'string');
        const p2 = await partnerClient.getPackages({ pageSize: 2, pageToken: next });
        assert.deepEqual(p2.body!.data.map((d) => d.products.id), ['1053']);
        assert.equal(p2.body!.meta.pagination!.next, undefined);
        const back = await partnerClient.getPackages({ pageSize: 2, pageToken: p2.body!.meta.pagination!.previous });
        assert.deepEqual(back.body!.data.map((d) => d.products.id), ['1039', '1050']);
      });
      it('refuses a forged page token and a bad page size with 400', async () => {
        const forged = await partnerClient.getPackages({ pageToken: 'not-a-token' });
        assert.equal(forged.status, 400);
        assert.equal(forged.body!.fail[0].errors[0].field, 'pageToken');
        const size = await partnerClient.call('/api/provisioning/get-packages', { meta: { pagination: { pageSize: 0 } }, data: [] });
        assert.equal(size.status, 400);
        assert.equal(size.body!.fail[0].errors[0].field, 'pageSize');
      });
      it('needs the provisioning role', async () => {
        const res = await readerClient.getPackages();
        assert.equal(res.status, 403);
        assert.deepEqual(res.body, {
          meta: { status: 403 },
          data: [],
          fail: [{ errors: [{ code: 'err_xdk_operation_forbidden', message: '0003 Forbidden To Perform Operation', retryable: false }] }],
        });
      });
    });

    describe('update-account', () => {
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
    });

    describe('create-account', () => {
      it('creates a trial account below the partner with every identifier and a history row', async () => {
        const res = await partnerClient.createAccount([
          {
            accountName: 'Brand New Co',
            addressLine1: '1 Main St',
            city: 'Austin',
            country: 'us',
            postalCode: '78701',
            contactEmail: 'admin@brandnew.example',
            contactName: 'Bea',
            primaryDomain: 'brandnew.example',
            numberOfUsers: 25,
            products: [1039, 1053],
            mailPlatform: 'office_365',
            maximumRetention: 365,
            adminPassword: 'Sup3r-secret!',
            forcePasswordChange: true,
          },
        ]);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body!.fail, []);
        const view = res.body!.data[0];
        assert.match(view.accountCode, /^C[A-Z]{2}A\d+A\d+$/);
        assert.match(view.mimecastId, /^01-\d{4}-\d{5}$/);
        assert.deepEqual([view.accountName, view.userCount, view.primaryDomain, view.adminEmail], ['Brand New Co', 25, 'brandnew.example', 'admin@brandnew.example']);
        assert.deepEqual(view.packages, ['Secure Email Gateway (Site) [1039]', 'Office 365 Business Essentials [1053]']);
        assert.deepEqual(view.umbrellaAccounts, [fx.partner.accountCode]);
        const made = (await findAccountUnscoped(t.ctx, { accountCode: view.accountCode }))!;
        assert.match(made.guid, /^[0-9a-f]{32}$/);
        assert.match(made.accountNumber, /^\d+$/);
        assert.equal(made.temporaryDomain, view.domain);
        assert.deepEqual([made.status, made.parentGuid, made.kind, made.country, made.zip], ['TrialActive', fx.partner.guid, 'customer', 'US', '78701']);
        assert.deepEqual(made.extra, { mailPlatform: 'office_365', forcePasswordChange: true, maximumRetention: 365 });
        const history = await statusHistory(t.ctx, made.guid);
        assert.deepEqual(history.map((h) => [h.oldStatus, h.newStatus, h.changedByEmail]), [[null, 'TrialActive', 'provisioning@partner.example']]);
        const audit = await queryAudit(t.ctx, { accountGuid: made.guid });
        assert.ok(!JSON.stringify(audit).includes('Sup3r-secret!'), 'the admin password is never stored');
        // Created with 25 users: that is its count from creation on, with no change recorded yet.
        assert.equal(made.userCount, 25);
        assert.deepEqual(await userCountChanges(t.ctx.db, made.guid, '0000', '9999'), []);
      });

      it('places the account below the deepest umbrella account given', async () => {
        const res = await partnerClient.createAccount([{ accountName: 'Under A', addressLine1: 'x', city: 'y', country: 'GB', umbrellaAccounts: [fx.partner.accountCode, fx.resellerA.accountCode] }]);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body!.data[0].umbrellaAccounts, [fx.resellerA.accountCode, fx.partner.accountCode]);
        const crossed = await partnerClient.createAccount([{ accountName: 'Nope', addressLine1: 'x', city: 'y', country: 'GB', umbrellaAccounts: [fx.a1.accountCode] }]);
        assert.equal(crossed.body!.fail[0].errors[0].field, 'umbrellaAccounts');
        const outside = await resellerProvisioner.createAccount([{ accountName: 'Nope', addressLine1: 'x', city: 'y', country: 'GB', umbrellaAccounts: [fx.resellerB.accountCode] }]);
        assert.equal(outside.body!.fail[0].errors[0].field, 'umbrellaAccounts');
        const own = await resellerProvisioner.createAccount([{ accountName: 'Reseller Made', addressLine1: 'x', city: 'y', country: 'GB' }]);
        assert.deepEqual(own.body!.data[0].umbrellaAccounts, [fx.resellerA.accountCode, fx.partner.accountCode]);
      });

      it('reports missing, blank and malformed fields per item and creates nothing for them', async () => {
        const before = (await listAccounts(t.ctx, system, { descendantsOf: fx.partner.guid, limit: 1000, offset: 0 })).total;
        const res = await partnerClient.call('/api/account/create-account', {
          data: [
            { accountName: 'Missing Bits' },
            { accountName: '', addressLine1: ' ', city: 'c', country: 'USA' },
            { accountName: 'Bad Mail', addressLine1: 'a', city: 'c', country: 'US', contactEmail: 'nope', numberOfUsers: -1 },
            { accountName: 'Bad Product', addressLine1: 'a', city: 'c', country: 'US', products: [1041] },
            { accountName: 'Fine', addressLine1: 'a', city: 'c', country: 'US' },
          ],
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body!.data.map((d: any) => d.accountName), ['Fine']);
        const errs = res.body!.fail.map((f) => f.errors.map((e) => `${e.field}:${e.code}`).sort());
        assert.deepEqual(errs, [
          ['addressLine1:err_validation_null', 'city:err_validation_null', 'country:err_validation_null'],
          ['accountName:err_validation_blank', 'addressLine1:err_validation_blank', 'country:err_validation_invalid_value'],
          ['contactEmail:err_validation_invalid_email_address', 'numberOfUsers:err_validation_number_of_users'],
          ['products:err_validation_product_not_allowed'],
        ]);
        assert.equal(res.body!.fail[0].errors.find((e) => e.field === 'city')!.message, 'Missing required field: city');
        const after = (await listAccounts(t.ctx, system, { descendantsOf: fx.partner.guid, limit: 1000, offset: 0 })).total;
        assert.equal(after, before + 1);
      });

      it('needs the Partner Provisioning role', async () => {
        const res = await clientFor(t.app, t.clock, fx.resellerAdminA.mimecast).createAccount([{ accountName: 'X', addressLine1: 'a', city: 'c', country: 'US' }]);
        assert.equal(res.status, 403);
        assert.equal(res.body!.fail[0].errors[0].code, 'err_xdk_operation_forbidden');
      });
    });

    describe('routing', () => {
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
  });
}
