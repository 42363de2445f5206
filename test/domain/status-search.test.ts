/**
 * The status search against a plain reading of every history row: each actor's scope, each filter, date
 * ranges that start and end inside a day or on its edges, and pages deep enough for both ways of reading a
 * page (walking the scope newest first; reading the range by time and sorting). Also the per-day counts the
 * triggers keep, after inserts, updates and deletes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { createAccount, createPartner, type Account } from '../../src/domain/account.js';
import { systemActor, type Actor } from '../../src/domain/principal.js';
import { ancestry, type StatusChange } from '../../src/domain/status.js';
import { searchStatusChanges } from '../../src/domain/status-search.js';
import { buildDeferredIndexes, daysCountedByLoad, deferIndexes, insertStatusChanges } from '../../src/store/repositories/bulk.js';
import { tallyStatements } from '../../src/store/tally.js';
import type { StatusChangeSearch } from '../../src/store/records.js';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00.000Z');

/** A small deterministic generator, so a failure names a query that can be run again. */
function generator(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

for (const kind of STORE_KINDS) {
  describe(`status search against a plain reading on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    const system = systemActor('test');
    const accounts: Account[] = [];
    let partner: Account, otherPartner: Account, resellerA: Account, resellerB: Account, direct: Account, customerA: Account;

    const actorOf = (a: Account, withKind = true): Actor => ({
      ...system,
      system: false,
      guid: `${a.guid.slice(0, 24)}00000000`,
      accountGuid: a.guid,
      accountPath: a.path,
      accountKind: withKind ? a.kind : undefined,
    });

    /** Every history row, read plainly: the search's answer by definition. */
    async function expected(actor: Actor, q: StatusChangeSearch) {
      const rows = await env.ctx.db.selectFrom('status_history').selectAll().orderBy('seq', 'desc').execute();
      const byGuid = new Map(accounts.map((a) => [a.guid, a]));
      const all = rows.filter((r) => {
        const a = byGuid.get(r.account_guid)!;
        return (
          a.kind === 'customer' &&
          a.path.startsWith(actor.system ? '/' : actor.accountPath) &&
          (!q.accountGuid || r.account_guid === q.accountGuid) &&
          (!q.resellerGuid || r.reseller_guid === q.resellerGuid) &&
          (!q.partnerGuid || r.partner_guid === q.partnerGuid) &&
          (!q.changedByGuid || r.changed_by_guid === q.changedByGuid) &&
          (!q.changedFrom || r.changed_at >= q.changedFrom) &&
          (!q.changedBefore || r.changed_at < q.changedBefore)
        );
      });
      return { total: all.length, guids: all.slice(q.offset, q.offset + q.limit).map((r) => r.guid) };
    }

    async function check(actor: Actor, q: StatusChangeSearch, label: string) {
      const got = await searchStatusChanges(env.ctx, actor, q);
      const want = await expected(actor, q);
      assert.deepEqual({ total: got.total, guids: got.items.map((i) => i.change.guid) }, want, `${label}: ${JSON.stringify(q)}`);
    }

    async function countsByGrouping() {
      const kept = await env.ctx.db.selectFrom('status_day_counts').select(['partner_guid', 'reseller_guid', 'day', 'n']).where('n', '<>', 0).execute();
      const { rows } = await sql<{ partner_guid: string; reseller_guid: string; day: string; n: number }>`
        select h.partner_guid, coalesce(h.reseller_guid, '') as reseller_guid, substr(h.changed_at, 1, 10) as day, count(*) as n
        from status_history h join accounts a on a.guid = h.account_guid where a.kind = 'customer'
        group by h.partner_guid, coalesce(h.reseller_guid, ''), substr(h.changed_at, 1, 10)`.execute(env.ctx.db);
      const key = (r: { partner_guid: string; reseller_guid: string; day: string; n: number }) => `${r.partner_guid}/${r.reseller_guid}/${r.day}=${Number(r.n)}`;
      return { kept: kept.map(key).sort(), grouped: rows.map(key).sort() };
    }

    before(async () => {
      env = await makeTestEnv(kind, '2026-01-01T00:00:00.000Z');
      partner = await createPartner(env.ctx, system, { name: 'Search Partner' });
      otherPartner = await createPartner(env.ctx, system, { name: 'Other Partner' });
      resellerA = await createAccount(env.ctx, system, { parentGuid: partner.guid, kind: 'reseller', name: 'Reseller A' });
      resellerB = await createAccount(env.ctx, system, { parentGuid: partner.guid, kind: 'reseller', name: 'Reseller B' });
      const otherReseller = await createAccount(env.ctx, system, { parentGuid: otherPartner.guid, kind: 'reseller', name: 'Reseller C' });
      accounts.push(partner, otherPartner, resellerA, resellerB, otherReseller);
      const customers: Account[] = [];
      for (const [parent, n] of [[resellerA, 4], [resellerB, 2], [otherReseller, 2], [partner, 1]] as const) {
        for (let i = 0; i < n; i++) customers.push(await createAccount(env.ctx, system, { parentGuid: parent.guid, kind: 'customer', name: `${parent.name} customer ${i}` }));
      }
      accounts.push(...customers);
      customerA = customers[0];
      direct = customers.at(-1)!;
      // 1,200 rows over 40 days, times drawn at random (so insertion order is not time order), a few on
      // the edges of a day; every account gets some, partners' and resellers' own rows included.
      await env.ctx.db.transaction().execute((trx) => insertStatusChanges(trx, someChanges(1200, 14)));
    });
    after(async () => env?.close());

    function someChanges(count: number, seed: number): StatusChange[] {
      const random = generator(seed);
      const changes: StatusChange[] = [];
      for (let i = 0; i < count; i++) {
        const a = accounts[Math.floor(random() * accounts.length)];
        const edge = i % 50 === 0 ? 0 : i % 50 === 1 ? DAY_MS - 1 : Math.floor(random() * DAY_MS);
        const changedAt = new Date(START + Math.floor(random() * 40) * DAY_MS + edge).toISOString();
        changes.push({
          guid: `${String(seed).padStart(3, '0')}${String(i).padStart(5, '0')}${a.guid.slice(8)}`,
          accountGuid: a.guid,
          ...ancestry(a),
          oldStatus: 'TrialActive',
          newStatus: 'AccountSuspended',
          changedAt,
          changedByGuid: i % 3 ? system.guid : resellerA.guid,
          changedByEmail: 'x@example.com',
          operationGuid: a.guid,
          userCount: 1,
          reason: null,
        });
      }
      return changes;
    }

    it('keeps a count per partner, reseller and day equal to grouping the rows', async () => {
      const { kept, grouped } = await countsByGrouping();
      assert.ok(grouped.length > 100);
      assert.deepEqual(kept, grouped);
    });

    it('answers every scope, filter, range and page as the plain reading does', async () => {
      const random = generator(7);
      const actors: [string, Actor][] = [
        ['system', system],
        ['partner', actorOf(partner)],
        ['other partner', actorOf(otherPartner)],
        ['reseller', actorOf(resellerA)],
        ['reseller, kind unknown', actorOf(resellerA, false)],
        ['customer', actorOf(customerA)],
        ['customer below its partner', actorOf(direct)],
        ['customer below its partner, kind unknown', actorOf(direct, false)],
      ];
      const instant = () => {
        const r = random();
        const day = START + Math.floor(random() * 42 - 1) * DAY_MS;
        return new Date(r < 0.2 ? day : r < 0.3 ? day + DAY_MS - 1 : day + Math.floor(random() * DAY_MS)).toISOString();
      };
      let checked = 0;
      for (const [label, actor] of actors) {
        for (let i = 0; i < 24; i++) {
          const q: StatusChangeSearch = { limit: [1, 5, 25][i % 3], offset: [0, 0, 3, 40, 170][i % 5] };
          const r = random();
          if (r < 0.7) q.changedFrom = instant();
          if (random() < 0.7) q.changedBefore = instant();
          if (i % 4 === 1) q.resellerGuid = [resellerA, resellerB, partner][Math.floor(random() * 3)].guid;
          if (i % 6 === 2) q.partnerGuid = [partner, otherPartner][Math.floor(random() * 2)].guid;
          if (i % 8 === 3) q.accountGuid = customerA.guid;
          if (i % 12 === 5) q.changedByGuid = resellerA.guid;
          await check(actor, q, label);
          checked++;
        }
      }
      // A partner searching one reseller: its own, and another partner's.
      await check(actorOf(partner), { resellerGuid: resellerB.guid, limit: 25, offset: 10 }, 'partner, own reseller');
      await check(actorOf(otherPartner), { resellerGuid: resellerB.guid, limit: 25, offset: 0 }, "partner, another's reseller");
      assert.equal(checked, 192);
    });

    it('pages deep into a narrow range (read by time) and a wide one (walked) alike', async () => {
      const narrow = { changedFrom: new Date(START + 10 * DAY_MS + 3_600_000).toISOString(), changedBefore: new Date(START + 12 * DAY_MS).toISOString() };
      const wide = { changedFrom: new Date(START + DAY_MS).toISOString(), changedBefore: new Date(START + 39 * DAY_MS + 7).toISOString() };
      for (const range of [narrow, wide]) {
        const { total } = await expected(system, { ...range, limit: 0, offset: 0 });
        assert.ok(total > 40, `${total} rows`);
        for (const offset of [0, total - 30, total - 1, total, total + 5]) {
          for (const actor of [system, actorOf(partner), actorOf(resellerA)]) await check(actor, { ...range, limit: 2100, offset: offset }, 'deep');
          await check(system, { ...range, limit: 20, offset: Math.max(0, offset - 2000) }, 'deep, past the short walk');
        }
      }
    });

    it('counts a range that ends before it starts, or inside one day, as the rows it holds', async () => {
      const t = (d: number, ms = 0) => new Date(START + d * DAY_MS + ms).toISOString();
      await check(system, { changedFrom: t(5, 10), changedBefore: t(5, 5), limit: 10, offset: 0 }, 'reversed');
      await check(system, { changedFrom: t(5), changedBefore: t(5), limit: 10, offset: 0 }, 'empty');
      await check(actorOf(resellerA), { changedFrom: t(5, 1000), changedBefore: t(5, DAY_MS - 1000), limit: 10, offset: 0 }, 'one day');
      await check(actorOf(resellerA), { changedFrom: t(5), changedBefore: t(6), limit: 10, offset: 0 }, 'one whole day');
      await check(actorOf(resellerA), { changedFrom: t(-3), changedBefore: t(80), limit: 10, offset: 0 }, 'beyond the rows');
    });

    it('reads the total, the page and the accounts it names in three statements (two on PostgreSQL), none a scan of the history', async () => {
      const wide = { changedFrom: new Date(START + DAY_MS + 5).toISOString(), changedBefore: new Date(START + 39 * DAY_MS + 7).toISOString() };
      const narrow = { changedFrom: new Date(START + 10 * DAY_MS + 36_000_000).toISOString(), changedBefore: new Date(START + 11 * DAY_MS + 36_000_000).toISOString() };
      const plans: Record<string, string[]> = {};
      for (const [label, range] of Object.entries({ wide, narrow })) {
        const { result, tally } = await tallyStatements(() => searchStatusChanges(env.ctx, actorOf(resellerA), { ...range, limit: 2, offset: 0 }));
        assert.ok(result.items.length > 0, label);
        // SQLite reads the total first, to choose how to find the page; PostgreSQL's planner chooses itself.
        assert.equal(tally.statements, kind === 'sqlite' ? 3 : 2, tally.sql.join('\n'));
        assert.equal(tally.writes + tally.transactions, 0);
        assert.match(tally.sql[0], /status_day_counts/);
        assert.match(tally.sql.at(-1)!, /from "accounts" where "guid" in/);
        if (kind !== 'sqlite') continue;
        // SQLite's plans do not depend on the values bound, so nulls show the plan the search ran.
        const explain = async (text: string) =>
          (await sql<{ detail: string }>`explain query plan ${sql.raw(text.replace(/\?/g, 'null'))}`.execute(env.ctx.db)).rows.map((r) => r.detail);
        plans[label] = [...(await explain(tally.sql[0])), ...(await explain(tally.sql[1]))];
        for (const line of plans[label]) assert.doesNotMatch(line, /^SCAN (status_history|h\b|p\b)/, `${label}: ${plans[label].join(' | ')}`);
      }
      if (kind !== 'sqlite') return;
      // The wide range walks the reseller's rows newest first; the narrow one reads its two hours by time.
      assert.ok(plans.wide.some((l) => /USING INDEX status_history_customer_reseller \(reseller_guid=\?\)/.test(l)), plans.wide.join(' | '));
      assert.ok(!plans.wide.some((l) => /TEMP B-TREE FOR ORDER BY/.test(l) && !/^USE TEMP B-TREE FOR ORDER BY$/.test(l)), plans.wide.join(' | '));
      assert.ok(plans.narrow.some((l) => /USING INDEX status_history_customer_reseller_time \(reseller_guid=\? AND changed_at>\? AND changed_at<\?\)/.test(l)), plans.narrow.join(' | '));
    });

    it('a bulk load keeps the counts itself while SQLite defers their triggers, and the triggers come back', async () => {
      await deferIndexes(env.ctx.db, env.ctx.dialect, ['status_history']);
      // PostgreSQL counts once per statement and keeps its triggers through a load.
      const countDays = await daysCountedByLoad(env.ctx.db);
      assert.equal(countDays, kind === 'sqlite');
      await env.ctx.db.transaction().execute((trx) => insertStatusChanges(trx, someChanges(400, 15), { countDays }));
      assert.ok((await buildDeferredIndexes(env.ctx.db)) > 6);
      assert.equal(await daysCountedByLoad(env.ctx.db), false);
      let { kept, grouped } = await countsByGrouping();
      assert.deepEqual(kept, grouped);
      await env.ctx.db.transaction().execute((trx) => insertStatusChanges(trx, someChanges(50, 16)));
      ({ kept, grouped } = await countsByGrouping());
      assert.deepEqual(kept, grouped);
    });

    it('keeps the counts when rows are updated and deleted, whoever writes', async () => {
      const some = await env.ctx.db.selectFrom('status_history').select('seq').where('account_guid', '=', customerA.guid).orderBy('seq').limit(6).execute();
      const seqs = some.map((r) => r.seq);
      await env.ctx.db.updateTable('status_history').set({ changed_at: '2026-03-15T12:00:00.000Z' }).where('seq', 'in', seqs.slice(0, 3)).execute();
      await env.ctx.db.updateTable('status_history').set({ account_guid: resellerB.guid, reseller_guid: resellerB.guid }).where('seq', '=', seqs[3]).execute();
      await env.ctx.db.deleteFrom('status_history').where('seq', 'in', seqs.slice(4)).execute();
      const { kept, grouped } = await countsByGrouping();
      assert.deepEqual(kept, grouped);
      await check(actorOf(resellerA), { changedFrom: '2026-03-15T00:00:00.000Z', limit: 10, offset: 0 }, 'moved rows');
    });
  });
}
