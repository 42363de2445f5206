/**
 * `npm run bench`: throughput of partnerhub (SQLite and PostgreSQL) and of two peers against a bare
 * node:http baseline in the same run, and start-up time. Progress goes to stderr; the markdown report to
 * stdout and to a file (paste it into bench/RESULTS.md with what the numbers mean). `--help` lists flags.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { describeMachine, formatLoad, loadAverage, LoadSampler } from './machine.js';
import { CLI, BENCH_ENV, startPartnerhub } from './partnerhub.js';
import { ensurePeersInstalled, peerVersions } from './peers.js';
import { makeStore, throughputSuite, type BenchStore, type SuiteContext } from './throughput.js';
import { startupSuite } from './startup.js';
import { formatNumber, scaleStoreTable, scaleTable, startupTable, throughputTable, type StartupSeries } from './report.js';
import { scaleSuite, type ScaleOutcome } from './scale.js';
import { billingSuite, billingTable, previousMonth, type BillingRow } from './billing.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (line: string) => process.stderr.write(line + '\n');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The servers run from dist/ (as `npm start` does); rebuild when any source file is newer. */
function buildIfStale(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  log('building dist/ (npm run build) …');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

function commit(): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${hash} with uncommitted changes in src/` : hash;
  } catch {
    return 'unknown commit';
  }
}

async function makeStores(opts: BenchOptions, notes: string[]): Promise<BenchStore[]> {
  const stores: BenchStore[] = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (!opts.targets.includes(kind)) continue;
    const store = await makeStore(kind, opts.pgUrl, notes);
    if (store) stores.push(store);
  }
  return stores;
}

interface Outcome {
  ctx: SuiteContext;
  startup: StartupSeries[];
  scale: ScaleOutcome | null;
  billing: BillingRow[];
  loadBefore: [number, number, number];
  loadDuring: ReturnType<LoadSampler['stop']>;
  tools: Record<string, string>;
}

async function runSuites(opts: BenchOptions): Promise<Outcome> {
  const ctx: SuiteContext = {
    load: { connections: opts.connections, warmupSeconds: opts.warmupSeconds, seconds: opts.seconds },
    log,
    notes: [],
    sequence: [],
    firstStarts: [],
    profileDir: opts.profile ? mkdtempSync(join(tmpdir(), 'partnerhub-bench-profiles-')) : null,
    profiles: [],
  };
  if (opts.build) buildIfStale();
  let throughput = opts.suites.includes('throughput');
  if (throughput) {
    try {
      await ensurePeersInstalled(log);
    } catch (e) {
      ctx.notes.push(`bench/peers could not be installed (${(e as Error).message.split('\n')[0]}): no throughput measured, autocannon lives there.`);
      throughput = false;
    }
  }
  const loadBefore = loadAverage();
  log(`${describeMachine()}; load average ${formatLoad(loadBefore)}`);
  const sampler = new LoadSampler();
  // The throughput and start-up suites make stores of their own; the scale suite measures stores given to it.
  const stores = throughput || opts.suites.includes('startup') ? await makeStores(opts, ctx.notes) : [];
  const startup: StartupSeries[] = [];
  let scale: ScaleOutcome | null = null;
  try {
    if (throughput) await throughputSuite(ctx, stores, opts.targets.includes('peers'));
    if (opts.suites.includes('startup')) {
      if (!throughput) for (const s of stores) await (await startPartnerhub(s)).stop(); // seed the demo first
      startup.push(...(await startupSuite(stores, opts.startupRuns, ctx.notes, log)));
    }
  } finally {
    for (const s of stores) await s.drop().catch((e) => ctx.notes.push(`could not drop the ${s.label} store: ${(e as Error).message}`));
  }
  if (opts.suites.includes('scale')) scale = await scaleSuite(opts.scaleStores, { requests: opts.scaleRequests, startupRuns: opts.startupRuns, rows: opts.scaleRows }, ctx.notes, log);
  const billing = opts.suites.includes('billing') ? await billingSuite(opts.billingStores, opts.billingPeriod ?? previousMonth(), ctx.notes, log) : [];
  if (opts.suites.includes('store') || opts.suites.includes('inject')) await inProcessSuites(opts);
  return { ctx, startup, scale, billing, loadBefore, loadDuring: sampler.stop(), tools: peerVersions() };
}

/** The older in-process benchmarks (domain functions; app.inject), printed as they always were. */
async function inProcessSuites(opts: BenchOptions): Promise<void> {
  const kinds = (['sqlite', 'postgres'] as const).filter((k) => opts.targets.includes(k));
  if (opts.suites.includes('store')) {
    const { benchStore } = await import('./store.js');
    for (const kind of kinds) await benchStore(kind);
  }
  if (opts.suites.includes('inject')) {
    const { benchHttp } = await import('./http.js');
    for (const kind of kinds) await benchHttp(kind);
  }
}

function renderReport(opts: BenchOptions, o: Outcome): string {
  const { ctx } = o;
  const title = [opts.suites.includes('throughput') && 'throughput', opts.suites.includes('startup') && 'start-up', opts.suites.includes('scale') && 'scale', opts.suites.includes('billing') && 'billing']
    .filter(Boolean)
    .join(', ');
  const throughputRun = opts.suites.includes('throughput');
  const lines = [
    `## ${new Date().toISOString().slice(0, 10)} — ${title} (\`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ').replace(/\/\/[^@/ ]*@/g, '//')}` : ''}\`)`,
    '',
    `Machine: ${describeMachine()}. partnerhub ${commit()}, run from \`dist/\`.`,
    `Load average (1, 5, 15 min) before the run: ${formatLoad(o.loadBefore)}; 1-minute load during it (${o.loadDuring.n} samples): ` +
      `${o.loadDuring.min.toFixed(2)}–${o.loadDuring.max.toFixed(2)}, mean ${o.loadDuring.mean.toFixed(2)}.`,
    ...(opts.profile ? ['**Profiled run**: every partnerhub child ran under `node --cpu-prof`, which costs it throughput; compare its rows with care.'] : []),
    ...(throughputRun ? [`Load: autocannon ${o.tools.autocannon}, ${opts.connections} connections, ${opts.warmupSeconds} s warm-up then ${opts.seconds} s measured per row, ` +
      'in the benchmark process on the same 2 cores as the server. Every row was measured right after a run of the node:http baseline, ' +
      'and the last one is followed by one; its ratios are to the mean of the two baseline runs around it.'] : []),
    `partnerhub settings: ${Object.entries(BENCH_ENV).map(([k, v]) => `\`${k}=${v}\``).join(', ')} — throttling off, scheduled jobs off, no per-request log lines.`,
  ];
  if (ctx.sequence.length) {
    lines.push(
      '',
      'req/s counts 2xx answers; p50/p99 are their latencies; CPU µs/req is the server process\'s user+system time (from `/proc/<pid>/stat`) ' +
        'over the measured seconds divided by its 2xx answers. Every "×" is the figure over the baseline\'s: above 1× is more requests/s, ' +
        'or slower, or costlier.',
      '',
      throughputTable(ctx.sequence),
    );
  }
  if (ctx.profiles.length) {
    lines.push(
      '',
      `Where each partnerhub row's server CPU went (\`--profile\`: self time by package or source file, share of busy time, the child's own start included; profiles kept in ${ctx.profileDir}):`,
      '',
      ...ctx.profiles.map((p) => `- ${p.row}: ${p.places}`),
    );
  }
  if (ctx.firstStarts.length || o.startup.length) {
    if (o.startup.length) lines.push('', 'Start-up, spawn to first 200 from the ready URL:', '', startupTable(o.startup));
    else lines.push('');
    for (const f of ctx.firstStarts) lines.push(`- first start on an empty ${f.store} store, seeding the demo: ${formatNumber(f.ms)} ms`);
  }
  if (o.scale && (o.scale.rows.length || o.scale.stores.length)) {
    lines.push(
      '',
      `Scale, on stores \`partnerhub demo --scale N\` filled: one keep-alive connection, one request at a time, ${opts.scaleRequests} measured per row after a ` +
        `warm-up of ${Math.max(5, Math.ceil(opts.scaleRequests / 10))}; each a distinct valid request (Rackspace signature, Mimecast request id) made before its clock starts, ` +
        'timed from sending to the last byte of the answer; every answer must be a 200 (Mimecast: with no `fail`), a row with any failure shows no latency. ' +
        'Rackspace and CCC ask as the demo reseller admin (its reseller holds about half the customers); the status search covers 180–240 days before the demo was seeded. ' +
        'Targets (issue 14) hold at 1,000,000 customers on SQLite; on other stores they are shown, not judged.',
      '',
      scaleTable(o.scale.rows),
      '',
      'Stores (size after the run; start-up is spawn to the first 200 from `/readyz`, the first start being the one measured on; peak RSS is the server\'s VmHWM over the suite):',
      '',
      scaleStoreTable(o.scale.stores),
    );
  }
  if (o.billing.length) {
    lines.push(
      '',
      'Billing (issue 14: a run over 1,000,000 customers in 5 minutes, linear in accounts; its largest CSV streamed in 200 MB of RSS), on copies of ' +
        'filled stores whose period was deleted first. Run and CLI CSV are `partnerhub billing run|csv` children (peak RSS: VmHWM sampled every 50 ms); ' +
        'the server CSV is `GET /v2/customers/{n}/invoices/{id}` as the reseller admin, the body read as fast as it comes; RSS before is the server\'s VmHWM once ready.',
      '',
      billingTable(o.billing),
    );
  }
  if (ctx.notes.length) lines.push('', 'Notes:', '', ...ctx.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}

const opts = (() => {
  try {
    return parseOptions(process.argv.slice(2), process.env);
  } catch (e) {
    log(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
})();
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const outcome = await runSuites(opts);
if (['throughput', 'startup', 'scale', 'billing'].some((s) => opts.suites.includes(s as (typeof opts.suites)[number]))) {
  const report = renderReport(opts, outcome);
  const file = resolve(ROOT, opts.out ?? `.tmp/bench/report-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, report);
  writeFileSync(file.replace(/\.md$/, '') + '.json', JSON.stringify({ options: opts, ...outcome }, null, 2) + '\n');
  process.stdout.write(report);
  log(`report written to ${file}`);
}
