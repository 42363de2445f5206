import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeSandboxApp, op, TOKEN } from './helpers.js';
import { setUpOperatorToken } from '../../../src/operator/token.js';

for (const kind of STORE_KINDS) {
  describe(`operator API authentication (${kind})`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    before(async () => (t = await makeSandboxApp(kind)));
    after(() => t.close());

    it('answers the right token', async () => {
      const res = await op(t, 'GET', '/');
      assert.equal(res.status, 200);
      assert.equal(res.body.sandbox, true);
      assert.ok(res.body.operations.some((o: { operationId: string }) => o.operationId === 'About'));
    });

    it('refuses no token and a wrong token with the one error shape', async () => {
      for (const token of [null, 'not-the-token-at-all-xxxxxxxx', TOKEN + 'x']) {
        const res = await op(t, 'GET', '/', undefined, token);
        assert.equal(res.status, 401, String(token));
        assert.equal(res.body.error.code, 'unauthorized');
      }
    });

    it('refuses unknown operator URLs only after authentication, and answers them in its shape', async () => {
      assert.equal((await op(t, 'GET', '/no-such-thing', undefined, null)).status, 401);
      const res = await op(t, 'GET', '/no-such-thing');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
    });

    it('keeps only a hash of the token in the store', async () => {
      const rows = await t.ctx.db.selectFrom('sandbox_state').selectAll().execute();
      assert.ok(rows.length > 0);
      assert.ok(!JSON.stringify(rows).includes(TOKEN));
    });

    it('a new given token replaces the old one', async () => {
      const other = 'another-operator-token-987654321';
      await setUpOperatorToken(t.ctx.db, other, t.clock.now().toISOString());
      assert.equal((await op(t, 'GET', '/', undefined, TOKEN)).status, 401);
      assert.equal((await op(t, 'GET', '/', undefined, other)).status, 200);
      await setUpOperatorToken(t.ctx.db, TOKEN, t.clock.now().toISOString());
    });
  });
}

describe('operator API off', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp('sqlite', { sandbox: false });
    await setUpOperatorToken(t.ctx.db, TOKEN, t.clock.now().toISOString());
  });
  after(() => t.close());

  it('is not there: 404 even with the right token', async () => {
    const res = await op(t, 'GET', '/');
    assert.equal(res.status, 404);
    assert.equal(t.app.faceRoutes.filter((r) => r.face === 'operator').length, 0);
  });
});

describe('operator token set-up', () => {
  let t: TestApp;
  before(async () => (t = await makeTestApp('sqlite', { sandbox: true })));
  after(() => t.close());

  it('generates a token once, then keeps the stored one', async () => {
    const first = await setUpOperatorToken(t.ctx.db, undefined, t.clock.now().toISOString());
    assert.equal(first.source, 'generated');
    assert.ok(first.token && first.token.length >= 32);
    const second = await setUpOperatorToken(t.ctx.db, undefined, t.clock.now().toISOString());
    assert.deepEqual(second, { token: null, source: 'stored' });
    assert.equal((await op(t, 'GET', '/', undefined, first.token)).status, 200);
  });
});
