import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestEnv, type TestApp, type TestEnv } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { signRackspaceRequest, callRackspace } from '../../../src/client/rackspace.js';
import { injectTransport } from './helpers.js';
import { rawCall } from './v2-helpers.js';

/** The most talkative logger, without redaction: nothing secret may reach it from any Rackspace route. */

/** The seed's contact body, with overrides. */
const seedBody = (over: Record<string, unknown> = {}) => ({
  Email: 'user@example.com',
  Name: 'Best Contact',
  Phone: '1235555555',
  ReceivesAlerts: false,
  ReceivesBilling: false,
  ReceivesUpdates: false,
  SecurityAnswer: 'A',
  SecurityQuestion: 'Q',
  ...over,
});

for (const kind of STORE_KINDS) {
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
      // Mailbox passwords: added (JSON and form), reset, and refused as too weak.
      const mailboxPassword = 'Lantern!Owl42x';
      const resetPassword = 'Harbour#Fig58q';
      const weakPassword = 'weakling';
      const boxes = `/v1/customers/${a1}/domains/logged.example/rs/mailboxes`;
      const mailboxCalls = [
        await send('POST', `/v1/customers/${a1}/domains/logged.example`, { serviceType: 'rsemail' }),
        await send('POST', `${boxes}/alex`, { password: mailboxPassword, displayName: 'Alex' }),
        await send('POST', `${boxes}/sam`, { password: mailboxPassword }, 'form'),
        await send('PUT', `${boxes}/alex`, { password: resetPassword }, 'form'),
        await send('POST', `${boxes}/weak`, { password: weakPassword }),
        await send('GET', `${boxes}/alex`),
      ];
      assert.deepEqual(mailboxCalls.map((r) => r.status), [200, 200, 200, 200, 400, 200]);
      for (const r of mailboxCalls) assert.ok(![mailboxPassword, resetPassword, weakPassword].some((p) => r.body.includes(p)), 'an answer carried a mailbox password');
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
        ['mailbox password', mailboxPassword],
        ['reset mailbox password', resetPassword],
        ['refused mailbox password', weakPassword],
      ];
      assert.ok(log.includes('/rs/mailboxes/alex'), 'the mailbox requests were logged');
      for (const [what, value] of secrets) assert.equal(log.includes(value), false, `the ${what} reached a log line`);
    });
  });

  describe(`Rackspace v2 contact bodies and the log on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const lines: string[] = [];
    before(async () => {
      const env = await makeTestEnv(kind);
      const config = { ...loadConfig({ database: env.ts.url, logLevel: 'trace' }, {}), rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 };
      // The most talkative logger, and no redaction: the bodies must not reach a log line at all.
      const app = await buildApp(config, { store: env.ts.store, clock: env.clock, secrets: env.secrets }, { logger: { level: 'trace', stream: { write: (s: string) => void lines.push(s) } } });
      await app.ready();
      t = { ...env, app, config, close: async () => (await app.close(), await env.close()) };
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('never writes a security answer (or any contact body) to the log', async () => {
      const ANSWER = 'zebra-7f3c-answer';
      const path = `/v2/customers/${fx.a1.accountNumber}/contacts`;
      const body = (over: Record<string, unknown> = {}) => JSON.stringify(seedBody({ SecurityAnswer: ANSWER, ReceivesAlerts: true, ReceivesBilling: true, ...over }));
      const added = await rawCall(t, fx.resellerAdminA, { method: 'POST', path, body: body(), contentType: 'application/json' });
      assert.equal(added.status, 200);
      const id = (added.json as { Id: string }).Id;
      const calls: Parameters<typeof rawCall>[2][] = [
        { method: 'PUT', path: `${path}/${id}`, body: body({ Name: 'Renamed' }), contentType: 'application/json' },
        { method: 'POST', path, body: body({ Email: 'broken' }), contentType: 'application/json' },
        { method: 'POST', path, body: `{"SecurityAnswer": "${ANSWER}", `, contentType: 'application/json' },
        { method: 'POST', path, body: `SecurityAnswer=${ANSWER}`, contentType: 'application/x-www-form-urlencoded' },
        { method: 'PUT', path: `${path}/999`, body: body(), contentType: 'application/json' },
        { method: 'POST', path: `${path}/${id}`, body: body(), contentType: 'application/json' },
        { method: 'GET', path: `${path}/${id}` },
      ];
      for (const c of calls) await rawCall(t, fx.resellerAdminA, c);
      assert.ok(lines.length > calls.length, 'the logger did write the requests');
      assert.ok(lines.some((l) => l.includes(`${path}/${id}`)), 'request lines are there');
      const leaks = lines.filter((l) => l.includes(ANSWER) || l.includes('zebra'));
      assert.deepEqual(leaks, []);
    });
  });
}
