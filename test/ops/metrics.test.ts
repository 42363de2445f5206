import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import parsePrometheusTextFormat, { type PromFamily, type PromSample } from 'parse-prometheus-text-format';
import type { FastifyInstance } from 'fastify';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { cccClient } from '../helpers/ccc.js';
import { call as rackspace } from '../faces/rackspace/helpers.js';
import { clientFor as mimecastClient } from '../faces/mimecast/helpers.js';
import { mimecastDate, mimecastHeaders } from '../../src/client/mimecast.js';
import { startScheduler } from '../../src/scheduler.js';

type Scrape = PromFamily[] & { text: string };

/** /metrics in Prometheus text format, read back with a real parser (which throws on a line it cannot read). */
async function scrape(app: FastifyInstance): Promise<Scrape> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return Object.assign(parsePrometheusTextFormat(res.body), { text: res.body });
}

/**
 * How many observations a histogram has for `labels`. The parser folds every labelled series of a histogram
 * into one sample (it keeps only the buckets), so its type comes from the parser and the count from its
 * `_count` line, matched label by label.
 */
function observations(m: Scrape, name: string, labels: Record<string, string>): number {
  assert.equal(m.find((f) => f.name === name)?.type, 'HISTOGRAM', `${name} is a histogram`);
  const lines = m.text.split('\n').filter((l) => l.startsWith(`${name}_count{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  assert.ok(lines.length <= 1, `one ${name} series for ${JSON.stringify(labels)}`);
  return lines.length ? Number(lines[0].split(' ').at(-1)) : 0;
}

function samples(families: PromFamily[], name: string): PromSample[] {
  const family = families.find((f) => f.name === name);
  assert.ok(family, `${name} is exported`);
  return family.metrics;
}

/** The value of the one sample whose labels include `labels` (0 when there is none). */
function valueOf(families: PromFamily[], name: string, labels: Record<string, string>): number {
  const found = samples(families, name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  assert.ok(found.length <= 1, `one sample of ${name} for ${JSON.stringify(labels)}`);
  return found.length ? Number(found[0].value) : 0;
}

for (const kind of STORE_KINDS) {
  describe(`/metrics on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('counts a request of each face under its face, route pattern, method and status', async () => {
      const rs = await rackspace(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}`, format: 'json' });
      assert.equal(rs.status, 200, rs.body);
      const mc = await mimecastClient(t.app, t.clock, fx.reader.mimecast).getAccount();
      assert.equal(mc.status, 200, mc.text);
      await cccClient(t.app, fx.reader.ccc.apiKey).searchServiceStatusChanges({ ServiceGuid: fx.a1.guid });
      const css = await t.app.inject({ method: 'GET', url: '/panel/static/panel.css' });
      assert.equal(css.statusCode, 200);
      assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      assert.equal((await t.app.inject({ method: 'GET', url: '/no/such/page-4711' })).statusCode, 404);

      const m = await scrape(t.app);
      const requests = 'partnerhub_http_requests_total';
      assert.equal(valueOf(m, requests, { face: 'rackspace', route: '/v1/customers/:accountNumber', method: 'GET', status: '200' }), 1);
      assert.equal(valueOf(m, requests, { face: 'mimecast', route: '/api/account/get-account', method: 'POST', status: '200' }), 1);
      assert.equal(valueOf(m, requests, { face: 'ccc', method: 'GET', status: '200' }), 1);
      assert.equal(valueOf(m, requests, { face: 'panel', route: '/panel/static/panel.css', method: 'GET', status: '200' }), 1);
      assert.equal(valueOf(m, requests, { face: 'app', route: '/healthz', method: 'GET', status: '200' }), 1);
      assert.equal(valueOf(m, requests, { face: 'none', route: 'unmatched', method: 'GET', status: '404' }), 1);
      assert.ok(!m.text.includes('4711'), 'an unknown URL is not a label');
      const ccc = samples(m, requests).find((s) => s.labels?.face === 'ccc')!;
      assert.match(ccc.labels!.route, /^\/api\/services\/status/, 'the CCC route is its declared pattern');
      const latency = 'partnerhub_http_request_duration_seconds';
      assert.equal(observations(m, latency, { face: 'mimecast', route: '/api/account/get-account', method: 'POST' }), 1, 'one latency observation');
      assert.equal(observations(m, latency, { face: 'rackspace', route: '/v1/customers/:accountNumber', method: 'GET' }), 1);
    });

    it('puts no account, user or key in any label', async () => {
      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      const secrets = [fx.a1.accountNumber, fx.a1.guid, fx.resellerAdminA.rackspace.userKey, fx.reader.mimecast.accessKey, fx.reader.ccc.apiKey, fx.reader.principal.guid];
      for (const s of secrets) assert.ok(!text.includes(s), `${s} does not appear in /metrics`);
    });

    it('counts replayed request ids and rate-limit refusals by kind of window', async () => {
      const headers = mimecastHeaders(fx.reader.mimecast, '/api/account/get-account', { date: mimecastDate(t.clock.now()), requestId: randomUUID() });
      const send = () => t.app.inject({ method: 'POST', url: '/api/account/get-account', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"data":[]}' });
      assert.equal((await send()).statusCode, 200);
      assert.equal((await send()).statusCode, 401);
      let m = await scrape(t.app);
      assert.equal(valueOf(m, 'partnerhub_refusals_total', { reason: 'replay', window: 'mimecast' }), 1);
      assert.equal(valueOf(m, 'partnerhub_refusals_total', { reason: 'rate_limit', window: 'rackspace' }), 0);

      for (let i = 0; i < t.config.rackspaceReadsPerMinute; i++) {
        assert.equal((await rackspace(t, fx.reader, { method: 'GET', path: '/v1/customers', format: 'json' })).status, 200);
      }
      const refused = await rackspace(t, fx.reader, { method: 'GET', path: '/v1/customers', format: 'json' });
      assert.equal(refused.status, 403, refused.body);
      m = await scrape(t.app);
      assert.equal(valueOf(m, 'partnerhub_refusals_total', { reason: 'rate_limit', window: 'rackspace' }), 1);
    });

    it('counts scheduled job runs and failures', async () => {
      const scheduler = startScheduler(t.app.domain, {
        intervalMs: 0,
        jobs: [
          { name: 'fine', leaseMs: 60_000, run: async () => undefined },
          { name: 'broken', leaseMs: 60_000, run: async () => { throw new Error('boom'); } },
        ],
      });
      await scheduler.tick();
      await scheduler.stop();
      const m = await scrape(t.app);
      assert.equal(valueOf(m, 'partnerhub_job_runs_total', { job: 'fine', outcome: 'ran' }), 1);
      assert.equal(valueOf(m, 'partnerhub_job_runs_total', { job: 'broken', outcome: 'failed' }), 1);
      assert.equal(observations(m, 'partnerhub_job_duration_seconds', { job: 'fine' }), 1);
    });

    it('reports the store connections and the process', async () => {
      const m = await scrape(t.app);
      assert.ok(valueOf(m, 'partnerhub_store_connections', { dialect: kind, state: 'open' }) >= 1);
      if (kind === 'postgres') {
        assert.equal(samples(m, 'partnerhub_store_connections').length, 3, 'open, idle and waiting');
      } else {
        assert.ok(valueOf(m, 'partnerhub_store_size_bytes', {}) > 0);
      }
      assert.ok(valueOf(m, 'process_cpu_user_seconds_total', {}) > 0);
      assert.ok(samples(m, 'nodejs_heap_size_used_bytes').length === 1);
    });
  });
}

describe('/metrics turned off', () => {
  it('is not served, and requests are not counted', async () => {
    const t = await makeTestApp('sqlite', { metrics: false });
    try {
      assert.equal((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
      assert.equal(t.app.domain.observer, undefined);
    } finally {
      await t.close();
    }
  });
});
