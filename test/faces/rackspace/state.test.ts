import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { createAccount, findAccountUnscoped, type Account } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { changeStatus, statusHistory } from '../../../src/domain/status.js';
import { MINUTE } from '../../../src/domain/clock.js';
import { call, UNTHROTTLED, xmlTree } from './helpers.js';

/** POST /v0|v1/customers/{n}/disable and /enable: a suspension of the customer's service tree, and its lifting. */
for (const kind of STORE_KINDS) {
  describe(`Rackspace enable/disable on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    const fresh = async (name: string): Promise<Account> =>
      createAccount(t.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name });
    const stored = async (a: Account) => (await findAccountUnscoped(t.ctx, { guid: a.guid }))!;
    const status = async (a: Account) => (await stored(a)).status;

    it('disable suspends, enable restores the earlier status; both are in the history', async () => {
      const c = await fresh('Paying Customer');
      await changeStatus(t.ctx.db, t.ctx, systemActor('test'), c, 'CertifiedSecure');
      const off = await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/disable` });
      assert.equal(off.status, 200);
      assert.equal(off.body, '');
      assert.equal(await status(c), 'AccountSuspended');
      t.clock.advance(5 * MINUTE);
      assert.equal((await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/enable` })).status, 200);
      assert.equal(await status(c), 'CertifiedSecure');
      const history = await statusHistory(t.ctx, c.guid);
      assert.deepEqual(
        history.slice(-2).map((h) => [h.oldStatus, h.newStatus, h.reason, h.changedByGuid]),
        [
          ['CertifiedSecure', 'AccountSuspended', 'disabled', fx.resellerAdminA.principal.guid],
          ['AccountSuspended', 'CertifiedSecure', 'enabled', fx.resellerAdminA.principal.guid],
        ],
      );
    });

    it('allows one enable/disable per customer in any 5-minute sliding window', async () => {
      const c = await fresh('Windowed');
      assert.equal((await call(t, fx.resellerAdminA, { method: 'POST', path: `/v0/customers/${c.accountNumber}/disable` })).status, 200);
      t.clock.advance(5 * MINUTE - 1000);
      const early = await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/enable`, format: 'json' });
      assert.equal(early.status, 403);
      assert.equal(early.errorMessage, 'Exceeded request limits');
      assert.equal((early.json as any).unauthorizedFault.code, 403);
      assert.equal(await status(c), 'AccountSuspended');
      // Another customer has its own window.
      const other = await fresh('Other Window');
      assert.equal((await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${other.accountNumber}/disable` })).status, 200);
      t.clock.advance(1000);
      assert.equal((await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/enable` })).status, 200);
      assert.equal(await status(c), 'TrialActive');
    });

    it('of two concurrent disables exactly one wins', async () => {
      const c = await fresh('Raced');
      const results = await Promise.all([
        call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/disable` }),
        call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/disable` }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 403]);
      assert.equal(results.find((r) => r.status === 403)!.errorMessage, 'Exceeded request limits');
      const suspensions = (await statusHistory(t.ctx, c.guid)).filter((h) => h.newStatus === 'AccountSuspended');
      assert.equal(suspensions.length, 1);
    });

    it('answers "Not authorized" for strangers’ and unknown customers', async () => {
      for (const n of [fx.b1.accountNumber, '987654321']) {
        const res = await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${n}/disable`, format: 'xml' });
        assert.equal(res.status, 403);
        assert.equal(res.errorMessage, 'Not authorized');
        assert.equal(xmlTree(res.body).children[0].text, 'Not authorized');
      }
      assert.equal(await status(fx.b1), 'TrialActive');
    });

    it('cannot enable a cancelled customer', async () => {
      const c = await fresh('Cancelled');
      await changeStatus(t.ctx.db, t.ctx, systemActor('test'), c, 'AccountCancelled');
      const res = await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/disable`, format: 'json' });
      assert.equal(res.status, 400);
      assert.ok((res.json as any).badRequestFault.message.includes('cancelled'));
    });

    it('a refused enable does not use up the customer’s 5-minute window', async () => {
      const c = await fresh('Blocked Then Freed');
      await changeStatus(t.ctx.db, t.ctx, systemActor('test'), c, 'Blocked');
      const refused = await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/enable`, format: 'json' });
      assert.equal(refused.status, 400, refused.body);
      assert.equal((await stored(c)).status, 'Blocked');
      // An operator unblocks it; the reseller may now disable it at once: the refused enable changed nothing.
      await changeStatus(t.ctx.db, t.ctx, systemActor('test'), await stored(c), 'CertifiedSecure');
      const disabled = await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/disable`, format: 'json' });
      assert.equal(disabled.status, 200, disabled.body);
      assert.equal((await stored(c)).status, 'AccountSuspended');
      // A change that went through does use the window.
      const again = await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${c.accountNumber}/enable`, format: 'json' });
      assert.equal(again.status, 403);
      assert.equal(again.errorMessage, 'Exceeded request limits');
    });

    it('answers "Not authorized" to a principal of another reseller, and its attempts claim no window', async () => {
      const n = fx.a1.accountNumber;
      for (const action of ['disable', 'enable']) {
        const res = await call(t, fx.resellerAdminB, { method: 'POST', path: `/v1/customers/${n}/${action}`, format: 'json' });
        assert.equal(res.status, 403, action);
        assert.equal(res.errorMessage, 'Not authorized', action);
      }
      const a1 = await stored(fx.a1);
      assert.deepEqual([a1.name, a1.status, a1.deletedAt], [fx.a1.name, fx.a1.status, null]);
      // A reseller's own admin may still disable it at once: the stranger's attempts claimed no window.
      assert.equal((await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${n}/disable` })).status, 200);
      assert.equal((await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${n}/enable` })).status, 403, 'window');
    });

    it('refuses callers without the role', async () => {
      const n = fx.a2.accountNumber;
      for (const who of [fx.reader, fx.customerAdminA1]) {
        for (const action of ['disable', 'enable']) {
          const res = await call(t, who, { method: 'POST', path: `/v1/customers/${n}/${action}`, format: 'json' });
          assert.equal(res.status, 403);
          assert.equal(res.errorMessage, 'Not authorized');
        }
      }
      assert.equal(await status(fx.a2), 'TrialActive');
    });

    it('a customer cannot enable or disable its own account', async () => {
      const res = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers/me/disable', format: 'json' });
      assert.equal(res.status, 403);
      assert.equal(res.errorMessage, 'Not authorized');
    });
  });
}
