import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { injectRequest } from '../../helpers/transport.js';

/** POST /api/login/discover-authentication: the region's base URL for an address, asked before any credentials. */

const discover = (t: TestApp, body: string, headers: Record<string, string> = {}) =>
  injectRequest(t.app, { method: 'POST', url: '/api/login/discover-authentication', headers: { 'content-type': 'application/json', ...headers }, body });

describe('mimecast discover-authentication', () => {
  it("answers this server's own base URL for any address, without credentials, as Mimecast's samples call it", async () => {
    const t = await makeTestApp('sqlite');
    try {
      // The documented sample: the app id, date and request id headers, no Authorization, a Python dict literal body.
      const res = await discover(t, "{'data': [{'emailAddress': 'someone@example.com'}, {'emailAddress': 'nobody@unknown.example'}]}", {
        host: 'partnerhub.test:8443',
        'x-mc-app-id': 'whatever',
        'x-mc-date': 'Tue, 24 Nov 2015 12:50:11 UTC',
        'x-mc-req-id': '8578FCFC-A305-4D9A-99CB-F4D5ECEFE297',
      });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(JSON.parse(res.body), {
        meta: { status: 200 },
        data: [
          { emailAddress: 'someone@example.com', authenticate: ['cloud'], region: { api: 'http://partnerhub.test:8443' } },
          { emailAddress: 'nobody@unknown.example', authenticate: ['cloud'], region: { api: 'http://partnerhub.test:8443' } },
        ],
        fail: [],
      });
      assert.equal(res.headers['x-ratelimit-limit'], undefined);
    } finally {
      await t.close();
    }
  });

  it('prefers PARTNERHUB_PUBLIC_URL (behind a proxy) and fails items without an address', async () => {
    const t = await makeTestApp('sqlite', { publicUrl: 'https://mimecast.partnerhub.example/' });
    try {
      const res = await discover(t, JSON.stringify({ data: [{ emailAddress: 'a@b.example' }, {}, { emailAddress: ' ' }, { emailAddress: 7 }] }));
      assert.equal(res.status, 200);
      const body = JSON.parse(res.body);
      assert.equal(body.data[0].region.api, 'https://mimecast.partnerhub.example');
      assert.deepEqual(
        body.fail.map((f: any) => [f.key, f.errors[0].code]),
        [
          [{}, 'err_validation_null'],
          [{ emailAddress: ' ' }, 'err_validation_blank'],
          [{ emailAddress: 7 }, 'err_validation_invalid_type'],
        ],
      );
      const unreadable = await discover(t, '{nope');
      assert.equal(unreadable.status, 400);
      assert.equal(JSON.parse(unreadable.body).fail[0].errors[0].code, 'err_request_malformed');
      const unknown = await discover(t, '{}');
      assert.equal(unknown.status, 200);
      const other = await injectRequest(t.app, { method: 'POST', url: '/api/login/login', body: '{}' });
      assert.equal(other.status, 404);
      assert.equal(JSON.parse(other.body).fail[0].errors[0].code, 'err_resource_not_found');
    } finally {
      await t.close();
    }
  });
});
