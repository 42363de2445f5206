import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { openTestStore, storeSuiteOptions } from '../helpers/stores.js';
import { withStatementCache } from '../../src/store/sqlite-statements.js';

describe('prepared statements reused on SQLite', () => {
  it('hands out one compiled statement per SQL text, drops the least recently used past the bound, never one being iterated', () => {
    const sqlite = new SqliteDatabase(':memory:');
    try {
      sqlite.exec('create table t (a integer); insert into t values (1), (2), (3)');
      const db = withStatementCache(sqlite, 2);
      const one = db.prepare('select a from t where a = ?');
      assert.equal(db.prepare('select a from t where a = ?'), one);
      assert.deepEqual(one.all([2]), [{ a: 2 }]);
      const two = db.prepare('select a from t where a > ?');
      db.prepare('select a from t where a = ?'); // the first text is now the most recently used
      db.prepare('select count(*) from t');
      assert.equal(db.prepare('select a from t where a = ?'), one, 'recently used: kept');
      assert.notEqual(db.prepare('select a from t where a > ?'), two, 'least recently used: dropped past the bound of 2');

      const iterating = db.prepare('select a from t order by a');
      const rows = iterating.iterate([]);
      rows.next();
      const meanwhile = db.prepare('select a from t order by a');
      assert.notEqual(meanwhile, iterating);
      assert.deepEqual(meanwhile.all([]), [{ a: 1 }, { a: 2 }, { a: 3 }]);
      rows.return?.();
    } finally {
      sqlite.close();
    }
  });
});

describe('named statements on PostgreSQL', storeSuiteOptions('postgres'), () => {
  const prepared = async (db: Kysely<any>) =>
    (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db)).rows;

  it('a statement sent again runs as a named statement on its connection', async () => {
    const ts = await openTestStore('postgres');
    try {
      await ts.store.db.connection().execute(async (db) => {
        await sql`create table probe (a int, note text)`.execute(db);
        for (let i = 0; i < 3; i++) await sql`select a from probe where a = ${i}`.execute(db);
        const named = (await prepared(db)).filter((p) => /from probe where a = \$1/.test(p.statement));
        assert.equal(named.length, 1, JSON.stringify(named));
        assert.match(named[0].name, /^ph_[0-9a-f]{24}$/);
        // Without parameters a text may hold several statements: it is never named.
        await sql`select 1; select 2`.execute(db);
      });
    } finally {
      await ts.destroy();
    }
  });

  it('a statement whose result changed shape under it (a migration elsewhere) is prepared afresh', async () => {
    const ts = await openTestStore('postgres');
    try {
      await ts.store.db.connection().execute(async (db) => {
        await sql`create table shifting (a int)`.execute(db);
        await sql`insert into shifting values (1)`.execute(db);
        const read = () => sql<Record<string, unknown>>`select * from shifting where a = ${1}`.execute(db);
        for (let i = 0; i < 3; i++) await read();
        await sql`alter table shifting add column b text default 'x'`.execute(db);
        // Outside a transaction the statement simply runs again, prepared anew.
        assert.deepEqual((await read()).rows, [{ a: 1, b: 'x' }]);
        assert.deepEqual((await read()).rows, [{ a: 1, b: 'x' }]);
        await sql`alter table shifting add column c int default 7`.execute(db);
        // Inside one, the transaction has failed; the next run is prepared anew.
        await sql`begin`.execute(db);
        await assert.rejects(read(), /cached plan must not change result type/);
        await sql`rollback`.execute(db);
        assert.deepEqual((await read()).rows, [{ a: 1, b: 'x', c: 7 }]);
      });
    } finally {
      await ts.destroy();
    }
  });
});
