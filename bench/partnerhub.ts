/**
 * partnerhub under load: a real `partnerhub serve --demo` child (the built dist/, as `npm start` runs it)
 * on a store of its own, and the signed requests sent to it. Every Rackspace signature and Mimecast
 * request id is distinct and valid, made with the project's own client helpers.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { signRackspaceRequest } from '../src/client/rackspace.js';
import { mimecastHeaders } from '../src/client/mimecast.js';
import { parseDemoCredentials, type DemoCredentials } from '../src/demo/credentials.js';
import type { Role } from '../src/domain/principal.js';
import { Feed, type BenchRequest, type LoadTarget } from './load.js';
import { freePort, startChild, type RunningChild } from './procs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'dist/src/cli/main.js');

/**
 * Throttling off, so the benchmark measures the request path and not the 429s: Rackspace's per-minute
 * limits at 0 (off). Mimecast has no "off": its limit goes to the largest value and its window to the
 * shortest (1 s), because the store keeps every counted hit of the window in the key's row and each
 * request rewrites that row: a 60 s window at 1,000,000 would hold every request of the last minute
 * (tens of thousands) where the default 300-per-minute holds at most 300. Scheduled jobs off, so no
 * billing run or pruning lands inside a measurement. Request logging at warn (info logs every request).
 */
export const BENCH_ENV: Record<string, string> = {
  PARTNERHUB_RACKSPACE_READS_PER_MINUTE: '0',
  PARTNERHUB_RACKSPACE_WRITES_PER_MINUTE: '0',
  PARTNERHUB_MIMECAST_RATE_LIMIT: '1000000',
  PARTNERHUB_MIMECAST_RATE_WINDOW_MS: '1000',
  PARTNERHUB_SCHEDULER_INTERVAL_MS: '0',
  PARTNERHUB_LOG_LEVEL: 'warn',
};

export interface PartnerhubStore {
  /** "SQLite" or "PostgreSQL". */
  label: string;
  databaseUrl: string;
  dataDir: string;
}

/** `nodeArgs` go to node itself (`--cpu-prof …` under `--profile`). */
export async function startPartnerhub(store: PartnerhubStore, nodeArgs: string[] = []): Promise<RunningChild> {
  const port = await freePort();
  return startChild({
    name: `partnerhub ${store.label}`,
    command: process.execPath,
    args: [...nodeArgs, CLI, 'serve', '--demo', '--data-dir', store.dataDir, '--database', store.databaseUrl, '--port', String(port)],
    env: BENCH_ENV,
    port,
    readyPath: '/readyz',
  });
}

export interface Customer {
  accountNumber: string;
  accountCode: string;
}

export interface Fixture {
  creds: DemoCredentials;
  customers: Customer[];
}

/** The demo credentials `serve --demo` or `demo --scale` wrote into a data dir. */
export function readDemoCredentials(dataDir: string): DemoCredentials {
  return parseDemoCredentials(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'));
}

/** Runs the built CLI against a store (no migrations), returning its stdout. */
export async function runCli(store: PartnerhubStore, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args, '--data-dir', store.dataDir, '--database', store.databaseUrl], {
    env: { ...process.env, ...BENCH_ENV, PARTNERHUB_MIGRATE: 'false' },
    maxBuffer: 64 * 2 ** 20,
  });
  return stdout;
}

/** The demo credentials the server wrote, and the customers of the reseller whose admin signs the requests. */
export async function loadFixture(store: PartnerhubStore): Promise<Fixture> {
  const creds = readDemoCredentials(store.dataDir);
  const reseller = creds.principals.reseller_admin.account;
  const stdout = await runCli(store, ['accounts', 'list', '--parent', reseller.guid, '--limit', '10000', '--json']);
  const items = (JSON.parse(stdout) as { items: (Customer & { kind: string; status: string })[] }).items;
  const customers = items.filter((a) => a.kind === 'customer' && a.status !== 'deleted');
  if (customers.length === 0) throw new Error(`no customers under ${reseller.name}`);
  return { creds, customers };
}

/** A request description plus the check its one probe answer must pass before the load starts. */
export interface RequestKind {
  request: string;
  signed: boolean;
  make(fx: Fixture): (i: number) => BenchRequest;
  /** Mimecast answers 200 with errors in `fail`; those must not count as successes. */
  check?(body: string): string | null;
}

/** Signed Rackspace GETs as the demo reseller admin (the scale suite uses these too). */
export const rackspaceGet = (fx: Pick<Fixture, 'creds'>, path: (i: number) => string) => {
  const { userKey, secretKey } = fx.creds.principals.reseller_admin.rackspace;
  return (i: number): BenchRequest => {
    // The User-Agent is part of the signed text: one per request makes every signature distinct.
    const userAgent = `partnerhub-bench/${i}`;
    return {
      method: 'GET',
      path: path(i),
      headers: { accept: 'application/json', 'user-agent': userAgent, 'x-api-signature': signRackspaceRequest({ userKey, secretKey, userAgent }) },
    };
  };
};

/** Mimecast POSTs as one demo principal, each with a fresh request id (and so a distinct signature). */
export const mimecastPost = (fx: Pick<Fixture, 'creds'>, role: Role, path: string, body: (i: number) => string) => {
  const credentials = fx.creds.principals[role].mimecast;
  return (i: number): BenchRequest => ({
    method: 'POST',
    path,
    headers: { ...mimecastHeaders(credentials, path), 'content-type': 'application/json', accept: 'application/json' },
    body: body(i),
  });
};

export const mimecastOk = (body: string): string | null => {
  const doc = JSON.parse(body) as { fail?: unknown[] };
  return doc.fail && doc.fail.length ? `Mimecast fail: ${JSON.stringify(doc.fail).slice(0, 300)}` : null;
};

/** CCC GETs with one demo principal's API key (a bearer token: nothing to sign). */
export const cccGet = (fx: Pick<Fixture, 'creds'>, role: Role, path: (i: number) => string) => {
  const key = fx.creds.principals[role].ccc.apiKey;
  return (i: number): BenchRequest => ({ method: 'GET', path: path(i), headers: { accept: 'application/json', authorization: `Bearer ${key}` } });
};

export const PARTNERHUB_REQUESTS: RequestKind[] = [
  { request: '`GET /healthz` (unsigned)', signed: false, make: () => () => ({ method: 'GET', path: '/healthz', headers: { 'user-agent': 'partnerhub-bench' } }) },
  {
    request: 'signed Rackspace `GET /v1/customers/{n}`',
    signed: true,
    make: (fx) => rackspaceGet(fx, (i) => `/v1/customers/${fx.customers[i % fx.customers.length].accountNumber}`),
  },
  { request: 'signed Rackspace `GET /v1/customers?contains=a`', signed: true, make: (fx) => rackspaceGet(fx, () => '/v1/customers?contains=a') },
  {
    request: 'Mimecast `get-support-info` (fresh request id)',
    signed: true,
    make: (fx) => mimecastPost(fx, 'account_read', '/api/account/get-support-info', () => '{"data":[]}'),
    check: mimecastOk,
  },
  {
    request: 'Mimecast `update-account` (numberOfUsers +1)',
    signed: true,
    make: (fx) =>
      // Mimecast gives update-account to the Partner Provisioning role only (docs/mimecast.md).
      mimecastPost(fx, 'partner_provisioning', '/api/account/update-account', (i) =>
        JSON.stringify({ data: [{ accountCode: fx.customers[i % fx.customers.length].accountCode, numberOfUsers: 1 }] }),
      ),
    check: mimecastOk,
  },
  {
    request: 'CCC `GET /api/services/status?PageSize=25`',
    signed: false,
    make: (fx) => cccGet(fx, 'account_read', () => '/api/services/status?PageSize=25'),
  },
];

/** Sends one request of a kind and checks the answer; returns the problem, or null when it is a 2xx that passes. */
export async function probe(url: string, req: BenchRequest, check?: (body: string) => string | null): Promise<string | null> {
  try {
    const res = await fetch(url + req.path, { method: req.method, headers: req.headers, body: req.body });
    const text = await res.text();
    if (res.status < 200 || res.status > 299) return `${req.method} ${req.path} answered ${res.status}: ${text.slice(0, 300)}`;
    return check ? check(text) : null;
  } catch (e) {
    return `${req.method} ${req.path} failed: ${(e as Error).message}`;
  }
}

export function partnerhubTarget(kind: RequestKind, server: RunningChild, label: string, fx: Fixture): LoadTarget {
  const make = kind.make(fx);
  return { request: kind.request, server: label, baseline: false, signed: kind.signed, url: server.url, pid: server.pid, feed: (n) => new Feed(make, n) };
}
