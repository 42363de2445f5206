import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { watchSchemas, type SchemaUse } from '../../src/http/lazy-schemas.js';

/**
 * Route schemas are compiled on first use (src/http/lazy-schemas.ts): a ready app has compiled none, a request
 * compiles its own route's and no other, and every route's schemas do compile (so none waits to fail a request).
 */

const DISCOVER = '/api/login/discover-authentication';

describe('route schemas compiled on first use', () => {
  let env: TestEnv;
  let app: FastifyInstance;
  const deferred: SchemaUse[] = [];
  const compiled: SchemaUse[] = [];
  const registered: RouteOptions[] = [];
  let unwatch: () => void;

  before(async () => {
    unwatch = watchSchemas({ deferred: (u) => void deferred.push(u), compiled: (u) => void compiled.push(u) });
    env = await makeTestEnv('sqlite');
    // The sandbox on, so the operator API's routes are there too.
    const config = { ...loadConfig({ database: env.ts.url, logLevel: 'silent' }, {}), sandbox: true };
    app = await buildApp(config, { store: env.ts.store, clock: env.clock, secrets: env.secrets }, { logger: false, onRoute: (r) => void registered.push(r) });
    await app.ready();
  });
  after(async () => {
    unwatch?.();
    await app?.close();
    await env?.close();
  });

  it('compiles no schema while the app gets ready', () => {
    // Every face's routes were handed over (validators of each face's own compiler, serializers of Fastify's).
    for (const prefix of ['/v1/', '/v2/', '/api/account/', '/api/services/', '/panel/', '/_partnerhub/']) {
      assert.ok(deferred.some((u) => u.kind === 'validator' && u.url.toLowerCase().startsWith(prefix.toLowerCase())), `a validator under ${prefix}`);
    }
    assert.ok(deferred.some((u) => u.kind === 'serializer'));
    assert.ok(deferred.length > 300, `${deferred.length} schemas deferred`);
    assert.deepEqual(compiled, []);
  });

  it("compiles a route's schemas on its first request, and only that route's", async () => {
    const res = await app.inject({ method: 'POST', url: DISCOVER, headers: { 'content-type': 'application/json' }, payload: { data: [{ emailAddress: 'a@b.example' }] } });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(compiled.length > 0);
    assert.deepEqual([...new Set(compiled.map((u) => `${u.method} ${u.url}`))], [`POST ${DISCOVER}`]);
    const once = compiled.length;
    await app.inject({ method: 'POST', url: DISCOVER, headers: { 'content-type': 'application/json' }, payload: { data: [] } });
    assert.equal(compiled.length, once, 'a second request compiles nothing');
  });

  it("compiles every route's schemas without an error", () => {
    for (const use of deferred) assert.doesNotThrow(() => use.compile(), `${use.kind} ${use.method} ${use.url} ${use.part}`);
    assert.equal(compiled.length, deferred.length);
  });

  it('has no header schema, which Fastify would lower-case only for its own eager compiler', () => {
    assert.ok(registered.length > 0);
    assert.deepEqual(
      registered.filter((r) => r.schema?.headers !== undefined).map((r) => `${r.method} ${r.url}`),
      [],
    );
  });
});
