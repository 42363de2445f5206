import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { seedDemo, type DemoCredentials } from '../../src/demo/seed.js';
import { scaleDemo, NoDemoTreeError } from '../../src/demo/scale.js';
import { systemActor } from '../../src/domain/principal.js';
import { accountProducts, listAccounts } from '../../src/domain/account.js';
import { statusHistory } from '../../src/domain/status.js';
import { listContacts } from '../../src/domain/contact.js';
import { queryAudit } from '../../src/domain/audit.js';
import { tallyStatements } from '../../src/store/tally.js';

/** `demo --scale`: bulk customers that read back through the domain like ones it created itself. */
for (const kind of STORE_KINDS) {
  describe(`demo --scale on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let creds: DemoCredentials;
    const system = systemActor('test');
    before(async () => {
      env = await makeTestEnv(kind);
      creds = await seedDemo(env.ctx, 'http://127.0.0.1:8080');
    });
    after(async () => env?.close());

    const customersOf = async () => {
      const items = [];
      for (const r of creds.resellers) items.push(...(await listAccounts(env.ctx, system, { childrenOf: r.guid, limit: 1000, offset: 0 })).items);
      return items.filter((a) => a.kind === 'customer');
    };

    it('refuses a store without the demo tree', async () => {
      const empty = await makeTestEnv(kind);
      try {
        await assert.rejects(scaleDemo(empty.ctx, { customers: 10 }), NoDemoTreeError);
      } finally {
        await empty.close();
      }
    });

    it('fills the demo resellers up to N customers in batches, each batch one transaction', async () => {
      const before = (await customersOf()).length;
      const progress: [number, number][] = [];
      const { result, tally } = await tallyStatements(() =>
        scaleDemo(env.ctx, { customers: before + 25, batchSize: 10, onProgress: (a, t) => progress.push([a, t]) }),
      );
      assert.deepEqual([result.before, result.added, result.customers, result.statusChanges, result.contacts], [before, 25, before + 25, 250, 25]);
      assert.deepEqual(progress, [[0, 25], [10, 25], [20, 25], [25, 25]]);
      // Three batches and the closing audit entry: four transactions. A batch costs six statements whatever it
      // holds (two sequence ranges, four multi-row inserts); four reads find the tree, count and ask whether
      // the per-day history counts are the load's to keep first, and on SQLite two pragmas size the page
      // cache and allow sort threads.
      assert.equal(tally.transactions, 4);
      assert.equal(tally.writes, 3 * 6 + 1, tally.sql.join('\n'));
      assert.equal(tally.statements, 4 + (kind === 'sqlite' ? 2 : 0) + 3 * 6 + 1, tally.sql.join('\n'));
      const after = await customersOf();
      assert.equal(after.length, before + 25);
      const numbers = after.map((a) => Number(a.accountNumber));
      assert.equal(new Set(numbers).size, numbers.length, 'account numbers are unique');
      assert.equal(new Set(after.map((a) => a.accountCode)).size, after.length, 'account codes are unique');
    });

    it('gives every new customer products, a readable contact and ten status changes that chain', async () => {
      const added = (await customersOf()).filter((a) => a.name.match(/ \d+$/) && Number(a.name.split(' ').pop()) >= 56);
      assert.equal(added.length, 25);
      for (const a of added.slice(0, 5)) {
        const history = await statusHistory(env.ctx, a.guid);
        assert.equal(history.length, 10);
        assert.equal(history[0].oldStatus, null);
        assert.equal(history[0].newStatus, 'TrialActive');
        for (let k = 1; k < history.length; k++) {
          assert.equal(history[k].oldStatus, history[k - 1].newStatus);
          assert.ok(history[k].changedAt > history[k - 1].changedAt);
        }
        assert.equal(a.status, history[9].newStatus);
        assert.ok(history.every((h) => h.resellerGuid === a.parentGuid && h.partnerGuid === creds.partner.guid));
        assert.equal((await accountProducts(env.ctx, a.guid)).length, 2);
        const contacts = await listContacts(env.ctx, system, { guid: a.guid });
        assert.equal(contacts.total, 1);
        assert.match(JSON.stringify(contacts.items[0]), /Street \d+/);
      }
    });

    it('continues where it stopped, adds nothing past N, and audits each run that added', async () => {
      const now = (await customersOf()).length;
      assert.equal((await scaleDemo(env.ctx, { customers: now })).added, 0);
      assert.equal((await scaleDemo(env.ctx, { customers: now - 5 })).added, 0);
      const more = await scaleDemo(env.ctx, { customers: now + 3, batchSize: 2 });
      assert.deepEqual([more.before, more.added], [now, 3]);
      const audits = (await queryAudit(env.ctx, { accountGuid: creds.partner.guid, limit: 1000 })).filter((e) => e.action === 'demo.scale').map((e) => e.after);
      assert.deepEqual(audits, [{ customers: now }, { customers: now + 3 }]);
    });
  });
}
