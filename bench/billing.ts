/**
 * `npm run bench -- --suite billing --billing-store DIR`: issue 14's billing targets on a store `partnerhub
 * demo --scale N` filled. It REWRITES the store: the period's invoices (the demo issued them for its own 56
 * customers) are deleted and the period billed again, so give it a copy (`cp -r /tmp/m1 /tmp/billing-1m`),
 * never a store someone else reads. For each store: the run (`partnerhub billing run`, a child: wall, CPU
 * and peak RSS), then the largest invoice's CSV through the CLI (`billing csv`, stdout counted here) and
 * through a server (`GET /v2/customers/{n}/invoices/{id}` as the reseller admin, the body counted here).
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/connect.js';
import { signRackspaceRequest } from '../src/client/rackspace.js';
import { processCpuUs, processMemory } from './machine.js';
import type { ScaleStoreSpec } from './options.js';
import { BENCH_ENV, CLI, readDemoCredentials, startPartnerhub, type PartnerhubStore } from './partnerhub.js';
import { formatBytes, formatNumber } from './report.js';

export interface ChildFigures {
  wallS: number;
  cpuS: number | null;
  peakRss: number | null;
}

export interface BillingRow {
  store: string;
  customers: number;
  period: string;
  invoices: number;
  lines: number;
  run: ChildFigures;
  /** The CSV of the period's largest invoice. */
  csv: { invoiceId: number; lines: number; bytes: number; cli: ChildFigures; server: (ChildFigures & { rssBefore: number | null; account: string }) | null } | null;
}

/** The previous calendar month (UTC) of now: the latest period that can be billed. */
export function previousMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Applies migrations, counts the customers and deletes the period's invoices so it can be billed again. */
async function preparePeriod(spec: ScaleStoreSpec, period: string): Promise<number> {
  const store = await openStore(spec.databaseUrl);
  try {
    const db = store.db;
    const n = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'customer').executeTakeFirstOrThrow();
    await db.transaction().execute(async (trx) => {
      const ids = trx.selectFrom('invoices').select('id').where('period', '=', period);
      await trx.deleteFrom('invoice_lines').where('invoice_id', 'in', ids).execute();
      await trx.deleteFrom('invoices').where('period', '=', period).execute();
      await trx.deleteFrom('billing_runs').where('period', '=', period).execute();
    });
    return Number(n.n);
  } finally {
    await store.close();
  }
}

/** Runs the built CLI as a child, sampling its CPU and peak RSS from /proc until it exits. */
function watchCli(store: PartnerhubStore, args: string[], onStdout: (chunk: Buffer) => void): Promise<ChildFigures> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args, '--data-dir', store.dataDir, '--database', store.databaseUrl], {
    env: { ...process.env, ...BENCH_ENV, PARTNERHUB_MIGRATE: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let cpuUs: number | null = null;
  let peakRss: number | null = null;
  const sample = () => {
    cpuUs = processCpuUs(child.pid!) ?? cpuUs;
    peakRss = processMemory(child.pid!)?.peakRss ?? peakRss;
  };
  const timer = setInterval(sample, 50);
  let stderr = '';
  child.stdout.on('data', onStdout);
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-2000)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`partnerhub ${args.slice(0, 2).join(' ')} exited ${code}: ${stderr.trim().split('\n').pop()}`));
      // The last sample is at most 50 ms old: the CPU of the child's last moments is missed, not its peak RSS (VmHWM only grows).
      else resolve({ wallS: (performance.now() - started) / 1000, cpuS: cpuUs === null ? null : cpuUs / 1e6, peakRss });
    });
  });
}

function counter() {
  const c = { bytes: 0, lines: 0, take: (chunk: Buffer) => {
    c.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) c.lines++;
  } };
  return c;
}

/** The CSV through a server, as the reseller admin whose reseller the invoice bills. */
async function serverCsv(store: PartnerhubStore, account: string, invoiceId: number): Promise<NonNullable<NonNullable<BillingRow['csv']>['server']>> {
  const server = await startPartnerhub(store);
  try {
    // Read once the server is up: `serve --demo` writes the data dir's credentials file.
    const creds = readDemoCredentials(store.dataDir).principals.reseller_admin.rackspace;
    const rssBefore = processMemory(server.pid)?.peakRss ?? null;
    const cpuBefore = processCpuUs(server.pid);
    const started = performance.now();
    const userAgent = 'partnerhub-bench/billing';
    const res = await fetch(`${server.url}/v2/customers/${account}/invoices/${invoiceId}`, { headers: { 'user-agent': userAgent, 'x-api-signature': signRackspaceRequest({ ...creds, userAgent }) } });
    if (res.status !== 200 || !res.body) throw new Error(`the server answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const c = counter();
    for await (const chunk of res.body) c.take(Buffer.from(chunk));
    const cpuAfter = processCpuUs(server.pid);
    return {
      account,
      wallS: (performance.now() - started) / 1000,
      cpuS: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / 1e6,
      peakRss: processMemory(server.pid)?.peakRss ?? null,
      rssBefore,
    };
  } finally {
    await server.stop();
  }
}

async function billingStore(spec: ScaleStoreSpec, period: string, notes: string[], log: (line: string) => void): Promise<BillingRow> {
  const store: PartnerhubStore = { label: spec.kind === 'sqlite' ? `SQLite \`${spec.dataDir}\`` : `PostgreSQL \`${spec.dataDir}\``, databaseUrl: spec.databaseUrl, dataDir: spec.dataDir };
  log(`billing: ${store.label}: deleting the invoices of ${period} …`);
  const customers = await preparePeriod(spec, period);
  log(`billing: ${store.label}: billing ${period} for ${customers.toLocaleString('en-US')} customers …`);
  let json = '';
  const run = await watchCli(store, ['billing', 'run', '--period', period, '--json'], (c) => (json += c.toString('utf8')));
  const result = JSON.parse(json) as { issued: { invoiceId: number; accountNumber: string; lineCount: number }[]; failed: unknown[] };
  if (result.failed.length) notes.push(`billing: ${store.label}: ${result.failed.length} invoice(s) failed in the run`);
  const row: BillingRow = { store: store.label, customers, period, invoices: result.issued.length, lines: result.issued.reduce((s, i) => s + i.lineCount, 0), run, csv: null };
  // The reseller admin's reseller's invoice: the one the server can be asked for with the demo's credentials.
  const reseller = readDemoCredentials(spec.dataDir).principals.reseller_admin.account.accountNumber;
  const largest = [...result.issued].sort((a, b) => b.lineCount - a.lineCount)[0];
  const invoice = result.issued.find((i) => i.accountNumber === reseller) ?? largest;
  if (!invoice) return row;
  log(`billing: ${store.label}: invoice ${invoice.invoiceId} (${invoice.lineCount.toLocaleString('en-US')} lines) as CSV through the CLI …`);
  const c = counter();
  const cli = await watchCli(store, ['billing', 'csv', String(invoice.invoiceId)], c.take);
  row.csv = { invoiceId: invoice.invoiceId, lines: c.lines - 1, bytes: c.bytes, cli, server: null };
  if (invoice.accountNumber !== reseller) {
    notes.push(`billing: ${store.label}: no invoice of the reseller admin's reseller ${reseller}: the CSV was not asked of a server`);
    return row;
  }
  log(`billing: ${store.label}: … and through a server …`);
  try {
    row.csv.server = await serverCsv(store, reseller, invoice.invoiceId);
  } catch (e) {
    notes.push(`billing: ${store.label}: the server's CSV failed: ${(e as Error).message.split('\n')[0]}`);
  }
  return row;
}

export async function billingSuite(specs: ScaleStoreSpec[], period: string, notes: string[], log: (line: string) => void): Promise<BillingRow[]> {
  if (!specs.length) {
    notes.push('billing: skipped, no store given. Copy a filled store (it is rewritten) and pass it: `npm run bench -- --suite billing --billing-store /tmp/billing-1m`.');
    return [];
  }
  const rows: BillingRow[] = [];
  for (const spec of specs) {
    try {
      rows.push(await billingStore(spec, period, notes, log));
    } catch (e) {
      notes.push(`billing: ${spec.dataDir}: stopped: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return rows;
}

const seconds = (f: ChildFigures | null | undefined) => (f ? `${formatNumber(f.wallS, 1)} s (CPU ${f.cpuS === null ? '—' : `${formatNumber(f.cpuS, 1)} s`})` : '—');

/** Targets (issue 14): the run in 5 minutes at 1,000,000 customers, the CSV streamed in 200 MB of RSS. */
export function billingTable(rows: BillingRow[]): string {
  const out = [
    '| store | customers | period | invoices | lines | run: wall (CPU) | run peak RSS | CSV lines | CSV, CLI: wall (CPU) | CLI peak RSS | CSV, server: wall (CPU) | server RSS before → peak |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const s = r.csv?.server;
    out.push(
      `| ${r.store} | ${r.customers.toLocaleString('en-US')} | ${r.period} | ${r.invoices} | ${r.lines.toLocaleString('en-US')} | ${seconds(r.run)} | ${formatBytes(r.run.peakRss)} | ` +
        `${r.csv ? r.csv.lines.toLocaleString('en-US') : '—'} | ${seconds(r.csv?.cli)} | ${formatBytes(r.csv?.cli.peakRss ?? null)} | ${seconds(s)} | ` +
        `${s ? `${formatBytes(s.rssBefore)} → ${formatBytes(s.peakRss)}` : '—'} |`,
    );
  }
  return out.join('\n');
}
