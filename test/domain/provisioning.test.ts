import { userCountAt, userCountChanges } from '../../src/domain/usage.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import {
  ancestorAccounts,
  changeProvisionedAccount,
  provisionAccount,
  provisionableProducts,
  requireProvisioningRole,
  supportProfile,
} from '../../src/domain/provisioning.js';
import { changeLockedUserCount } from '../../src/domain/usage.js';
import { ROLE_ACTIONS, systemActor } from '../../src/domain/principal.js';
import { findAccount } from '../../src/domain/account.js';
import { forgetOldRequestIds } from '../../src/domain/request-ids.js';
import { claimOnce } from '../../src/domain/limits.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { DAY, HOUR } from '../../src/domain/clock.js';
import { runExclusive } from '../../src/domain/jobs.js';
import { forgetOldRequestIdsJob } from '../../src/domain/request-ids.js';

for (const kind of STORE_KINDS) {
  describe(`provisioning on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it("offers the partner's own products, and only to the provisioning role", async () => {
      assert.deepEqual((await provisionableProducts(env.ctx, fx.provisioning.actor)).map((p) => p.id), [1039, 1050, 1053]);
      await assert.rejects(provisionableProducts(env.ctx, fx.resellerAdminA.actor), (e: DomainError) => e.code === ErrorCode.Forbidden);
    });

    it('names the partner at the top of the caller tree in the support profile', async () => {
      assert.equal((await supportProfile(env.ctx, fx.customerAdminA1.actor)).partnerName, 'Test Partner');
      assert.equal((await supportProfile(env.ctx, fx.resellerAdminB.actor)).account.guid, fx.resellerB.guid);
    });

    it('records every user-count change with its time for billing, oldest first', async () => {
      const made = await provisionAccount(env.ctx, fx.provisioning.actor, { name: 'Ledger Co', addressLine1: 'a', city: 'b', country: 'us', userCount: 10 });
      env.clock.advance(HOUR);
      await changeProvisionedAccount(env.ctx, fx.provisioning.actor, made.accountCode, { userDelta: 15 });
      env.clock.advance(HOUR);
      await changeProvisionedAccount(env.ctx, fx.provisioning.actor, made.accountCode, { userDelta: -20 });
      // No delta: no history row.
      await changeProvisionedAccount(env.ctx, fx.provisioning.actor, made.accountCode, { fields: { telephone: '1' } });
      await assert.rejects(changeProvisionedAccount(env.ctx, fx.provisioning.actor, made.accountCode, { userDelta: -6 }), (e: DomainError) => e.code === ErrorCode.Validation);
      // The count an account is created with is its count from creation on; changes after it are history rows.
      const history = await userCountChanges(env.ctx.db, made.guid, made.createdAt, '9999');
      assert.deepEqual(history.map((c) => [c.oldCount, c.newCount, c.changedByGuid]), [
        [10, 25, fx.provisioning.principal.guid],
        [25, 5, fx.provisioning.principal.guid],
      ]);
      assert.deepEqual(history.map((c) => c.changedAt), [new Date(Date.parse(made.createdAt) + HOUR).toISOString(), new Date(Date.parse(made.createdAt) + 2 * HOUR).toISOString()]);
      assert.equal(await userCountAt(env.ctx.db, { guid: made.guid, userCount: 5 }, made.createdAt), 10);
      assert.equal(await userCountAt(env.ctx.db, { guid: made.guid, userCount: 5 }, history[0].changedAt), 25);
    });

    it('grants provisioning through the permission table: the partner provisioning role and the system only', () => {
      assert.deepEqual(Object.entries(ROLE_ACTIONS).filter(([, actions]) => actions.includes('account.provision')).map(([role]) => role), ['partner_provisioning']);
      assert.doesNotThrow(() => requireProvisioningRole(fx.provisioning.actor));
      assert.doesNotThrow(() => requireProvisioningRole(systemActor('test')));
      for (const who of [fx.reader, fx.resellerAdminA, fx.customerAdminA1]) {
        assert.throws(() => requireProvisioningRole(who.actor), (e: DomainError) => e.code === ErrorCode.Forbidden, who.principal.email);
      }
    });

    it('keeps a maximum retention of whole days, not negative, with the account', async () => {
      const base = { addressLine1: 'a', city: 'b', country: 'us' };
      for (const [maximumRetention, message] of [[-1, 'maximumRetention must not be negative'], [1.5, 'maximumRetention must be a whole number of days']] as const) {
        await assert.rejects(provisionAccount(env.ctx, fx.provisioning.actor, { ...base, name: 'Retains Co', maximumRetention, city: null }), (e: DomainError) => {
          assert.deepEqual(e.details.fields?.map((f) => [f.field, f.message]), [['city', 'Missing required field: city'], ['maximumRetention', message]]);
          return true;
        });
      }
      const made = await provisionAccount(env.ctx, fx.provisioning.actor, { ...base, name: 'Retains Co', maximumRetention: 0, extra: { mailPlatform: 'exchange' } });
      assert.deepEqual(made.extra, { mailPlatform: 'exchange', maximumRetention: 0 });
    });

    it('lists the accounts above an account nearest first, and changes a locked count only inside a transaction', async () => {
      assert.deepEqual((await ancestorAccounts(env.ctx, fx.a1)).map((a) => a.guid), [fx.resellerA.guid, fx.partner.guid]);
      assert.deepEqual(await ancestorAccounts(env.ctx, fx.partner), []);
      const a1 = await findAccount(env.ctx, systemActor('test'), { guid: fx.a1.guid });
      await assert.rejects(changeLockedUserCount(env.ctx.db, env.ctx, systemActor('test'), a1, a1.userCount + 1), (e: DomainError) => e.code === ErrorCode.Internal);
      assert.equal((await findAccount(env.ctx, systemActor('test'), { guid: fx.a1.guid })).userCount, a1.userCount);
    });

    it('forgets replay ids once no request carrying them could still be fresh', async () => {
      assert.equal(await claimOnce(env.ctx, 'mimecast:req:test:old', 30 * 60_000), true);
      env.clock.advance(2 * DAY);
      assert.equal(await claimOnce(env.ctx, 'mimecast:req:test:recent', 30 * 60_000), true);
      env.clock.advance(2 * HOUR);
      const count = async () => (await env.ctx.db.selectFrom('rate_keys').select('key').where('key', 'like', 'once:mimecast:req:test:%').execute()).map((r) => r.key).sort();
      assert.deepEqual(await count(), ['once:mimecast:req:test:old', 'once:mimecast:req:test:recent']);
      assert.equal(await runExclusive(env.ctx, forgetOldRequestIdsJob), true);
      assert.deepEqual(await count(), ['once:mimecast:req:test:recent']);
      assert.equal(await forgetOldRequestIds(env.ctx), 0);
      // The recent id still counts as seen.
      assert.equal(await claimOnce(env.ctx, 'mimecast:req:test:recent', 3 * DAY), false);
    });
  });
}
