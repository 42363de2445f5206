import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { MINUTE, HOUR } from '../../../src/domain/clock.js';
import { LOGIN_TOKEN_TTL_MS } from '../../../src/domain/login-token.js';
import { statusHistory } from '../../../src/domain/status.js';
import { SESSION_COOKIE } from '../../../src/faces/panel/session.js';
import { get, loginToken, post, redeem, sessionIdFrom, signIn, type PanelSessionHandle } from './helpers.js';

/** Sign-in by login token, the session cookie, idle and absolute expiry, sign-out and CSRF refusal. */

const IDLE_MINUTES = 30;
const LIFETIME_HOURS = 12;

function assertPage(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, heading: RegExp) {
  assert.equal(res.statusCode, status, res.body.slice(0, 500));
  assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
  assert.match(res.body, heading);
  assert.doesNotMatch(res.body, /at .*\.(ts|js):\d+|Error:|stack/i, 'no stack trace or internals on a page');
}

for (const kind of STORE_KINDS) {
  describe(`panel sign-in on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { panelSessionIdleMinutes: IDLE_MINUTES, panelSessionLifetimeHours: LIFETIME_HOURS });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('redeems a fresh token into a session and lands on the account page', async () => {
      const res = await redeem(t, await loginToken(t, fx.a1.guid, 'admin@a1.example', false));
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/panel/');
      const sessionId = sessionIdFrom(res.headers['set-cookie']);
      assert.ok(sessionId);
      const home = await get(t, { cookie: `${SESSION_COOKIE}=${sessionId}`, sessionId, csrf: '' }, '/panel/');
      assert.deepEqual([home.statusCode, home.headers.location], [303, `/panel/accounts/${fx.a1.accountNumber}`]);
      const page = await get(t, { cookie: `${SESSION_COOKIE}=${sessionId}`, sessionId, csrf: '' }, `/panel/accounts/${fx.a1.accountNumber}`);
      assertPage(page, 200, /<h1>API Customer 17<\/h1>/);
      assert.match(page.body, /Signed in as <strong>admin@a1\.example<\/strong>/);
    });

    it('serves the private-label page too, and takes the URL, the parameter name and the token in any case', async () => {
      for (const [path, param, transform] of [
        ['/logintokens.aspx', 'loginToken', (s: string) => s],
        ['/TOKENLOGIN.ASPX', 'LoginToken', (s: string) => s.toLowerCase()],
        ['/tokenlogin.aspx', 'logintoken', (s: string) => ` ${s.toLowerCase()} `],
      ] as const) {
        const token = await loginToken(t, fx.a1.guid, 'x', true);
        const res = await t.app.inject({ method: 'GET', url: `${path}?${param}=${encodeURIComponent(transform(token))}` });
        assert.equal(res.statusCode, 303, `${path} ${param}: ${res.body.slice(0, 200)}`);
        assert.ok(sessionIdFrom(res.headers['set-cookie']));
      }
    });

    it('refuses a reused token with a 401 page', async () => {
      const token = await loginToken(t, fx.a1.guid, 'twice', true);
      assert.equal((await redeem(t, token)).statusCode, 303);
      const again = await redeem(t, token);
      assertPage(again, 401, /already been used/);
      assert.equal(again.headers['set-cookie'], undefined);
    });

    it('refuses an expired token (the clock moved past ten minutes) with a 401 page', async () => {
      const token = await loginToken(t, fx.a1.guid, 'late', true);
      const start = t.clock.now();
      t.clock.advance(LOGIN_TOKEN_TTL_MS);
      try {
        assertPage(await redeem(t, token), 401, /has expired/);
      } finally {
        t.clock.set(start);
      }
      // One second short of ten minutes is still in time.
      const fresh = await loginToken(t, fx.a1.guid, 'early', true);
      t.clock.advance(LOGIN_TOKEN_TTL_MS - 1000);
      try {
        assert.equal((await redeem(t, fresh)).statusCode, 303);
      } finally {
        t.clock.set(start);
      }
    });

    it('refuses unknown, empty and malformed tokens with a 401 page, never a stack trace', async () => {
      assertPage(await redeem(t, 'F'.repeat(40)), 401, /not valid/);
      assertPage(await t.app.inject({ method: 'GET', url: '/TokenLogin.aspx' }), 401, /not valid/);
      assertPage(await redeem(t, '<script>alert(1)</script>'), 401, /not valid/);
      assertPage(await t.app.inject({ method: 'GET', url: '/TokenLogin.aspx?loginToken=a&loginToken=b' }), 400, /did not work/);
    });

    it('sets an HttpOnly, SameSite=Lax session cookie for the whole site, Secure only over TLS', async () => {
      const res = await redeem(t, await loginToken(t, fx.a1.guid, 'cookie', true));
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; `));
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Lax/);
      assert.match(cookie, /; Path=\//);
      assert.doesNotMatch(cookie, /Secure/, 'plain http: a Secure cookie would never come back');
      assert.doesNotMatch(cookie, /Max-Age|Expires/, 'a browser-session cookie; the server decides when the session ends');
      const tls = await makeTestApp(kind, { publicUrl: 'https://panel.example' });
      try {
        const f = await buildFixture(tls.ctx);
        const secure = await redeem(tls, await loginToken(tls, f.a1.guid, 'tls', true));
        assert.match(String(secure.headers['set-cookie']), /; Secure/);
      } finally {
        await tls.close();
      }
    });

    it('ends a session left idle for the idle timeout, and keeps one in use', async () => {
      const s = await signIn(t, fx.a1.guid, 'idle', true);
      const page = `/panel/accounts/${fx.a1.accountNumber}`;
      const start = t.clock.now();
      try {
        t.clock.advance(IDLE_MINUTES * MINUTE - 1000);
        assert.equal((await get(t, s, page)).statusCode, 200, 'just within the idle time');
        t.clock.advance(IDLE_MINUTES * MINUTE - 1000);
        assert.equal((await get(t, s, page)).statusCode, 200, 'each use starts the idle time again');
        t.clock.advance(IDLE_MINUTES * MINUTE);
        assertPage(await get(t, s, page), 401, /Please sign in/);
        t.clock.set(start);
        assertPage(await get(t, s, page), 401, /Please sign in/);
      } finally {
        t.clock.set(start);
      }
    });

    it('ends a session at its absolute lifetime however busy it is', async () => {
      const s = await signIn(t, fx.a1.guid, 'busy', true);
      const page = `/panel/accounts/${fx.a1.accountNumber}`;
      const start = t.clock.now();
      try {
        for (let at = 0; at < LIFETIME_HOURS * HOUR - 20 * MINUTE; at += 20 * MINUTE) {
          t.clock.advance(20 * MINUTE);
          assert.equal((await get(t, s, page)).statusCode, 200);
        }
        t.clock.set(new Date(start.getTime() + LIFETIME_HOURS * HOUR));
        assertPage(await get(t, s, page), 401, /Please sign in/);
      } finally {
        t.clock.set(start);
      }
    });

    it('signs out: the cookie is cleared and the session is over for anyone holding it', async () => {
      const s = await signIn(t, fx.a1.guid, 'leaving', true);
      const out = await post(t, s, '/panel/sign-out');
      assertPage(out, 200, /Signed out/);
      assert.match(String(out.headers['set-cookie']), new RegExp(`^${SESSION_COOKIE}=; Max-Age=0; `));
      assertPage(await get(t, s, `/panel/accounts/${fx.a1.accountNumber}`), 401, /Please sign in/);
    });

    it('a new sign-in in the same browser ends the session it had', async () => {
      const first = await signIn(t, fx.a1.guid, 'first', true);
      const res = await t.app.inject({ method: 'GET', url: `/TokenLogin.aspx?loginToken=${await loginToken(t, fx.a1.guid, 'second', true)}`, headers: { cookie: first.cookie } });
      assert.equal(res.statusCode, 303);
      assertPage(await get(t, first, `/panel/accounts/${fx.a1.accountNumber}`), 401, /Please sign in/);
    });

    it('refuses a form post without this session’s CSRF token with a 403 page and changes nothing', async () => {
      const s = await signIn(t, fx.resellerA.guid, 'admin@reseller-a.example');
      const other = await signIn(t, fx.resellerA.guid, 'admin@reseller-a.example');
      const url = `/panel/accounts/${fx.a2.accountNumber}/disable`;
      for (const forged of [{ _csrf: null }, { _csrf: '' }, { _csrf: 'forged' }, { _csrf: other.csrf }]) {
        assertPage(await post(t, s, url, forged), 403, /This form was refused/);
      }
      assertPage(await post(t, null, url, { _csrf: s.csrf }), 401, /Please sign in/);
      const history = await statusHistory(t.ctx, fx.a2.guid);
      assert.ok(history.every((h) => h.newStatus !== 'AccountSuspended'), 'no forged post changed the account');
      assert.equal((await post(t, s, url)).statusCode, 303, 'the genuine form works');
    });

    it('refuses every page without a session with a 401 page, and unknown panel URLs with a 404 page', async () => {
      assertPage(await get(t, null, '/panel/'), 401, /Please sign in/);
      assertPage(await get(t, null, `/panel/accounts/${fx.a1.accountNumber}/contacts`), 401, /Please sign in/);
      assertPage(await get(t, { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}`, sessionId: 'A'.repeat(43), csrf: '' }, '/panel/'), 401, /Please sign in/);
      assertPage(await get(t, null, '/panel/no/such/page'), 404, /Not found/);
      // The site root is the app's landing page, which links to the panel.
      const root = await get(t, null, '/');
      assert.equal(root.statusCode, 200);
      assert.match(root.body, /href="\/panel\/"/);
    });

    it('answers forms only: another body type is a 415 page', async () => {
      const s: PanelSessionHandle = await signIn(t, fx.a1.guid, 'json', true);
      const res = await t.app.inject({ method: 'POST', url: '/panel/sign-out', headers: { cookie: s.cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ _csrf: s.csrf }) });
      assertPage(res, 415, /Forms only/);
    });
  });
}
