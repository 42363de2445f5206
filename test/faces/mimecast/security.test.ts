import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { injectRequest, type InjectedResponse } from '../../helpers/transport.js';
import { securitySuite, type Caller, type FaceSecuritySpec } from '../../helpers/security.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { mimecastHeaders, type MimecastClient } from '../../../src/client/mimecast.js';
import { queryAudit } from '../../../src/domain/audit.js';
import { withMimecastApp, type MimecastApp } from './helpers.js';
import { tokenFor } from './oauth-helpers.js';

/** Every Mimecast route through the shared security suite. */

function envelopeOf(res: InjectedResponse, label: string) {
  const json = JSON.parse(res.body);
  assert.deepEqual(Object.keys(json), ['meta', 'data', 'fail'], label);
  assert.equal(json.meta.status, res.status, label);
  assert.deepEqual(json.data, [], `${label}: nothing shown or changed`);
  return json;
}

const codesOf = (json: any): string[] => json.fail.flatMap((f: any) => f.errors.map((e: any) => e.code));

const spec: FaceSecuritySpec = {
  face: 'mimecast',
  config: { mimecastRateLimit: 100_000 },
  async send(t: TestApp, caller: Caller, req) {
    const path = req.url.split('?')[0];
    const fx = caller === 'anonymous' || caller === 'wrong-secret' ? null : caller;
    let headers: Record<string, string> = {};
    if (caller === 'wrong-secret') {
      // A real access key of a reader, signed with a secret that is not its own.
      const reader = (await t.ctx.db.selectFrom('credentials').select('public_id').where('kind', '=', 'mimecast').executeTakeFirstOrThrow()).public_id!;
      const appId = (await t.ctx.db.selectFrom('credentials').select('app_id').where('public_id', '=', reader).executeTakeFirstOrThrow()).app_id!;
      headers = mimecastHeaders({ accessKey: reader, appId, appKey: 'not-the-app-key', secretKey: Buffer.from('not the secret').toString('base64') }, path, { now: () => t.clock.now() });
    } else if (fx) {
      headers = mimecastHeaders(fx.mimecast, path, { now: () => t.clock.now() });
    }
    return injectRequest(t.app, { method: req.method, url: req.url, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(req.body ?? { data: [] }) });
  },
  assertUnauthenticated(res, label) {
    assert.ok(res.status === 400 || res.status === 401, `${label}: HTTP ${res.status} ${res.body}`);
    const json = envelopeOf(res, label);
    assert.deepEqual(codesOf(json), [res.status === 400 ? 'err_xdk_missing_credentials' : 'err_xdk_invalid_signature'], label);
    assert.equal(res.headers['x-ratelimit-limit'], undefined, `${label}: no budget shown to an unknown caller`);
  },
  assertForeign(res, label) {
    assert.equal(res.status, 403, `${label}: HTTP ${res.status} ${res.body}`);
    const json = envelopeOf(res, label);
    for (const code of codesOf(json)) assert.ok(['err_xdk_operation_forbidden', 'err_xdk_operation_forbidden_for_account'].includes(code), `${label}: ${code}`);
  },
  assertForbidden(res, label) {
    assert.equal(res.status, 403, `${label}: HTTP ${res.status} ${res.body}`);
    const json = envelopeOf(res, label);
    assert.deepEqual(codesOf(json), ['err_xdk_operation_forbidden'], label);
  },
  cases: [
    { operationId: 'getSupportInfo', method: 'POST', writes: false, request: () => ({ method: 'POST', url: '/api/account/get-support-info' }) },
    { operationId: 'getAccount', method: 'POST', writes: false, request: () => ({ method: 'POST', url: '/api/account/get-account' }) },
    {
      operationId: 'getDashboardNotifications',
      method: 'POST',
      writes: false,
      request: (fx: Fixture) => ({ method: 'POST', url: '/api/account/get-dashboard-notifications', body: { data: [{ accountCode: fx.a1.accountCode }] } }),
      foreign: (fx: Fixture) => ({ method: 'POST', url: '/api/account/get-dashboard-notifications', body: { data: [{ accountCode: fx.b1.accountCode }] } }),
    },
    {
      operationId: 'updateAccount',
      method: 'POST',
      writes: true,
      request: (fx: Fixture) => ({ method: 'POST', url: '/api/account/update-account', body: { data: [{ accountCode: fx.a1.accountCode, telephone: '1-555-0100' }] } }),
      foreign: (fx: Fixture) => ({ method: 'POST', url: '/api/account/update-account', body: { data: [{ accountCode: fx.b1.accountCode, telephone: '1-555-0100' }] } }),
    },
    {
      operationId: 'createAccount',
      method: 'POST',
      writes: true,
      request: (fx: Fixture) => ({
        method: 'POST',
        url: '/api/account/create-account',
        body: { data: [{ accountName: 'Secure Co', addressLine1: 'a', city: 'c', country: 'US', umbrellaAccounts: [fx.resellerA.accountCode] }] },
      }),
      foreign: (fx: Fixture) => ({
        method: 'POST',
        url: '/api/account/create-account',
        body: { data: [{ accountName: 'Secure Co', addressLine1: 'a', city: 'c', country: 'US', umbrellaAccounts: [fx.resellerB.accountCode] }] },
      }),
    },
    // Reads, though only the provisioning role may read the catalog (get-packages.test.ts refuses the reader).
    { operationId: 'getPackages', method: 'POST', writes: false, request: () => ({ method: 'POST', url: '/api/provisioning/get-packages' }) },
  ],
};

/** The same suite with API 2.0 bearer tokens: a token of each principal, a forged token for the wrong secret. */
const bearerSpec: FaceSecuritySpec = {
  ...spec,
  async send(t: TestApp, caller: Caller, req) {
    const token = caller === 'anonymous' ? undefined : caller === 'wrong-secret' ? 'forged-token' : await tokenFor(t.app, caller.mimecast);
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    return injectRequest(t.app, { method: req.method, url: req.url, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(req.body ?? { data: [] }) });
  },
  assertUnauthenticated(res, label) {
    assert.ok(res.status === 400 || res.status === 401, `${label}: HTTP ${res.status} ${res.body}`);
    const json = envelopeOf(res, label);
    assert.deepEqual(codesOf(json), [res.status === 400 ? 'err_xdk_missing_credentials' : 'err_xdk_invalid_access_token'], label);
    assert.equal(res.headers['x-ratelimit-limit'], undefined, `${label}: no budget shown to an unknown caller`);
  },
};

for (const kind of STORE_KINDS) {
  securitySuite(kind, spec);
  securitySuite(kind, bearerSpec);

  // The suite's other tenant is reached by principals without the provisioning role; a provisioner scoped to
  // reseller A reaches it only by naming it, and is refused the same way an unknown account is.
  describe(`mimecast provisioning scope on ${kind}`, storeSuiteOptions(kind), () => {
    let m: MimecastApp;
    withMimecastApp(kind, {}, (app) => (m = app));

    it("refuses a scoped provisioner another tenant's account, and writes nothing", async () => {
      const before = (await queryAudit(m.t.ctx, {})).length;
      const client: MimecastClient = m.resellerProvisioner;
      for (const item of [{ accountCode: m.fx.b1.accountCode, numberOfUsers: 1 }, { accountCode: m.fx.resellerB.accountCode, telephone: '1' }, { accountCode: m.fx.partner.accountCode, telephone: '1' }]) {
        const res = await client.updateAccount([item]);
        assert.equal(res.status, 403, JSON.stringify(item));
        assert.deepEqual(res.body!.fail, [{ key: item, errors: [{ code: 'err_xdk_operation_forbidden_for_account', message: '0003 Forbidden To Perform Operation For Account', retryable: false }] }]);
      }
      assert.equal((await queryAudit(m.t.ctx, {})).length, before);
      assert.equal((await m.account(m.fx.b1.guid)).userCount, m.fx.b1.userCount);
    });
  });
}
