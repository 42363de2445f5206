import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture, type FixturePrincipal } from '../helpers/fixture.js';
import { call as rackspace } from './rackspace/helpers.js';
import { clientFor as mimecastClient } from './mimecast/helpers.js';
import type { CccClient } from '../../src/client/ccc.js';
import { cccClient } from '../helpers/ccc.js';
import { findAccountUnscoped } from '../../src/domain/account.js';
import { changeStatus } from '../../src/domain/status.js';
import { systemActor } from '../../src/domain/principal.js';
import { runBilling, listInvoices, invoiceLineItems, type InvoiceLine } from '../../src/domain/billing.js';

/** One domain, three faces: what one face does, the other two see. */

function ccc(t: TestApp, who: FixturePrincipal): CccClient {
  return cccClient(t.app, who.ccc.apiKey);
}

for (const kind of STORE_KINDS) {
  describe(`across faces on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('shows a Rackspace disable and enable in the CCC status history, with who did it', async () => {
      const disabled = await rackspace(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${fx.a1.accountNumber}/disable` });
      assert.equal(disabled.status, 200, disabled.body);
      const seen = await ccc(t, fx.reader).searchServiceStatusChanges({ ServiceGuid: fx.a1.guid });
      assert.equal(seen.results[0].status, 'AccountSuspended');
      assert.equal(seen.results[0].changedByUserEmailAddress, 'admin@reseller-a.example');
      assert.equal(seen.results[0].changedByUserGuid, fx.resellerAdminA.principal.guid);
      assert.equal(seen.results[0].resellerGuid, fx.resellerA.guid);
      assert.equal(seen.results[0].partnerGuid, fx.partner.guid);
      t.clock.advance(5 * 60_000);
      const enabled = await rackspace(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${fx.a1.accountNumber}/enable` });
      assert.equal(enabled.status, 200, enabled.body);
      const after = await ccc(t, fx.reader).searchServiceStatusChanges({ ServiceGuid: fx.a1.guid });
      assert.deepEqual(after.results.map((r) => r.status), ['TrialActive', 'AccountSuspended', 'TrialActive']);
      // The other reseller's admin does not see it at all.
      const outsider = await ccc(t, fx.resellerAdminB).searchServiceStatusChanges({ ServiceGuid: fx.a1.guid });
      assert.equal(outsider.totalItems, 0);
    });

    it('makes an account created through Mimecast the same account in Rackspace and CCC', async () => {
      const created = await mimecastClient(t.app, t.clock, fx.provisioning.mimecast).createAccount([
        { accountName: 'Cross Face Co', addressLine1: '1 Way', city: 'Austin', country: 'US', umbrellaAccounts: [fx.resellerA.accountCode], numberOfUsers: 12 },
      ]);
      assert.equal(created.status, 200, created.text);
      const code = (created.body!.data[0] as { accountCode: string }).accountCode;
      const account = (await findAccountUnscoped(t.ctx, { accountCode: code }))!;

      const index = await rackspace(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers', query: { startswith: 'Cross Face' }, format: 'json' });
      assert.equal(index.status, 200, index.body);
      const customers = (index.json as { customers: { name: string; accountNumber: string }[] }).customers;
      assert.deepEqual(customers.map((c) => [c.name, c.accountNumber]), [['Cross Face Co', account.accountNumber]]);

      const service = await ccc(t, fx.reader).getService(account.guid);
      assert.equal(service.serviceCode, code);
      assert.equal(service.serviceName, 'Cross Face Co');
      assert.equal(service.status, 'TrialActive');
      const history = await ccc(t, fx.reader).searchServiceStatusChanges({ ServiceGuid: account.guid });
      assert.deepEqual(history.results.map((r) => [r.status, r.changedByUserEmailAddress]), [['TrialActive', 'provisioning@partner.example']]);

      // And a Rackspace delete is a cancellation CCC sees, while the account vanishes from Rackspace.
      const deleted = await rackspace(t, fx.resellerAdminA, { method: 'DELETE', path: `/v1/customers/${account.accountNumber}` });
      assert.equal(deleted.status, 200, deleted.body);
      assert.equal((await rackspace(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${account.accountNumber}`, format: 'json' })).status, 404);
      const afterDelete = await ccc(t, fx.reader).searchServiceStatusChanges({ ServiceGuid: account.guid });
      assert.equal(afterDelete.results[0].status, 'AccountCancelled');
      assert.equal(afterDelete.results[0].changedByUserEmailAddress, 'admin@reseller-a.example');
    });

    it('bills a Mimecast user-count increase as a prorated Upgrade line', async () => {
      const mc = mimecastClient(t.app, t.clock, fx.provisioning.mimecast);
      t.clock.set('2026-04-01T00:00:00.000Z');
      const b1 = (await findAccountUnscoped(t.ctx, { guid: fx.b1.guid }))!;
      await t.ctx.db.transaction().execute((trx) => changeStatus(trx, t.ctx, systemActor('test'), b1, 'CertifiedSecure'));
      const products = await mc.updateAccount([{ accountCode: fx.b1.accountCode, products: [1050] }]);
      assert.equal(products.status, 200, products.text);
      assert.deepEqual(products.body!.fail, []);
      // Half-way through April's 30 days, 10 more users: 7.00 × 10 × 0.50 = 35.00 on top of 20 × 7.00 = 140.00.
      t.clock.set('2026-04-16T00:00:00.000Z');
      const more = await mc.updateAccount([{ accountCode: fx.b1.accountCode, numberOfUsers: 10 }]);
      assert.equal((more.body!.data[0] as { userCount: number }).userCount, 30);
      t.clock.set('2026-05-01T01:00:00.000Z');
      const run = await runBilling(t.ctx, systemActor('test'), '2026-04');
      assert.deepEqual(run.failed, []);
      const invoices = await listInvoices(t.ctx, fx.resellerAdminB.actor, { accountNumber: fx.resellerB.accountNumber });
      assert.equal(invoices.items.length, 1);
      assert.equal(invoices.items[0].totalDue, '175.00');
      const { lines } = await invoiceLineItems(t.ctx, fx.resellerAdminB.actor, { accountNumber: fx.resellerB.accountNumber }, invoices.items[0].id);
      const all: InvoiceLine[] = [];
      for await (const l of lines) all.push(l);
      assert.deepEqual(
        all.map((l) => [l.accountNumber, l.product, l.type, l.committedUsage, l.currentUsage, l.usageChange, l.months, l.rate, l.charge]),
        [
          [fx.b1.accountNumber, 'Hosted Exchange', 'Renewal', 20, 20, 20, '1.00', '7.00', '140.00'],
          [fx.b1.accountNumber, 'Hosted Exchange', 'Upgrade', 20, 30, 10, '0.50', '7.00', '35.00'],
        ],
      );
    });
  });
}
