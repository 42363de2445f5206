import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import { createAccount, deleteAccount, listAccounts } from '../../src/domain/account.js';
import { systemActor } from '../../src/domain/principal.js';
import { countChildren } from '../../src/store/repositories/accounts.js';
import { tallyStatements } from '../../src/store/tally.js';

/**
 * An index's `total` comes from the live-children counts the store keeps with triggers (migration 0014),
 * so it must agree with a count of the rows after every kind of write, including writes that bypass the
 * domain (raw SQL, as another tool would make).
 */
for (const kind of STORE_KINDS) {
  describe(`live children counts on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));
    const system = systemActor();

    const assertCountsMatchRows = async () => {
      const rows = await sql<{ parent_guid: string; kind: string; n: number | string }>`select parent_guid, kind, count(*) as n from accounts
        where parent_guid is not null and deleted_at is null group by parent_guid, kind`.execute(env.ctx.db);
      const kept = await env.ctx.db.selectFrom('account_children').selectAll().where('live', '<>', 0).execute();
      const key = (r: { parent_guid: string; kind: string }) => `${r.parent_guid}/${r.kind}`;
      assert.deepEqual(
        new Map(kept.map((r) => [key(r), Number(r.live)])),
        new Map(rows.rows.map((r) => [key(r), Number(r.n)])),
      );
    };

    it('match the rows after creations and deletions', async () => {
      await assertCountsMatchRows();
      const made = await Promise.all(
        Array.from({ length: 6 }, (_, i) => createAccount(env.ctx, system, { parentGuid: fx.resellerB.guid, kind: 'customer', name: `Counted ${i}` })),
      );
      await deleteAccount(env.ctx, system, made[0].guid);
      await assertCountsMatchRows();
      const page = await listAccounts(env.ctx, system, { childrenOf: fx.resellerB.guid, limit: 2, offset: 0 });
      assert.equal(page.total, await countChildren(env.ctx.db, fx.resellerB.guid));
      assert.equal(page.items.length, 2);
    });

    it('follow writes made outside the domain: a move, deletion and undeletion', async () => {
      const a = await createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Moved' });
      const before = await countChildren(env.ctx.db, fx.resellerB.guid);
      await env.ctx.db.updateTable('accounts').set({ parent_guid: fx.resellerB.guid }).where('guid', '=', a.guid).execute();
      assert.equal(await countChildren(env.ctx.db, fx.resellerB.guid), before + 1);
      await env.ctx.db.updateTable('accounts').set({ deleted_at: '2026-01-01T00:00:00.000Z' }).where('guid', '=', a.guid).execute();
      assert.equal(await countChildren(env.ctx.db, fx.resellerB.guid), before);
      await env.ctx.db.updateTable('accounts').set({ deleted_at: null }).where('guid', '=', a.guid).execute();
      assert.equal(await countChildren(env.ctx.db, fx.resellerB.guid), before + 1);
      await assertCountsMatchRows();
    });

    it("a reseller's index reads its total from the kept count, not by walking its children", async () => {
      const { result: page, tally } = await tallyStatements(() =>
        listAccounts(env.ctx, fx.resellerAdminA.actor, { childrenOf: fx.resellerA.guid, kind: 'customer', limit: 50, offset: 0 }),
      );
      assert.ok(page.total > 0);
      const trace = tally.sql.join('\n');
      assert.match(trace, /from "account_children"/, trace);
      assert.doesNotMatch(trace, /count\(\*\)/, trace);
      // With a text filter the total is counted from the matching rows.
      const filtered = await tallyStatements(() =>
        listAccounts(env.ctx, fx.resellerAdminA.actor, { childrenOf: fx.resellerA.guid, contains: 'zzz-none', limit: 50, offset: 0 }),
      );
      assert.equal(filtered.result.total, 0);
      assert.match(filtered.tally.sql.join('\n'), /count\(\*\)/);
    });
  });
}
