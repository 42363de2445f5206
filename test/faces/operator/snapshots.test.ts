import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { cccClient } from '../../helpers/ccc.js';
import { makeSandboxApp, makeSecondInstance, op, heardEverything, type Instance } from './helpers.js';
import { updateAccount, findAccountUnscoped } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { issueCredential } from '../../../src/domain/credential.js';
import { saveBaseline, saveSnapshot } from '../../../src/operator/snapshots.js';
import { DomainError, ErrorCode } from '../../../src/domain/errors.js';
import { hitRateLimit, peekRateLimit } from '../../../src/domain/limits.js';
import { countRowsUpTo, dataTables, readAll } from '../../../src/store/repositories/whole-store.js';

const system = systemActor('test');

for (const kind of STORE_KINDS) {
  describe(`reset and snapshots on ${kind}, two app instances sharing one store`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let other: Instance;
    let fx: Fixture;
    const nameOf = async (guid: string) => (await findAccountUnscoped(t.app.domain, { guid }))!.name;
    const serviceName = async (app: Instance['app'], apiKey: string, guid: string) => {
      const res = await cccClient(app, apiKey).request('GET', `/api/services/${guid}`);
      return res.status === 200 ? (res.json() as { Name?: string; name?: string }) : res.status;
    };

    const storeRows = async () => {
      const all = await readAll(t.ctx.db, (await dataTables(t.ctx.db, t.ctx.dialect)).tables);
      return Object.fromEntries(Object.entries(all).map(([k, rows]) => [k, rows.map((r) => JSON.stringify(r)).sort()]));
    };

    before(async () => {
      t = await makeSandboxApp(kind);
      other = await makeSecondInstance(t);
      fx = await buildFixture(t.app.domain);
      await saveBaseline(t.app.domain);
    });
    after(async () => {
      await other?.close();
      await t?.close();
    });

    it('reset: a change and a key made since the baseline are gone in both instances', async () => {
      await updateAccount(t.app.domain, system, fx.a1.guid, { name: 'Changed Name' });
      const key = (await issueCredential(t.app.domain, system, fx.reader.principal.guid, 'ccc')).secrets as { apiKey: string };
      // Both instances use the new key (the second one caches who holds it) and see the change.
      for (const app of [t.app, other.app]) assert.match(JSON.stringify(await serviceName(app, key.apiKey, fx.a1.guid)), /Changed Name/);
      await op(t, 'POST', '/clock/advance', { by: '3d' });

      const heard = heardEverything(other.app.sandbox.changes);
      const res = await op({ app: other.app }, 'POST', '/reset');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.rowCount > 10);
      if (kind === 'postgres') await heard;

      assert.equal(await nameOf(fx.a1.guid), fx.a1.name);
      for (const app of [t.app, other.app]) {
        assert.equal(await serviceName(app, key.apiKey, fx.a1.guid), 401, 'the key made after the baseline is gone');
        assert.doesNotMatch(JSON.stringify(await serviceName(app, fx.reader.ccc.apiKey, fx.a1.guid)), /Changed Name/);
      }
      // The clock went back with the store.
      assert.equal((await op(t, 'GET', '/clock')).body.offsetMs, 0);
      assert.equal((await op({ app: other.app }, 'GET', '/clock')).body.offsetMs, 0);
    });

    it('snapshot, change, restore; list and delete', async () => {
      await updateAccount(t.app.domain, system, fx.a2.guid, { name: 'Saved State' });
      const saved = await op(t, 'PUT', '/snapshots/before-change');
      assert.equal(saved.status, 200);
      await updateAccount(t.app.domain, system, fx.a2.guid, { name: 'After Snapshot' });
      const restored = await op({ app: other.app }, 'POST', '/snapshots/before-change/restore');
      assert.equal(restored.status, 200);
      assert.equal(await nameOf(fx.a2.guid), 'Saved State');
      // Credentials come back with the state: the fixture's keys still work on both instances.
      for (const app of [t.app, other.app]) assert.match(JSON.stringify(await serviceName(app, fx.reader.ccc.apiKey, fx.a2.guid)), /Saved State/);

      const list = (await op(t, 'GET', '/snapshots')).body as { name: string }[];
      assert.deepEqual(list.map((s) => s.name), ['@baseline', 'before-change']);
      assert.equal((await op(t, 'DELETE', '/snapshots/before-change')).status, 204);
      assert.equal((await op(t, 'POST', '/snapshots/before-change/restore')).body.error.code, 'not_found');
      assert.equal((await op(t, 'PUT', '/snapshots/bad name!')).status, 400);
      // Reset still returns to the baseline.
      await op(t, 'POST', '/reset');
      assert.equal(await nameOf(fx.a2.guid), fx.a2.name);
    });

    it('keeps every kind of column as it was (rate windows, flags, numbers, JSON text)', async () => {
      await hitRateLimit(t.app.domain, 'snapshot-test', 5, 60_000);
      await hitRateLimit(t.app.domain, 'snapshot-test', 5, 60_000);
      const before = await storeRows();
      assert.equal((await op(t, 'PUT', '/snapshots/kinds')).status, 200);
      await updateAccount(t.app.domain, system, fx.a2.guid, { name: 'Kinds Changed' });
      assert.equal((await op(t, 'POST', '/snapshots/kinds/restore')).status, 200);
      assert.deepEqual(await storeRows(), before);
      assert.equal((await peekRateLimit(t.app.domain, 'snapshot-test', 5, 60_000)).remaining, 3);
    });

    it('new rows after a restore get fresh ids', async () => {
      await op(t, 'POST', '/reset');
      const before = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow();
      await updateAccount(t.app.domain, system, fx.a2.guid, { name: 'Fresh Id' });
      const after = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow();
      assert.ok(Number(after.m) > Number(before.m));
    });

    it('refuses to snapshot a store above the row limit, counting no further than the limit', async () => {
      const tables = (await dataTables(t.ctx.db, t.ctx.dialect)).tables;
      const rows = Object.values(await readAll(t.ctx.db, tables)).reduce((n, r) => n + r.length, 0);
      assert.equal(await countRowsUpTo(t.ctx.db, tables, rows + 10), rows);
      assert.equal(await countRowsUpTo(t.ctx.db, tables, 5), 6, 'stops at the limit plus one');
      await assert.rejects(saveSnapshot(t.app.domain, 'too-big', rows - 1), (e: DomainError) => e.code === ErrorCode.LimitReached && /more than/.test(e.message));
      assert.equal((await saveSnapshot(t.app.domain, 'fits', rows)).rowCount, rows);
    });
  });
}
