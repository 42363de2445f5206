import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import { createLoginToken, redeemLoginToken, LOGIN_TOKEN_TTL_MS, validateLoginTokenRequest, virtualUserName } from '../../src/domain/login-token.js';
import { deleteAccount, createAccount } from '../../src/domain/account.js';
import { systemActor } from '../../src/domain/principal.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/domain/audit.js';

describe('login token requests', () => {
  it('names virtual users <userName>_<accountNumber>_vu', () => {
    assert.equal(virtualUserName('dev_cust_limitedadmin', { accountNumber: '460896' }), 'dev_cust_limitedadmin_460896_vu');
  });
  it('validates the user name', () => {
    assert.equal(validateLoginTokenRequest({ userName: undefined, virtualUser: true })[0].problem, 'missing');
    assert.equal(validateLoginTokenRequest({ userName: ' ', virtualUser: true })[0].problem, 'blank');
    assert.equal(validateLoginTokenRequest({ userName: 'a'.repeat(65), virtualUser: true })[0].problem, 'too_long');
    assert.equal(validateLoginTokenRequest({ userName: 'a/b', virtualUser: true })[0].problem, 'invalid');
    assert.deepEqual(validateLoginTokenRequest({ userName: 'dev.user@x+1', virtualUser: true }), []);
  });
});

for (const kind of STORE_KINDS) {
  describe(`login tokens on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it('redeems once; a second redemption is refused', async () => {
      const issued = await createLoginToken(env.ctx, fx.resellerAdminA.actor, fx.a1.guid, { userName: 'once', virtualUser: true });
      assert.equal(issued.expiresAt, new Date(new Date(issued.createdAt).getTime() + LOGIN_TOKEN_TTL_MS).toISOString());
      assert.equal((await redeemLoginToken(env.ctx, ` ${issued.token.toLowerCase()} `)).status, 'ok', 'case and whitespace do not matter');
      assert.deepEqual(await redeemLoginToken(env.ctx, issued.token), { status: 'used' });
      assert.deepEqual(await redeemLoginToken(env.ctx, 'F'.repeat(40)), { status: 'invalid' });
      assert.deepEqual(await redeemLoginToken(env.ctx, ''), { status: 'invalid' });
      const audit = await queryAudit(env.ctx, { accountGuid: fx.a1.guid });
      assert.ok(audit.some((e) => e.action === 'login_token.create'));
      assert.ok(audit.some((e) => e.action === 'login_token.redeem'));
      assert.ok(!JSON.stringify(audit).includes(issued.token), 'the token never reaches the audit log');
    });

    it('of two concurrent redemptions exactly one succeeds', async () => {
      const issued = await createLoginToken(env.ctx, fx.resellerAdminA.actor, fx.a1.guid, { userName: 'race', virtualUser: true });
      const results = await Promise.all([redeemLoginToken(env.ctx, issued.token), redeemLoginToken(env.ctx, issued.token)]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['ok', 'used']);
    });

    it('expires exactly ten minutes after creation', async () => {
      const issued = await createLoginToken(env.ctx, fx.resellerAdminA.actor, fx.a2.guid, { userName: 'late', virtualUser: true });
      const start = env.clock.now();
      env.clock.advance(LOGIN_TOKEN_TTL_MS);
      try {
        assert.deepEqual(await redeemLoginToken(env.ctx, issued.token), { status: 'expired' });
      } finally {
        env.clock.set(start);
      }
    });

    it('is invalid once its account is deleted', async () => {
      const c = await createAccount(env.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Short Lived' });
      const issued = await createLoginToken(env.ctx, fx.resellerAdminA.actor, c.guid, { userName: 'ghost', virtualUser: true });
      await deleteAccount(env.ctx, fx.resellerAdminA.actor, c.guid);
      assert.deepEqual(await redeemLoginToken(env.ctx, issued.token), { status: 'invalid' });
    });

    it('gives a non-virtual user its own roles, and refuses names that are not admin users of the account', async () => {
      const issued = await createLoginToken(env.ctx, fx.resellerAdminA.actor, fx.a1.guid, { userName: 'ADMIN', virtualUser: false });
      const r = await redeemLoginToken(env.ctx, issued.token);
      assert.equal(r.status, 'ok');
      if (r.status === 'ok') assert.deepEqual([r.principalGuid, r.roles, r.virtualUser], [fx.customerAdminA1.principal.guid, ['customer_admin'], false]);
      await assert.rejects(
        createLoginToken(env.ctx, fx.resellerAdminA.actor, fx.a2.guid, { userName: 'admin', virtualUser: false }),
        (e: DomainError) => e.code === ErrorCode.NotFound && e.details.resource === 'user',
      );
      await assert.rejects(
        createLoginToken(env.ctx, fx.resellerAdminB.actor, fx.a1.guid, { userName: 'x', virtualUser: true }),
        (e: DomainError) => e.code === ErrorCode.NotFound && e.details.resource === 'account',
      );
      await assert.rejects(createLoginToken(env.ctx, fx.reader.actor, fx.a1.guid, { userName: 'x', virtualUser: true }), (e: DomainError) => e.code === ErrorCode.Forbidden);
    });
  });
}
