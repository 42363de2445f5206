import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { systemActor } from '../../../src/domain/principal.js';
import { findAccount, updateAccount } from '../../../src/domain/account.js';
import { changeUserCount, userCountChanges } from '../../../src/domain/usage.js';
import { clientFor } from './helpers.js';

const system = systemActor('test');

for (const kind of STORE_KINDS) {
  describe(`update-account numberOfUsers under concurrency on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { mimecastRateLimit: 10_000 });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('applies mixed concurrent deltas from two users and two server processes, each in a dated history that chains', async () => {
      const start = (await findAccount(t.ctx, system, { guid: fx.a2.guid })).userCount;
      const { buildApp } = await import('../../../src/app.js');
      const second = await buildApp(t.config, { store: t.ts.store, clock: t.clock, secrets: t.secrets }, { logger: false });
      try {
        const clients = [clientFor(t.app, t.clock, fx.provisioning.mimecast), clientFor(second, t.clock, fx.provisioning.mimecast)];
        const deltas = [5, -3, 7, -2, 11, -4, 1, 9, -6, 2, 3, -1];
        const results = await Promise.all(deltas.map((d, i) => clients[i % 2].updateAccount([{ accountCode: fx.a2.accountCode, numberOfUsers: d }])));
        for (const r of results) assert.deepEqual([r.status, r.body!.fail], [200, []]);
        const sum = deltas.reduce((a, b) => a + b, 0);
        const final = (await findAccount(t.ctx, system, { guid: fx.a2.guid })).userCount;
        assert.equal(final, start + sum);

        const history = await userCountChanges(t.ctx.db, fx.a2.guid, '0000', '9999');
        assert.equal(history.length, deltas.length);
        // Each change started from the count the previous one left: no change read a stale count.
        assert.equal(history[0].oldCount, start);
        for (let i = 1; i < history.length; i++) assert.equal(history[i].oldCount, history[i - 1].newCount, `change ${i}`);
        assert.equal(history.at(-1)!.newCount, final);
        assert.deepEqual(history.map((h) => h.newCount - h.oldCount).sort((a, b) => a - b), [...deltas].sort((a, b) => a - b));
        // Every response reported a count that some change really produced.
        const produced = new Set(history.map((h) => h.newCount));
        for (const r of results) assert.ok(produced.has(r.body!.data[0].userCount));
      } finally {
        await second.close();
      }
    });
  });
}

// Interleaving two transactions needs two connections: SQLite runs one at a time, so this race exists only on PostgreSQL.
describe('a user-count change is not undone by a concurrent edit of other fields, on postgres', storeSuiteOptions('postgres'), () => {
  let t: TestApp;
  let fx: Fixture;
  before(async () => {
    t = await makeTestApp('postgres');
    fx = await buildFixture(t.ctx);
  });
  after(async () => t?.close());

  it('keeps the count and its history in agreement when a rename read the account before the count changed', async () => {
    const start = (await findAccount(t.ctx, system, { guid: fx.b1.guid })).userCount;
    let rename: Promise<unknown> | undefined;

    // The count change holds the row lock uncommitted while the rename reads the old count and then waits to write.
    await t.ctx.db.transaction().execute(async (trx) => {
      const account = await findAccount(t.ctx, system, { guid: fx.b1.guid });
      await changeUserCount(trx, t.ctx, system, account, start + 10);
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      const holder = rows[0].pid;
      rename = updateAccount(t.ctx, system, fx.b1.guid, { name: 'Renamed Meanwhile' });
      // Wait (by the database's own account, not by time) until the rename is blocked behind this transaction.
      for (;;) {
        const blocked = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${holder} = any(pg_blocking_pids(pid))`.execute(t.ctx.db);
        if (blocked.rows[0].n > 0) break;
        await new Promise((r) => setImmediate(r));
      }
    });
    await rename;

    const after = await findAccount(t.ctx, system, { guid: fx.b1.guid });
    assert.equal(after.name, 'Renamed Meanwhile');
    const history = await userCountChanges(t.ctx.db, fx.b1.guid, '0000', '9999');
    assert.equal(history.at(-1)!.newCount, start + 10);
    assert.equal(after.userCount, start + 10, 'the rename wrote back the count it had read');
  });
});
