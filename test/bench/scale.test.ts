import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, scaleStoreTable, scaleTable, summarize, targetApplies, type ScaleRow } from '../../bench/report.js';
import { parseOptions, parseScaleStores, SCALE_STORE_ENV } from '../../bench/options.js';
import { SCALE_REQUESTS, scaleRowsNamed } from '../../bench/scale.js';
import { processMemory } from '../../bench/machine.js';

/** The scale suite's pure parts: its flags, its percentiles, and a table that judges targets only where they apply. */
const row = (extra: Partial<ScaleRow> = {}): ScaleRow => ({
  request: 'show',
  store: 'SQLite `x`',
  requests: 200,
  failures: 0,
  firstFailure: null,
  latency: { n: 200, p50: 1, p95: 1.5, p99: 2.5 },
  matches: null,
  target: { stat: 'p99', ms: 2 },
  targetApplies: true,
  ...extra,
});

describe('benchmark scale suite', () => {
  it('parses --scale-store: a SQLite data dir, DIR=postgres://…, the env var, and refuses a bare URL', () => {
    assert.deepEqual(parseScaleStores('/a, b=postgres://u:p@h/db?schema=s'), [
      { kind: 'sqlite', dataDir: '/a', databaseUrl: '/a/partnerhub.db' },
      { kind: 'postgres', dataDir: 'b', databaseUrl: 'postgres://u:p@h/db?schema=s' },
    ]);
    assert.deepEqual(parseScaleStores(''), []);
    assert.throws(() => parseScaleStores('postgres://h/db'), /DIR=postgres/);
    assert.throws(() => parseScaleStores('=postgresql://h/db'), /no data dir/);
    assert.deepEqual(parseOptions(['--suite', 'scale'], { [SCALE_STORE_ENV]: '/env' }).scaleStores.map((s) => s.dataDir), ['/env']);
    assert.deepEqual(parseOptions(['--scale-store', '/flag'], { [SCALE_STORE_ENV]: '/env' }).scaleStores.map((s) => s.dataDir), ['/flag']);
    assert.equal(parseOptions([]).scaleRequests, 200);
    assert.equal(parseOptions(['--quick']).scaleRequests, 20);
    assert.equal(parseOptions(['--scale-requests', '50']).scaleRequests, 50);
    assert.throws(() => parseOptions(['--scale-requests', '2.5']), /--scale-requests/);
    assert.deepEqual(parseOptions([]).scaleRows, []);
    assert.deepEqual(parseOptions(['--scale-rows', 'startswith, contains']).scaleRows, ['startswith', 'contains']);
  });

  it('measures every row, or the rows named', () => {
    assert.equal(scaleRowsNamed([]).length, SCALE_REQUESTS.length);
    assert.deepEqual(scaleRowsNamed(['STARTSWITH', 'contains']).map((k) => k.request), SCALE_REQUESTS.filter((k) => /startswith|contains/.test(k.request)).map((k) => k.request));
    assert.equal(scaleRowsNamed(['contains']).length, 2);
  });

  it('summarizes latencies as nearest-rank p50/p95/p99', () => {
    const s = summarize(Array.from({ length: 200 }, (_, i) => 200 - i));
    assert.deepEqual(s, { n: 200, p50: 100, p95: 190, p99: 198 });
    assert.ok(Number.isNaN(summarize([]).p95));
  });

  it('judges targets at 1,000,000 customers on SQLite only', () => {
    assert.equal(targetApplies('sqlite', 1_000_000), true);
    assert.equal(targetApplies('sqlite', 999_999), false);
    assert.equal(targetApplies('postgres', 2_000_000), false);
    assert.equal(targetApplies('sqlite', null), false);
  });

  it('writes a row per request: met, missed, not judged, and failures instead of latencies', () => {
    const rows = scaleTable([
      row({ latency: { n: 200, p50: 1, p95: 1.5, p99: 1.9 }, matches: 500_000 }),
      row(),
      row({ targetApplies: false }),
      row({ failures: 3, firstFailure: 'GET /x answered 500: a|b', target: null }),
    ]).split('\n');
    assert.equal(rows.length, 6);
    assert.match(rows[2], /^\| show \| SQLite `x` \| 500,000 \| 200 \| 1\.00 \| 1\.50 \| 1\.90 \| p99 ≤ 2 ms: met \| 0 \|$/);
    assert.match(rows[3], /p99 ≤ 2 ms: \*\*missed\*\*/);
    assert.match(rows[4], /p99 ≤ 2 ms \(at 1M, SQLite\)/);
    assert.match(rows[5], /\| — \| — \| — \|  \| \*\*3 of 200 failed\*\*: GET \/x answered 500: a\\\|b \|$/);
  });

  it('writes the store table with size, start-up against 500 ms, and peak RSS', () => {
    const table = scaleStoreTable([
      { store: 'SQLite `x`', kind: 'sqlite', customers: 1_000_000, sizeBytes: 3 * 2 ** 30, startup: [600, 400, 450], peakRssBytes: 300 * 2 ** 20, endRss: { anon: 200 * 2 ** 20, file: 40 * 2 ** 20 } },
      { store: 'PostgreSQL `y`', kind: 'postgres', customers: null, sizeBytes: null, startup: [], peakRssBytes: null },
    ]);
    const rows = table.split('\n');
    assert.match(rows[2], /^\| SQLite `x` \| 1,000,000 \| 3\.0 GiB \| 3 \| 450 \(400–600\) \| ≤ 500 ms: met \| 300 MiB \| 200 MiB \/ 40\.0 MiB \|$/);
    assert.match(rows[3], /^\| PostgreSQL `y` \| — \| — \| 0 \| — \| ≤ 500 ms \(at 1M, SQLite\) \| — \| — \|$/);
    assert.equal(formatBytes(512), '512 B');
    const own = processMemory(process.pid);
    assert.ok(own && own.peakRss > 0 && own.rssAnon !== null);
    assert.equal(processMemory(2 ** 30), null);
    assert.equal(formatBytes(1536), '1.5 KiB');
  });

  it('asks what the brief names, with the targets of issue 14', () => {
    const targets = Object.fromEntries(SCALE_REQUESTS.map((k) => [k.request, k.target && `${k.target.stat} ${k.target.ms}`]));
    assert.equal(SCALE_REQUESTS.length, 8);
    assert.equal(targets['signed Rackspace show `GET /v1/customers/{n}`'], 'p99 2');
    assert.equal(Object.values(targets).filter((t) => t === 'p95 20').length, 5);
  });
});
