/**
 * HTTP-level benchmark: what one request of each face costs through the whole app (routing, signature
 * check, store-held rate window and replay id, domain, encoding), relative to /healthz in the same run.
 * In-process through app.inject(), so the numbers are the server's work without socket noise.
 */
import { performance } from 'node:perf_hooks';
import type { InjectOptions } from 'fastify';
import { makeTestApp, type TestApp } from '../test/helpers/context.js';
import { seedDemo } from '../src/demo/seed.js';
import { signRackspaceRequest } from '../src/client/rackspace.js';
import { mimecastHeaders } from '../src/client/mimecast.js';
import type { StoreKind } from '../test/helpers/stores.js';

async function perRequest(t: TestApp, n: number, make: (i: number) => InjectOptions): Promise<number> {
  for (let i = 0; i < 10; i++) {
    const res = await t.app.inject(make(i));
    if (res.statusCode !== 200) throw new Error(`warm-up got ${res.statusCode}: ${res.body.slice(0, 200)}`);
  }
  const start = performance.now();
  for (let i = 0; i < n; i++) await t.app.inject(make(i));
  return (performance.now() - start) / n;
}

export async function benchHttp(kind: StoreKind): Promise<void> {
  const t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0, mimecastRateLimit: 1_000_000 });
  try {
    t.clock.set(new Date());
    const creds = await seedDemo(t.ctx, 'http://bench');
    const reseller = creds.principals.reseller_admin;
    const reader = creds.principals.account_read;
    const n = 300;
    const rows: [string, number][] = [];
    rows.push(['GET /healthz (baseline)', await perRequest(t, n, () => ({ url: '/healthz' }))]);
    rows.push([
      'Rackspace GET /v1/customers (signed, 28 customers, JSON)',
      await perRequest(t, n, () => ({
        url: '/v1/customers',
        headers: {
          accept: 'application/json',
          'user-agent': 'bench',
          'x-api-signature': signRackspaceRequest({ ...reseller.rackspace, userAgent: 'bench', at: t.clock.now() }),
        },
      })),
    ]);
    rows.push([
      'Rackspace GET /v1/customers?startswith=a (XML)',
      await perRequest(t, n, () => ({
        url: '/v1/customers?startswith=a',
        headers: { accept: 'text/xml', 'user-agent': 'bench', 'x-api-signature': signRackspaceRequest({ ...reseller.rackspace, userAgent: 'bench', at: t.clock.now() }) },
      })),
    ]);
    rows.push([
      'Mimecast POST /api/account/get-support-info (HMAC, replay id, rate window)',
      await perRequest(t, n, () => ({
        method: 'POST',
        url: '/api/account/get-support-info',
        headers: { ...mimecastHeaders(reader.mimecast, '/api/account/get-support-info', { now: () => t.clock.now() }), 'content-type': 'application/json' },
        payload: '{"data":[]}',
      })),
    ]);
    rows.push([
      'CCC GET /api/services/status (PageSize 25, JSON)',
      await perRequest(t, n, () => ({ url: '/api/services/status', headers: { authorization: `Bearer ${reader.ccc.apiKey}` } })),
    ]);
    rows.push([
      'Rackspace v2 GET invoices (reseller, 12 invoices)',
      await perRequest(t, n, () => ({
        url: `/v2/customers/${reseller.account.accountNumber}/invoices`,
        headers: { accept: 'application/json', 'user-agent': 'bench', 'x-api-signature': signRackspaceRequest({ ...reseller.rackspace, userAgent: 'bench', at: t.clock.now() }) },
      })),
    ]);
    const base = rows[0][1];
    console.log(`${kind}: HTTP, in-process (app.inject), ${n} requests each`);
    for (const [label, ms] of rows) console.log(`  ${label.padEnd(76)} ${ms.toFixed(3)} ms  ${(ms / base).toFixed(1)}× baseline`);
  } finally {
    await t.close();
  }
}
