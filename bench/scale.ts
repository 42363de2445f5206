/**
 * The scale suite (issue 14, "Scale"): latency of the reads that grow with the store, against a store
 * `partnerhub demo --scale N` filled beforehand (the bench never fills one). One keep-alive client sends the
 * requests one after another, so each figure is one request's own time on an idle server, not queueing;
 * every answer is checked. Also the store's size and customer count, the start-up time to /readyz on it,
 * and the server's peak RSS over the suite.
 */
import { request as httpRequest, Agent } from 'node:http';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { BenchRequest } from './load.js';
import { processMemory } from './machine.js';
import { PREPARE_SCALE_STORE, type ScaleStoreSpec } from './options.js';
import { cccGet, mimecastOk, mimecastPost, rackspaceGet, readDemoCredentials, runCli, startPartnerhub, type Customer, type PartnerhubStore } from './partnerhub.js';
import type { RunningChild } from './procs.js';
import { summarize, targetApplies, type ScaleRow, type ScaleStoreRow, type ScaleTarget } from './report.js';
import type { DemoCredentials } from '../src/demo/credentials.js';

const DAY_MS = 86_400_000;

export interface ScaleFixture {
  creds: DemoCredentials;
  /** Customers of the reseller admin's reseller, from the index's first page (the show cycles through them). */
  customers: Customer[];
  /**
   * A 60-day window of status changes. demo --scale gives each customer ten changes 33 days apart,
   * starting 335–365 days before the fill, so 180–240 days before the demo's seed every customer has one or two.
   */
  window: { after: string; before: string };
}

export interface ScaleRequestKind {
  request: string;
  target: ScaleTarget | null;
  /** Where in the matches the page starts, for noting a page past the end on a small store. */
  reach?: number;
  make(fx: ScaleFixture): (i: number) => BenchRequest;
  check?(body: string): string | null;
  /** The total the answer reports (index total, search totalItems). */
  matches?(body: string): number | null;
}

const rackspaceTotal = (body: string): number | null => {
  const doc = JSON.parse(body) as { total?: number };
  return typeof doc.total === 'number' ? doc.total : null;
};

const cccTotal = (body: string): number | null => {
  const doc = JSON.parse(body) as { totalItems?: number; TotalItems?: number };
  return doc.totalItems ?? doc.TotalItems ?? null;
};

const statusSearch = (fx: ScaleFixture, page: number) => {
  const reseller = fx.creds.principals.reseller_admin.account.guid;
  const q = new URLSearchParams({ ResellerGuid: reseller, ChangedAfterDateTime: fx.window.after, ChangedBeforeDateTime: fx.window.before, PageSize: '25', Page: String(page) });
  return cccGet(fx, 'reseller_admin', () => `/api/services/status?${q}`);
};

export const SCALE_REQUESTS: ScaleRequestKind[] = [
  { request: 'Rackspace index, first page (`GET /v1/customers`)', target: { stat: 'p95', ms: 20 }, make: (fx) => rackspaceGet(fx, () => '/v1/customers'), matches: rackspaceTotal },
  { request: 'Rackspace index `?startswith=Ac`', target: { stat: 'p95', ms: 20 }, make: (fx) => rackspaceGet(fx, () => '/v1/customers?startswith=Ac'), matches: rackspaceTotal },
  { request: 'Rackspace index `?contains=dental`, first page', target: { stat: 'p95', ms: 20 }, make: (fx) => rackspaceGet(fx, () => '/v1/customers?contains=dental'), matches: rackspaceTotal },
  {
    request: 'Rackspace index `?contains=dental&offset=5000`',
    target: null,
    reach: 5000,
    make: (fx) => rackspaceGet(fx, () => '/v1/customers?contains=dental&offset=5000'),
    matches: rackspaceTotal,
  },
  {
    request: 'signed Rackspace show `GET /v1/customers/{n}`',
    target: { stat: 'p99', ms: 2 },
    make: (fx) => rackspaceGet(fx, (i) => `/v1/customers/${fx.customers[i % fx.customers.length].accountNumber}`),
  },
  { request: 'CCC status search, reseller, 60 days, `Page=1`', target: { stat: 'p95', ms: 20 }, make: (fx) => statusSearch(fx, 1), matches: cccTotal },
  { request: 'CCC status search, reseller, 60 days, `Page=1000`', target: { stat: 'p95', ms: 20 }, reach: 999 * 25, make: (fx) => statusSearch(fx, 1000), matches: cccTotal },
  {
    request: 'Mimecast `get-account` (a customer admin)',
    target: null,
    make: (fx) => mimecastPost(fx, 'customer_admin', '/api/account/get-account', () => '{"data":[]}'),
    check: mimecastOk,
  },
];

interface Answer {
  status: number;
  body: string;
  ms: number;
  reused: boolean;
}

/** One request on the agent's one socket; the time is from sending it to the answer's last byte. */
function send(agent: Agent, base: string, req: BenchRequest): Promise<Answer> {
  const url = new URL(base);
  return new Promise((done, fail) => {
    const started = performance.now();
    const r = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started, reused: r.reusedSocket }));
      res.on('error', fail);
    });
    r.setTimeout(30_000, () => r.destroy(new Error('timed out after 30 s')));
    r.on('error', fail);
    r.end(req.body);
  });
}

/** What is wrong with an answer (not a 200, or the row's check fails), or null. */
function problemOf(kind: ScaleRequestKind, req: BenchRequest, a: Answer): string | null {
  if (a.status !== 200) return `${req.method} ${req.path} answered ${a.status}: ${a.body.slice(0, 200)}`;
  try {
    return kind.check ? kind.check(a.body) : null;
  } catch (e) {
    return `unreadable answer: ${(e as Error).message}`;
  }
}

export interface ScaleRunOptions {
  requests: number;
  startupRuns: number;
  /** Only the rows whose request names one of these (case-insensitive); empty: every row. */
  rows?: string[];
}

/** The rows a run measures: every row, or those whose request names one of the words. */
export function scaleRowsNamed(words: string[] = []): ScaleRequestKind[] {
  if (!words.length) return SCALE_REQUESTS;
  return SCALE_REQUESTS.filter((k) => words.some((w) => k.request.toLowerCase().includes(w.toLowerCase())));
}

export interface ScaleOutcome {
  rows: ScaleRow[];
  stores: ScaleStoreRow[];
}

/** A warm-up of a tenth of the requests (at least 5), then `requests` measured; distinct indices, so distinct signatures. */
export async function measureRow(
  agent: Agent,
  base: string,
  kind: ScaleRequestKind,
  fx: ScaleFixture,
  requests: number,
  label: { store: string; applies: boolean },
): Promise<ScaleRow & { newConnections: number }> {
  const make = kind.make(fx);
  const warmup = Math.max(5, Math.ceil(requests / 10));
  let failures = 0;
  let firstFailure: string | null = null;
  let matches: number | null = null;
  let newConnections = 0;
  const latencies: number[] = [];
  for (let i = 0; i < warmup + requests; i++) {
    const req = make(i); // signed before the clock starts
    let problem: string | null;
    let answer: Answer | null = null;
    try {
      answer = await send(agent, base, req);
      problem = problemOf(kind, req, answer);
    } catch (e) {
      problem = `${req.method} ${req.path} failed: ${(e as Error).message}`;
    }
    if (i < warmup) continue;
    if (answer && !answer.reused) newConnections++;
    if (problem) {
      failures++;
      firstFailure ??= problem;
      continue;
    }
    latencies.push(answer!.ms);
    if (matches === null && kind.matches) {
      try {
        matches = kind.matches(answer!.body);
      } catch {
        matches = null;
      }
    }
  }
  return {
    request: kind.request,
    store: label.store,
    requests,
    failures,
    firstFailure,
    latency: summarize(latencies),
    matches,
    target: kind.target,
    targetApplies: label.applies,
    newConnections,
  };
}

function storeOf(spec: ScaleStoreSpec): PartnerhubStore & { kind: ScaleStoreSpec['kind'] } {
  const dataDir = resolve(spec.dataDir);
  if (spec.kind === 'sqlite') return { kind: 'sqlite', label: `SQLite \`${spec.dataDir}\``, dataDir, databaseUrl: join(dataDir, 'partnerhub.db') };
  return { kind: 'postgres', label: `PostgreSQL \`${spec.databaseUrl.replace(/\/\/[^@/]*@/, '//')}\``, dataDir, databaseUrl: spec.databaseUrl };
}

/** Bytes on disk: the SQLite file with its WAL and shared memory; for PostgreSQL the schema's relations (or the database). */
async function storeSize(store: PartnerhubStore & { kind: 'sqlite' | 'postgres' }): Promise<number> {
  if (store.kind === 'sqlite') {
    return ['', '-wal', '-shm'].reduce((sum, ext) => sum + (existsSync(store.databaseUrl + ext) ? statSync(store.databaseUrl + ext).size : 0), 0);
  }
  const url = new URL(store.databaseUrl);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rows } = schema
      ? await client.query<{ n: string }>(
          "select coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = $1 and c.relkind in ('r', 'm')",
          [schema],
        )
      : await client.query<{ n: string }>('select pg_database_size(current_database())::text as n');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

/** Customers under the demo's resellers, as the store counts them (`accounts list --parent … --json`'s total). */
async function countCustomers(store: PartnerhubStore, creds: DemoCredentials): Promise<number> {
  let n = 0;
  for (const r of creds.resellers) {
    n += (JSON.parse(await runCli(store, ['accounts', 'list', '--parent', r.guid, '--limit', '1', '--json'])) as { total: number }).total;
  }
  return n;
}

async function fixtureFrom(agent: Agent, server: RunningChild, creds: DemoCredentials): Promise<ScaleFixture> {
  const seeded = Date.parse(creds.generatedAt);
  const fx: ScaleFixture = {
    creds,
    customers: [],
    window: { after: new Date(seeded - 240 * DAY_MS).toISOString(), before: new Date(seeded - 180 * DAY_MS).toISOString() },
  };
  const req = rackspaceGet(fx, () => '/v1/customers?size=50')(1_000_000_000);
  const a = await send(agent, server.url, req);
  if (a.status !== 200) throw new Error(`the index answered ${a.status}: ${a.body.slice(0, 200)}`);
  fx.customers = (JSON.parse(a.body) as { customers: Customer[] }).customers;
  if (!fx.customers.length) throw new Error(`no customers under ${creds.principals.reseller_admin.account.name}`);
  return fx;
}

/** One store: skipped with a note when it is not a filled demo store; otherwise its rows and its store row. */
async function scaleStore(spec: ScaleStoreSpec, opts: ScaleRunOptions, out: ScaleOutcome, notes: string[], log: (line: string) => void): Promise<void> {
  const store = storeOf(spec);
  const skip = (why: string): void => {
    notes.push(`scale: ${store.label} skipped: ${why}. Prepare one with \`${PREPARE_SCALE_STORE}\` (\`--database postgres://…\` for PostgreSQL).`);
  };
  if (!existsSync(join(store.dataDir, 'demo-credentials.json'))) return skip(`no demo-credentials.json in ${store.dataDir}`);
  if (store.kind === 'sqlite' && !existsSync(store.databaseUrl)) return skip(`no ${store.databaseUrl} (the bench does not fill a store)`);
  const creds = readDemoCredentials(store.dataDir);
  let customers: number | null;
  try {
    customers = await countCustomers(store, creds);
  } catch (e) {
    return skip(`could not count its customers: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!customers) return skip('it holds no demo customers');
  const applies = targetApplies(store.kind, customers);
  log(`scale: ${store.label}, ${customers.toLocaleString('en-US')} customers; starting partnerhub …`);
  const startup: number[] = [];
  let server: RunningChild;
  try {
    server = await startPartnerhub(store);
  } catch (e) {
    return skip(`partnerhub did not start on it: ${(e as Error).message.split('\n')[0]}`);
  }
  startup.push(server.startupMs);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let memory: ReturnType<typeof processMemory> = null;
  try {
    const fx = await fixtureFrom(agent, server, creds);
    for (const kind of scaleRowsNamed(opts.rows)) {
      log(`  ${kind.request} …`);
      const row = await measureRow(agent, server.url, kind, fx, opts.requests, { store: store.label, applies });
      const { newConnections, ...shown } = row;
      out.rows.push(shown);
      log(
        row.failures
          ? `    ${row.failures} of ${row.requests} failed: ${row.firstFailure}`
          : `    p50 ${row.latency.p50.toFixed(2)} ms, p95 ${row.latency.p95.toFixed(2)} ms, p99 ${row.latency.p99.toFixed(2)} ms${row.matches === null ? '' : `, ${row.matches} matches`}`,
      );
      if (newConnections) notes.push(`scale: ${store.label}, ${kind.request}: the server closed the keep-alive connection ${newConnections} time(s); those requests paid a new connection.`);
      if (kind.reach !== undefined && row.matches !== null && row.matches <= kind.reach) {
        notes.push(`scale: ${store.label}, ${kind.request}: the page starts past the ${row.matches.toLocaleString('en-US')} matches on this store (an empty page); it reaches real rows at about 1,000,000 customers.`);
      }
    }
    memory = processMemory(server.pid);
  } catch (e) {
    notes.push(`scale: ${store.label}: stopped early: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    agent.destroy();
    await server.stop();
  }
  for (let i = 1; i < opts.startupRuns; i++) {
    try {
      const again = await startPartnerhub(store);
      startup.push(again.startupMs);
      await again.stop();
    } catch (e) {
      notes.push(`scale: start-up ${i + 1} on ${store.label} failed: ${(e as Error).message.split('\n')[0]}`);
      break;
    }
  }
  let sizeBytes: number | null = null;
  try {
    sizeBytes = await storeSize(store);
  } catch (e) {
    notes.push(`scale: could not read the size of ${store.label}: ${(e as Error).message}`);
  }
  out.stores.push({ store: store.label, kind: store.kind, customers, sizeBytes, startup, peakRssBytes: memory?.peakRss ?? null, endRss: memory && { anon: memory.rssAnon, file: memory.rssFile } });
}

export async function scaleSuite(specs: ScaleStoreSpec[], opts: ScaleRunOptions, notes: string[], log: (line: string) => void): Promise<ScaleOutcome> {
  const out: ScaleOutcome = { rows: [], stores: [] };
  if (!specs.length) {
    notes.push(
      `scale: skipped, no store given. Fill one first (\`${PREPARE_SCALE_STORE}\`, with \`--database postgres://…\` for PostgreSQL), ` +
        'then `npm run bench -- --suite scale --scale-store .tmp/scale-sqlite` (or DIR=postgres://…; or set PARTNERHUB_BENCH_SCALE_STORE).',
    );
    return out;
  }
  for (const spec of specs) await scaleStore(spec, opts, out, notes, log);
  return out;
}
