import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import { MINUTE, HOUR } from '../../src/domain/clock.js';
import { createLoginToken } from '../../src/domain/login-token.js';
import { createAccount, deleteAccount } from '../../src/domain/account.js';
import { systemActor } from '../../src/domain/principal.js';
import { endPanelSession, resumePanelSession, signInWithLoginToken, virtualUserGuid, type PanelSessionPolicy } from '../../src/domain/panel-session.js';
import { tallyStatements } from '../../src/store/tally.js';
import { hashSecret } from '../../src/domain/secrets.js';

const POLICY: PanelSessionPolicy = { idleMs: 30 * MINUTE, lifetimeMs: 12 * HOUR };

for (const kind of STORE_KINDS) {
  describe(`panel sessions on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    async function signIn(accountGuid: string, userName: string, virtualUser: boolean) {
      const { token } = await createLoginToken(env.ctx, systemActor('test'), accountGuid, { userName, virtualUser });
      const result = await signInWithLoginToken(env.ctx, token, POLICY);
      assert.equal(result.status, 'ok');
      return result.status === 'ok' ? result : assert.fail('no session');
    }
    const rows = async () => (await env.ctx.db.selectFrom('panel_sessions').select('id_hash').execute()).map((r) => r.id_hash);

    it('acts as the admin user with its own roles, or as a virtual user with a stable identity', async () => {
      const real = await signIn(fx.resellerA.guid, 'admin@reseller-a.example', false);
      assert.deepEqual([real.session.actor.guid, real.session.actor.roles], [fx.resellerAdminA.principal.guid, ['reseller_admin']]);
      const virtual = await signIn(fx.a1.guid, 'helper', true);
      const name = `helper_${fx.a1.accountNumber}_vu`;
      assert.deepEqual([virtual.session.actor.guid, virtual.session.actor.email, virtual.session.actor.roles], [virtualUserGuid(fx.a1.guid, name), name, ['customer_admin']]);
      assert.ok(!(await rows()).includes(virtual.sessionId), 'the store keeps only a hash of the id');
    });

    it('resumes in two statements and no transaction: the touch, then who acts', async () => {
      const s = await signIn(fx.a1.guid, 'admin@a1.example', false);
      const { result, tally } = await tallyStatements(() => resumePanelSession(env.ctx, s.sessionId, POLICY));
      assert.equal(result?.actor.guid, fx.customerAdminA1.principal.guid);
      assert.deepEqual([tally.statements, tally.transactions, tally.writes], [2, 0, 1], tally.sql.join('\n'));
      const bogus = await tallyStatements(() => resumePanelSession(env.ctx, 'not-a-session', POLICY));
      assert.deepEqual([bogus.result, bogus.tally.statements], [null, 0], 'a malformed id costs no query');
    });

    it('ends when the admin user is disabled or the account is deleted', async () => {
      const real = await signIn(fx.a1.guid, 'admin@a1.example', false);
      await env.ctx.db.updateTable('principals').set({ disabled_at: env.clock.now().toISOString() }).where('guid', '=', fx.customerAdminA1.principal.guid).execute();
      try {
        assert.equal(await resumePanelSession(env.ctx, real.sessionId, POLICY), null);
      } finally {
        await env.ctx.db.updateTable('principals').set({ disabled_at: null }).where('guid', '=', fx.customerAdminA1.principal.guid).execute();
      }
      assert.equal(await resumePanelSession(env.ctx, real.sessionId, POLICY), null, 'and stays ended');
      const doomed = await createAccount(env.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Doomed' });
      const virtual = await signIn(doomed.guid, 'v', true);
      await deleteAccount(env.ctx, fx.resellerAdminA.actor, doomed.guid);
      assert.equal(await resumePanelSession(env.ctx, virtual.sessionId, POLICY), null);
    });

    it('forgets sessions that are over when someone signs in, and at sign-out', async () => {
      const old = await signIn(fx.a1.guid, 'old', true);
      const start = env.clock.now();
      try {
        env.clock.advance(POLICY.idleMs);
        assert.ok((await rows()).includes(hashSecret(old.sessionId)));
        const fresh = await signIn(fx.a1.guid, 'fresh', true);
        const left = await rows();
        assert.ok(!left.includes(hashSecret(old.sessionId)), 'the idle session was pruned by the sign-in');
        assert.ok(left.includes(hashSecret(fresh.sessionId)));
        await endPanelSession(env.ctx, fresh.sessionId);
        assert.equal(await resumePanelSession(env.ctx, fresh.sessionId, POLICY), null);
        assert.equal((await rows()).length, left.length - 1);
      } finally {
        env.clock.set(start);
      }
    });
  });
}
