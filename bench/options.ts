/** `npm run bench -- [flags]`: the flags, their defaults, and what `--quick` changes. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export const SUITES = ['throughput', 'startup', 'store', 'inject', 'scale', 'billing'] as const;
export type Suite = (typeof SUITES)[number];
export const TARGETS = ['sqlite', 'postgres', 'peers'] as const;
export type TargetGroup = (typeof TARGETS)[number];

/**
 * A store `partnerhub demo --scale N` filled, for the scale suite: its data dir (where the demo credentials
 * are) and its database (the SQLite file in that dir, or a PostgreSQL URL).
 */
export interface ScaleStoreSpec {
  kind: 'sqlite' | 'postgres';
  dataDir: string;
  databaseUrl: string;
}

export const SCALE_STORE_ENV = 'PARTNERHUB_BENCH_SCALE_STORE';
export const PREPARE_SCALE_STORE = 'partnerhub demo --scale 1000000 --data-dir .tmp/scale-sqlite';

export interface BenchOptions {
  quick: boolean;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  startupRuns: number;
  suites: Suite[];
  targets: TargetGroup[];
  out: string | null;
  build: boolean;
  profile: boolean;
  pgUrl: string;
  /** The stores the scale suite measures (none: it is skipped with a note). */
  scaleStores: ScaleStoreSpec[];
  /** Requests per scale row, after a warm-up of a tenth of them. */
  scaleRequests: number;
  /** Stores the billing suite rewrites (copies of filled ones), and the month it bills (default: the last one). */
  billingStores: ScaleStoreSpec[];
  billingPeriod: string | null;
  /** Only the scale rows whose request names one of these (case-insensitive); empty: every row. */
  scaleRows: string[];
  help: boolean;
}

export const USAGE = `npm run bench -- [flags]
  --quick               smoke run of about a minute: 0.5 s warm-up, 1 s per measurement, 1 start-up each
  --duration S          seconds per measurement (default 10)
  --warmup S            warm-up seconds before each measurement (default 3)
  --connections N       concurrent connections (default 100)
  --startup-runs N      start-ups per server (default 5)
  --suite LIST          ${SUITES.join(',')} (default throughput,startup)
  --only LIST           ${TARGETS.join(',')} (default all)
  --out FILE            markdown report (default .tmp/bench/report-<time>.md)
  --no-build            use dist/ as it is (default: npm run build when src/ is newer)
  --profile             run each partnerhub row in its own child under node --cpu-prof and report
                        where its CPU went (slower: profiling costs throughput; figures are marked)
  --scale-store LIST    for --suite scale: stores \`${PREPARE_SCALE_STORE}\` filled, comma-separated;
                        each a data dir (SQLite, DIR/partnerhub.db) or DIR=postgres://… (the data dir holding
                        demo-credentials.json, then the database); default \$${SCALE_STORE_ENV}
  --scale-requests N    requests per scale row, one keep-alive connection, one at a time (default 200)
  --billing-store LIST  for --suite billing: COPIES of filled stores (as --scale-store); the suite deletes the
                        period's invoices, bills it again, then streams the largest invoice's CSV (CLI, server)
  --billing-period M    the month billed, YYYY-MM (default: the previous month)
  --scale-rows LIST     only the scale rows whose request names one of these words, comma-separated,
                        e.g. "index" or "startswith,contains" (default every row)
  PARTNERHUB_TEST_DATABASE_URL  PostgreSQL (default postgres://postgres@127.0.0.1:5432/test)
  ${SCALE_STORE_ENV}  the --scale-store list when the flag is not given`;

function list<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T[], flag: string): T[] {
  if (value === undefined) return fallback;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !allowed.includes(s as T));
  if (bad.length || !items.length) throw new Error(`${flag} takes a comma-separated list of ${allowed.join(', ')}; got "${value}"`);
  return items as T[];
}

function positive(value: string | undefined, fallback: number, flag: string, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`${flag} must be a positive ${integer ? 'whole ' : ''}number; got "${value}"`);
  return n;
}

/**
 * The --scale-store list: "DIR" is a SQLite store in DIR; "DIR=postgres://…" a PostgreSQL one whose demo
 * credentials are in DIR. A bare URL is refused: the suite signs with the credentials demo --scale wrote.
 */
export function parseScaleStores(value: string | undefined): ScaleStoreSpec[] {
  if (value === undefined || !value.trim()) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item): ScaleStoreSpec => {
      const pg = /^(.*?)=(postgres(?:ql)?:\/\/.*)$/.exec(item);
      if (pg) {
        if (!pg[1]) throw new Error(`--scale-store: "${item}" names no data dir before the "="`);
        return { kind: 'postgres', dataDir: pg[1], databaseUrl: pg[2] };
      }
      if (/^postgres(?:ql)?:\/\//.test(item)) {
        throw new Error(`--scale-store: a PostgreSQL store is DIR=${item}, DIR being the --data-dir demo --scale wrote demo-credentials.json to`);
      }
      return { kind: 'sqlite', dataDir: item, databaseUrl: join(item, 'partnerhub.db') };
    });
}

function period(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new Error(`--billing-period must be a month as YYYY-MM; got "${value}"`);
  return value;
}

export function parseOptions(argv: string[], env: Record<string, string | undefined> = {}): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'startup-runs': { type: 'string' },
      suite: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'scale-store': { type: 'string' },
      'scale-requests': { type: 'string' },
      'billing-store': { type: 'string' },
      'billing-period': { type: 'string' },
      'scale-rows': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  const warmup = values.warmup === '0' ? 0 : positive(values.warmup, quick ? 0.5 : 3, '--warmup');
  return {
    quick,
    connections: positive(values.connections, 100, '--connections', true),
    warmupSeconds: warmup,
    seconds: positive(values.duration, quick ? 1 : 10, '--duration'),
    startupRuns: positive(values['startup-runs'], quick ? 1 : 5, '--startup-runs', true),
    suites: list(values.suite, SUITES, ['throughput', 'startup'], '--suite'),
    targets: list(values.only, TARGETS, [...TARGETS], '--only'),
    out: values.out ?? null,
    build: !values['no-build'],
    profile: values.profile ?? false,
    pgUrl: env.PARTNERHUB_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    scaleStores: parseScaleStores(values['scale-store'] ?? env[SCALE_STORE_ENV]),
    scaleRequests: positive(values['scale-requests'], quick ? 20 : 200, '--scale-requests', true),
    billingStores: parseScaleStores(values['billing-store']),
    billingPeriod: period(values['billing-period']),
    scaleRows: (values['scale-rows'] ?? '').split(',').map((w) => w.trim()).filter(Boolean),
    help: values.help ?? false,
  };
}
