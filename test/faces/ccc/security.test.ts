import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, makeTestEnv, TEST_START, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture, type FixturePrincipal } from '../../helpers/fixture.js';
import { buildApp, REDACT_PATHS } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { systemActor } from '../../../src/domain/principal.js';
import { importDailyUsage } from '../../../src/domain/service-usage.js';
import { issueCredential, revokeCredential } from '../../../src/domain/credential.js';
import { DAY } from '../../../src/domain/clock.js';
import { securitySuite, type Caller, type FaceSecuritySpec, type SecurityCase } from '../../helpers/security.js';
import { injectRequest, type InjectedResponse } from '../../helpers/transport.js';

/** The shared security suite over every declared CCC route: what a key may and may not reach. */
const cccSecurity: FaceSecuritySpec = {
  face: 'ccc',
  send(t, caller: Caller, req) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (caller === 'wrong-secret') headers.authorization = `Bearer ${'ph_' + 'x'.repeat(40)}`;
    else if (caller !== 'anonymous') headers.authorization = `Bearer ${caller.ccc.apiKey}`;
    return injectRequest(t.app, { method: req.method, url: req.url, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body) });
  },
  assertUnauthenticated(res: InjectedResponse, label) {
    assert.equal(res.status, 401, `${label}: ${res.body}`);
    assert.deepEqual(JSON.parse(res.body), { responseStatus: { errorCode: 'Unauthorized', message: 'Not Authenticated', errors: [] } }, label);
  },
  assertForeign(res, label) {
    // Not found when the principal may do the operation at all (nothing shows the object exists), else
    // refused for its role before anything is looked up.
    assert.ok([403, 404].includes(res.status), `${label}: ${res.status} ${res.body}`);
    const rs = JSON.parse(res.body).responseStatus;
    assert.ok(['NotFound', 'Forbidden'].includes(rs.errorCode), label);
    assert.doesNotMatch(res.body, /Other Customer|Reseller B/, label);
  },
  assertForbidden(res, label) {
    assert.equal(res.status, 403, `${label}: ${res.body}`);
    assert.deepEqual(JSON.parse(res.body), { responseStatus: { errorCode: 'Forbidden', message: 'Invalid Role', errors: [] } }, label);
  },
  cases: [
    { operationId: 'SearchServices', method: 'GET', writes: false, request: () => ({ method: 'GET', url: '/api/services' }) },
    {
      operationId: 'CreateService',
      method: 'POST',
      writes: true,
      request: (fx) => ({ method: 'POST', url: '/api/services', body: { PrimaryDomain: 'security.example', ResellerGuid: fx.resellerA.guid } }),
      foreign: (fx) => ({ method: 'POST', url: '/api/services', body: { PrimaryDomain: 'security.example', ResellerGuid: fx.resellerB.guid } }),
    },
    {
      operationId: 'GetService',
      method: 'GET',
      writes: false,
      request: (fx) => ({ method: 'GET', url: `/api/services/${fx.a1.guid}` }),
      foreign: (fx) => ({ method: 'GET', url: `/api/services/${fx.b1.guid}` }),
    },
    { operationId: 'SearchServiceStatusChanges', method: 'GET', writes: false, request: () => ({ method: 'GET', url: '/api/services/status' }) },
    ...(['POST', 'DELETE', 'PUT'] as const).map((method) => ({
      operationId: method === 'PUT' ? 'UpdateServiceDomain' : 'AddRemoveServiceDomain',
      method,
      writes: true,
      request: (fx: Fixture) => ({ method, url: `/api/services/${fx.a1.guid}/domains/suite-${method.toLowerCase()}.example`, body: {} }),
      foreign: (fx: Fixture) => ({ method, url: `/api/services/${fx.b1.guid}/domains/suite-${method.toLowerCase()}.example`, body: {} }),
    })),
    { operationId: 'SearchServiceUsage', method: 'GET', writes: false, request: () => ({ method: 'GET', url: '/api/services/usage' }) },
    {
      operationId: 'GetServiceUsage',
      method: 'GET',
      writes: false,
      request: (fx) => ({ method: 'GET', url: `/api/services/${fx.a1.guid}/serviceusage` }),
      foreign: (fx) => ({ method: 'GET', url: `/api/services/${fx.b1.guid}/serviceusage` }),
    },
    {
      operationId: 'GetReseller',
      method: 'GET',
      writes: false,
      request: (fx) => ({ method: 'GET', url: `/api/resellers/${fx.resellerA.guid}` }),
      foreign: (fx) => ({ method: 'GET', url: `/api/resellers/${fx.resellerB.guid}` }),
    },
    {
      operationId: 'GetResellerServices',
      method: 'GET',
      writes: false,
      request: (fx) => ({ method: 'GET', url: `/api/resellers/${fx.resellerA.guid}/services` }),
      foreign: (fx) => ({ method: 'GET', url: `/api/resellers/${fx.resellerB.guid}/services` }),
    },
    {
      operationId: 'GetPartnerResellers',
      method: 'GET',
      writes: false,
      request: (fx) => ({ method: 'GET', url: `/api/partners/${fx.partner.guid}/resellers` }),
      // Above reseller A's subtree: its admin and a customer's admin see no partner.
      foreign: (fx) => ({ method: 'GET', url: `/api/partners/${fx.partner.guid}/resellers` }),
    },
    ...predefinedCases(),
  ],
};

/**
 * The same operations at their ServiceStack pre-defined routes (/api/{Name}, /json/reply/{Name}), with
 * every verb each answers: a GET sends the request DTO as the query string, other verbs as a JSON body.
 */
function predefinedCases(): SecurityCase[] {
  type Dto = (fx: Fixture) => Record<string, string>;
  const table: [op: string, writes: boolean, dto: Dto, foreign?: Dto, verbs?: string[]][] = [
    ['SearchServices', false, () => ({})],
    ['CreateService', true, (fx) => ({ PrimaryDomain: 'security.example', ResellerGuid: fx.resellerA.guid }), (fx) => ({ PrimaryDomain: 'security.example', ResellerGuid: fx.resellerB.guid })],
    ['GetService', false, (fx) => ({ ServiceGuid: fx.a1.guid }), (fx) => ({ ServiceGuid: fx.b1.guid })],
    ['SearchServiceStatusChanges', false, () => ({})],
    ['SearchServiceUsage', false, () => ({})],
    ['GetServiceUsage', false, (fx) => ({ ServiceGuid: fx.a1.guid }), (fx) => ({ ServiceGuid: fx.b1.guid })],
    ['GetReseller', false, (fx) => ({ ResellerGuid: fx.resellerA.guid }), (fx) => ({ ResellerGuid: fx.resellerB.guid })],
    ['GetResellerServices', false, (fx) => ({ ResellerGuid: fx.resellerA.guid }), (fx) => ({ ResellerGuid: fx.resellerB.guid })],
    ['GetPartnerResellers', false, (fx) => ({ PartnerGuid: fx.partner.guid }), (fx) => ({ PartnerGuid: fx.partner.guid })],
    ['AddRemoveServiceDomain', true, (fx) => ({ ServiceGuid: fx.a1.guid, Domain: 'predefined.example' }), (fx) => ({ ServiceGuid: fx.b1.guid, Domain: 'predefined.example' }), ['POST', 'DELETE']],
    ['UpdateServiceDomain', true, (fx) => ({ ServiceGuid: fx.a1.guid, Domain: 'predefined-put.example' }), (fx) => ({ ServiceGuid: fx.b1.guid, Domain: 'predefined-put.example' }), ['PUT']],
  ];
  const request = (method: string, op: string, dto: Record<string, string>) =>
    method === 'GET' ? { method, url: `/api/${op}?${new URLSearchParams(dto)}` } : { method, url: `/json/reply/${op}`, body: dto };
  return table.flatMap(([op, writes, dto, foreign, verbs]) =>
    (verbs ?? (writes ? ['POST'] : ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'])).map((method) => ({
      operationId: `${op}_predefined`,
      method,
      writes,
      request: (fx: Fixture) => request(method, op, dto(fx)),
      ...(foreign ? { foreign: (fx: Fixture) => request(method, op, foreign(fx)) } : {}),
    })),
  );
}

type Expect = number | { status: 200; items: number };

for (const kind of STORE_KINDS) {
  securitySuite(kind, cccSecurity);

  describe(`CCC key scoping on every route on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;

    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
      await importDailyUsage(t.ctx, systemActor('test'), [fx.a1, fx.a2, fx.b1].map((a) => ({ account: a.guid, day: TEST_START.slice(0, 10), counters: { totalUsers: 1 } })));
    });
    after(async () => t?.close());

    it('shows each key only its subtree: outside is 404 or nothing, never a leak', async () => {
      const { a1, a2, b1, resellerA: rA, resellerB: rB, partner: p } = fx;
      const routes: [string, (w: string) => string][] = [
        ['service a1', () => `/api/services/${a1.guid}`],
        ['service a2', () => `/api/services/${a2.guid}`],
        ['service b1', () => `/api/services/${b1.guid}.xml`],
        ['usage a1', () => `/api/services/${a1.guid}/serviceusage`],
        ['usage b1', () => `/api/services/${b1.guid}/serviceusage`],
        ['reseller A', () => `/api/resellers/${rA.guid}`],
        ['reseller B', () => `/api/resellers/${rB.guid}`],
        ['services of A', () => `/api/resellers/${rA.guid}/services`],
        ['services of B', () => `/api/resellers/${rB.guid}/services`],
        ['resellers of partner', () => `/api/partners/${p.guid}/resellers`],
        ['search services', () => '/api/services'],
        ['search services B', () => `/api/services?Code=${b1.accountCode}`],
        ['status changes', () => '/api/services/status'],
        ['status changes of b1', () => `/api/services/status?ServiceGuid=${b1.guid}&callback=cb`],
        ['status changes of B', () => `/api/services/status?ResellerGuid=${rB.guid}`],
        ['usage search', () => '/api/services/usage'],
        ['usage search of b1', () => `/api/services/usage?ServiceGuid=${b1.guid}`],
      ];
      const table: [string, () => FixturePrincipal, Expect[]][] = [
        // service a1, a2, b1, usage a1, b1, reseller A, B, services of A, B, resellers, search, search B, status, status b1, status B, usage, usage b1
        ['customer admin of a1', () => fx.customerAdminA1, [
          { status: 200, items: 1 }, 404, 404, 200, 404, 404, 404, 404, 404, 404,
          { status: 200, items: 1 }, { status: 200, items: 0 }, { status: 200, items: 1 }, { status: 200, items: 0 }, { status: 200, items: 0 }, { status: 200, items: 1 }, { status: 200, items: 0 },
        ]],
        ['reseller admin of B', () => fx.resellerAdminB, [
          404, 404, { status: 200, items: 1 }, 404, 200, 404, 200, 404, { status: 200, items: 1 }, 404,
          { status: 200, items: 1 }, { status: 200, items: 1 }, { status: 200, items: 1 }, { status: 200, items: 1 }, { status: 200, items: 1 }, { status: 200, items: 1 }, { status: 200, items: 1 },
        ]],
        ['reseller admin of A', () => fx.resellerAdminA, [
          { status: 200, items: 1 }, { status: 200, items: 1 }, 404, 200, 404, 200, 404, { status: 200, items: 2 }, 404, 404,
          { status: 200, items: 2 }, { status: 200, items: 0 }, { status: 200, items: 2 }, { status: 200, items: 0 }, { status: 200, items: 0 }, { status: 200, items: 2 }, { status: 200, items: 0 },
        ]],
      ];
      for (const [who, principal, expected] of table) {
        assert.equal(expected.length, routes.length, who);
        for (const [i, [name, url]] of routes.entries()) {
          const res = await t.app.inject({ method: 'GET', url: url(who), headers: { authorization: `Bearer ${principal().ccc.apiKey}` } });
          const want = expected[i];
          const label = `${who}: ${name}: ${res.body.slice(0, 200)}`;
          if (typeof want === 'number') {
            assert.equal(res.statusCode, want, label);
            if (want === 404) assert.doesNotMatch(res.body, new RegExp(`${b1.guid}|${a1.guid}|${a2.guid}`), label);
            continue;
          }
          assert.equal(res.statusCode, 200, label);
          const body = res.body.startsWith('cb(') ? JSON.parse(res.body.slice(3, -1)) : res.body.startsWith('<') ? null : res.json();
          // A single DTO is one item; a page says how many it holds and lists no more than that.
          const items = body === null ? (res.body.match(/<ServiceGuid>/g) ?? []).length : 'results' in body ? body.totalItems : 1;
          if (body && 'results' in body) assert.equal(body.results.length, body.totalItems, label);
          assert.equal(items, want.items, label);
        }
      }
    });

    it('lets no key create a service outside its subtree or without the role, and writes nothing then', async () => {
      const count = async () => (await t.ctx.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const before = Number(await count());
      const tries: [FixturePrincipal, string, number][] = [
        [fx.customerAdminA1, fx.resellerA.guid, 403],
        [fx.reader, fx.resellerA.guid, 403],
        [fx.resellerAdminB, fx.resellerA.guid, 404],
        [fx.resellerAdminA, fx.resellerB.guid, 404],
        [fx.resellerAdminA, fx.a1.guid, 404],
        [fx.provisioning, fx.partner.guid, 404],
      ];
      for (const [p, reseller, status] of tries) {
        const res = await t.app.inject({ method: 'POST', url: '/api/services', headers: { authorization: `Bearer ${p.ccc.apiKey}` }, payload: { PrimaryDomain: 'refused.example', ResellerGuid: reseller } });
        assert.equal(res.statusCode, status, res.body);
      }
      assert.equal(Number(await count()), before);
    });

    it('refuses revoked and expired keys on every authenticated route', async () => {
      const system = systemActor('test');
      const revoked = await issueCredential(t.ctx, system, fx.resellerAdminA.principal.guid, 'ccc');
      await revokeCredential(t.ctx, system, revoked.guid);
      const expiring = await issueCredential(t.ctx, system, fx.resellerAdminA.principal.guid, 'ccc', { expiresAt: new Date(t.clock.now().getTime() + DAY).toISOString() });
      t.clock.advance(DAY);
      const keys = [(revoked.secrets as { apiKey: string }).apiKey, (expiring.secrets as { apiKey: string }).apiKey];
      const urls = ['/api/services', '/api/services/status', '/api/services/usage', `/api/services/${fx.a1.guid}`, `/api/services/${fx.a1.guid}/serviceusage`, `/api/resellers/${fx.resellerA.guid}`, `/api/resellers/${fx.resellerA.guid}/services`, `/api/partners/${fx.partner.guid}/resellers`];
      for (const key of keys) {
        for (const url of urls) {
          for (const authorization of [`Bearer ${key}`, `Basic ${Buffer.from(`${key}:x`).toString('base64')}`]) {
            const res = await t.app.inject({ method: 'GET', url, headers: { authorization } });
            assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
            assert.doesNotMatch(res.body, /API Customer|Reseller A/);
          }
        }
        const post = await t.app.inject({ method: 'POST', url: '/api/services', headers: { authorization: `Bearer ${key}` }, payload: { PrimaryDomain: 'late.example', ResellerGuid: fx.resellerA.guid } });
        assert.equal(post.statusCode, 403);
      }
    });
  });

  describe(`CCC keys and the log on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const lines: string[] = [];

    before(async () => {
      const env = await makeTestEnv(kind);
      const config = loadConfig({ database: env.ts.url, logLevel: 'trace' }, {});
      // The most talkative logger, with every request header serialized: only the app's redaction stands
      // between a key and the log.
      const app = await buildApp(config, { store: env.ts.store, clock: env.clock, secrets: env.secrets }, {
        logger: {
          level: 'trace',
          redact: { paths: REDACT_PATHS, censor: '[redacted]' },
          serializers: { req: (r: { method: string; url: string; headers: unknown }) => ({ method: r.method, url: r.url, headers: r.headers }) },
          stream: { write: (s: string) => void lines.push(s) },
        },
      });
      await app.ready();
      t = { ...env, app, config, close: async () => (await app.close(), await env.close()) };
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('never writes an API key to a log line, by Bearer, Basic, JSONP, error or success', async () => {
      const key = fx.resellerAdminA.ccc.apiKey;
      const basic = Buffer.from(`${key}:pw`).toString('base64');
      const system = systemActor('test');
      const revoked = await issueCredential(t.ctx, system, fx.resellerAdminA.principal.guid, 'ccc');
      await revokeCredential(t.ctx, system, revoked.guid);
      const revokedKey = (revoked.secrets as { apiKey: string }).apiKey;
      const wrongKey = key.slice(0, -4) + 'zzzz';
      const calls: { method: 'GET' | 'POST'; url: string; authorization: string; payload?: unknown }[] = [
        { method: 'GET', url: '/api/services/status', authorization: `Bearer ${key}` },
        { method: 'GET', url: '/api/services/status?callback=cb', authorization: `Basic ${basic}` },
        { method: 'GET', url: '/api/services/status.xml?Page=x', authorization: `Basic ${basic}` },
        { method: 'GET', url: '/api/services/status?callback=alert(1)', authorization: `Bearer ${key}` },
        { method: 'GET', url: `/api/services/${fx.b1.guid}`, authorization: `Bearer ${key}` },
        { method: 'GET', url: '/api/services/nope/extra', authorization: `Bearer ${key}` },
        { method: 'POST', url: '/api/services', authorization: `Bearer ${key}`, payload: { PrimaryDomain: 'logged.example', ResellerGuid: fx.resellerA.guid } },
        { method: 'POST', url: '/api/services', authorization: `Basic ${basic}`, payload: { PrimaryDomain: '', ResellerGuid: fx.resellerA.guid } },
        { method: 'GET', url: '/api/services', authorization: `Bearer ${revokedKey}` },
        { method: 'GET', url: '/api/services', authorization: `Basic ${Buffer.from(revokedKey).toString('base64')}` },
        { method: 'GET', url: '/api/services', authorization: `Bearer ${wrongKey}` },
        { method: 'GET', url: '/api/services', authorization: `Basic ${Buffer.from(`${wrongKey}:`).toString('base64')}` },
      ];
      for (const c of calls) await t.app.inject({ method: c.method, url: c.url, headers: { authorization: c.authorization }, payload: c.payload as never });
      assert.ok(lines.length > calls.length, 'the logger did write the requests');
      assert.ok(lines.some((l) => l.includes('[redacted]')), 'the headers were serialized and redacted');
      // A key's secret part is what matters; any 12 characters of it would already be too many.
      const secrets = [key, revokedKey, wrongKey, basic].flatMap((s) => [s, s.slice(-12)]);
      const leaks = lines.filter((l) => secrets.some((s) => l.includes(s)));
      assert.deepEqual(leaks, []);
    });
  });
}
