import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import { createAccount, findAccountUnscoped } from '../../src/domain/account.js';
import { disableAccount, enableAccount, STATE_CHANGE_WINDOW_MS } from '../../src/domain/suspension.js';
import { changeStatus, statusHistory } from '../../src/domain/status.js';
import { systemActor } from '../../src/domain/principal.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';

for (const kind of STORE_KINDS) {
  describe(`account enable/disable on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));
    const status = async (guid: string) => (await findAccountUnscoped(env.ctx, { guid }))!.status;

    it('disabling a reseller suspends its running customers in one operation; enabling restores exactly those', async () => {
      const system = systemActor('test');
      const reseller = await createAccount(env.ctx, system, { parentGuid: fx.partner.guid, kind: 'reseller', name: 'Tree Reseller', status: 'CertifiedSecure' });
      const paying = await createAccount(env.ctx, system, { parentGuid: reseller.guid, kind: 'customer', name: 'Paying', status: 'CertifiedSecure' });
      const trial = await createAccount(env.ctx, system, { parentGuid: reseller.guid, kind: 'customer', name: 'Trial' });
      const blocked = await createAccount(env.ctx, system, { parentGuid: reseller.guid, kind: 'customer', name: 'Blocked' });
      await changeStatus(env.ctx.db, env.ctx, system, blocked, 'Blocked');
      const already = await createAccount(env.ctx, system, { parentGuid: reseller.guid, kind: 'customer', name: 'Already Suspended' });
      await changeStatus(env.ctx.db, env.ctx, system, already, 'AccountSuspended');

      // A reseller admin placed on the partner, so a reseller is its sub-account.
      const actor = { ...fx.resellerAdminA.actor, accountGuid: fx.partner.guid, accountPath: fx.partner.path };
      const off = await disableAccount(env.ctx, actor, reseller.guid);
      assert.equal(off.changes.length, 3);
      assert.equal(new Set(off.changes.map((c) => c.operationGuid)).size, 1);
      assert.deepEqual(
        await Promise.all([reseller, paying, trial, blocked, already].map((a) => status(a.guid))),
        ['AccountSuspended', 'AccountSuspended', 'AccountSuspended', 'Blocked', 'AccountSuspended'],
      );
      env.clock.advance(STATE_CHANGE_WINDOW_MS);
      const on = await enableAccount(env.ctx, actor, reseller.guid);
      assert.equal(on.changes.length, 3);
      assert.deepEqual(
        await Promise.all([reseller, paying, trial, blocked, already].map((a) => status(a.guid))),
        ['CertifiedSecure', 'CertifiedSecure', 'TrialActive', 'Blocked', 'AccountSuspended'],
        'only what that disable suspended comes back',
      );
    });

    it('restores the status before the latest suspension, as the history records it', async () => {
      const system = systemActor('test');
      const c = await createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Expired Trial' });
      await changeStatus(env.ctx.db, env.ctx, system, c, 'TrialExpired');
      await disableAccount(env.ctx, fx.resellerAdminA.actor, c.guid);
      env.clock.advance(STATE_CHANGE_WINDOW_MS);
      await enableAccount(env.ctx, fx.resellerAdminA.actor, c.guid);
      assert.equal(await status(c.guid), 'TrialExpired');
      const rows = await statusHistory(env.ctx, c.guid);
      assert.deepEqual(rows.map((r) => r.newStatus), ['TrialActive', 'TrialExpired', 'AccountSuspended', 'TrialExpired']);
      // Enabling a running account changes nothing (but still uses the window).
      env.clock.advance(STATE_CHANGE_WINDOW_MS);
      assert.deepEqual((await enableAccount(env.ctx, fx.resellerAdminA.actor, c.guid)).changes, []);
      await assert.rejects(enableAccount(env.ctx, fx.resellerAdminA.actor, c.guid), (e: DomainError) => e.code === ErrorCode.RateLimited && e.message === 'Exceeded request limits');
    });

    it('refuses strangers, callers without the role and the caller’s own account, without using the window', async () => {
      await assert.rejects(disableAccount(env.ctx, fx.resellerAdminB.actor, fx.a2.guid), (e: DomainError) => e.code === ErrorCode.NotFound);
      await assert.rejects(disableAccount(env.ctx, fx.reader.actor, fx.a2.guid), (e: DomainError) => e.code === ErrorCode.Forbidden);
      await assert.rejects(disableAccount(env.ctx, fx.customerAdminA1.actor, fx.a1.guid), (e: DomainError) => e.code === ErrorCode.Forbidden);
      await assert.rejects(disableAccount(env.ctx, fx.resellerAdminA.actor, fx.resellerA.guid), (e: DomainError) => e.code === ErrorCode.Forbidden);
      assert.equal((await disableAccount(env.ctx, fx.resellerAdminA.actor, fx.a2.guid)).changes.length, 1);
    });
  });
}
