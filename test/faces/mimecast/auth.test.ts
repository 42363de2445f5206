import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { mimecastDate, mimecastHeaders, type MimecastCredentials } from '../../../src/client/mimecast.js';
import { issueCredential, revokeCredential } from '../../../src/domain/credential.js';
import { systemActor } from '../../../src/domain/principal.js';
import { findAccount } from '../../../src/domain/account.js';
import { buildApp, REDACT_PATHS } from '../../../src/app.js';
import { clientFor } from './helpers.js';

const GET_ACCOUNT = '/api/account/get-account';

async function post(app: FastifyInstance, path: string, headers: Record<string, string>, payload = '{"data":[]}') {
  const res = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', ...headers }, payload });
  return { status: res.statusCode, body: res.body, json: res.json(), headers: res.headers };
}

/** A date header in a given zone label and offset, for the clock's current time. */
function zoned(at: Date, label: string, offsetMinutes: number): string {
  const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
  return shifted.toUTCString().replace(/GMT$/, label);
}

function signed(creds: MimecastCredentials, path: string, date: string, requestId: string = randomUUID()): Record<string, string> {
  return mimecastHeaders(creds, path, { date, requestId });
}

const body401 = '{"meta":{"status":401},"data":[],"fail":[{"errors":[{"code":"err_xdk_invalid_signature","message":"0004 Invalid Signature","retryable":false}]}]}';
const body400 = '{"meta":{"status":400},"data":[],"fail":[{"errors":[{"code":"err_xdk_missing_credentials","message":"0001 Credentials are missing from the request","retryable":false}]}]}';
const body418 = '{"meta":{"status":418},"data":[],"fail":[{"errors":[{"code":"err_xdk_binding_expired","message":"Binding Expired","retryable":false}]}]}';

for (const kind of STORE_KINDS) {
  describe(`mimecast authentication on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { mimecastDateWindowMs: 5 * 60_000 });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());
    const now = () => t.clock.now();
    const creds = () => fx.reader.mimecast;

    it('accepts a request signed by the client and sends the rate headers', async () => {
      const res = await clientFor(t.app, t.clock, creds()).getAccount();
      assert.equal(res.status, 200);
      assert.equal(res.body!.data[0].accountCode, fx.partner.accountCode);
      assert.equal(res.headers['x-ratelimit-limit'], String(t.config.mimecastRateLimit));
      assert.match(res.headers['x-ratelimit-remaining'], /^\d+$/);
      assert.match(res.headers['x-ratelimit-reset'], /^\d+$/);
    });

    it('answers 400 "Credentials are missing" when any of the four headers is absent or empty', async () => {
      for (const drop of ['Authorization', 'x-mc-date', 'x-mc-req-id', 'x-mc-app-id']) {
        const headers = signed(creds(), GET_ACCOUNT, mimecastDate(now()));
        delete headers[drop];
        const res = await post(t.app, GET_ACCOUNT, headers);
        assert.equal(res.status, 400, drop);
        assert.equal(res.body, body400, drop);
        const empty = await post(t.app, GET_ACCOUNT, { ...signed(creds(), GET_ACCOUNT, mimecastDate(now())), [drop]: '' });
        assert.equal(empty.body, body400, `${drop} empty`);
      }
    });

    it('answers 401 "Invalid Signature" for an unknown key, a wrong secret, another path or a malformed header', async () => {
      const unknown = { ...creds(), accessKey: 'no-such-key' };
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, signed(unknown, GET_ACCOUNT, mimecastDate(now())))), [401, body401]);
      const wrongSecret = { ...creds(), secretKey: Buffer.from('not the secret').toString('base64') };
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, signed(wrongSecret, GET_ACCOUNT, mimecastDate(now())))), [401, body401]);
      const wrongAppKey = { ...creds(), appKey: randomUUID() };
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, signed(wrongAppKey, GET_ACCOUNT, mimecastDate(now())))), [401, body401]);
      const forOtherPath = signed(creds(), '/api/account/get-support-info', mimecastDate(now()));
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, forOtherPath)), [401, body401]);
      const malformed = { ...signed(creds(), GET_ACCOUNT, mimecastDate(now())), Authorization: 'Basic Zm9vOmJhcg==' };
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, malformed)), [401, body401]);
      // The signature covers the raw date header: re-spelling the same instant breaks it.
      const headers = signed(creds(), GET_ACCOUNT, mimecastDate(now()));
      headers['x-mc-date'] = mimecastDate(now(), 'GMT');
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, headers)), [401, body401]);
    });

    it('answers 200 err_developer_key for an application id nobody registered', async () => {
      const appId = randomUUID();
      const res = await post(t.app, GET_ACCOUNT, signed({ ...creds(), appId }, GET_ACCOUNT, mimecastDate(now())));
      assert.equal(res.status, 200);
      assert.equal(res.body, `{"meta":{"status":200},"data":[],"fail":[{"errors":[{"code":"err_developer_key","message":"App ID is invalid: ${appId}","retryable":false}]}]}`);
    });

    it("refuses another application's id with this key as an invalid signature", async () => {
      const mixed = { ...creds(), appId: fx.provisioning.mimecast.appId };
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, signed(mixed, GET_ACCOUNT, mimecastDate(now())))), [401, body401]);
    });

    it('answers 418 Binding Expired for revoked and expired keys, but only with a valid signature', async () => {
      const system = systemActor('test');
      const revoked = await issueCredential(t.ctx, system, fx.reader.principal.guid, 'mimecast');
      const revokedCreds = revoked.secrets as MimecastCredentials;
      await revokeCredential(t.ctx, system, revoked.guid);
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, signed(revokedCreds, GET_ACCOUNT, mimecastDate(now())))), [418, body418]);
      const forged = { ...revokedCreds, secretKey: Buffer.from('guess').toString('base64') };
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, signed(forged, GET_ACCOUNT, mimecastDate(now())))), [401, body401]);

      const expiring = await issueCredential(t.ctx, system, fx.reader.principal.guid, 'mimecast', {
        expiresAt: new Date(now().getTime() + 60_000).toISOString(),
      });
      const expCreds = expiring.secrets as MimecastCredentials;
      assert.equal((await post(t.app, GET_ACCOUNT, signed(expCreds, GET_ACCOUNT, mimecastDate(now())))).status, 200);
      t.clock.advance(61_000);
      assert.deepEqual(pick(await post(t.app, GET_ACCOUNT, signed(expCreds, GET_ACCOUNT, mimecastDate(now())))), [418, body418]);
    });

    it('accepts x-mc-date in UTC, GMT, EDT, numeric offsets and Java day form', async () => {
      const at = now();
      const forms = [
        mimecastDate(at, 'UTC'),
        mimecastDate(at, 'GMT'),
        zoned(at, 'EDT', -240),
        zoned(at, 'PST', -480),
        zoned(at, '+0000', 0),
        zoned(at, '-0500', -300),
        zoned(at, 'UTC', 0).replace(/, 0(\d) /, ', $1 '),
      ];
      for (const date of forms) {
        const res = await post(t.app, GET_ACCOUNT, signed(creds(), GET_ACCOUNT, date));
        assert.equal(res.status, 200, `${date}: ${res.body}`);
      }
    });

    it('refuses dates outside the configured window and dates it cannot read', async () => {
      const window = t.config.mimecastDateWindowMs;
      const old = new Date(now().getTime() - window - 1000);
      const ahead = new Date(now().getTime() + window + 1000);
      const edge = new Date(now().getTime() - window + 1000);
      for (const d of [old, ahead]) {
        const res = await post(t.app, GET_ACCOUNT, signed(creds(), GET_ACCOUNT, mimecastDate(d)));
        assert.equal(res.status, 401);
        assert.equal(res.json.fail[0].errors[0].code, 'err_xdk_request_date_out_of_range');
      }
      assert.equal((await post(t.app, GET_ACCOUNT, signed(creds(), GET_ACCOUNT, mimecastDate(edge)))).status, 200);
      // An EDT time read as if it were UTC would be four hours off: the zone must be honoured.
      const wrongZone = zoned(now(), 'UTC', -240);
      assert.equal((await post(t.app, GET_ACCOUNT, signed(creds(), GET_ACCOUNT, wrongZone))).json.fail[0].errors[0].code, 'err_xdk_request_date_out_of_range');
      const unreadable = await post(t.app, GET_ACCOUNT, signed(creds(), GET_ACCOUNT, 'last Tuesday'));
      assert.equal(unreadable.status, 401);
      assert.equal(unreadable.json.fail[0].errors[0].code, 'err_xdk_invalid_request_date');
    });

    it('rejects a request id seen before as a replay, in any letter case, and from another process', async () => {
      const id = randomUUID().toUpperCase();
      const headers = signed(creds(), GET_ACCOUNT, mimecastDate(now()), id);
      assert.equal((await post(t.app, GET_ACCOUNT, headers)).status, 200);
      const again = await post(t.app, GET_ACCOUNT, headers);
      assert.equal(again.status, 401);
      assert.equal(
        again.body,
        '{"meta":{"status":401},"data":[],"fail":[{"errors":[{"code":"err_xdk_request_replayed","message":"This x-mc-req-id was already used; send every request with a new request id","retryable":false}]}]}',
      );
      const lower = signed(creds(), GET_ACCOUNT, mimecastDate(now()), id.toLowerCase());
      assert.equal((await post(t.app, GET_ACCOUNT, lower)).json.fail[0].errors[0].code, 'err_xdk_request_replayed');
      // A second server process over the same store knows the id too.
      const second = await buildApp(t.config, { store: t.ts.store, clock: t.clock, secrets: t.secrets }, { logger: false });
      try {
        const fresh = randomUUID();
        assert.equal((await post(second, GET_ACCOUNT, signed(creds(), GET_ACCOUNT, mimecastDate(now()), fresh))).status, 200);
        assert.equal((await post(t.app, GET_ACCOUNT, signed(creds(), GET_ACCOUNT, mimecastDate(now()), fresh))).json.fail[0].errors[0].code, 'err_xdk_request_replayed');
      } finally {
        await second.close();
      }
      // Ids are remembered for twice the date window; after that a reused id with a fresh date passes.
      t.clock.advance(2 * t.config.mimecastDateWindowMs + 1000);
      assert.equal((await post(t.app, GET_ACCOUNT, signed(creds(), GET_ACCOUNT, mimecastDate(now()), id))).status, 200);
    });

    it('does not let an unauthenticated request burn a request id', async () => {
      const id = randomUUID();
      const bad = signed({ ...creds(), secretKey: Buffer.from('x').toString('base64') }, GET_ACCOUNT, mimecastDate(now()), id);
      assert.equal((await post(t.app, GET_ACCOUNT, bad)).status, 401);
      assert.equal((await post(t.app, GET_ACCOUNT, signed(creds(), GET_ACCOUNT, mimecastDate(now()), id))).status, 200);
    });
  });

  describe(`mimecast rate limits on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { mimecastRateLimit: 3, mimecastRateWindowMs: 60_000 });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('counts per user across all keys, answers 429 without running the function, and frees slots as the window slides', async () => {
      const system = systemActor('test');
      const second = (await issueCredential(t.ctx, system, fx.provisioning.principal.guid, 'mimecast')).secrets as MimecastCredentials;
      const first = clientFor(t.app, t.clock, fx.provisioning.mimecast);
      const other = clientFor(t.app, t.clock, second);
      const r1 = await first.getAccount();
      assert.deepEqual([r1.status, r1.headers['x-ratelimit-limit'], r1.headers['x-ratelimit-remaining'], r1.headers['x-ratelimit-reset']], [200, '3', '2', '60000']);
      t.clock.advance(10_000);
      const r2 = await other.getAccount();
      assert.deepEqual([r2.status, r2.headers['x-ratelimit-remaining'], r2.headers['x-ratelimit-reset']], [200, '1', '50000']);
      const r3 = await first.getSupportInfo();
      assert.deepEqual([r3.status, r3.headers['x-ratelimit-remaining']], [200, '0']);

      const usersBefore = (await findAccount(t.ctx, system, { guid: fx.a2.guid })).userCount;
      const refused = await other.updateAccount([{ accountCode: fx.a2.accountCode, numberOfUsers: 7 }]);
      assert.equal(refused.status, 429);
      assert.deepEqual([refused.headers['x-ratelimit-remaining'], refused.headers['x-ratelimit-reset']], ['0', '50000']);
      assert.deepEqual(refused.body, {
        meta: { status: 429 },
        data: [],
        fail: [{ errors: [{ code: 'err_xdk_rate_limit_exceeded', message: 'Rate limit exceeded; a request is allowed again in 50000 ms', retryable: true }] }],
      });
      assert.equal((await findAccount(t.ctx, system, { guid: fx.a2.guid })).userCount, usersBefore, 'the refused update did not run');

      // Another user has a budget of its own.
      assert.equal((await clientFor(t.app, t.clock, fx.reader.mimecast).getAccount()).status, 200);

      // The first request leaves the window after 60 s: one slot frees up.
      t.clock.advance(50_001);
      const again = await other.updateAccount([{ accountCode: fx.a2.accountCode, numberOfUsers: 7 }]);
      assert.equal(again.status, 200);
      assert.equal(again.headers['x-ratelimit-remaining'], '0');
      assert.equal((await findAccount(t.ctx, system, { guid: fx.a2.guid })).userCount, usersBefore + 7);
    });
  });

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

function pick(res: { status: number; body: string }): [number, string] {
  return [res.status, res.body];
}
