import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, makeTestEnv, type TestApp, type TestEnv } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createAccount, findAccountUnscoped, type Account } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { changeStatus } from '../../../src/domain/status.js';
import { signRackspaceRequest } from '../../../src/client/rackspace.js';
import { call, injectTransport } from './helpers.js';
import { callRackspace } from '../../../src/client/rackspace.js';

for (const kind of STORE_KINDS) {
  describe(`Rackspace audit fixes on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    const fresh = async (name: string): Promise<Account> => createAccount(t.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name });
    const stored = async (a: Account) => (await findAccountUnscoped(t.ctx, { guid: a.guid }))!;

    it('v0 words the whitespace rule as its page does, "Improper Customer Name"; v1 keeps its longer text', async () => {
      const target = await fresh('Spacing Co');
      for (const [path, method] of [
        ['/v0/customers', 'POST'],
        ['/customers', 'POST'],
        [`/v0/customers/${target.accountNumber}`, 'PUT'],
        [`/customers/${target.accountNumber}`, 'PUT'],
      ] as const) {
        for (const format of ['json', 'xml'] as const) {
          const res = await call(t, fx.resellerAdminA, { method, path, fields: { name: ' Leading' }, format });
          assert.equal(res.status, 400, path);
          assert.equal(res.errorMessage, 'Improper Customer Name', `${method} ${path}`);
          if (format === 'json') assert.equal((res.json as any).validationFault.message, 'Improper Customer Name');
          else assert.match(res.body, /<message>Improper Customer Name<\/message>/);
        }
      }
      const v1 = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields: { name: 'Trailing ' }, format: 'json' });
      assert.equal(v1.errorMessage, 'Improper Customer Name: cannot begin or end with a space');
      // Other v0 validation messages are the domain's, as in v1.
      const empty = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v0/customers', fields: { name: '' }, format: 'json' });
      assert.equal(empty.errorMessage, 'Required field name cannot be empty');
      assert.equal((await stored(target)).name, 'Spacing Co');
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

    it('concurrent edits of different fields of one customer keep both', async () => {
      const c = await fresh('Edited Twice');
      for (let round = 0; round < 8; round++) {
        const [city, phone] = await Promise.all([
          call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${c.accountNumber}`, fields: { city: `City ${round}` } }),
          call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${c.accountNumber}`, fields: { phone: `555-010${round}` } }),
        ]);
        assert.equal(city.status, 200, city.body);
        assert.equal(phone.status, 200, phone.body);
        const now = await stored(c);
        assert.deepEqual([now.city, now.phone], [`City ${round}`, `555-010${round}`], `round ${round}`);
      }
    });
  });

  describe(`Rackspace log lines at trace level on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    const lines: string[] = [];
    let app: Awaited<ReturnType<typeof buildApp>>;
    before(async () => {
      env = await makeTestEnv(kind);
      fx = await buildFixture(env.ctx);
      const config = { ...loadConfig({ database: env.ts.url, logLevel: 'trace' }, {}), rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 };
      const stream = new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });
      // No redaction: nothing secret may reach the logger in the first place.
      app = await buildApp(config, { store: env.ts.store, clock: env.clock, secrets: env.secrets }, { logger: { level: 'trace', stream } });
      await app.ready();
    });
    after(async () => {
      await app?.close();
      await env?.close();
    });

    it('no secret key, signature, login token or security answer reaches any log line', async () => {
      const who = fx.resellerAdminA;
      const ua = 'log-test';
      const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, fields?: Record<string, string | boolean>, bodyType: 'form' | 'json' = 'json') =>
        callRackspace(injectTransport(app), { ...who.rackspace, userAgent: ua, at: env.clock.now() }, { method, path, fields, bodyType, format: 'json' });
      const a1 = fx.a1.accountNumber;
      const answer = 'Velvet-Answer-7731';
      const secondAnswer = 'Quartz-Answer-0442';
      const responses = [
        await send('GET', '/v1/customers'),
        await send('POST', '/v1/customers', { name: 'Logged Co' }),
        await send('PUT', `/v1/customers/${a1}`, { city: 'Logville' }, 'form'),
        await send('POST', `/v1/customers/${a1}/loginToken`, { userName: 'helpdesk', virtualUser: 'true' }),
        await send('POST', `/v2/customers/${a1}/contacts`, {
          Name: 'Log Desk',
          Email: 'log@a1.example',
          Phone: '5550199',
          ReceivesAlerts: true,
          ReceivesBilling: true,
          ReceivesUpdates: true,
          SecurityQuestion: 'Colour?',
          SecurityAnswer: answer,
        }),
        await send('GET', `/v2/customers/${a1}/contacts`),
        // Refused bodies that carry an answer: the faults must not echo it either.
        await send('POST', `/v2/customers/${a1}/contacts`, { Name: '', SecurityAnswer: secondAnswer }),
        await send('POST', `/v2/customers/${a1}/contacts`, { Name: 'X', SecurityAnswer: `${secondAnswer}\u0000` }),
      ];
      const token = (responses[3].json as { token: string }).token;
      assert.match(token, /^[0-9A-F]{40}$/);
      assert.equal((responses[4].json as { SecurityAnswer: string }).SecurityAnswer, answer);
      assert.equal(responses[6].status, 400);
      assert.equal(responses[7].status, 400);
      for (const r of responses.slice(6)) assert.equal(r.body.includes(secondAnswer), false, 'a fault echoed the security answer');
      const signature = signRackspaceRequest({ ...who.rackspace, userAgent: ua, at: env.clock.now() });
      // A wrong hash with the right key, and an unsigned call: logged as failures, nothing secret with them.
      await app.inject({ method: 'GET', url: '/v1/customers', headers: { 'user-agent': ua, 'x-api-signature': `${who.rackspace.userKey}:${signature.split(':')[1]}:${'A'.repeat(27)}=` } });

      const log = lines.join('');
      assert.ok(lines.some((l) => l.includes('"level":10') || l.includes('"level":20') || l.includes('incoming request')), 'the capture saw the request log');
      assert.ok(log.includes('/v1/customers'), 'request URLs are logged, so the capture works');
      const secrets: [string, string][] = [
        ['secret key', who.rackspace.secretKey],
        ['signature hash', signature.split(':')[2]],
        ['login token', token],
        ['login token (lower case)', token.toLowerCase()],
        ['security answer', answer],
        ['refused security answer', secondAnswer],
      ];
      for (const [what, value] of secrets) assert.equal(log.includes(value), false, `the ${what} reached a log line`);
    });
  });
}
