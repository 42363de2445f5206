import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { seedDemo, type DemoCredentials } from '../../src/demo/seed.js';
import { systemActor } from '../../src/domain/principal.js';
import { invoiceLineItems, listInvoices } from '../../src/domain/billing.js';
import { listContacts } from '../../src/domain/contact.js';
import * as accountSearch from '../../src/store/repositories/account-search.js';

for (const kind of STORE_KINDS) {
  describe(`demo billing data on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let creds: DemoCredentials;
    const system = systemActor('test');
    before(async () => {
      env = await makeTestEnv(kind);
      creds = await seedDemo(env.ctx, 'http://127.0.0.1:8080');
    });
    after(async () => env?.close());

    it('has a year of invoices per reseller, the latest unpaid, some with upgrades', async () => {
      let upgrades = 0;
      for (const reseller of creds.resellers) {
        const page = await listInvoices(env.ctx, system, { guid: reseller.guid });
        assert.equal(page.total, 12);
        assert.deepEqual(page.items.map((i) => i.isPaid), [false, ...Array(11).fill(true)]);
        assert.ok(page.items.every((i) => i.csvAvailable && i.lineCount > 0 && i.totalDueCents > 0));
        for (const inv of page.items) {
          const { lines } = await invoiceLineItems(env.ctx, system, { guid: reseller.guid }, inv.id);
          let cents = 0;
          for await (const l of lines) {
            if (l.type === 'Upgrade') upgrades++;
            cents += Math.round(Number(l.charge) * 100);
          }
          assert.equal(cents, inv.totalDueCents);
        }
      }
      assert.ok(upgrades > 0, 'the demo year includes upgrades');
    });

    it('gives every customer a billing and primary contact', async () => {
      const customers = await accountSearch.search(env.ctx.db, env.ctx.dialect, { kind: 'customer', limit: 1000, offset: 0 }, '/');
      assert.equal(customers.total, creds.customerCount);
      for (const c of customers.items) {
        const contacts = (await listContacts(env.ctx, system, { guid: c.guid })).items;
        assert.ok(contacts.some((x) => x.receivesBilling && x.isPrimary), `${c.name} has a billing and primary contact`);
      }
    });
  });
}
