import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeServedTestApp, type TestApp } from '../../helpers/context.js';
import { cccClient } from '../../helpers/ccc.js';
import { call } from '../rackspace/helpers.js';
import { tallyStatements } from '../../../src/store/tally.js';
import { putState } from '../../../src/store/repositories/sandbox-state.js';
import { CLOCK_STATE } from '../../../src/operator/clock.js';
import { openStore } from '../../../src/store/connect.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { makeSandboxApp, makeSecondInstance, op, heardEverything, type Instance } from './helpers.js';
import { DAY } from '../../../src/domain/clock.js';
import { createAccount, findAccountUnscoped } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { statusHistory } from '../../../src/domain/status.js';
import { setServiceStatus } from '../../../src/domain/lifecycle.js';
import { listInvoices } from '../../../src/domain/invoice.js';
import { parseDuration, addDuration } from '../../../src/operator/time-travel.js';

const system = systemActor('test');

for (const kind of STORE_KINDS) {
  describe(`test clock on ${kind}, two app instances sharing one store`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let other: Instance;
    let fx: Fixture;
    const statusOf = async (guid: string) => (await findAccountUnscoped(t.app.domain, { guid }))!.status;
    const clockOf = async (app: FastifyInstance) => (await op({ app }, 'GET', '/clock')).body;

    before(async () => {
      t = await makeSandboxApp(kind);
      other = await makeSecondInstance(t);
      fx = await buildFixture(t.app.domain);
    });
    after(async () => {
      await other?.close();
      await t?.close();
    });

    it('two monthly billing runs from advance 2mo, seen at the same time by both instances', async () => {
      await createAccount(t.app.domain, system, {
        parentGuid: fx.resellerA.guid,
        kind: 'customer',
        name: 'Paying Co',
        status: 'CertifiedSecure',
        userCount: 10,
        productIds: [1050],
      });
      const before = await clockOf(t.app);
      assert.equal(before.now, '2026-03-02T10:00:00.000Z');
      const res = await op(t, 'POST', '/clock/advance', { by: '2mo' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.now, '2026-05-02T10:00:00.000Z');
      assert.ok(res.body.jobsRanAt.includes('2026-04-01T00:00:00.000Z') && res.body.jobsRanAt.includes('2026-05-01T00:00:00.000Z'), res.body.jobsRanAt.join());
      const page = await listInvoices(t.app.domain, system, { accountNumber: fx.resellerA.accountNumber });
      assert.deepEqual(page.items.map((i) => [i.period, i.invoiceDate]), [
        ['2026-04', '2026-05-01T00:00:00.000Z'],
        ['2026-03', '2026-04-01T00:00:00.000Z'],
      ]);
      // The other instance shows the same business time; the real time has not moved.
      const seen = await clockOf(other.app);
      assert.equal(seen.now, '2026-05-02T10:00:00.000Z');
      assert.equal(seen.wall, '2026-03-02T10:00:00.000Z');
      assert.equal(other.app.domain.clock.now().toISOString(), '2026-05-02T10:00:00.000Z');
    });

    it('a trial then advance 31d is TrialExpired, its history row dated day 30', async () => {
      const trial = await createAccount(t.app.domain, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Trial Co' });
      assert.equal(trial.status, 'TrialActive');
      const res = await op({ app: other.app }, 'POST', '/clock/advance', { by: '31d' });
      assert.equal(res.status, 200);
      assert.equal(await statusOf(trial.guid), 'TrialExpired');
      const last = (await statusHistory(t.app.domain, trial.guid)).at(-1)!;
      assert.equal(last.newStatus, 'TrialExpired');
      assert.equal(last.changedAt, new Date(new Date(trial.createdAt).getTime() + 30 * DAY).toISOString());
      assert.equal((await clockOf(t.app)).now, res.body.now);
    });

    it('a suspension then advance 91d is cancelled, dated 90 days after the suspension', async () => {
      const c = await createAccount(t.app.domain, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Suspended Co', status: 'CertifiedSecure' });
      const suspended = await setServiceStatus(t.app.domain, system, c.guid, 'AccountSuspended');
      assert.equal((await op(t, 'POST', '/clock/advance', { by: '89d' })).status, 200);
      assert.equal(await statusOf(c.guid), 'AccountSuspended');
      assert.equal((await op({ app: other.app }, 'POST', '/clock/advance', { by: '2d' })).status, 200);
      assert.equal(await statusOf(c.guid), 'AccountCancelled');
      const last = (await statusHistory(t.app.domain, c.guid)).at(-1)!;
      assert.equal(last.changedAt, new Date(new Date(suspended.changedAt).getTime() + 90 * DAY).toISOString());
    });

    it('freezes, sets and unfreezes; both instances agree', async () => {
      let res = await op(t, 'POST', '/clock/freeze');
      assert.equal(res.body.frozen, true);
      const at = res.body.now;
      t.clock.advance(DAY);
      assert.equal((await clockOf(other.app)).now, at);
      res = await op(t, 'POST', '/clock/set', { at: '2030-01-01T00:00:00Z' });
      assert.equal(res.body.now, '2030-01-01T00:00:00.000Z');
      assert.equal((await clockOf(other.app)).frozen, true);
      assert.equal((await clockOf(other.app)).now, '2030-01-01T00:00:00.000Z');
      res = await op(t, 'POST', '/clock/unfreeze');
      assert.equal(res.body.frozen, false);
      t.clock.advance(1000);
      assert.equal((await clockOf(other.app)).now, '2030-01-01T00:00:01.000Z');
      res = await op(t, 'POST', '/clock/real');
      assert.equal(res.body.now, res.body.wall);
    });

    it('signatures stay checked against the real time, wherever the business clock is', async () => {
      const moved = await op(t, 'POST', '/clock/advance', { by: '40d' });
      assert.ok(Date.parse(moved.body.now) - Date.parse(moved.body.wall) >= 40 * DAY);
      const now = await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}`, format: 'json' });
      assert.equal(now.status, 200, now.body);
      const signedAtBusinessTime = await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}`, format: 'json', at: new Date(moved.body.now) });
      assert.equal(signedAtBusinessTime.status, 403);
    });

    it('refuses a malformed duration or time in the one error shape', async () => {
      for (const [path, body] of [['/clock/advance', { by: '31 days' }], ['/clock/advance', { by: '' }], ['/clock/set', { at: 'tomorrow' }]] as const) {
        const res = await op(t, 'POST', path, body);
        assert.equal(res.status, 400, path);
        assert.equal(res.body.error.code, 'validation');
      }
    });
  });
}

describe('durations', () => {
  it('reads units and sums them; months are calendar months', () => {
    assert.deepEqual(parseDuration('31d'), { months: 0, ms: 31 * DAY });
    assert.deepEqual(parseDuration('1d12h'), { months: 0, ms: 1.5 * DAY });
    assert.deepEqual(parseDuration('2mo'), { months: 2, ms: 0 });
    assert.equal(addDuration(new Date('2026-01-15T00:00:00Z'), parseDuration('1mo')).toISOString(), '2026-02-15T00:00:00.000Z');
    assert.throws(() => parseDuration('5x'));
  });
});

for (const kind of STORE_KINDS) {
  describe(`the test clock on the hot path (${kind})`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeServedTestApp(kind, { sandbox: true });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('a request reads the clock from the store only after it changed', async () => {
      const send = () => cccClient(t.app, fx.reader.ccc.apiKey).request('GET', `/api/services/${fx.a1.guid}`);
      assert.equal((await send()).status, 200);
      const steady = await tallyStatements(send);
      assert.ok(!steady.tally.sql.some((s) => s.includes('sandbox_state')), steady.tally.sql.join('\n'));
      // Moved by another process: this one reads it once, on its next request.
      const heard = heardEverything(t.app.sandbox.changes);
      const elsewhere = await openStore(t.ts.url, { migrate: false, poolSize: 1 });
      await putState(elsewhere.db, CLOCK_STATE, { offsetMs: 0, frozenAt: Date.parse('2031-01-01T00:00:00Z') }, 'x');
      await elsewhere.close();
      if (kind === 'postgres') await heard;
      const moved = await tallyStatements(send);
      assert.equal(moved.tally.sql.filter((s) => s.includes('sandbox_state')).length, 1, moved.tally.sql.join('\n'));
      assert.equal(t.app.domain.clock.now().toISOString(), '2031-01-01T00:00:00.000Z');
    });
  });
}
