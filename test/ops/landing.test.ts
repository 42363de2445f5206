import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { STORE_KINDS, storeSuiteOptions, freshStoreUrl } from '../helpers/stores.js';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { startServer } from '../../src/server.js';
import { loadConfig } from '../../src/config.js';
import type { DemoCredentials } from '../../src/demo/credentials.js';
import { describeFaces, type LandingFacts } from '../../src/ops/landing.js';

/** The landing page at `/`: HTML for browsers, the same facts as JSON, derived from the running app. */

function html(t: TestApp, accept = 'text/html,application/xhtml+xml,*/*;q=0.8') {
  return t.app.inject({ method: 'GET', url: '/', headers: { accept } });
}

async function json(t: TestApp): Promise<LandingFacts> {
  const res = await t.app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json' } });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  return res.json();
}

for (const kind of STORE_KINDS) {
  describe(`the landing page on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    before(async () => {
      t = await makeTestApp(kind);
    });
    after(async () => t?.close());

    it('names the store, each face with its base paths, and where to go next, as JSON', async () => {
      const facts = await json(t);
      assert.equal(facts.name, 'partnerhub');
      assert.match(facts.version, /^\d+\.\d+\.\d+/);
      assert.equal(facts.store.dialect, kind);
      assert.equal(facts.store.description, t.ts.store.description);
      const faces = Object.fromEntries(facts.faces.map((f) => [f.name, f]));
      assert.deepEqual(Object.keys(faces).sort(), ['ccc', 'mimecast', 'panel', 'rackspace']);
      assert.deepEqual(faces.rackspace.basePaths, ['/v1', '/v0', '/customers', '/v2']);
      assert.deepEqual(faces.mimecast.basePaths, ['/api/account', '/api/provisioning', '/api/login', '/oauth']);
      assert.ok(faces.ccc.basePaths.includes('/api/services') && faces.ccc.basePaths.includes('/api/public'));
      assert.ok(faces.panel.basePaths.includes('/panel') && faces.panel.basePaths.includes('/TokenLogin.aspx'));
      for (const f of facts.faces) assert.equal(f.routes, new Set(t.app.faceRoutes.filter((r) => r.face === f.name).map((r) => `${r.method} ${r.url}`)).size);
      assert.deepEqual(facts.links, { docs: '/docs', openapi: '/openapi.json', panel: '/panel/', health: '/healthz', ready: '/readyz', metrics: '/metrics' });
      assert.equal(facts.demo, null, 'no demo data was loaded');
    });

    it('shows the same facts as HTML, with links a browser can follow', async () => {
      const res = await html(t);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.headers.vary as string, /accept/i);
      const body = res.body;
      assert.match(body, /^<!doctype html>/);
      for (const href of ['/docs', '/openapi.json', '/panel/', '/healthz', '/readyz', '/metrics']) assert.ok(body.includes(`href="${href}"`), `links ${href}`);
      assert.match(body, kind === 'sqlite' ? /SQLite/ : /PostgreSQL/);
      for (const path of ['/v1', '/api/account', '/api/services', '/TokenLogin.aspx']) assert.ok(body.includes(`<code>${path}</code>`), `shows ${path}`);
      for (const face of ['rackspace', 'mimecast', 'ccc', 'panel']) assert.ok(body.includes(`data-face="${face}"`));
      // A browser's Accept header and no Accept header at all both get HTML.
      const bare = await t.app.inject({ method: 'GET', url: '/' });
      assert.match(String(bare.headers['content-type']), /^text\/html/);
    });

    it('prefers HTML or JSON as the Accept weights say', async () => {
      assert.match(String((await html(t, 'application/json;q=0.5, text/html')).headers['content-type']), /^text\/html/);
      assert.match(String((await html(t, 'text/html;q=0.2, application/json')).headers['content-type']), /^application\/json/);
    });
  });
}

describe('the landing page shows no secret', () => {
  it('names the demo credentials by file on a demo server, and no key or PostgreSQL password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnerhub-landing-'));
    const { url, drop } = await freshStoreUrl('postgres');
    // The test server trusts every connection, so a password in the URL is accepted and must not be shown.
    const withPassword = url.replace('postgres://postgres@', 'postgres://postgres:hunter2secret@');
    assert.notEqual(withPassword, url);
    const out = join(dir, 'demo.json');
    const config = loadConfig({ database: withPassword, port: 0, dataDir: dir, logLevel: 'silent', out }, {});
    const server = await startServer({ ...config, schedulerIntervalMs: 0 }, { demo: true, print: () => undefined });
    try {
      const creds: DemoCredentials = JSON.parse(readFileSync(out, 'utf8'));
      const keys = Object.values(creds.principals).flatMap((p) => [p.rackspace.secretKey, p.rackspace.userKey, p.mimecast.secretKey, p.mimecast.accessKey, p.mimecast.appKey, p.ccc.apiKey]);
      const asJson = await server.app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json' } });
      const asHtml = await server.app.inject({ method: 'GET', url: '/' });
      assert.equal(asJson.json().demo.credentialsFile, resolve(out));
      assert.equal(asJson.json().store.dialect, 'postgres');
      for (const body of [asJson.body, asHtml.body]) {
        assert.ok(!body.includes('hunter2secret'), 'no store password');
        for (const key of keys) assert.ok(!body.includes(key), 'no demo key');
        assert.ok(body.includes(resolve(out)), 'names where the demo credentials are');
      }
    } finally {
      await server.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("derives a face's base paths from its mounted scopes", () => {
    // A scope at the root has no prefix of its own: its routes' paths are shown.
    const faces = describeFaces([
      { face: 'panel', prefix: '', method: 'GET', url: '/TokenLogin.aspx', operationId: 'a', auth: false },
      { face: 'panel', prefix: '/panel', method: 'GET', url: '/panel/', operationId: 'b', auth: true },
      { face: 'panel', prefix: '/panel', method: 'POST', url: '/panel/x', operationId: 'c', auth: true },
    ]);
    assert.deepEqual(faces, [{ name: 'panel', title: 'Control panel (HTML, login-token sign-in)', basePaths: ['/TokenLogin.aspx', '/panel'], routes: 3 }]);
  });
});
