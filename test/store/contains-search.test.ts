import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import { createAccount, deleteAccount, listAccounts, updateAccount } from '../../src/domain/account.js';
import { systemActor } from '../../src/domain/principal.js';
import type { Account } from '../../src/domain/account.js';

/**
 * `contains` is served by a trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL) and must return exactly
 * what a plain scan of every account would: the index narrows, never decides. Each needle below is checked
 * against a scan done here in JavaScript over the same accounts.
 */
const NAMES = [
  '100% Dental',
  'Dental_Care',
  'dentalcare',
  "O'Brien & Sons",
  'Say "hi" Ltd',
  'Zürich Straße GmbH',
  'ZÜRICH STRASSE',
  'Ångström Labs',
  '東京 Trading',
  'a\\b backslash',
  'Plain Name',
  'xy',
];
const NEEDLES = ['%', '_', '0%', 'l_c', "'", "o'b", '"', '"hi"', 'zür', 'straße', 'ÅNG', '東京', '東', 'a\\b', '\\', 'x', 'xy', 'de', 'dental', 'DENTAL', 'ntalc', 'nomatch', '  ', 'e n'];

for (const kind of STORE_KINDS) {
  describe(`contains search on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));
    {
      const system = systemActor();
      const created: Account[] = [];
      const all = async () =>
        (await listAccounts(env.ctx, system, { childrenOf: fx.resellerB.guid, limit: 1000, offset: 0 })).items;
      const scan = (accounts: Account[], needle: string) => {
        const n = needle.toLowerCase();
        return accounts
          .filter((a) => [a.name.toLowerCase(), a.accountNumber, (a.referenceNumber ?? '').toLowerCase()].some((v) => v.includes(n)))
          .map((a) => a.guid)
          .sort();
      };
      const search = async (needle: string) => {
        const page = await listAccounts(env.ctx, system, { childrenOf: fx.resellerB.guid, contains: needle, limit: 1000, offset: 0 });
        assert.equal(page.total, page.items.length, needle);
        return page.items.map((a) => a.guid).sort();
      };

      it('returns the rows a plain scan returns, for tricky needles', async () => {
        for (const [i, name] of NAMES.entries()) {
          created.push(await createAccount(env.ctx, system, { parentGuid: fx.resellerB.guid, kind: 'customer', name, referenceNumber: `REF-${i}%x` }));
        }
        const accounts = await all();
        for (const needle of [...NEEDLES, 'ref-1%', created[3].accountNumber.slice(1, 5)]) {
          assert.deepEqual(await search(needle), scan(accounts, needle), `contains ${JSON.stringify(needle)}`);
        }
        // Sanity: the table is not trivially empty for the needles that should match.
        assert.ok((await search('dental')).length >= 3);
      });

      it('finds nothing, and fails nowhere, for text with NUL (no stored field can hold it)', async () => {
        for (const needle of ['a\u0000b', 'den\u0000', '\u0000', '\u0000\u0000\u0000']) {
          for (const search of [{ contains: needle }, { startsWith: needle }]) {
            const page = await listAccounts(env.ctx, system, { childrenOf: fx.resellerB.guid, ...search, limit: 10, offset: 0 });
            assert.deepEqual({ total: page.total, items: page.items.length }, { total: 0, items: 0 }, JSON.stringify(search));
          }
        }
      });

      it('follows renames and deletions (the index is kept by the store, whoever writes)', async () => {
        await updateAccount(env.ctx, system, created[10].guid, { name: 'Renamed Dentistry' });
        await deleteAccount(env.ctx, system, created[0].guid);
        const accounts = await all();
        for (const needle of ['dent', 'plain name', 'renamed', '100%']) {
          assert.deepEqual(await search(needle), scan(accounts, needle), needle);
        }
        assert.equal((await search('plain name')).length, 0);
        assert.equal((await search('renamed dent')).length, 1);
      });

      it('narrows with the trigram index for three characters or more', async () => {
        if (kind === 'sqlite') {
          // The plan reads the FTS5 table rather than every child of the reseller.
          const plan = await sql<{ detail: string }>`explain query plan
            select guid from accounts where guid in (select k.guid from account_search s join account_search_keys k on k.id = s.rowid where account_search match ${'"dental"'})`.execute(env.ctx.db);
          assert.ok(plan.rows.some((r) => /VIRTUAL TABLE INDEX/.test(r.detail)), JSON.stringify(plan.rows));
          return;
        }
        const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'accounts' and indexdef like '%gin_trgm_ops%'
          and schemaname = current_schema()`.execute(env.ctx.db);
        assert.deepEqual(indexes.rows.map((r) => r.indexname).sort(), ['accounts_account_number_trgm', 'accounts_name_lower_trgm', 'accounts_reference_lower_trgm']);
      });
    }
  });

  describe(`startswith pages on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));
    const system = systemActor();

    it('pages exactly as one sorted list of every match, whichever column matched', async () => {
      // Names, account numbers and references that start with "1" or "a", in an order the three columns disagree on.
      const names = ['Apple', 'apex', 'Banana', '1st Choice', 'Avocado', 'Zed', '12 Monkeys', 'alpha', 'Beta', 'Acme'];
      for (const [i, name] of names.entries()) {
        await createAccount(env.ctx, system, { parentGuid: fx.resellerB.guid, kind: 'customer', name, referenceNumber: i % 3 === 0 ? `A-${i}` : `X-${i}` });
      }
      const everyone = (await listAccounts(env.ctx, system, { childrenOf: fx.resellerB.guid, limit: 1000, offset: 0 })).items;
      const byPage = (a: Account, b: Account) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : a.accountNumber < b.accountNumber ? -1 : 1);
      for (const prefix of ['a', '1', 'A-', 'b', 'q']) {
        const p = prefix.toLowerCase();
        const expected = everyone
          .filter((a) => [a.name.toLowerCase(), a.accountNumber, (a.referenceNumber ?? '').toLowerCase()].some((v) => v.startsWith(p)))
          .sort(byPage)
          .map((a) => a.guid);
        for (const [offset, limit] of [[0, 1000], [0, 2], [1, 3], [3, 2], [expected.length, 5]]) {
          const page = await listAccounts(env.ctx, system, { childrenOf: fx.resellerB.guid, startsWith: prefix, limit, offset });
          assert.equal(page.total, expected.length, `${prefix} total`);
          assert.deepEqual(page.items.map((a) => a.guid), expected.slice(offset, offset + limit), `${prefix} ${offset}+${limit}`);
        }
      }
    });
  });
}
