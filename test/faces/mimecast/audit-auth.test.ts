import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { mimecastDate, mimecastHeaders } from '../../../src/client/mimecast.js';
import { buildApp, REDACT_PATHS } from '../../../src/app.js';
import { clientFor } from './helpers.js';

const GET_ACCOUNT = '/api/account/get-account';

async function post(app: FastifyInstance, path: string, headers: Record<string, string>, payload = '{"data":[]}') {
  const res = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', ...headers }, payload });
  return { status: res.statusCode, json: res.json(), headers: res.headers };
}

for (const kind of STORE_KINDS) {
  describe(`mimecast rate limits and request ids on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { mimecastRateLimit: 1, mimecastRateWindowMs: 60_000, mimecastDateWindowMs: 15 * 60_000 });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('lets a client retry the very request that was refused with 429 (retryable) once a slot frees up', async () => {
      const creds = fx.reader.mimecast;
      assert.equal((await post(t.app, GET_ACCOUNT, mimecastHeaders(creds, GET_ACCOUNT, { date: mimecastDate(t.clock.now()) }))).status, 200);
      const refusedHeaders = mimecastHeaders(creds, GET_ACCOUNT, { date: mimecastDate(t.clock.now()), requestId: randomUUID() });
      const refused = await post(t.app, GET_ACCOUNT, refusedHeaders);
      assert.equal(refused.status, 429);
      assert.equal(refused.json.fail[0].errors[0].retryable, true);
      t.clock.advance(60_001);
      // The same bytes again, still within the date window: the function never ran, so the id is not spent.
      const retried = await post(t.app, GET_ACCOUNT, refusedHeaders);
      assert.equal(retried.status, 200, JSON.stringify(retried.json));
      t.clock.advance(60_001);
      const replay = await post(t.app, GET_ACCOUNT, refusedHeaders);
      assert.equal(replay.json.fail[0].errors[0].code, 'err_xdk_request_replayed');
    });

    it('shows the known user its budget on stale and unreadable dates, without spending it', async () => {
      t.clock.advance(120_000);
      const creds = fx.customerAdminA1.mimecast;
      for (const date of [mimecastDate(new Date(t.clock.now().getTime() - 16 * 60_000)), 'not a date']) {
        const res = await post(t.app, GET_ACCOUNT, mimecastHeaders(creds, GET_ACCOUNT, { date }));
        assert.equal(res.status, 401);
        assert.deepEqual([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining'], res.headers['x-ratelimit-reset']], ['1', '1', '0'], date);
      }
      // The budget is untouched: the one allowed request still goes through.
      const ok = await post(t.app, GET_ACCOUNT, mimecastHeaders(creds, GET_ACCOUNT, { date: mimecastDate(t.clock.now()) }));
      assert.equal(ok.status, 200);
      assert.deepEqual([ok.headers['x-ratelimit-remaining'], ok.headers['x-ratelimit-reset']], ['0', '60000']);
      t.clock.advance(10_000);
      const stale = await post(t.app, GET_ACCOUNT, mimecastHeaders(creds, GET_ACCOUNT, { date: mimecastDate(new Date(t.clock.now().getTime() + 16 * 60_000)) }));
      assert.deepEqual([stale.headers['x-ratelimit-remaining'], stale.headers['x-ratelimit-reset']], ['0', '50000']);
    });

    it("binds a key to its own application: another credential's app key or app id does not verify", async () => {
      t.clock.advance(120_000);
      const mine = fx.resellerAdminA.mimecast;
      const theirs = fx.provisioning.mimecast;
      const date = () => mimecastDate(t.clock.now());
      for (const [label, creds] of [
        ["my secret, my app id, their app key", { ...mine, appKey: theirs.appKey }],
        ["my secret, their app id and app key", { ...mine, appId: theirs.appId, appKey: theirs.appKey }],
        ["their access key with my secret", { ...mine, accessKey: theirs.accessKey }],
      ] as const) {
        const res = await post(t.app, GET_ACCOUNT, mimecastHeaders(creds, GET_ACCOUNT, { date: date() }));
        assert.equal(res.status, 401, label);
        assert.equal(res.json.fail[0].errors[0].code, 'err_xdk_invalid_signature', label);
      }
      assert.equal((await post(t.app, GET_ACCOUNT, mimecastHeaders(mine, GET_ACCOUNT, { date: date() }))).status, 200);
    });

    it('sends no rate headers before the signature proves who is asking', async () => {
      const forged = { ...fx.reader.mimecast, secretKey: Buffer.from('guess').toString('base64') };
      const res = await post(t.app, GET_ACCOUNT, mimecastHeaders(forged, GET_ACCOUNT, { date: 'not a date' }));
      assert.equal(res.status, 401);
      assert.equal(res.json.fail[0].errors[0].code, 'err_xdk_invalid_signature');
      assert.equal(res.headers['x-ratelimit-limit'], undefined);
    });
  });

  describe(`mimecast secrets stay out of the log on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let logged = '';
    let app: FastifyInstance;
    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
      const stream = new Writable({
        write(chunk, _enc, done) {
          logged += chunk.toString();
          done();
        },
      });
      // The server's own logger options (level and redaction), at trace level, written where the test can read it.
      app = await buildApp(t.config, { store: t.ts.store, clock: t.clock, secrets: t.secrets }, {
        logger: { level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' }, stream },
      });
      await app.ready();
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    it('never writes a secret key, application key, admin password or signature, on success or failure', async () => {
      const password = `Pw-${randomUUID()}`;
      const c = fx.provisioning.mimecast;
      const client = clientFor(app, t.clock, c);
      const signatures: string[] = [];
      const track = (h: Record<string, string>) => (signatures.push(h.Authorization.split(':')[1]), h);

      const created = await client.createAccount([{ accountName: 'Logged Co', addressLine1: '1 Road', city: 'Town', country: 'US', adminPassword: password }]);
      assert.equal(created.status, 200);
      await client.createAccount([{ accountName: ' bad ', addressLine1: '', city: 'Town', country: 'USA', adminPassword: password }]);
      await client.call('/api/account/create-account', `{'data': [{'accountName': 'Py Co', 'adminPassword': '${password}', 'city': None}]}`);
      await client.updateAccount([{ accountCode: fx.a1.accountCode, numberOfUsers: 1 }]);
      await post(app, GET_ACCOUNT, track(mimecastHeaders(c, GET_ACCOUNT, { date: mimecastDate(t.clock.now()) })));
      await post(app, GET_ACCOUNT, track(mimecastHeaders({ ...c, secretKey: Buffer.from('nope').toString('base64') }, GET_ACCOUNT, { date: mimecastDate(t.clock.now()) })));
      await post(app, GET_ACCOUNT, track(mimecastHeaders({ ...c, appId: randomUUID() }, GET_ACCOUNT, { date: mimecastDate(t.clock.now()) })));
      await post(app, GET_ACCOUNT, track(mimecastHeaders(c, GET_ACCOUNT, { date: 'yesterday' })));
      await post(app, '/api/account/no-such-thing', track(mimecastHeaders(c, '/api/account/no-such-thing')));
      await post(app, '/api/account/update-account', track(mimecastHeaders(c, '/api/account/update-account', { date: mimecastDate(t.clock.now()) })), `{"data":[${'['.repeat(500)}${']'.repeat(500)}]}`);

      // The log did capture these requests, so an empty grep below means something.
      assert.match(logged, /"url":"\/api\/account\/create-account"/);
      assert.match(logged, /"url":"\/api\/account\/get-account"/);
      const secrets: [string, string][] = [
        ['secret key', c.secretKey],
        ['application key', c.appKey],
        ['admin password', password],
        ...signatures.map((s, i): [string, string] => [`signature ${i}`, s]),
      ];
      for (const [what, value] of secrets) assert.ok(!logged.includes(value), `the log holds the ${what}`);
      // Secret keys are base64: a JSON-escaped form (\/ for /) must not be there either.
      assert.ok(!logged.includes(c.secretKey.replace(/\//g, '\\/')));
    });
  });
}

