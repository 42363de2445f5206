import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { STORE_KINDS, storeSuiteOptions, openTestStore, type TestStore } from '../helpers/stores.js';
import { tallyStatements } from '../../src/store/tally.js';

for (const kind of STORE_KINDS) {
  describe(`statement tally on ${kind}`, storeSuiteOptions(kind), () => {
    let ts: TestStore;
    before(async () => {
      ts = await openTestStore(kind);
    });
    after(async () => ts?.destroy());

    it('counts statements, transactions and writes, and leaves transaction control out', async () => {
      const { tally } = await tallyStatements(async () => {
        await sql`select 1`.execute(ts.store.db);
        await ts.store.db.transaction().execute(async (trx) => {
          await trx.selectFrom('counters').selectAll().execute();
          await trx.updateTable('counters').set({ value: (eb) => eb('value', '+', 0) }).where('name', '=', 'none').execute();
        });
      });
      assert.equal(tally.statements, 3, tally.sql.join('\n'));
      assert.equal(tally.transactions, 1);
      assert.equal(tally.writes, 1);
    });

    it('counts only the work it wraps', async () => {
      const outside = sql`select 2`.execute(ts.store.db);
      const { tally } = await tallyStatements(async () => {
        await sql`select 1`.execute(ts.store.db);
      });
      await outside;
      assert.equal(tally.statements, 1);
      assert.equal(tally.transactions, 0);
    });
  });
}
