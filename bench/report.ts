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
