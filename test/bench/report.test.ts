import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareWithBaseline, formatRatio, median, percentile, startupTable, throughputTable, type Measurement } from '../../bench/report.js';
import { parseOptions } from '../../bench/options.js';
import { processCpuUs } from '../../bench/machine.js';

/** The benchmark's pure helpers: the report must divide by the right baseline and print what it measured. */
const m = (server: string, rps: number, extra: Partial<Measurement> = {}): Measurement => ({
  request: server === 'node:http' ? 'any GET' : 'show',
  server,
  baseline: server === 'node:http',
  rps,
  p50: 2,
  p99: 8,
  cpuUs: 50,
  ok: rps * 10,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  seconds: 10,
  ...extra,
});

describe('benchmark report helpers', () => {
  it('percentile is nearest-rank over sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.equal(median([5, 1, 3]), 3);
  });

  it('compares each measurement with the mean of the baseline runs around it (A B A B A)', () => {
    const seq = [m('node:http', 1000), m('partnerhub', 100), m('node:http', 3000), m('peer', 200, { cpuUs: null }), m('node:http', 1000)];
    const compared = compareWithBaseline(seq);
    assert.deepEqual(
      compared.map((c) => [c.m.server, c.base.rps]),
      [
        ['partnerhub', 2000],
        ['peer', 2000],
      ],
    );
    assert.equal(compared[0].base.cpuUs, 50);
  });

  it('uses the one neighbouring baseline at the ends, and refuses a run without any', () => {
    assert.equal(compareWithBaseline([m('partnerhub', 100), m('node:http', 400)])[0].base.rps, 400);
    assert.equal(compareWithBaseline([m('node:http', 500), m('partnerhub', 100)])[0].base.rps, 500);
    assert.throws(() => compareWithBaseline([m('partnerhub', 100)]), /no baseline/);
  });

  it('formats ratios with enough digits to tell small ones apart', () => {
    assert.equal(formatRatio(64, 1000), '0.064×');
    assert.equal(formatRatio(6, 1000), '0.0060×');
    assert.equal(formatRatio(400, 1000), '0.40×');
    assert.equal(formatRatio(2500, 1000), '2.5×');
    assert.equal(formatRatio(27_000, 1000), '27×');
    assert.equal(formatRatio(0, 1000), '0×');
    assert.equal(formatRatio(1, 0), '—');
  });

  it('writes one table row per measurement, with failures shown', () => {
    const table = throughputTable([m('node:http', 1000), m('partnerhub', 100, { non2xx: 3, p50: 4 }), m('node:http', 1000)]);
    const rows = table.split('\n');
    assert.equal(rows.length, 4);
    assert.match(rows[2], /baseline, 2 runs/);
    assert.match(rows[3], /^\| show \| partnerhub \| 100 \| \*\*0\.10×\*\* \| 4\.00 \| 2\.0× \| 8\.00 \| 1\.0× \| 50\.0 \| 1\.0× \| 3 non-2xx \|$/);
    assert.match(startupTable([{ server: 'x', store: 'SQLite', runs: [300, 100, 200] }]), /\| x \| SQLite \| 3 \| 200 \| 100 \| 300 \|/);
  });

  it('parses flags: defaults, --quick, lists, and bad values', () => {
    const full = parseOptions([]);
    assert.deepEqual([full.seconds, full.warmupSeconds, full.connections, full.suites], [10, 3, 100, ['throughput', 'startup']]);
    const quick = parseOptions(['--quick', '--only', 'sqlite,peers']);
    assert.deepEqual([quick.seconds, quick.warmupSeconds, quick.startupRuns, quick.targets], [1, 0.5, 1, ['sqlite', 'peers']]);
    assert.throws(() => parseOptions(['--only', 'mysql']), /--only/);
    assert.throws(() => parseOptions(['--duration', '-1']), /--duration/);
  });

  it('reads a process CPU time from /proc, and null for no such process', () => {
    const own = processCpuUs(process.pid);
    assert.ok(own !== null && own >= 0);
    assert.equal(processCpuUs(2 ** 30), null);
  });
});
