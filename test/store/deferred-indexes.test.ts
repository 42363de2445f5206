import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openStore } from '../../src/store/connect.js';
import { buildDeferredIndexes, deferIndexes, settleBulkLoad } from '../../src/store/repositories/bulk.js';
import { STORE_KINDS, openTestStore, storeSuiteOptions, type TestStore } from '../helpers/stores.js';
import type { Store } from '../../src/store/connect.js';

/** The indexes (and on SQLite the triggers) of the tables as the database describes them: name, unique or not, and the columns. */
async function indexes(store: Store, tables: string[]): Promise<string[]> {
  const rows =
    store.dialect === 'sqlite'
      ? (await sql<{ d: string }>`select tbl_name || ' ' || type || ' ' || name || ' ' || coalesce(sql, 'auto') as d from sqlite_master where type in ('index', 'trigger') and tbl_name in (${sql.join(tables)})`.execute(store.db)).rows
      : (await sql<{ d: string }>`select tablename || ' ' || indexname || ' ' || indexdef as d from pg_indexes where schemaname = current_schema() and tablename in (${sql.join(tables)})`.execute(store.db)).rows;
  return rows.map((r) => r.d.replace(/\s+/g, ' ')).sort();
}

for (const kind of STORE_KINDS) {
  describe(`indexes deferred by a bulk load on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestStore;
    const tables = ['status_history', 'accounts'];
    before(async () => void (t = await openTestStore(kind)));
    after(async () => t?.destroy());

    it('drops only the non-unique secondary indexes, and builds the same ones again', async () => {
      const all = await indexes(t.store, tables);
      const dropped = await deferIndexes(t.store.db, t.store.dialect, tables);
      const during = await indexes(t.store, tables);
      assert.ok(dropped >= 10, `dropped ${dropped}`);
      assert.equal(all.length - during.length, dropped);
      // What stays guards a rule: every unique index and primary key; and the triggers that keep the search
      // tables (on SQLite the history's per-day count triggers go with the indexes).
      for (const d of during) assert.match(d, /unique|auto|_pkey| trigger accounts_/i, d);
      if (kind === 'sqlite') assert.ok(all.some((d) => / trigger status_day_counts_insert /.test(d)) && !during.some((d) => / trigger status_day_counts_/.test(d)), during.join('\n'));
      assert.ok(during.some((d) => /^accounts /.test(d)) && during.some((d) => /^status_history /.test(d)));
      const pending = await t.store.db.selectFrom('deferred_indexes').selectAll().execute();
      assert.equal(pending.length, dropped);
      assert.equal(await buildDeferredIndexes(t.store.db), dropped);
      assert.deepEqual(await indexes(t.store, tables), all);
      assert.equal((await t.store.db.selectFrom('deferred_indexes').selectAll().execute()).length, 0);
      assert.equal(await buildDeferredIndexes(t.store.db), 0, 'nothing left to build');
    });

    it('after a load, PostgreSQL has fresh statistics and a visibility map (vacuum, analyze); SQLite is left as it is', async () => {
      await settleBulkLoad(t.store.db, t.store.dialect, tables);
      if (kind === 'sqlite') {
        const stats = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(t.store.db);
        assert.equal(Number(stats.rows[0].n), 0);
        return;
      }
      const { rows } = await sql<{ relname: string; vacuumed: boolean; analyzed: boolean }>`select relname, last_vacuum is not null as vacuumed,
        last_analyze is not null as analyzed from pg_stat_user_tables where schemaname = current_schema() and relname in (${sql.join(tables)})`.execute(t.store.db);
      assert.deepEqual(rows.map((r) => [r.relname, r.vacuumed, r.analyzed]).sort(), tables.map((name) => [name, true, true]).sort());
    });

    it('a load killed before it built them: the next open of the store builds them', async () => {
      const all = await indexes(t.store, tables);
      await deferIndexes(t.store.db, t.store.dialect, tables);
      assert.notDeepEqual(await indexes(t.store, tables), all);
      const again = await openStore(t.url, { poolSize: 1 });
      try {
        assert.deepEqual(await indexes(again, tables), all);
        assert.equal((await again.db.selectFrom('deferred_indexes').selectAll().execute()).length, 0);
      } finally {
        await again.close();
      }
    });
  });
}
