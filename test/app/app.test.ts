import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { loadConfig, ConfigError } from '../../src/config.js';

describe('configuration', () => {
  it('uses defaults, then environment, then flags', () => {
    const d = loadConfig({}, {});
    assert.equal(d.port, 8080);
    assert.equal(d.host, '127.0.0.1');
    assert.match(d.databaseUrl, /data\/partnerhub\.db$/);
    assert.equal(loadConfig({}, { PARTNERHUB_PORT: '9000' }).port, 9000);
    assert.equal(loadConfig({ port: '9100' }, { PARTNERHUB_PORT: '9000' }).port, 9100);
    assert.equal(loadConfig({}, { PARTNERHUB_DATABASE_URL: 'postgres://u@h/db' }).databaseUrl, 'postgres://u@h/db');
  });
  it('names the bad setting', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ PARTNERHUB_PORT: '70000' }, /PARTNERHUB_PORT must be between/],
      [{ PARTNERHUB_SECRET_KEY: 'c2hvcnQ=' }, /PARTNERHUB_SECRET_KEY must be base64 of exactly 32 bytes/],
      [{ PARTNERHUB_MIGRATE: 'maybe' }, /PARTNERHUB_MIGRATE must be true or false/],
      [{ PARTNERHUB_LOG_LEVEL: 'loud' }, /--log-level must be one of/],
      [{ PARTNERHUB_BODY_LIMIT: '12' }, /PARTNERHUB_BODY_LIMIT must be between/],
      [{ PARTNERHUB_DATABASE_URL: 'redis://localhost' }, /PARTNERHUB_DATABASE_URL: unsupported database URL scheme/],
      [{ PARTNERHUB_PUBLIC_URL: 'ftp://x' }, /PARTNERHUB_PUBLIC_URL must be an http\(s\) URL/],
      [{ PARTNERHUB_SCHEDULER_INTERVAL_MS: '-1' }, /PARTNERHUB_SCHEDULER_INTERVAL_MS must be a whole number/],
    ];
    for (const [env, re] of bad) assert.throws(() => loadConfig({}, env), (e: Error) => e instanceof ConfigError && re.test(e.message), JSON.stringify(env));
  });
});

describe('HTTP app', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp('sqlite', { bodyLimit: 2048 }, {}, (app) => {
      app.post('/test/echo', async (request) => ({ body: request.body }));
      app.get('/test/boom', async () => {
        throw new Error('database password is hunter2');
      });
    });
  });
  after(async () => t?.close());

  it('answers health and readiness', async () => {
    assert.equal((await t.app.inject('/healthz')).statusCode, 200);
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().store, 'sqlite');
  });

  it('gives every response a request id, honouring one the client sent', async () => {
    const mine = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(mine.headers['x-request-id'], 'abc-123');
    const generated = await t.app.inject('/healthz');
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('parses JSON, form and XML bodies', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/test/echo', payload: { a: 1 } });
    assert.deepEqual(json.json(), { body: { a: 1 } });
    const form = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=Acme+Co&x=1' });
    assert.deepEqual(form.json(), { body: { name: 'Acme Co', x: '1' } });
    const xml = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'text/xml' }, payload: '<customer><name>Acme</name></customer>' });
    assert.deepEqual(xml.json(), { body: { customer: { name: 'Acme' } } });
    const refs = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'text/xml' }, payload: '<customer><name>Caf&#233; &#x2603; &amp; Co</name></customer>' });
    assert.deepEqual(refs.json(), { body: { customer: { name: 'Café ☃ & Co' } } });
  });

  it('refuses malformed and oversized bodies with 4xx, never 500', async () => {
    const badJson = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    assert.equal(badJson.statusCode, 400);
    const badXml = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/xml' }, payload: '<a><b></a>' });
    assert.equal(badXml.statusCode, 400);
    assert.match(badXml.json().message, /Malformed XML/);
    const big = await t.app.inject({ method: 'POST', url: '/test/echo', payload: { a: 'x'.repeat(5000) } });
    assert.equal(big.statusCode, 413);
  });

  it('hides internals of a 500 and answers unknown routes with 404', async () => {
    const boom = await t.app.inject('/test/boom');
    assert.equal(boom.statusCode, 500);
    assert.equal(boom.body.includes('hunter2'), false);
    assert.deepEqual(boom.json(), { error: 'Internal Server Error', message: 'Internal Server Error', statusCode: 500 });
    const missing = await t.app.inject('/nowhere');
    assert.equal(missing.statusCode, 404);
  });
});
