/**
 * Pure helpers of the benchmark report: percentiles, the baseline each measurement is compared with, and
 * the markdown tables. No I/O here, so test/bench/report.test.ts can check them in milliseconds.
 */

/** One load measurement of one server (after its warm-up). */
export interface Measurement {
  /** What was requested, e.g. "signed Rackspace GET /v1/customers/{n}". */
  request: string;
  /** Which server answered: "node:http", "partnerhub SQLite", "json-server 0.17.4" … */
  server: string;
  /** True for the bare node:http runs every other measurement is divided by. */
  baseline: boolean;
  /** 2xx responses per second over the measured seconds. */
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU (user + system) per 2xx response, in microseconds; null when it could not be read. */
  cpuUs: number | null;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
}

export interface Compared {
  m: Measurement;
  /** The mean of the baseline runs just before and just after m (one of them at the ends). */
  base: { rps: number; p50: number; p99: number; cpuUs: number | null };
}

/** Nearest-rank percentile (p in 0…100) of values sorted ascending; NaN for no values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Pairs every non-baseline measurement with the baseline runs that bracket it in run order (A B A B … A),
 * so slow drift of the machine's load cancels out of the ratios as far as it can.
 */
export function compareWithBaseline(sequence: Measurement[]): Compared[] {
  const out: Compared[] = [];
  sequence.forEach((m, i) => {
    if (m.baseline) return;
    const before = [...sequence.slice(0, i)].reverse().find((x) => x.baseline);
    const after = sequence.slice(i + 1).find((x) => x.baseline);
    const around = [before, after].filter((x): x is Measurement => !!x);
    if (around.length === 0) throw new Error(`no baseline measurement around ${m.server} ${m.request}`);
    const cpus = around.map((b) => b.cpuUs).filter((c): c is number => c !== null);
    out.push({
      m,
      base: {
        rps: mean(around.map((b) => b.rps)),
        p50: mean(around.map((b) => b.p50)),
        p99: mean(around.map((b) => b.p99)),
        cpuUs: cpus.length ? mean(cpus) : null,
      },
    });
  });
  return out;
}

/** "0.064×": the measurement over the baseline, with two significant digits for small ratios. */
export function formatRatio(value: number, base: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(base) || base === 0) return '—';
  const r = value / base;
  if (r === 0) return '0×';
  const digits = r >= 10 ? 0 : r >= 1 ? 1 : Math.max(2, 1 - Math.floor(Math.log10(r)));
  return `${r.toFixed(digits)}×`;
}

/** Thousands separated, fixed decimals: 34,012 or 2.41. */
export function formatNumber(value: number | null, decimals = 0): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function problems(m: Measurement): string {
  const bad = [m.ok === 0 && 'no 2xx answer in the measured seconds', m.non2xx && `${m.non2xx} non-2xx`, m.errors && `${m.errors} errors`, m.timeouts && `${m.timeouts} timeouts`].filter(Boolean);
  return bad.length ? bad.join(', ') : '';
}

/** The throughput table: every measurement with its ratios to the baseline that bracketed it. */
export function throughputTable(sequence: Measurement[]): string {
  const lines = [
    '| request | server | req/s | × node:http | p50 ms | × | p99 ms | × | CPU µs/req | × | failures |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const bases = sequence.filter((m) => m.baseline);
  if (bases.length) {
    const rps = bases.map((b) => b.rps);
    const cpu = bases.map((b) => b.cpuUs).filter((c): c is number => c !== null);
    lines.push(
      `| ${bases[0].request} (baseline, ${bases.length} runs, mean; range ${formatNumber(Math.min(...rps))}–${formatNumber(Math.max(...rps))} req/s) | ${bases[0].server} | ` +
        `${formatNumber(mean(rps))} | 1× | ${formatNumber(mean(bases.map((b) => b.p50)), 2)} | 1× | ${formatNumber(mean(bases.map((b) => b.p99)), 2)} | 1× | ` +
        `${formatNumber(cpu.length ? mean(cpu) : null, 1)} | 1× | ${bases.map(problems).filter(Boolean).join('; ')} |`,
    );
  }
  for (const { m, base } of compareWithBaseline(sequence)) {
    lines.push(
      `| ${m.request} | ${m.server} | ${formatNumber(m.rps)} | **${formatRatio(m.rps, base.rps)}** | ${formatNumber(m.p50, 2)} | ${formatRatio(m.p50, base.p50)} | ` +
        `${formatNumber(m.p99, 2)} | ${formatRatio(m.p99, base.p99)} | ${formatNumber(m.cpuUs, 1)} | ${base.cpuUs === null || m.cpuUs === null ? '—' : formatRatio(m.cpuUs, base.cpuUs)} | ${problems(m)} |`,
    );
  }
  return lines.join('\n');
}

/** One start-up series: wall milliseconds from spawn to the first 200 from the ready URL. */
export interface StartupSeries {
  server: string;
  store: string;
  runs: number[];
}

export function startupTable(series: StartupSeries[]): string {
  const lines = ['| server | store | runs | median ms | min ms | max ms |', '|---|---|---:|---:|---:|---:|'];
  for (const s of series) {
    lines.push(
      s.runs.length
        ? `| ${s.server} | ${s.store} | ${s.runs.length} | ${formatNumber(median(s.runs))} | ${formatNumber(Math.min(...s.runs))} | ${formatNumber(Math.max(...s.runs))} |`
        : `| ${s.server} | ${s.store} | 0 | — | — | — |`,
    );
  }
  return lines.join('\n');
}

/** Latency percentiles of one series of answers (ms); NaN for none. */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

export function summarize(latencies: number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** A target of issue 14 ("Scale"): a percentile of one row at most so many ms. They hold at 1,000,000 customers on SQLite. */
export interface ScaleTarget {
  stat: 'p95' | 'p99';
  ms: number;
}

export const SCALE_TARGET_CUSTOMERS = 1_000_000;
export const SCALE_STARTUP_TARGET_MS = 500;

/** The targets are stated for SQLite at 1,000,000 customers; on a smaller or other store they are shown, not judged. */
export function targetApplies(kind: 'sqlite' | 'postgres', customers: number | null): boolean {
  return kind === 'sqlite' && customers !== null && customers >= SCALE_TARGET_CUSTOMERS;
}

function verdict(text: string, value: number, limit: number, applies: boolean): string {
  if (!applies) return `${text} (at 1M, SQLite)`;
  if (!Number.isFinite(value)) return `${text}: not measured`;
  return value <= limit ? `${text}: met` : `${text}: **missed**`;
}

/** One scale row: `requests` sent one after another on one keep-alive connection, every answer checked. */
export interface ScaleRow {
  request: string;
  store: string;
  requests: number;
  /** Answers that were not a 200 passing the row's check, or that failed outright; the first one's problem. */
  failures: number;
  firstFailure: string | null;
  /** Latencies of all answers (ms); not shown when any failed. */
  latency: LatencySummary;
  /** The total the answer reported (index or search matches), when it reports one. */
  matches: number | null;
  target: ScaleTarget | null;
  targetApplies: boolean;
}

export function scaleTable(rows: ScaleRow[]): string {
  const lines = ['| request | store | matches | requests | p50 ms | p95 ms | p99 ms | target | failures |', '|---|---|---:|---:|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const failed = r.failures > 0;
    const ms = (v: number) => (failed ? '—' : formatNumber(v, 2));
    const target = r.target
      ? failed
        ? `${r.target.stat} ≤ ${r.target.ms} ms: not measured`
        : verdict(`${r.target.stat} ≤ ${r.target.ms} ms`, r.latency[r.target.stat], r.target.ms, r.targetApplies)
      : '';
    const failures = failed ? `**${r.failures} of ${r.requests} failed**${r.firstFailure ? `: ${r.firstFailure.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 200)}` : ''}` : '0';
    lines.push(
      `| ${r.request} | ${r.store} | ${formatNumber(r.matches)} | ${r.requests} | ${ms(r.latency.p50)} | ${ms(r.latency.p95)} | ${ms(r.latency.p99)} | ${target} | ${failures} |`,
    );
  }
  return lines.join('\n');
}

/** "1.9 GiB", "740 MiB", "12 KiB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** One store the scale suite measured: what it holds, how big it is, and the server on it. */
export interface ScaleStoreRow {
  store: string;
  kind: 'sqlite' | 'postgres';
  customers: number | null;
  sizeBytes: number | null;
  /** Spawn to first 200 from /readyz, each start on the existing store (ms). */
  startup: number[];
  /** The server's peak RSS over the suite (VmHWM), start-up included. */
  peakRssBytes: number | null;
  /** The server's resident memory at the end of the suite: anonymous (heap, SQLite's page cache) and file-backed. */
  endRss?: { anon: number | null; file: number | null } | null;
}

export function scaleStoreTable(stores: ScaleStoreRow[]): string {
  const lines = [
    '| store | customers | store size | start-up runs | start-up median ms (min–max) | target | server peak RSS | RSS at end: anon / file |',
    '|---|---:|---:|---:|---:|---|---:|---:|',
  ];
  for (const s of stores) {
    const med = s.startup.length ? median(s.startup) : NaN;
    const startup = s.startup.length ? `${formatNumber(med)} (${formatNumber(Math.min(...s.startup))}–${formatNumber(Math.max(...s.startup))})` : '—';
    lines.push(
      `| ${s.store} | ${formatNumber(s.customers)} | ${formatBytes(s.sizeBytes)} | ${s.startup.length} | ${startup} | ` +
        `${verdict(`≤ ${SCALE_STARTUP_TARGET_MS} ms`, med, SCALE_STARTUP_TARGET_MS, targetApplies(s.kind, s.customers))} | ${formatBytes(s.peakRssBytes)} | ` +
        `${s.endRss ? `${formatBytes(s.endRss.anon)} / ${formatBytes(s.endRss.file)}` : '—'} |`,
    );
  }
  return lines.join('\n');
}
