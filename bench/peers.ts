/**
 * The baseline and the peers: a bare node:http server, json-server 0.17.4 serving a customers db, and a
 * Prism mock of a small OpenAPI document of the Rackspace show. The peers and the load generator are the
 * benchmark's own install under bench/peers (`npm run bench:setup`), never dependencies of partnerhub.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Feed, type BenchRequest, type LoadTarget } from './load.js';
import { freePort, startChild, type RunningChild } from './procs.js';

const PEERS = fileURLToPath(new URL('./peers/', import.meta.url));
const BASELINE = fileURLToPath(new URL('./baseline-server.mjs', import.meta.url));

/** Installs bench/peers from its lockfile when it is missing or older than the lockfile. */
export async function ensurePeersInstalled(log: (line: string) => void): Promise<void> {
  const marker = join(PEERS, 'node_modules/.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(PEERS, 'package-lock.json')).mtimeMs) return;
  log('installing the benchmark tools and peers: npm ci --prefix bench/peers');
  await promisify(execFile)('npm', ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], { maxBuffer: 64 * 2 ** 20 });
}

/** Installed versions of the benchmark's own tools, for the report. */
export function peerVersions(): Record<string, string> {
  const version = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(join(PEERS, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  return { autocannon: version('autocannon'), 'json-server': version('json-server'), '@stoplight/prism-cli': version('@stoplight/prism-cli') };
}

/** The customers the peers serve: the same fields partnerhub's Rackspace show returns. */
export function peerCustomers(n = 56): Record<string, string | null>[] {
  const names = ['Acme', 'Cedar', 'Evergreen', 'Granite', 'Harbor', 'Juniper', 'Maple', 'Summit'];
  return Array.from({ length: n }, (_, i) => ({
    id: String(460104 + i),
    name: `${names[i % names.length]} ${i % 2 ? 'Logistics' : 'Dental'} ${i}`,
    accountNumber: String(460104 + i),
    referenceNumber: String(1000 + 7 * i),
    addressLine1: `${100 + i} Main Street`,
    addressLine2: null,
    city: 'Portland',
    state: 'OR',
    zip: '97205',
    country: 'US',
    phone: `1-555-226-${String(1000 + i).padStart(4, '0')}`,
    email: `it@customer-${i}.example`,
  }));
}

/** A small OpenAPI 3 document of the Rackspace customer show, with one example for Prism to answer. */
export function showOpenApi(example: Record<string, string | null>): object {
  const str = { type: 'string' };
  const properties = Object.fromEntries(Object.keys(example).map((k) => [k, k === 'addressLine2' ? { type: 'string', nullable: true } : str]));
  return {
    openapi: '3.0.3',
    info: { title: 'Rackspace Email & Apps customers (show only)', version: '1' },
    paths: {
      '/v1/customers/{accountNumber}': {
        get: {
          operationId: 'showCustomer',
          parameters: [{ name: 'accountNumber', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } }],
          responses: {
            '200': { description: 'the customer', content: { 'application/json': { schema: { type: 'object', properties }, example } } },
          },
        },
      },
    },
  };
}

const customerGet = (path: (n: string) => string, ids: string[]) => (i: number): BenchRequest => ({
  method: 'GET',
  path: path(ids[i % ids.length]),
  headers: { accept: 'application/json', 'user-agent': `partnerhub-bench/${i}` },
});

export interface Peer {
  name: string;
  start(dir: string): Promise<RunningChild>;
  target(child: RunningChild): LoadTarget;
}

const ids = peerCustomers().map((c) => c.id as string);

export const BASELINE_PEER: Peer = {
  name: 'node:http',
  async start() {
    const port = await freePort();
    return startChild({ name: 'node:http', command: process.execPath, args: [BASELINE], env: { PORT: String(port) }, port, readyPath: '/' });
  },
  target: (child) => ({
    request: 'any `GET`, small JSON body',
    server: 'node:http',
    baseline: true,
    signed: false,
    url: child.url,
    pid: child.pid,
    feed: (n) => new Feed(customerGet((id) => `/customers/${id}`, ids), n),
  }),
};

export const PEERS_UNDER_TEST: Peer[] = [
  {
    name: 'json-server',
    async start(dir) {
      const db = join(dir, 'db.json');
      writeFileSync(db, JSON.stringify({ customers: peerCustomers() }));
      const port = await freePort();
      return startChild({
        name: 'json-server',
        command: process.execPath,
        args: [join(PEERS, 'node_modules/json-server/lib/cli/bin.js'), '--quiet', '--host', '127.0.0.1', '--port', String(port), db],
        port,
        readyPath: `/customers/${ids[0]}`,
      });
    },
    target: (child) => ({
      request: '`GET /customers/{id}` (equivalent read, unsigned)',
      server: `json-server ${peerVersions()['json-server']}`,
      baseline: false,
      signed: false,
      url: child.url,
      pid: child.pid,
      feed: (n) => new Feed(customerGet((id) => `/customers/${id}`, ids), n),
    }),
  },
  {
    name: 'Prism',
    async start(dir) {
      const doc = join(dir, 'rackspace-show.openapi.json');
      writeFileSync(doc, JSON.stringify(showOpenApi(peerCustomers(1)[0])));
      const port = await freePort();
      return startChild({
        name: 'Prism',
        command: process.execPath,
        args: [join(PEERS, 'node_modules/@stoplight/prism-cli/dist/index.js'), 'mock', '-h', '127.0.0.1', '-p', String(port), '-v', 'warn', doc],
        port,
        readyPath: `/v1/customers/${ids[0]}`,
      });
    },
    target: (child) => ({
      request: 'mock `GET /v1/customers/{n}` (equivalent read, unsigned)',
      server: `Prism ${peerVersions()['@stoplight/prism-cli']}`,
      baseline: false,
      signed: false,
      url: child.url,
      pid: child.pid,
      feed: (n) => new Feed(customerGet((id) => `/v1/customers/${id}`, ids), n),
    }),
  },
];
