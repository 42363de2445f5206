import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeServedTestApp } from '../../helpers/context.js';
import { buildFixture } from '../../helpers/fixture.js';
import { tallyStatements } from '../../../src/store/tally.js';
import { MINUTE } from '../../../src/domain/clock.js';
import { issueCredential, revokeCredential } from '../../../src/domain/credential.js';
import { forgetExpiredAccessTokens } from '../../../src/domain/access-token.js';
import { system, withMimecastApp, type MimecastApp } from './helpers.js';
import { bearerCall, postToken, requestToken, tokenFor, type ClientKeys } from './oauth-helpers.js';

/** Mimecast API 2.0: OAuth 2.0 client credentials at /oauth/token, and the bearer token on the API 1.0 routes. */

const oauthError = (res: { status: number; body: string }) => JSON.parse(res.body) as { error: string; error_description: string };
const envelopeCodes = (res: { body: string }) => (JSON.parse(res.body).fail as any[]).flatMap((f) => f.errors.map((e: any) => e.code));

async function credentialGuid(m: MimecastApp, accessKey: string): Promise<string> {
  return (await m.t.ctx.db.selectFrom('credentials').select('guid').where('public_id', '=', accessKey).executeTakeFirstOrThrow()).guid;
}

for (const kind of STORE_KINDS) {
  describe(`mimecast oauth tokens on ${kind}`, storeSuiteOptions(kind), () => {
    let m: MimecastApp;
    withMimecastApp(kind, {}, (app) => (m = app));
    const keys = (): ClientKeys => m.fx.reader.mimecast;

    it('issues a bearer token for the access key and secret key, form-encoded or as HTTP Basic', async () => {
      for (const how of ['form', 'basic'] as const) {
        const res = await requestToken(m.t.app, keys(), how);
        assert.equal(res.status, 200, `${how}: ${res.body}`);
        const body = JSON.parse(res.body);
        assert.deepEqual(Object.keys(body), ['access_token', 'token_type', 'expires_in']);
        assert.equal(body.token_type, 'Bearer');
        assert.equal(body.expires_in, 30 * 60, 'the default lifetime is 30 minutes');
        assert.match(body.access_token, /^[A-Za-z0-9_-]{40,}$/);
        assert.equal(res.headers['cache-control'], 'no-store');
        const me = await bearerCall(m.t.app, body.access_token, '/api/account/get-account');
        assert.equal(me.status, 200, me.body);
        assert.equal(JSON.parse(me.body).data[0].accountCode, m.fx.partner.accountCode);
      }
    });

    it('reads a secret sent unencoded in the form body, as scripts that build the body by hand do', async () => {
      // A secret key with a '+', which an unencoded form body turns into a space.
      let issued;
      do issued = (await issueCredential(m.t.ctx, system, m.fx.reader.principal.guid, 'mimecast')).secrets as ClientKeys;
      while (!issued.secretKey.includes('+'));
      const raw = `client_id=${issued.accessKey}&client_secret=${issued.secretKey}&grant_type=client_credentials`;
      const res = await postToken(m.t.app, raw);
      assert.equal(res.status, 200, res.body);
    });

    it('stores only the SHA-256 of a token', async () => {
      const token = await tokenFor(m.t.app, keys());
      const rows = await m.t.ctx.db.selectFrom('access_tokens').selectAll().execute();
      assert.ok(rows.some((r) => r.token_hash === createHash('sha256').update(token).digest('hex')));
      assert.ok(!JSON.stringify(rows).includes(token));
    });

    it('serves get-support-info, get-account and update-account with a bearer token, in the same envelope', async () => {
      const token = await tokenFor(m.t.app, m.fx.provisioning.mimecast);
      const support = await bearerCall(m.t.app, token, '/api/account/get-support-info');
      assert.equal(support.status, 200);
      assert.deepEqual(Object.keys(JSON.parse(support.body)), ['meta', 'data', 'fail']);
      assert.equal(JSON.parse(support.body).data[0].partnerName, m.fx.partner.name);
      const before = (await m.account(m.fx.a2.guid)).userCount;
      const update = await bearerCall(m.t.app, token, '/api/account/update-account', { data: [{ accountCode: m.fx.a2.accountCode, numberOfUsers: 2 }] });
      assert.equal(update.status, 200, update.body);
      assert.equal(JSON.parse(update.body).data[0].userCount, before + 2);
      assert.equal((await m.account(m.fx.a2.guid)).userCount, before + 2);
      // The role rules are the credential's: the reader may not update.
      const reader = await tokenFor(m.t.app, keys());
      const refused = await bearerCall(m.t.app, reader, '/api/account/update-account', { data: [{ accountCode: m.fx.a2.accountCode, numberOfUsers: 2 }] });
      assert.equal(refused.status, 403);
      assert.deepEqual(envelopeCodes(refused), ['err_xdk_operation_forbidden']);
    });

    it('expires a token when the business clock passes its lifetime', async () => {
      const token = await tokenFor(m.t.app, keys());
      m.t.clock.advance(30 * MINUTE - 1000);
      assert.equal((await bearerCall(m.t.app, token, '/api/account/get-account')).status, 200);
      m.t.clock.advance(1000);
      const late = await bearerCall(m.t.app, token, '/api/account/get-account');
      assert.equal(late.status, 401);
      assert.deepEqual(JSON.parse(late.body), {
        meta: { status: 401 },
        data: [],
        fail: [{ errors: [{ code: 'err_xdk_access_token_expired', message: 'The access token has expired; request a new one from /oauth/token', retryable: false }] }],
      });
      assert.match(late.headers['www-authenticate'], /^Bearer .*error="invalid_token"/);
      assert.equal(late.headers['x-ratelimit-limit'], undefined, 'no budget shown to an expired token');
      // The scheduled clean-up deletes it.
      assert.ok((await forgetExpiredAccessTokens(m.t.ctx)) >= 1);
      assert.deepEqual(envelopeCodes(await bearerCall(m.t.app, token, '/api/account/get-account')), ['err_xdk_invalid_access_token']);
    });

    it('refuses unknown, malformed and empty tokens with 401 and the invalid-token error', async () => {
      for (const authorization of ['Bearer not-a-token', 'Bearer', 'bearer    ']) {
        const res = await m.t.app.inject({ method: 'POST', url: '/api/account/get-account', headers: { authorization, 'content-type': 'application/json' }, payload: '{"data":[]}' });
        assert.equal(res.statusCode, 401, authorization);
        assert.deepEqual(envelopeCodes({ body: res.body }), ['err_xdk_invalid_access_token'], authorization);
      }
    });

    it('revokes the tokens with their credential', async () => {
      const keysB = m.fx.resellerAdminB.mimecast;
      const token = await tokenFor(m.t.app, keysB);
      assert.equal((await bearerCall(m.t.app, token, '/api/account/get-account')).status, 200);
      await revokeCredential(m.t.ctx, system, await credentialGuid(m, keysB.accessKey));
      const res = await bearerCall(m.t.app, token, '/api/account/get-account');
      assert.equal(res.status, 401);
      assert.deepEqual(envelopeCodes(res), ['err_xdk_invalid_access_token']);
      const again = await requestToken(m.t.app, keysB);
      assert.equal(again.status, 401, 'a revoked credential gets no new token');
      assert.equal(oauthError(again).error, 'invalid_client');
    });

    it('refuses a wrong secret or an unknown client id with invalid_client (401, naming Basic)', async () => {
      for (const bad of [{ ...keys(), secretKey: Buffer.from('wrong').toString('base64') }, { ...keys(), accessKey: 'no-such-key' }, { ...keys(), secretKey: m.fx.provisioning.mimecast.secretKey }]) {
        for (const how of ['form', 'basic'] as const) {
          const res = await requestToken(m.t.app, bad, how);
          assert.equal(res.status, 401, res.body);
          assert.deepEqual(oauthError(res), { error: 'invalid_client', error_description: 'Client authentication failed' });
          assert.equal(res.headers['www-authenticate'], 'Basic realm="partnerhub"');
          assert.equal(res.headers['cache-control'], 'no-store');
        }
      }
      // The application id and key are not the client's id and secret.
      const appKeys = await postToken(m.t.app, new URLSearchParams({ grant_type: 'client_credentials', client_id: m.fx.reader.mimecast.appId, client_secret: m.fx.reader.mimecast.appKey }).toString());
      assert.equal(oauthError(appKeys).error, 'invalid_client');
    });

    it('refuses other grants with unsupported_grant_type and a missing grant with invalid_request', async () => {
      for (const grant of ['password', 'authorization_code', 'refresh_token', 'CLIENT_CREDENTIALS']) {
        const res = await requestToken(m.t.app, keys(), 'form', { grant_type: grant });
        assert.equal(res.status, 400);
        assert.equal(oauthError(res).error, 'unsupported_grant_type', grant);
      }
      const none = await postToken(m.t.app, new URLSearchParams({ client_id: keys().accessKey, client_secret: keys().secretKey }).toString());
      assert.equal(none.status, 400);
      assert.deepEqual(oauthError(none), { error: 'invalid_request', error_description: 'grant_type is missing' });
    });

    it('refuses missing, repeated or doubly sent client credentials', async () => {
      const cases: [string, Record<string, string>, number, string][] = [
        ['grant_type=client_credentials', {}, 401, 'invalid_client'],
        [`grant_type=client_credentials&client_id=${keys().accessKey}`, {}, 400, 'invalid_request'],
        [`grant_type=client_credentials&client_secret=${encodeURIComponent(keys().secretKey)}`, {}, 400, 'invalid_request'],
        [`grant_type=client_credentials&grant_type=client_credentials&client_id=a&client_secret=b`, {}, 400, 'invalid_request'],
        [`grant_type=client_credentials&client_secret=${encodeURIComponent(keys().secretKey)}`, { authorization: `Basic ${Buffer.from(`${keys().accessKey}:${keys().secretKey}`).toString('base64')}` }, 400, 'invalid_request'],
        ['grant_type=client_credentials', { authorization: 'Basic bm9jb2xvbg==' }, 401, 'invalid_client'],
        ['grant_type=client_credentials', { authorization: 'Bearer abc' }, 401, 'invalid_client'],
        ['', {}, 400, 'invalid_request'],
      ];
      for (const [body, headers, status, error] of cases) {
        const res = await postToken(m.t.app, body, headers);
        assert.equal(res.status, status, `${body} ${JSON.stringify(headers)}: ${res.body}`);
        assert.equal(oauthError(res).error, error, body);
        assert.deepEqual(Object.keys(oauthError(res)), ['error', 'error_description']);
      }
    });

    it('takes a JSON body too, and answers unknown /oauth paths in OAuth shape', async () => {
      const json = await m.t.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ grant_type: 'client_credentials', client_id: keys().accessKey, client_secret: keys().secretKey }),
      });
      assert.equal(json.statusCode, 200, json.body);
      const unknown = await m.t.app.inject({ method: 'POST', url: '/oauth/authorize', payload: '' });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error, 'invalid_request');
    });
  });

  describe(`mimecast bearer rate limit on ${kind}`, storeSuiteOptions(kind), () => {
    let m: MimecastApp;
    withMimecastApp(kind, { mimecastRateLimit: 3 }, (app) => (m = app));

    it("spends the user's one budget whichever scheme is used", async () => {
      const token = await tokenFor(m.t.app, m.fx.reader.mimecast);
      assert.equal((await m.readerClient.getAccount()).status, 200);
      const second = await bearerCall(m.t.app, token, '/api/account/get-account');
      assert.equal(second.status, 200);
      assert.equal(second.headers['x-ratelimit-limit'], '3');
      assert.equal(second.headers['x-ratelimit-remaining'], '1');
      assert.equal((await m.readerClient.getSupportInfo()).status, 200);
      const over = await bearerCall(m.t.app, token, '/api/account/get-account');
      assert.equal(over.status, 429);
      assert.deepEqual(envelopeCodes(over), ['err_xdk_rate_limit_exceeded']);
    });
  });

  describe(`mimecast bearer tokens through the process cache on ${kind}`, storeSuiteOptions(kind), () => {
    it('answers a known token from the cache, and revoking the credential reaches the cache', async () => {
      const t = await makeServedTestApp(kind);
      try {
        const fx = await buildFixture(t.ctx);
        const token = await tokenFor(t.app, fx.customerAdminA1.mimecast);
        assert.equal((await bearerCall(t.app, token, '/api/account/get-account')).status, 200);
        const cached = await tallyStatements(() => bearerCall(t.app, token, '/api/account/get-account'));
        assert.equal(cached.result.status, 200);
        assert.ok(!cached.tally.sql.some((s) => /access_tokens/.test(s)), cached.tally.sql.join('\n'));
        // As docs/hot-path.md says: the route's two reads, and on PostgreSQL the rate window (SQLite's one server keeps it in memory).
        const support = await tallyStatements(() => bearerCall(t.app, token, '/api/account/get-support-info'));
        assert.equal(support.result.status, 200);
        assert.equal(support.tally.statements, kind === 'sqlite' ? 2 : 3, support.tally.sql.join('\n'));
        const guid = (await t.ctx.db.selectFrom('credentials').select('guid').where('public_id', '=', fx.customerAdminA1.mimecast.accessKey).executeTakeFirstOrThrow()).guid;
        await revokeCredential(t.app.domain, system, guid);
        const res = await bearerCall(t.app, token, '/api/account/get-account');
        assert.equal(res.status, 401);
        assert.deepEqual(envelopeCodes(res), ['err_xdk_invalid_access_token']);
      } finally {
        await t.close();
      }
    });
  });
}
