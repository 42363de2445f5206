import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { issueCredential, listCredentials } from '../../../src/domain/credential.js';
import { systemActor } from '../../../src/domain/principal.js';
import { HOUR, MINUTE } from '../../../src/domain/clock.js';
import { rackspaceSignatureHash, rackspaceTimestamp, signRackspaceRequest } from '../../../src/client/rackspace.js';
import { call, UNTHROTTLED, xmlTree } from './helpers.js';

const UA = 'Rackspace Management Interface';

/** X-Api-Signature on every Rackspace URL, and the per-principal throttling that runs with it. */
for (const kind of STORE_KINDS) {
  describe(`Rackspace authentication on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    const raw = (headers: Record<string, string>, accept = 'application/json') =>
      t.app.inject({ method: 'GET', url: `/v1/customers/${fx.a1.accountNumber}`, headers: { 'user-agent': UA, accept, ...headers } });

    function assertAuthFailed(res: { statusCode: number; headers: Record<string, any>; body: string }, label: string) {
      assert.equal(res.statusCode, 403, label);
      assert.equal(res.headers['x-error-message'], 'Authentication failed.', label);
      const body = JSON.parse(res.body);
      assert.deepEqual(Object.keys(body), ['unauthorizedFault'], label);
      assert.equal(body.unauthorizedFault.message, 'Authentication failed.');
      assert.equal(body.unauthorizedFault.code, 403);
      assert.equal(typeof body.unauthorizedFault.details, 'string');
    }

    it('refuses missing, malformed, unknown and wrong signatures alike', async () => {
      const { userKey, secretKey } = fx.resellerAdminA.rackspace;
      const ts = rackspaceTimestamp(t.clock.now());
      const good = rackspaceSignatureHash(userKey, UA, ts, secretKey);
      const cases: [string, Record<string, string>][] = [
        ['missing', {}],
        ['empty', { 'x-api-signature': '' }],
        ['two parts', { 'x-api-signature': `${userKey}:${good}` }],
        ['unknown key', { 'x-api-signature': `NoSuchKey1234567890:${ts}:${rackspaceSignatureHash('NoSuchKey1234567890', UA, ts, secretKey)}` }],
        ['wrong secret', { 'x-api-signature': `${userKey}:${ts}:${rackspaceSignatureHash(userKey, UA, ts, 'not-the-secret')}` }],
        ['other key’s secret', { 'x-api-signature': `${userKey}:${ts}:${rackspaceSignatureHash(userKey, UA, ts, fx.resellerAdminB.rackspace.secretKey)}` }],
        ['tampered timestamp', { 'x-api-signature': `${userKey}:${rackspaceTimestamp(new Date(t.clock.now().getTime() + 1000))}:${good}` }],
        ['different user agent', { 'x-api-signature': `${userKey}:${ts}:${good}`, 'user-agent': 'curl/8' }],
        ['impossible date', { 'x-api-signature': `${userKey}:20260230100000:${rackspaceSignatureHash(userKey, UA, '20260230100000', secretKey)}` }],
      ];
      for (const [label, headers] of cases) assertAuthFailed(await raw(headers), label);
      const ok = await raw({ 'x-api-signature': `${userKey}:${ts}:${good}` });
      assert.equal(ok.statusCode, 200, 'the same request with the right signature passes');
    });

    it('answers an XML client with an XML unauthorizedFault', async () => {
      const res = await raw({}, 'text/xml');
      assert.equal(res.statusCode, 403);
      const tree = xmlTree(res.body);
      assert.equal(tree.name, 'unauthorizedFault');
      assert.equal(tree.attrs.code, '403');
      assert.equal(tree.children[0].text, 'Authentication failed.');
    });

    it('accepts timestamps in UTC or any local zone, and one signature reused for a session', async () => {
      const now = t.clock.now().getTime();
      for (const offset of [0, 14 * HOUR, -12 * HOUR, 5.5 * HOUR, -8 * HOUR]) {
        const res = await call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers/me', timestamp: rackspaceTimestamp(new Date(now + offset)), format: 'json' });
        assert.equal(res.status, 200, `offset ${offset / HOUR}h`);
      }
      const local = await call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers/me', zone: 'local', format: 'json' });
      assert.equal(local.status, 200);
      const header = signRackspaceRequest({ ...fx.resellerAdminA.rackspace, userAgent: UA, at: t.clock.now() });
      const start = t.clock.now();
      try {
        for (let i = 0; i < 3; i++) {
          const res = await raw({ 'x-api-signature': header });
          assert.equal(res.statusCode, 200, `reuse ${i}`);
          t.clock.advance(2 * HOUR);
        }
        t.clock.set(start.getTime() + 24 * HOUR + 12 * HOUR + 6 * MINUTE);
        assertAuthFailed(await raw({ 'x-api-signature': header }), 'older than the maximum age in any zone');
      } finally {
        t.clock.set(start);
      }
      const tooFarAhead = rackspaceTimestamp(new Date(now + 14 * HOUR + 10 * MINUTE));
      assertAuthFailed(await raw({ 'x-api-signature': `${fx.resellerAdminA.rackspace.userKey}:${tooFarAhead}:${rackspaceSignatureHash(fx.resellerAdminA.rackspace.userKey, UA, tooFarAhead, fx.resellerAdminA.rackspace.secretKey)}` }), 'future');
    });

    it('refuses expired keys', async () => {
      const expiresAt = new Date(t.clock.now().getTime() + MINUTE).toISOString();
      const issued = await issueCredential(t.ctx, systemActor('test'), fx.reader.principal.guid, 'rackspace', { expiresAt });
      const keys = issued.secrets as { userKey: string; secretKey: string };
      assert.equal((await call(t, { rackspace: keys }, { method: 'GET', path: '/v1/customers' })).status, 200);
      const start = t.clock.now();
      t.clock.advance(MINUTE);
      try {
        const res = await call(t, { rackspace: keys }, { method: 'GET', path: '/v1/customers', format: 'json' });
        assert.equal(res.status, 403);
        assert.equal(res.errorMessage, 'Authentication failed.');
      } finally {
        t.clock.set(start);
      }
    });
  });

  describe(`Rackspace throttling on ${kind}`, storeSuiteOptions(kind), () => {
    it('allows 60 GETs per minute per principal by default, then 403 "Exceeded request limits"', async () => {
      const t = await makeTestApp(kind);
      try {
        const fx = await buildFixture(t.ctx);
        for (let i = 0; i < 60; i++) assert.equal((await call(t, fx.reader, { method: 'GET', path: '/v1/customers/me' })).status, 200, `call ${i + 1}`);
        const over = await call(t, fx.reader, { method: 'GET', path: '/v1/customers/me', format: 'json' });
        assert.equal(over.status, 403);
        assert.equal(over.errorMessage, 'Exceeded request limits');
        assert.equal((over.json as any).unauthorizedFault.message, 'Exceeded request limits');
        // Writes have their own budget.
        assert.equal((await call(t, fx.reader, { method: 'PUT', path: `/v1/customers/me`, fields: {} })).status, 403);
        // Another principal is not affected.
        assert.equal((await call(t, fx.provisioning, { method: 'GET', path: '/v1/customers/me' })).status, 200);
      } finally {
        await t.close();
      }
    });

    it('counts per principal across all its keys, counts failed calls, and frees up as the window slides', async () => {
      const t = await makeTestApp(kind, { rackspaceReadsPerMinute: 3, rackspaceWritesPerMinute: 2 });
      try {
        const fx = await buildFixture(t.ctx);
        const second = (await issueCredential(t.ctx, systemActor('test'), fx.resellerAdminA.principal.guid, 'rackspace')).secrets as { userKey: string; secretKey: string };
        assert.equal((await call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers' })).status, 200);
        assert.equal((await call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers/404404404' })).status, 404);
        t.clock.advance(30_000);
        assert.equal((await call(t, { rackspace: second }, { method: 'GET', path: '/v1/customers' })).status, 200);
        const over = await call(t, { rackspace: second }, { method: 'GET', path: '/v1/customers' });
        assert.equal(over.status, 403);
        assert.equal(over.errorMessage, 'Exceeded request limits');
        // Failed writes count too.
        assert.equal((await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields: { name: ' bad' } })).status, 400);
        assert.equal((await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields: {} })).status, 400);
        const writeOver = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields: { name: 'Fine' } });
        assert.equal(writeOver.status, 403);
        assert.equal(writeOver.errorMessage, 'Exceeded request limits');
        const listed = (await import('../../../src/domain/account.js')).listAccounts;
        const page = await listed(t.ctx, systemActor(), { childrenOf: fx.resellerA.guid, contains: 'Fine', limit: 10, offset: 0 });
        assert.equal(page.total, 0, 'the throttled add did not run');
        // The two earliest reads leave the window 60 s after they were made.
        t.clock.advance(30_000);
        assert.equal((await call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers' })).status, 200);
        assert.ok((await listCredentials(t.ctx, fx.resellerAdminA.principal.guid)).length >= 2);
      } finally {
        await t.close();
      }
    });

    it('turns off when the limits are set to 0', async () => {
      const t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0 });
      try {
        const fx = await buildFixture(t.ctx);
        for (let i = 0; i < 65; i++) assert.equal((await call(t, fx.reader, { method: 'GET', path: '/v1/customers/me' })).status, 200, `call ${i + 1}`);
      } finally {
        await t.close();
      }
    });
  });
}
