import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, Migrator, sql } from 'kysely';
import { STORE_KINDS, freshStoreUrl, storeSuiteOptions, type StoreKind } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, buildFixture, type Fixture } from '../helpers/fixture.js';
import { createAccount, deleteAccount, listAccounts, type Account, type AccountSearch } from '../../src/domain/account.js';
import { systemActor } from '../../src/domain/principal.js';
import type { DomainContext } from '../../src/domain/context.js';
import { ManualClock } from '../../src/domain/clock.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { migrate, openStore } from '../../src/store/connect.js';
import { PartnerhubMigrations } from '../../src/store/migrations/index.js';
import { containsWalk, WALK_ROWS_PER_MATCH } from '../../src/store/repositories/account-search.js';
import { tallyStatements } from '../../src/store/tally.js';
import * as accountsRepo from '../../src/store/repositories/accounts.js';

/**
 * `contains` among one parent's children finds its page one of three ways on SQLite (a walk of the whole name
 * index, a bounded walk that may give way to a sort, or a sort of the matches) and takes its total from the
 * trigram index's count. Whichever way, the pages and the total must be exactly those of one sorted list of
 * every match; on PostgreSQL the same assertions check the pg_trgm path.
 */

const system = systemActor();
const byPage = (a: { name: string; accountNumber: string }, b: { name: string; accountNumber: string }) => {
  const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a.accountNumber < b.accountNumber ? -1 : a.accountNumber > b.accountNumber ? 1 : 0;
};
const holds = (a: Account, needle: string) =>
  [a.name.toLowerCase(), a.accountNumber, (a.referenceNumber ?? '').toLowerCase()].some((v) => v.includes(needle.toLowerCase()));

/** The live children of a parent straight from the table, for the scan the searches are checked against. */
async function liveChildren(ctx: DomainContext, parentGuid: string, kind?: string): Promise<Account[]> {
  let q = ctx.db.selectFrom('accounts').select(['guid', 'name', 'account_number', 'reference_number']).where('parent_guid', '=', parentGuid).where('deleted_at', 'is', null);
  if (kind) q = q.where('kind', '=', kind as Account['kind']);
  return (await q.execute()).map((r) => ({ guid: r.guid, name: r.name, accountNumber: r.account_number, referenceNumber: r.reference_number }) as Account);
}

async function assertPagesLikeScan(ctx: DomainContext, parentGuid: string, needle: string, pages: [number, number][], kind?: Account['kind']) {
  const expected = (await liveChildren(ctx, parentGuid, kind)).filter((a) => holds(a, needle)).sort(byPage).map((a) => a.guid);
  for (const [offset, limit] of pages) {
    const search: AccountSearch = { childrenOf: parentGuid, contains: needle, limit, offset, ...(kind ? { kind } : {}) };
    const page = await listAccounts(ctx, system, search);
    assert.equal(page.total, expected.length, `${needle} ${kind ?? ''} total`);
    assert.deepEqual(page.items.map((a) => a.guid), expected.slice(offset, offset + limit), `${needle} ${kind ?? ''} ${offset}+${limit}`);
  }
  return expected.length;
}

/** Which ways the search took, from its statements: `all` walk, `bounded` walk, `sort`. */
async function ways(ctx: DomainContext, search: AccountSearch): Promise<string[]> {
  const { tally } = await tallyStatements(() => listAccounts(ctx, system, search));
  const found: string[] = [];
  for (const text of tally.sql) {
    if (/instr\("accounts"/.test(text)) found.push('all');
    if (/instr\("e"/.test(text)) found.push('bounded');
    if (/account_search_keys/.test(text)) found.push('sort');
  }
  return found;
}

/** Each statement of a search with its SQLite query plan (the plan does not depend on the values bound). */
async function plansOf(ctx: DomainContext, search: AccountSearch): Promise<{ sql: string; plan: string }[]> {
  const { tally } = await tallyStatements(() => listAccounts(ctx, system, search));
  const out: { sql: string; plan: string }[] = [];
  for (const text of tally.sql) {
    const params = Array.from({ length: (text.match(/\?/g) ?? []).length }, () => null);
    const { rows } = await ctx.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${text}`, params));
    out.push({ sql: text, plan: rows.map((r) => r.detail).join('\n') });
  }
  return out;
}

describe('containsWalk: walk or sort, from the counts', () => {
  it('walks everything when even that costs less than sorting the matches', () => {
    assert.equal(containsWalk(62_510, 500_000, 50), 'all');
    assert.equal(containsWalk(1, WALK_ROWS_PER_MATCH, 1), 'all');
  });
  it('walks a bounded stretch when matches spread evenly should be found within it', () => {
    assert.equal(containsWalk(2_000, 500_000, 50), WALK_ROWS_PER_MATCH * 2_000);
    assert.equal(containsWalk(2, 60, 1), WALK_ROWS_PER_MATCH * 2);
  });
  it('sorts rare matches, and deep pages of them', () => {
    assert.equal(containsWalk(65, 500_000, 50), null);
    assert.equal(containsWalk(2_000, 500_000, 5_050), null);
    assert.equal(containsWalk(1, 60, 1), null);
  });
});

for (const kind of STORE_KINDS) {
  describe(`contains under one parent, every way to the page, on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it('pages exactly as one sorted list of every match, whether it walks or sorts', async () => {
      const reseller = await createAccount(env.ctx, system, { parentGuid: fx.partner.guid, kind: 'reseller', name: 'Strategy Reseller' });
      // 60 live children in name order: two "early" first, fifty-five "common", one "unique", two "late" last.
      const names = ['Aa Early 1', 'Aa Early 2', ...Array.from({ length: 55 }, (_, i) => `Common ${String(i).padStart(2, '0')}`), 'Mid Unique', 'Zz Late 1', 'Zz Late 2'];
      for (const name of names) await createAccount(env.ctx, system, { parentGuid: reseller.guid, kind: 'customer', name, referenceNumber: name.includes('Common 1') ? 'REF-LATE' : null });
      // Neither a deleted child nor another parent's child counts.
      await deleteAccount(env.ctx, system, (await createAccount(env.ctx, system, { parentGuid: reseller.guid, kind: 'customer', name: 'Aa Early 0 deleted' })).guid);
      await createAccount(env.ctx, system, { parentGuid: fx.resellerB.guid, kind: 'customer', name: 'Aa Early elsewhere' });

      assert.equal(await assertPagesLikeScan(env.ctx, reseller.guid, 'common', [[0, 5], [10, 5], [50, 10], [55, 5], [0, 100]]), 55);
      assert.equal(await assertPagesLikeScan(env.ctx, reseller.guid, 'early', [[0, 1], [1, 1], [0, 2], [0, 50]]), 2);
      assert.equal(await assertPagesLikeScan(env.ctx, reseller.guid, 'late', [[0, 1], [1, 5], [0, 50]]), 2 + 10);
      assert.equal(await assertPagesLikeScan(env.ctx, reseller.guid, 'unique', [[0, 1], [1, 1]]), 1);
      assert.equal(await assertPagesLikeScan(env.ctx, reseller.guid, 'nowhere', [[0, 5]]), 0);
      assert.equal(await assertPagesLikeScan(env.ctx, reseller.guid, 'common', [[0, 3], [20, 3]], 'customer'), 55);
      assert.equal(await assertPagesLikeScan(env.ctx, reseller.guid, 'common', [[0, 3]], 'reseller'), 0);

      if (kind !== 'sqlite') return;
      const under = (contains: string, offset: number, limit: number) => ways(env.ctx, { childrenOf: reseller.guid, contains, offset, limit });
      assert.deepEqual(await under('common', 10, 5), ['all']);
      // "late" in names only after the first 50 entries: the bounded walk comes up short and the sort decides.
      assert.equal(containsWalk(2, 60, 1), 50);
      assert.deepEqual(await under('early', 0, 1), ['bounded']);
      assert.deepEqual(await under('zz late', 0, 1), ['bounded', 'sort']);
      assert.deepEqual(await under('unique', 0, 1), ['sort']);
      assert.deepEqual(await under('early', 0, 2), ['sort']);
      assert.deepEqual(await under('early', 2, 2), [], 'a page past the total reads no rows');
      assert.equal((await listAccounts(env.ctx, system, { childrenOf: reseller.guid, contains: 'zz late', limit: 1, offset: 0 })).items[0].name, 'Zz Late 1');
      // The walks read the name index in page order, testing entries from the index alone: no sort of the children.
      const flat = (await plansOf(env.ctx, { childrenOf: reseller.guid, contains: 'common', offset: 0, limit: 5 })).find((p) => /instr/.test(p.sql))!;
      assert.match(flat.plan, /SEARCH accounts USING INDEX accounts_parent_name \(parent_guid=\?\)/, flat.plan);
      assert.doesNotMatch(flat.plan, /TEMP B-TREE/, flat.plan);
      const bounded = (await plansOf(env.ctx, { childrenOf: reseller.guid, contains: 'early', offset: 0, limit: 1 })).find((p) => /instr/.test(p.sql))!;
      assert.match(bounded.plan, /SEARCH accounts USING COVERING INDEX accounts_parent_name \(parent_guid=\?\)/, bounded.plan);
      // A startswith count of names is the name index alone, and so is a page of names only.
      const plans = await plansOf(env.ctx, { childrenOf: reseller.guid, startsWith: 'Co', offset: 0, limit: 5 });
      const count = plans.find((p) => /count\(\*\)/.test(p.sql))!;
      const page = plans.find((p) => /^select \* from "accounts".*limit/.test(p.sql))!;
      assert.match(count.plan, /SEARCH accounts USING COVERING INDEX accounts_parent_name \(parent_guid=\? AND name_lower>\? AND name_lower<\?\)/, count.plan);
      assert.match(page.plan, /SEARCH accounts USING INDEX accounts_parent_name \(parent_guid=\? AND name_lower>\? AND name_lower<\?\)/, page.plan);
      assert.doesNotMatch(page.plan, /TEMP B-TREE/, page.plan);
    });

    it('follows moves, deletions, undeletions, renames and kind changes made outside the domain', async () => {
      const here = await createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Wandering Dentist' });
      const other = await createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Staying Dentist' });
      const check = async () => {
        for (const parent of [fx.resellerA.guid, fx.resellerB.guid, fx.partner.guid]) {
          for (const needle of ['dentist', 'wandering', 'renamed']) await assertPagesLikeScan(env.ctx, parent, needle, [[0, 10], [1, 1]]);
        }
      };
      await check();
      const set = (values: Record<string, unknown>) => env.ctx.db.updateTable('accounts').set(values).where('guid', '=', here.guid).execute();
      await set({ parent_guid: fx.resellerB.guid });
      await check();
      await set({ deleted_at: '2026-01-01T00:00:00.000Z' });
      await check();
      await set({ deleted_at: null });
      await check();
      await set({ name: 'Renamed Dentist', name_lower: 'renamed dentist' });
      await check();
      await set({ kind: 'reseller' });
      await assertPagesLikeScan(env.ctx, fx.resellerB.guid, 'dentist', [[0, 10]], 'reseller');
      await assertPagesLikeScan(env.ctx, fx.resellerB.guid, 'dentist', [[0, 10]], 'customer');
      // A row written and removed by plain SQL (no history rows hold it).
      const guid = 'f'.repeat(32);
      await accountsRepo.insert(env.ctx.db, { ...other, guid, path: `${fx.resellerA.path}${guid}/`, accountNumber: '999999', accountCode: 'BARE1', mimecastId: 'bare-1', name: 'Bare Dentist' });
      await check();
      await env.ctx.db.deleteFrom('accounts').where('guid', '=', guid).execute();
      await check();
    });
  });

  describe(`migration 0018 on a store that already holds accounts, on ${kind}`, storeSuiteOptions(kind), () => {
    it('indexes the live accounts it finds, each under its parent', async () => {
      const { url, drop } = await freshStoreUrl(kind as StoreKind);
      const store = await openStore(url, { migrate: false, poolSize: 2 });
      try {
        const migrator = new Migrator({ db: store.db, provider: new PartnerhubMigrations(store.dialect), migrationTableSchema: store.schema });
        const before = await migrator.migrateTo('0016_deferred_indexes');
        assert.equal(before.error, undefined);
        const ctx: DomainContext = { db: store.db, dialect: store.dialect, clock: new ManualClock('2026-03-02T10:00:00.000Z'), secrets: new SecretBox(SecretBox.generateKey()) };
        const fx = await buildFixture(ctx);
        for (const name of ['Alpha Dental', 'Beta Dental', 'Gamma Clinic']) await createAccount(ctx, system, { parentGuid: fx.resellerB.guid, kind: 'customer', name });
        await deleteAccount(ctx, system, (await createAccount(ctx, system, { parentGuid: fx.resellerB.guid, kind: 'customer', name: 'Gone Dental' })).guid);
        await createAccount(ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Other Dental' });
        assert.ok((await migrate(store)).includes('0018_search_scopes'));
        for (const parent of [fx.resellerA.guid, fx.resellerB.guid]) {
          for (const needle of ['dental', 'clinic', 'gone', 'a d']) await assertPagesLikeScan(ctx, parent, needle, [[0, 10], [1, 1]]);
        }
        assert.equal((await listAccounts(ctx, system, { childrenOf: fx.resellerB.guid, contains: 'dental', limit: 10, offset: 0 })).total, 2);
        if (kind === 'sqlite') {
          const { rows } = await sql<{ n: number }>`select count(*) as n from account_search_keys`.execute(store.db);
          const live = await store.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
          assert.equal(Number(rows[0].n), Number(live.n), 'one key per live account');
        }
      } finally {
        await store.close();
        await drop();
      }
    });
  });
}
