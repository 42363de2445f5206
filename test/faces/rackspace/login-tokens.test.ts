import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { redeemLoginToken } from '../../../src/domain/login-token.js';
import { MINUTE } from '../../../src/domain/clock.js';
import { call, UNTHROTTLED, xmlTree } from './helpers.js';
import { LOGIN_TOKEN_XML } from './seed-examples.js';

/** POST /v0|v1/customers/{n}/loginToken: single sign-on into the control panel. */
for (const kind of STORE_KINDS) {
  describe(`Rackspace login tokens on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    const tokenPath = () => `/v1/customers/${fx.a1.accountNumber}/loginToken`;

    it('creates a virtual user token shaped like the seed’s example', async () => {
      const res = await call(t, fx.resellerAdminA, { method: 'POST', path: tokenPath(), fields: { userName: 'dev_cust_limitedadmin', virtualUser: 'true' }, format: 'xml' });
      assert.equal(res.status, 200, res.body);
      const got = xmlTree(res.body);
      const seed = xmlTree(LOGIN_TOKEN_XML);
      assert.equal(got.name, seed.name);
      assert.deepEqual(got.attrs, seed.attrs);
      assert.deepEqual(got.children.map((c) => c.name), seed.children.map((c) => c.name));
      const [user, token, date] = got.children.map((c) => c.text!);
      assert.equal(user, `dev_cust_limitedadmin_${fx.a1.accountNumber}_vu`);
      assert.match(token, /^[0-9A-F]{40}$/);
      assert.equal(date, '3/2/2026 10:00:00 AM');
      const ok = await redeemLoginToken(t.ctx, token);
      assert.equal(ok.status, 'ok');
      if (ok.status === 'ok') {
        assert.equal(ok.accountGuid, fx.a1.guid);
        assert.equal(ok.userName, user);
        assert.deepEqual(ok.roles, ['customer_admin']);
      }
      assert.deepEqual(await redeemLoginToken(t.ctx, token), { status: 'used' });
    });

    it('stores only a hash of the token', async () => {
      const res = await call(t, fx.resellerAdminA, { method: 'POST', path: tokenPath(), fields: { userName: 'hashme', virtualUser: true }, bodyType: 'json', format: 'json' });
      const { token } = res.json as { token: string };
      const rows = await t.ctx.db.selectFrom('login_tokens').selectAll().execute();
      assert.ok(rows.length > 0);
      for (const row of rows) assert.ok(!Object.values(row).some((v) => typeof v === 'string' && v.includes(token)));
      assert.ok(rows.some((r) => r.token_hash === createHash('sha256').update(token).digest('hex')));
    });

    it('tokens expire ten minutes after creation', async () => {
      const make = async () =>
        ((await call(t, fx.resellerAdminA, { method: 'POST', path: tokenPath(), fields: { userName: 'timer', virtualUser: 'true' }, format: 'json' })).json as { token: string }).token;
      const start = t.clock.now();
      const a = await make();
      const b = await make();
      try {
        t.clock.advance(10 * MINUTE - 1000);
        assert.equal((await redeemLoginToken(t.ctx, a)).status, 'ok');
        t.clock.advance(1000);
        assert.deepEqual(await redeemLoginToken(t.ctx, b), { status: 'expired' });
      } finally {
        t.clock.set(start);
      }
    });

    it('a non-virtual user must be an existing admin user of that customer', async () => {
      const ok = await call(t, fx.resellerAdminA, { method: 'POST', path: tokenPath(), fields: { userName: 'admin@a1.example', virtualUser: 'false' }, format: 'json' });
      assert.equal(ok.status, 200, ok.body);
      assert.equal((ok.json as { user: string }).user, 'admin@a1.example');
      const redeemed = await redeemLoginToken(t.ctx, (ok.json as { token: string }).token);
      assert.equal(redeemed.status === 'ok' && redeemed.principalGuid, fx.customerAdminA1.principal.guid);

      const unknown = await call(t, fx.resellerAdminA, { method: 'POST', path: tokenPath(), fields: { userName: 'nobody', virtualUser: 'false' }, format: 'json' });
      assert.equal(unknown.status, 404);
      assert.equal((unknown.json as any).itemNotFoundFault.resourceType, 'user');
      assert.equal(unknown.errorMessage, 'Admin user not found: nobody');
      // The reseller's own admin is not an admin user of the customer.
      const wrongAccount = await call(t, fx.resellerAdminA, { method: 'POST', path: tokenPath(), fields: { userName: 'admin@reseller-a.example' }, format: 'json' });
      assert.equal(wrongAccount.status, 404);
    });

    it('refuses missing or malformed fields with vendor faults', async () => {
      const cases: [Record<string, string>, number, string][] = [
        [{ virtualUser: 'true' }, 400, 'Missing required field: userName'],
        [{ userName: '', virtualUser: 'true' }, 400, 'Required field userName cannot be empty'],
        [{ userName: 'x y', virtualUser: 'true' }, 400, 'Invalid userName: use letters, digits and . _ @ + -'],
        [{ userName: 'dev', virtualUser: 'maybe' }, 400, 'Invalid value for field virtualUser: use true or false'],
      ];
      const before = await t.ctx.db.selectFrom('login_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      for (const [fields, status, message] of cases) {
        const res = await call(t, fx.resellerAdminA, { method: 'POST', path: tokenPath(), fields, format: 'json' });
        assert.equal(res.status, status, JSON.stringify(fields));
        assert.equal(res.errorMessage, message);
      }
      const after = await t.ctx.db.selectFrom('login_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });

    it('a customer admin may create tokens for its own account only', async () => {
      const own = await call(t, fx.customerAdminA1, { method: 'POST', path: '/v1/customers/me/loginToken', fields: { userName: 'self', virtualUser: 'true' }, format: 'json' });
      assert.equal(own.status, 200);
      const other = await call(t, fx.customerAdminA1, { method: 'POST', path: `/v1/customers/${fx.a2.accountNumber}/loginToken`, fields: { userName: 'x', virtualUser: 'true' }, format: 'json' });
      assert.equal(other.status, 404);
      const reader = await call(t, fx.reader, { method: 'POST', path: tokenPath(), fields: { userName: 'x', virtualUser: 'true' }, format: 'json' });
      assert.equal(reader.status, 403);
      assert.equal(reader.errorMessage, 'Not authorized');
    });

    it('a principal of another reseller gets 404 "Customer Not Found"', async () => {
      const res = await call(t, fx.resellerAdminB, { method: 'POST', path: tokenPath(), fields: { userName: 'x', virtualUser: 'true' }, format: 'json' });
      assert.equal(res.status, 404);
      assert.equal(res.errorMessage, 'Customer Not Found');
    });
  });
}
