import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import type { MimecastClient } from '../../../src/client/mimecast.js';
import { findAccountUnscoped, listAccounts } from '../../../src/domain/account.js';
import { queryAudit } from '../../../src/domain/audit.js';
import { statusHistory } from '../../../src/domain/status.js';
import { userCountChanges } from '../../../src/domain/usage.js';
import { clientFor, system, withMimecastApp } from './helpers.js';

for (const kind of STORE_KINDS) {
  describe(`mimecast create-account on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let partnerClient: MimecastClient;
    let resellerProvisioner: MimecastClient;
    withMimecastApp(kind, {}, (m) => ({ t, fx, partnerClient, resellerProvisioner } = m));

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

    it('refuses a negative retention as a rule of the account, and wrongly typed extras as type errors', async () => {
      const item = { accountName: 'Keeps Nothing', addressLine1: 'a', city: 'c', country: 'US', maximumRetention: -1 };
      const res = await partnerClient.createAccount([item]);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body!.fail, [
        { key: item, errors: [{ code: 'err_validation_invalid_value', message: 'maximumRetention must not be negative', retryable: false, field: 'maximumRetention' }] },
      ]);
      const typed = await partnerClient.call('/api/account/create-account', { data: [{ ...item, maximumRetention: 'forever', forcePasswordChange: 'yes' }] });
      assert.deepEqual(typed.body!.fail[0].errors.map((e) => [e.field, e.message]), [
        ['forcePasswordChange', 'forcePasswordChange must be true or false'],
        ['maximumRetention', 'maximumRetention must be a whole number'],
      ]);
      const made = await listAccounts(t.ctx, system, { descendantsOf: fx.partner.guid, limit: 1000, offset: 0 });
      assert.ok(!made.items.some((a) => a.name === 'Keeps Nothing'));
    });

    it('creates nothing below an umbrella account outside the caller subtree', async () => {
      const res = await resellerProvisioner.createAccount([{ accountName: 'Sneaky', addressLine1: 'x', city: 'y', country: 'GB', umbrellaAccounts: [fx.partner.accountCode] }]);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body!.data, []);
      assert.deepEqual(res.body!.fail[0].errors, [
        { code: 'err_validation_invalid_value', message: `Not an umbrella account available to the caller: ${fx.partner.accountCode}`, retryable: false, field: 'umbrellaAccounts' },
      ]);
      const made = await listAccounts(t.ctx, system, { descendantsOf: fx.partner.guid, limit: 1000, offset: 0 });
      assert.ok(!made.items.some((a) => a.name === 'Sneaky'));
    });
  });
}
