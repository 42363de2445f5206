import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORE_KINDS, storeSuiteOptions, freshStoreUrl } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import { makeSandboxApp, op, TOKEN } from './helpers.js';
import { loadConfig } from '../../../src/config.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { callRackspace, fetchTransport as rackspaceFetch } from '../../../src/client/rackspace.js';
import { MimecastClient } from '../../../src/client/mimecast.js';
import { CccClient } from '../../../src/client/ccc.js';
import { OperatorClient } from '../../../src/client/operator.js';
import { readFixtureText, FixtureError } from '../../../src/operator/fixture-file.js';
import { fixtureJsonSchema } from '../../../src/operator/fixture-schema.js';
import { dataTables, readAll } from '../../../src/store/repositories/whole-store.js';

const EXAMPLE = new URL('../../../docs/examples/ci-fixtures.yaml', import.meta.url);
const text = readFileSync(EXAMPLE, 'utf8');

/** The whole store, without the sealed secrets (sealing takes a fresh nonce each time) and the load's wall-time stamps. */
async function storeContents(t: TestApp) {
  const plan = await dataTables(t.ctx.db, t.ctx.dialect);
  const all = await readAll(t.ctx.db, plan.tables);
  for (const rows of Object.values(all)) for (const r of rows) for (const k of Object.keys(r)) if (k.endsWith('_sealed')) delete r[k];
  // Tables have no order of their own: compare them as sorted sets of rows.
  return Object.fromEntries(Object.entries(all).map(([t, rows]) => [t, rows.map((r) => JSON.stringify(r)).sort()]));
}

describe('partnerhub serve --fixtures: fixed keys sign requests at once', () => {
  let server: RunningServer;
  let dir: string;
  let drop: () => Promise<void>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-fixtures-'));
    const fresh = await freshStoreUrl('sqlite');
    drop = fresh.drop;
    const config = { ...loadConfig({ database: fresh.url, dataDir: dir, port: 0, logLevel: 'silent' }, {}), sandbox: true, fixtures: EXAMPLE.pathname, operatorToken: TOKEN, schedulerIntervalMs: 0 };
    server = await startServer(config, { print: () => undefined });
  });
  after(async () => {
    await server?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Rackspace, Mimecast and CCC accept the keys the file gives', async () => {
    const rs = await callRackspace(rackspaceFetch(server.url), { userKey: 'ciPartnerUserKey0001', secretKey: 'ciPartnerSecretKey0000000001', userAgent: 'ci-suite' }, { method: 'GET', path: '/v1/customers', format: 'json' });
    assert.equal(rs.status, 200, rs.body);
    assert.match(rs.body, /CI Reseller/);

    const mc = new MimecastClient({
      baseUrl: server.url,
      credentials: {
        accessKey: 'ciPartnerAccessKey-0000000000000000000001',
        secretKey: 'Y2ktcGFydG5lci1zZWNyZXQta2V5LTAwMDAwMDAwMDAwMDAwMDE=',
        appId: '0f000000-0000-4000-8000-0000000000a1',
        appKey: '0f000000-0000-4000-8000-0000000000b1',
      },
    });
    const support = await mc.getSupportInfo();
    assert.equal(support.status, 200, JSON.stringify(support));

    const ccc = new CccClient({ baseUrl: server.url, apiKey: 'ph_ci_reseller_api_key_000000001' });
    const service = await ccc.request('GET', '/api/services/0f000000000040008000000000000003');
    assert.equal(service.status, 200, service.body);
    assert.match(service.body, /Paying Customer/);
  });

  it('starts the test clock at the file time, and reset returns to the file', async () => {
    const client = new OperatorClient({ baseUrl: server.url, token: TOKEN });
    const clock = await client.request<{ now: string }>('GET', '/clock');
    assert.ok(clock.now.startsWith('2026-01-01T00:0'), clock.now);
    await client.request('POST', '/clock/advance', { by: '31d' });
    const ccc = new CccClient({ baseUrl: server.url, apiKey: 'ph_ci_reseller_api_key_000000001' });
    assert.match((await ccc.request('GET', '/api/services/0f000000000040008000000000000004')).body, /TrialExpired/);
    await client.request('POST', '/reset');
    assert.match((await ccc.request('GET', '/api/services/0f000000000040008000000000000004')).body, /TrialActive/);
  });
});

for (const kind of STORE_KINDS) {
  describe(`loading fixtures on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    before(async () => (t = await makeSandboxApp(kind)));
    after(() => t.close());

    it('loading the same file twice gives the same store', async () => {
      const first = await op(t, 'POST', '/fixtures', { text, file: 'ci-fixtures.yaml' });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body, { accounts: 4, principals: 2, credentials: 4, contacts: 1, statusChanges: 2, invoices: first.body.invoices });
      assert.ok(first.body.invoices >= 2);
      const once = await storeContents(t);
      assert.equal((await op(t, 'POST', '/fixtures', { text })).status, 200);
      assert.deepEqual(await storeContents(t), once);
      const accounts = once.accounts.map((r) => JSON.parse(r) as { guid: string; name: string });
      assert.ok(accounts.some((a) => a.guid === '0f000000000040008000000000000003' && a.name === 'Paying Customer'));
    });

    it('answers a bad file with the line of each problem', async () => {
      const bad = text.replace('roles: [reseller_admin]', 'roles: [reseller_boss]');
      const res = await op(t, 'POST', '/fixtures', { text: bad, file: 'ci.yaml' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'invalid_fixtures');
      const line = bad.split('\n').findIndex((l) => l.includes('reseller_boss')) + 1;
      assert.match(res.body.error.message, new RegExp(`ci\\.yaml:${line}:\\d+: /partners/0/resellers/0/principals/0/roles/0: must be one of`));
    });

    it('a rule the domain enforces names the line of the thing it refused, and leaves the last good load in place', async () => {
      const bad = text.replace('email: pat@paying.example', 'email: not-an-email');
      const line = bad.split('\n').findIndex((l) => l.includes('not-an-email')) + 1;
      const res = await op(t, 'POST', '/fixtures', { text: bad, file: 'ci.yaml' });
      assert.equal(res.status, 400);
      assert.match(res.body.error.message, new RegExp(`ci\\.yaml:${line}:\\d+: /partners/0/resellers/0/customers/0/contacts/0: `));
      assert.equal(res.body.error.details[0].line, line);
      const names = (await t.ctx.db.selectFrom('accounts').select('name').execute()).map((a) => a.name);
      assert.ok(names.includes('Paying Customer'));
    });
  });
}

describe('fixture files', () => {
  it('a syntax error names its line', () => {
    assert.throws(
      () => readFixtureText('partners:\n  - name: A\n    resellers: [\n', 'broken.yaml'),
      (e: FixtureError) => e instanceof FixtureError && e.problems[0].line >= 3 && /broken\.yaml:\d+:\d+/.test(e.message),
    );
  });

  it('docs/fixtures.schema.json is the published schema (regenerate: partnerhub sandbox fixtures-schema > docs/fixtures.schema.json)', () => {
    assert.equal(readFileSync(new URL('../../../docs/fixtures.schema.json', import.meta.url), 'utf8'), fixtureJsonSchema());
  });
});
