import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { DAY, HOUR } from '../../src/domain/clock.js';
import { createAccount, findAccountUnscoped } from '../../src/domain/account.js';
import { SYSTEM_GUID, systemActor } from '../../src/domain/principal.js';
import { statusHistory } from '../../src/domain/status.js';
import { applyLifecycle, serviceLifecycleJob, setServiceStatus } from '../../src/domain/lifecycle.js';
import { scheduledJobs } from '../../src/domain/jobs.js';
import { startScheduler } from '../../src/scheduler.js';
import { openStore } from '../../src/store/connect.js';
import type { DomainContext } from '../../src/domain/context.js';
import type { KyselyPlugin } from 'kysely';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { searchStatusChanges } from '../../src/domain/status-search.js';

for (const kind of STORE_KINDS) {
  describe(`service life cycle on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    const system = systemActor('test');
    const statusOf = async (guid: string) => (await findAccountUnscoped(env.ctx, { guid }))!.status;
    const newService = (name: string) => createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name });

    before(async () => {
      env = await makeTestEnv(kind);
      fx = await buildFixture(env.ctx);
    });
    after(async () => env?.close());

    it('is one of the server\'s scheduled jobs', () => {
      assert.ok(scheduledJobs.includes(serviceLifecycleJob));
    });

    it('expires a trial exactly 30 days after it began, as the system principal', async () => {
      const s = await newService('Trial One');
      env.clock.advance(30 * DAY - 1);
      assert.deepEqual(await applyLifecycle(env.ctx), []);
      assert.equal(await statusOf(s.guid), 'TrialActive');
      env.clock.advance(1);
      const made = await applyLifecycle(env.ctx);
      assert.ok(made.some((c) => c.accountGuid === s.guid && c.newStatus === 'TrialExpired'));
      assert.equal(await statusOf(s.guid), 'TrialExpired');
      const last = (await statusHistory(env.ctx, s.guid)).at(-1)!;
      assert.deepEqual([last.oldStatus, last.newStatus, last.changedByGuid, last.reason], ['TrialActive', 'TrialExpired', SYSTEM_GUID, 'trial ended']);
      // Running again changes nothing.
      assert.equal((await applyLifecycle(env.ctx)).filter((c) => c.accountGuid === s.guid).length, 0);
      // And the change is in the CCC search like any other.
      const page = await searchStatusChanges(env.ctx, fx.reader.actor, { accountGuid: s.guid, limit: 10, offset: 0 });
      assert.deepEqual(page.items.map((v) => v.change.newStatus), ['TrialExpired', 'TrialActive']);
    });

    it('lets either trial state become CertifiedSecure, and a certified service never expires', async () => {
      const active = await newService('Certify Active');
      const expired = await newService('Certify Expired');
      env.clock.advance(31 * DAY);
      await setServiceStatus(env.ctx, fx.resellerAdminA.actor, active.guid, 'CertifiedSecure');
      await applyLifecycle(env.ctx);
      assert.equal(await statusOf(expired.guid), 'TrialExpired');
      await setServiceStatus(env.ctx, system, expired.guid, 'CertifiedSecure');
      env.clock.advance(400 * DAY);
      await applyLifecycle(env.ctx);
      assert.equal(await statusOf(active.guid), 'CertifiedSecure');
      assert.equal(await statusOf(expired.guid), 'CertifiedSecure');
    });

    it('cancels a service suspended for 90 days, counted from the suspension', async () => {
      const s = await newService('Suspended Co');
      await setServiceStatus(env.ctx, system, s.guid, 'CertifiedSecure');
      env.clock.advance(10 * DAY);
      await setServiceStatus(env.ctx, fx.resellerAdminA.actor, s.guid, 'AccountSuspended');
      env.clock.advance(90 * DAY - HOUR);
      await applyLifecycle(env.ctx);
      assert.equal(await statusOf(s.guid), 'AccountSuspended');
      env.clock.advance(HOUR);
      await applyLifecycle(env.ctx);
      assert.equal(await statusOf(s.guid), 'AccountCancelled');
      const last = (await statusHistory(env.ctx, s.guid)).at(-1)!;
      assert.deepEqual([last.oldStatus, last.changedByGuid, last.reason], ['AccountSuspended', SYSTEM_GUID, 'suspended for 90 days']);
    });

    it('runs through the scheduler on the injected clock', async () => {
      const s = await newService('Scheduled Co');
      const scheduler = startScheduler(env.ctx, { intervalMs: 0, jobs: [serviceLifecycleJob] });
      await scheduler.tick();
      assert.equal(await statusOf(s.guid), 'TrialActive');
      env.clock.advance(30 * DAY);
      await scheduler.tick();
      await scheduler.stop();
      assert.equal(await statusOf(s.guid), 'TrialExpired');
    });

    it('makes exactly one transition when two schedulers in two processes race', async () => {
      const s = await newService('Raced Co');
      env.clock.advance(30 * DAY);
      // A second store connection stands for a second server process on the same database.
      const other = await openStore(env.ts.url, { poolSize: 5 });
      try {
        const ctx2: DomainContext = { db: other.db, dialect: other.dialect, clock: env.clock, secrets: env.secrets };
        const a = startScheduler(env.ctx, { intervalMs: 0, jobs: [serviceLifecycleJob] });
        const b = startScheduler(ctx2, { intervalMs: 0, jobs: [serviceLifecycleJob] });
        await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
        await Promise.all([a.stop(), b.stop()]);
        // Even without the lease, the compare-and-set on the status keeps a second run from writing.
        await Promise.all([applyLifecycle(env.ctx), applyLifecycle(ctx2)]);
      } finally {
        await other.close();
      }
      const expiries = (await statusHistory(env.ctx, s.guid)).filter((h) => h.newStatus === 'TrialExpired');
      assert.equal(expiries.length, 1);
      assert.equal(await statusOf(s.guid), 'TrialExpired');
    });

    it('writes nothing from a runner whose list of due services went stale while another runner moved them', async () => {
      const s = await newService('Stale Co');
      env.clock.advance(30 * DAY);
      // Runner B stops right after reading what is due, until runner A has moved it all: the interleaving
      // the lease normally prevents, made certain, so only the compare-and-set on the status can save it.
      let reached!: () => void;
      const readDue = new Promise<void>((r) => (reached = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let held = false;
      const holdFirstRead: KyselyPlugin = {
        transformQuery: (args) => args.node,
        async transformResult(args) {
          if (!held && args.result.rows.length > 0) {
            held = true;
            reached();
            await gate;
          }
          return args.result;
        },
      };
      const other = await openStore(env.ts.url, { poolSize: 5 });
      try {
        const ctxB: DomainContext = { db: other.db.withPlugin(holdFirstRead), dialect: other.dialect, clock: env.clock, secrets: env.secrets };
        const runB = applyLifecycle(ctxB);
        await readDue;
        const madeA = await applyLifecycle(env.ctx);
        assert.ok(madeA.some((c) => c.accountGuid === s.guid));
        release();
        const madeB = await runB;
        assert.deepEqual(madeB.filter((c) => c.accountGuid === s.guid), []);
      } finally {
        release();
        await other.close();
      }
      const expiries = (await statusHistory(env.ctx, s.guid)).filter((h) => h.newStatus === 'TrialExpired');
      assert.equal(expiries.length, 1);
    });

    it('lets an operator make allowed changes and refuses forbidden ones clearly', async () => {
      const s = await newService('Operated Co');
      await assert.rejects(setServiceStatus(env.ctx, system, s.guid, 'Paid'), (e: DomainError) => e.code === ErrorCode.Validation && /Unknown status "Paid"/.test(e.message));
      await assert.rejects(setServiceStatus(env.ctx, system, s.guid, 'TrialActive'), (e: DomainError) => e.code === ErrorCode.InvalidTransition && /already TrialActive/.test(e.message));
      await setServiceStatus(env.ctx, system, s.guid, 'CertifiedSecure');
      await assert.rejects(
        setServiceStatus(env.ctx, system, s.guid, 'TrialExpired'),
        (e: DomainError) => e.code === ErrorCode.InvalidTransition && e.message === 'A service cannot change from CertifiedSecure to TrialExpired; from CertifiedSecure it can become AccountSuspended, Blocked, AccountCancelled',
      );
      await setServiceStatus(env.ctx, system, s.guid, 'AccountCancelled');
      await assert.rejects(setServiceStatus(env.ctx, system, s.guid, 'TrialActive'), (e: DomainError) => /AccountCancelled is final/.test(e.message));
      // A principal needs the status role, and only sees its subtree.
      const t = await newService('Role Co');
      await assert.rejects(setServiceStatus(env.ctx, fx.reader.actor, t.guid, 'CertifiedSecure'), (e: DomainError) => e.code === ErrorCode.Forbidden);
      await assert.rejects(setServiceStatus(env.ctx, fx.resellerAdminB.actor, t.guid, 'CertifiedSecure'), (e: DomainError) => e.code === ErrorCode.NotFound);
      assert.equal((await statusHistory(env.ctx, t.guid)).length, 1);
    });
  });
}
