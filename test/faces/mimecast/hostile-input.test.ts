import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { mimecastDate, mimecastHeaders, type MimecastCredentials } from '../../../src/client/mimecast.js';

const ENDPOINTS = [
  '/api/account/get-support-info',
  '/api/account/get-account',
  '/api/account/update-account',
  '/api/account/create-account',
  '/api/provisioning/get-packages',
];

/** Tables whose rows no refused request may touch: everything but the rate windows and job leases. */
async function snapshot(t: TestApp): Promise<Record<string, string[]>> {
  const tables = (await t.ctx.db.introspection.getTables())
    .map((x) => x.name)
    .filter((n) => !/^(rate_|job_leases|kysely_)/.test(n))
    .sort();
  const out: Record<string, string[]> = {};
  for (const name of tables) {
    const rows = await t.ctx.db.selectFrom(name as any).selectAll().execute();
    out[name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

interface Probe {
  name: string;
  method?: 'POST' | 'GET' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
  /** The path as sent (and signed); default the endpoint. */
  path?: (endpoint: string) => string;
  headers?: (signed: Record<string, string>, endpoint: string) => Record<string, string | string[]>;
  body?: string;
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Bodies every endpoint must refuse, or accept without writing: none may be a 5xx or leave a trace. */
function bodyProbes(fx: Fixture): Probe[] {
  const a1 = fx.a1.accountCode;
  const create = `"accountName":"New Co","addressLine1":"1 Road","city":"Town","country":"US"`;
  const bodies: Record<string, string> = {
    'python dict with nested structures in products': `{'data': [{'accountCode': '${a1}', 'products': [1039, (1050, {'x': [None]})], 'numberOfUsers': 5}]}`,
    'python dict with unicode escapes and a bad type': `{'data': [{'accountCode': u'${a1}', 'accountName': u'Caf\\xe9 \\u00e9 \\U0001F600', 'numberOfUsers': u'lots'}]}`,
    'python dict with trailing commas and True for a number': `{'data': [{'accountCode': '${a1}', 'numberOfUsers': True,},],}`,
    'JSON trailing commas': `{"data":[{"accountCode":"${a1}","numberOfUsers":"x",},]}`,
    'JSON nested 50000 deep in data': `{"data":[${deep(50_000)}]}`,
    'JSON objects nested 20000 deep': `{"data":[${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}]}`,
    'python nested 200 deep': `{'data':[${deep(200)}]}`,
    'data a string': '{"data":"abc"}',
    'data an object': `{"data":{"accountCode":"${a1}","numberOfUsers":5}}`,
    'data items not objects': '{"data":[1,"s",null,true,[],[{"accountCode":"x"}]]}',
    'numberOfUsers a word': `{"data":[{"accountCode":"${a1}","numberOfUsers":"five"}]}`,
    'numberOfUsers a fraction string': `{"data":[{"accountCode":"${a1}","numberOfUsers":"1.5"}]}`,
    'numberOfUsers huge': `{"data":[{"accountCode":"${a1}","numberOfUsers":1e400}]}`,
    'numberOfUsers beyond the limit': `{"data":[{"accountCode":"${a1}","numberOfUsers":99999999999999999999999}]}`,
    'numberOfUsers beyond the limit, as a string': `{"data":[{"accountCode":"${a1}","numberOfUsers":"99999999999"}]}`,
    'numberOfUsers a boolean string': `{"data":[{"accountCode":"${a1}","numberOfUsers":"true"}]}`,
    'forcePasswordChange a boolean string': `{"data":[{${create},"forcePasswordChange":"true"}]}`,
    'products a string': `{"data":[{"accountCode":"${a1}","products":"1039"}]}`,
    'products with an unknown id among duplicates': `{"data":[{"accountCode":"${a1}","products":[1039,1039,"1039",424242]}]}`,
    'products beyond 32 bits': `{"data":[{"accountCode":"${a1}","products":[3000000000]}]}`,
    'products beyond 32 bits, in create': `{"data":[{${create},"products":[99999999999999999999]}]}`,
    'products a huge numeric string': `{"data":[{"accountCode":"${a1}","products":["99999999999999999999999"]}]}`,
    'products nested': `{"data":[{"accountCode":"${a1}","products":[[1039]]}]}`,
    'accountName with NUL': `{"data":[{"accountCode":"${a1}","accountName":"a\\u0000b"}]}`,
    'accountCode with NUL': '{"data":[{"accountCode":"AB\\u0000C","numberOfUsers":1}]}',
    'create with NUL in accountName': `{"data":[{"accountName":"x\\u0000","addressLine1":"1 Road","city":"Town","country":"US"}]}`,
    'create with NUL in an umbrella account': `{"data":[{${create},"umbrellaAccounts":["${fx.resellerA.accountCode}\\u0000"]}]}`,
    'accountCode 100000 characters': `{"data":[{"accountCode":"${'A'.repeat(100_000)}","numberOfUsers":1}]}`,
    'accountName 100000 characters': `{"data":[{"accountCode":"${a1}","accountName":"${'A'.repeat(100_000)}"}]}`,
    "accountCode of the caller's own account": `{"data":[{"accountCode":"${fx.partner.accountCode}","numberOfUsers":1}]}`,
    'accountCode unicode that upper-cases into another string': '{"data":[{"accountCode":"ß","numberOfUsers":1}]}',
    'umbrella accounts not strings': `{"data":[{${create},"umbrellaAccounts":[1,2]}]}`,
    'umbrella account 50000 characters': `{"data":[{${create},"umbrellaAccounts":["${'B'.repeat(50_000)}"]}]}`,
    'a customer as umbrella': `{"data":[{${create},"umbrellaAccounts":["${fx.a1.accountCode}"]}]}`,
    'create with numberOfUsers negative': `{"data":[{${create},"numberOfUsers":-5}]}`,
    'create with country not a code': `{"data":[{"accountName":"New Co","addressLine1":"1 Road","city":"Town","country":"United States"}]}`,
    '__proto__ keys': '{"data":[{"__proto__":{"accountCode":"X","numberOfUsers":1}}]}',
    '__proto__ keys in python': "{'data':[{'__proto__':{'accountCode':'X'}}]}",
    'meta an array': '{"meta":[],"data":[{"accountCode":"x"}]}',
    'pageSize a word': '{"meta":{"pagination":{"pageSize":"abc"}},"data":[]}',
    'pageToken forged': `{"meta":{"pagination":{"pageToken":"${Buffer.from('{"o":-1}').toString('base64url')}"}},"data":[]}`,
    'pageToken not a string': '{"meta":{"pagination":{"pageToken":{"o":1}}},"data":[]}',
    'binary garbage': '\xff\xfe\x00\x01{',
    'a number': '42',
    'an array': '[{"data":[]}]',
    'unterminated python string': "{'data': ['abc",
  };
  return Object.entries(bodies).map(([name, body]) => ({ name, body }));
}

function headerProbes(): Probe[] {
  const withSig = (h: Record<string, string>, auth: string) => ({ ...h, Authorization: auth });
  const sigOf = (h: Record<string, string>) => h.Authorization.slice(h.Authorization.indexOf(':') + 1);
  const keyOf = (h: Record<string, string>) => h.Authorization.slice(3, h.Authorization.indexOf(':'));
  return [
    { name: 'duplicate Authorization', headers: (h) => ({ ...h, Authorization: [h.Authorization, 'MC other:c2lnbmF0dXJl'] }) },
    { name: "lowercase 'mc '", headers: (h) => withSig(h, h.Authorization.replace(/^MC /, 'mc ')) },
    { name: 'Authorization without a colon', headers: (h) => withSig(h, `MC ${keyOf(h)}${sigOf(h)}`) },
    { name: 'signature not base64', headers: (h) => withSig(h, `MC ${keyOf(h)}:!!not*base64??`) },
    { name: 'signature empty', headers: (h) => withSig(h, `MC ${keyOf(h)}:`) },
    { name: 'Authorization scheme only', headers: (h) => withSig(h, 'MC') },
    { name: 'Authorization 8000 characters', headers: (h) => withSig(h, `MC ${'k'.repeat(8000)}:${sigOf(h)}`) },
    ...['Authorization', 'x-mc-date', 'x-mc-req-id', 'x-mc-app-id'].map((name) => ({ name: `${name} empty`, headers: (h: Record<string, string>) => ({ ...h, [name]: '' }) })),
    ...['Authorization', 'x-mc-date', 'x-mc-req-id', 'x-mc-app-id'].map((name) => ({ name: `${name} blank`, headers: (h: Record<string, string>) => ({ ...h, [name]: '   ' }) })),
    { name: 'x-mc-app-id 8000 characters', headers: (h) => ({ ...h, 'x-mc-app-id': 'a'.repeat(8000) }) },
    { name: 'content type with a charset', headers: (h) => ({ ...h, 'content-type': 'application/json; charset=utf-8' }) },
    { name: 'content type with a foreign charset', headers: (h) => ({ ...h, 'content-type': 'application/json;charset=ISO-8859-1' }) },
    { name: 'content type text/plain', headers: (h) => ({ ...h, 'content-type': 'text/plain' }) },
    { name: 'content type form', headers: (h) => ({ ...h, 'content-type': 'application/x-www-form-urlencoded' }) },
    { name: 'content type XML', headers: (h) => ({ ...h, 'content-type': 'application/xml' }) },
    { name: 'content type empty', headers: (h) => ({ ...h, 'content-type': '' }) },
    { name: 'wrong Content-Length', headers: (h) => ({ ...h, 'content-length': '3' }) },
  ];
}

function pathProbes(): Probe[] {
  return [
    { name: 'GET instead of POST', method: 'GET' },
    { name: 'PUT', method: 'PUT' },
    { name: 'DELETE', method: 'DELETE' },
    { name: 'OPTIONS', method: 'OPTIONS' },
    { name: 'trailing slash', path: (e) => `${e}/` },
    { name: 'doubled slash', path: (e) => e.replace('/api/', '/api//') },
    { name: 'encoded hyphen', path: (e) => e.replace(/-/g, '%2D') },
    { name: 'encoded slash inside the endpoint name', path: (e) => e.replace(/-/, '%2F') },
    { name: 'query string', path: (e) => `${e}?debug=1&x=%00` },
    { name: 'unknown endpoint under the prefix', path: (e) => `${e}-nope` },
    { name: 'path with a dot segment', path: (e) => e.replace('/api/', '/api/./') },
  ];
}

for (const kind of STORE_KINDS) {
  describe(`mimecast hostile input on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { mimecastRateLimit: 100_000 });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    const creds = (): MimecastCredentials => fx.provisioning.mimecast;

    async function send(endpoint: string, probe: Probe) {
      const path = probe.path ? probe.path(endpoint) : endpoint;
      const signed = { ...mimecastHeaders(creds(), path.split('?')[0], { date: mimecastDate(t.clock.now()) }), 'content-type': 'application/json' };
      const headers = probe.headers ? probe.headers(signed, endpoint) : signed;
      const method = probe.method ?? 'POST';
      const body = probe.body ?? '{"data":[]}';
      return t.app.inject({ method, url: path, headers, ...(method === 'GET' || method === 'OPTIONS' ? {} : { payload: body }) });
    }

    function assertEnvelope(label: string, res: { statusCode: number; body: string }) {
      assert.ok(res.statusCode < 500, `${label}: HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
      let json: any;
      assert.doesNotThrow(() => (json = JSON.parse(res.body)), `${label}: not JSON: ${res.body.slice(0, 300)}`);
      assert.deepEqual(Object.keys(json), ['meta', 'data', 'fail'], `${label}: ${res.body.slice(0, 300)}`);
      assert.equal(json.meta.status, res.statusCode, label);
      assert.ok(Array.isArray(json.data) && Array.isArray(json.fail), label);
      for (const f of json.fail) {
        assert.ok(Array.isArray(f.errors) && f.errors.length > 0, label);
        for (const e of f.errors) assert.deepEqual([typeof e.code, typeof e.message, e.retryable === true || e.retryable === false], ['string', 'string', true], label);
      }
      return json;
    }

    for (const [group, probes] of [
      ['bodies', (f: Fixture) => bodyProbes(f)],
      ['headers', () => headerProbes()],
      ['paths and methods', () => pathProbes()],
    ] as const) {
      it(`answers every odd request (${group}) to every endpoint with an envelope below 500 and writes nothing`, async () => {
        const before = await snapshot(t);
        for (const endpoint of ENDPOINTS) {
          for (const probe of probes(fx)) {
            const res = await send(endpoint, probe);
            const json = assertEnvelope(`${endpoint} ${probe.name}`, res);
            if (endpoint.includes('update-account') || endpoint.includes('create-account')) {
              assert.deepEqual(json.data, [], `${endpoint} ${probe.name}: nothing may succeed`);
            }
          }
        }
        assert.deepEqual(await snapshot(t), before);
      });
    }

    it('echoes an item with a NUL character as its key and names the field', async () => {
      const item = { accountCode: fx.a1.accountCode, accountName: 'a\u0000b' };
      const res = await send('/api/account/update-account', { name: 'nul', body: JSON.stringify({ data: [item] }) });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().fail, [
        { key: item, errors: [{ code: 'err_validation_invalid_value', message: 'accountName must not contain NUL characters', retryable: false, field: 'accountName' }] },
      ]);
    });

    it('refuses a body nested deeper than the Python reader allows as malformed', async () => {
      const res = await send('/api/account/update-account', { name: 'deep', body: `{"data":[${deep(100)}]}` });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json().fail, [{ errors: [{ code: 'err_request_malformed', message: 'The request body could not be read: nested more than 64 levels deep', retryable: false }] }]);
      // Sixty levels still read: the limit is about stack safety, not about normal bodies.
      const ok = await send('/api/account/update-account', { name: 'deep-ok', body: `{"data":[${deep(60)}]}` });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.json().fail[0].errors[0].code, 'err_validation_invalid_type');
    });

    it('answers a product id beyond the catalog range as an unknown product', async () => {
      const res = await send('/api/account/update-account', { name: 'big', body: `{"data":[{"accountCode":"${fx.a1.accountCode}","products":[1039,3000000000]}]}` });
      assert.deepEqual(res.json().fail[0].errors, [{ code: 'err_validation_unknown_product', message: 'Unknown product id: 3000000000', retryable: false, field: 'products' }]);
    });

    it('accepts a request id of any length once, and refuses it the second time', async () => {
      const path = '/api/account/get-account';
      const requestId = randomBytes(4000).toString('base64');
      const headers = { ...mimecastHeaders(creds(), path, { date: mimecastDate(t.clock.now()), requestId }), 'content-type': 'application/json' };
      const first = await t.app.inject({ method: 'POST', url: path, headers, payload: '{"data":[]}' });
      assert.equal(first.statusCode, 200, first.body);
      const again = await t.app.inject({ method: 'POST', url: path, headers, payload: '{"data":[]}' });
      assert.equal(again.statusCode, 401);
      assert.equal(again.json().fail[0].errors[0].code, 'err_xdk_request_replayed');
      // Still case-insensitive.
      const upper = requestId.toUpperCase() === requestId ? null : requestId.toUpperCase();
      if (upper) {
        const h = { ...mimecastHeaders(creds(), path, { date: mimecastDate(t.clock.now()), requestId: upper }), 'content-type': 'application/json' };
        const res = await t.app.inject({ method: 'POST', url: path, headers: h, payload: '{"data":[]}' });
        assert.equal(res.json().fail[0].errors[0].code, 'err_xdk_request_replayed');
      }
      const fresh = { ...mimecastHeaders(creds(), path, { date: mimecastDate(t.clock.now()), requestId: randomUUID() }), 'content-type': 'application/json' };
      assert.equal((await t.app.inject({ method: 'POST', url: path, headers: fresh, payload: '{"data":[]}' })).statusCode, 200);
    });
  });
}
