import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import { changeStatus, statusHistory, canTransition, SERVICE_STATUSES, TRANSITIONS, ancestry } from '../../src/domain/status.js';
import { createAccount, findAccountUnscoped } from '../../src/domain/account.js';
import { systemActor } from '../../src/domain/principal.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/domain/audit.js';

describe('status transitions', () => {
  it('makes cancellation final and lets suspension return to every live state', () => {
    for (const s of SERVICE_STATUSES) assert.equal(canTransition('AccountCancelled', s), false);
    for (const s of ['TrialActive', 'TrialExpired', 'CertifiedSecure', 'DemoAccount', 'Provisioning'] as const) {
      assert.equal(canTransition('AccountSuspended', s), true, s);
    }
    assert.equal(canTransition('CertifiedSecure', 'TrialActive'), false);
    assert.equal(canTransition('TrialActive', 'TrialExpired'), true);
    assert.equal(canTransition('TrialExpired', 'CertifiedSecure'), true);
  });
  it('never lists a status as its own successor', () => {
    for (const [from, tos] of Object.entries(TRANSITIONS)) assert.ok(!tos.includes(from as any), from);
  });
  it('finds the reseller and partner above an account from its path', () => {
    assert.deepEqual(ancestry({ guid: 'c', kind: 'customer', path: '/p/r/c/' }), { partnerGuid: 'p', resellerGuid: 'r' });
    assert.deepEqual(ancestry({ guid: 'c', kind: 'customer', path: '/p/c/' }), { partnerGuid: 'p', resellerGuid: null });
    assert.deepEqual(ancestry({ guid: 'r', kind: 'reseller', path: '/p/r/' }), { partnerGuid: 'p', resellerGuid: 'r' });
  });
});

for (const kind of STORE_KINDS) {
  describe(`status changes on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it('records the initial status of every new account', async () => {
      const history = await statusHistory(env.ctx, fx.a1.guid);
      assert.equal(history.length, 1);
      assert.equal(history[0].oldStatus, null);
      assert.equal(history[0].newStatus, 'TrialActive');
      assert.equal(history[0].resellerGuid, fx.resellerA.guid);
      assert.equal(history[0].partnerGuid, fx.partner.guid);
    });

    it('writes a history row and an audit entry for every change, with who, when and an operation id', async () => {
      env.clock.set('2026-03-05T12:00:00.000Z');
      const account = (await findAccountUnscoped(env.ctx, { guid: fx.a2.guid }))!;
      const change = await env.ctx.db.transaction().execute((trx) =>
        changeStatus(trx, env.ctx, fx.resellerAdminA.actor, account, 'AccountSuspended', { operationGuid: 'ab'.repeat(16) }),
      );
      const history = await statusHistory(env.ctx, fx.a2.guid);
      const last = history.at(-1)!;
      assert.deepEqual(
        [last.oldStatus, last.newStatus, last.changedAt, last.changedByGuid, last.changedByEmail, last.operationGuid, last.userCount],
        ['TrialActive', 'AccountSuspended', '2026-03-05T12:00:00.000Z', fx.resellerAdminA.principal.guid, 'admin@reseller-a.example', 'ab'.repeat(16), 20],
      );
      assert.equal(change.guid, last.guid);
      const stored = (await findAccountUnscoped(env.ctx, { guid: fx.a2.guid }))!;
      assert.equal(stored.status, 'AccountSuspended');
      assert.equal(stored.statusChangedAt, '2026-03-05T12:00:00.000Z');
      const audit = (await queryAudit(env.ctx, { accountGuid: fx.a2.guid })).filter((e) => e.action === 'account.status');
      assert.deepEqual(audit.at(-1)?.after, { status: 'AccountSuspended', operationGuid: 'ab'.repeat(16), reason: null });
    });

    it('refuses forbidden transitions and writes nothing', async () => {
      const account = (await createAccount(env.ctx, systemActor('t'), { parentGuid: fx.resellerB.guid, kind: 'customer', name: 'Final' }));
      await env.ctx.db.transaction().execute((trx) => changeStatus(trx, env.ctx, systemActor('t'), account, 'AccountCancelled'));
      const before = await statusHistory(env.ctx, account.guid);
      await assert.rejects(
        env.ctx.db.transaction().execute((trx) => changeStatus(trx, env.ctx, systemActor('t'), account, 'TrialActive')),
        (e: DomainError) => e.code === ErrorCode.InvalidTransition && /AccountCancelled to TrialActive/.test(e.message),
      );
      await assert.rejects(
        env.ctx.db.transaction().execute((trx) => changeStatus(trx, env.ctx, systemActor('t'), account, 'AccountCancelled')),
        (e: DomainError) => e.code === ErrorCode.InvalidTransition,
      );
      assert.equal((await statusHistory(env.ctx, account.guid)).length, before.length);
    });

    it('lets only one of two concurrent changes from the same status win', async () => {
      const account = await createAccount(env.ctx, systemActor('t'), { parentGuid: fx.resellerB.guid, kind: 'customer', name: 'Racy' });
      const copy1 = { ...account };
      const copy2 = { ...account };
      const results = await Promise.allSettled([
        env.ctx.db.transaction().execute((trx) => changeStatus(trx, env.ctx, systemActor('t'), copy1, 'AccountSuspended')),
        env.ctx.db.transaction().execute((trx) => changeStatus(trx, env.ctx, systemActor('t'), copy2, 'CertifiedSecure')),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((rejected.reason as DomainError).code, ErrorCode.Conflict);
      const history = await statusHistory(env.ctx, account.guid);
      assert.equal(history.length, 2);
      const stored = (await findAccountUnscoped(env.ctx, { guid: account.guid }))!;
      assert.equal(stored.status, history[1].newStatus);
    });
  });
}
