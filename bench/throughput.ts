/**
 * The throughput suite: every server under test measured in one run, each measurement preceded by a run of
 * the bare node:http baseline and the last one followed by one (A B A B … A), so every figure has a
 * baseline taken minutes, not hours, from it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { measure, type LoadOptions, type LoadTarget } from './load.js';
import { loadFixture, partnerhubTarget, probe, startPartnerhub, PARTNERHUB_REQUESTS, type PartnerhubStore } from './partnerhub.js';
import { BASELINE_PEER, PEERS_UNDER_TEST } from './peers.js';
import type { RunningChild } from './procs.js';
import type { Measurement } from './report.js';
import { formatPlaces, topPlaces, type CpuProfile } from './profile.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface BenchStore extends PartnerhubStore {
  kind: StoreKind;
  drop(): Promise<void>;
}

export interface SuiteContext {
  load: LoadOptions;
  log(line: string): void;
  /** What went wrong or was left out, for the report. */
  notes: string[];
  sequence: Measurement[];
  /** Start-up of each partnerhub store the first time, when it seeds the demo. */
  firstStarts: { store: string; ms: number }[];
  /** With --profile: each partnerhub row runs in a fresh child under `node --cpu-prof`, written here. */
  profileDir: string | null;
  profiles: { row: string; places: string }[];
}

/** A store of its own: a temp data dir, and for PostgreSQL a fresh schema; null when PostgreSQL is unreachable. */
export async function makeStore(kind: StoreKind, pgUrl: string, notes: string[]): Promise<BenchStore | null> {
  const dataDir = mkdtempSync(join(tmpdir(), `partnerhub-bench-${kind}-`));
  const removeDir = async () => rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'sqlite') return { kind, label: 'SQLite', dataDir, databaseUrl: join(dataDir, 'partnerhub.db'), drop: removeDir };
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const withClient = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3_000 });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  try {
    const version = await withClient(async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v);
    notes.push(`PostgreSQL ${version} at ${pgUrl.replace(/\/\/[^@]*@/, '//')}, schema ${schema} (dropped afterwards).`);
  } catch (e) {
    notes.push(`PostgreSQL at ${pgUrl} not reachable (${(e as Error).message}): its rows are missing.`);
    await removeDir();
    return null;
  }
  const sep = pgUrl.includes('?') ? '&' : '?';
  return {
    kind,
    label: 'PostgreSQL',
    dataDir,
    databaseUrl: `${pgUrl}${sep}schema=${schema}`,
    drop: async () => {
      await withClient((c) => c.query(`drop schema if exists ${schema} cascade`));
      await removeDir();
    },
  };
}

async function measurePair(ctx: SuiteContext, baseline: LoadTarget, target: LoadTarget): Promise<void> {
  ctx.log(`  ${baseline.server} …`);
  ctx.sequence.push(await measure(baseline, ctx.load));
  ctx.log(`  ${target.server}: ${target.request} …`);
  const m = await measure(target, ctx.load);
  ctx.sequence.push(m);
  ctx.log(`    ${Math.round(m.rps)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms${m.non2xx || m.errors ? `, ${m.non2xx} non-2xx, ${m.errors} errors` : ''}`);
  if (target.signed && m.onTheFly) ctx.notes.push(`${target.server} ${target.request}: ${m.onTheFly} of ${m.ok} requests were signed during the run (the pool made ahead ran out).`);
}

/** Runs every request kind against one partnerhub store, each after a baseline run. */
export async function partnerhubGroup(ctx: SuiteContext, baseline: LoadTarget, store: BenchStore): Promise<void> {
  let server: RunningChild;
  try {
    server = await startPartnerhub(store);
  } catch (e) {
    ctx.notes.push(`partnerhub on ${store.label} did not start: ${(e as Error).message.split('\n')[0]}`);
    return;
  }
  ctx.firstStarts.push({ store: store.label, ms: server.startupMs });
  try {
    const fx = await loadFixture(store);
    ctx.log(`partnerhub ${store.label} (pid ${server.pid}, ${fx.customers.length} customers under ${fx.creds.principals.reseller_admin.account.name})`);
    for (const [i, kind] of PARTNERHUB_REQUESTS.entries()) {
      const profileDir = ctx.profileDir && join(ctx.profileDir, `${store.kind}-${i}`);
      if (profileDir) {
        await server.stop();
        server = await startPartnerhub(store, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
      }
      // An index no run reaches, so the probe repeats no signature.
      const problem = await probe(server.url, kind.make(fx)(1_000_000_000), kind.check);
      if (problem) {
        ctx.notes.push(`partnerhub ${store.label}, ${kind.request}: not measured, the probe request failed: ${problem}`);
        continue;
      }
      await measurePair(ctx, baseline, partnerhubTarget(kind, server, `partnerhub ${store.label}`, fx));
      if (profileDir) {
        await server.stop(); // the profile is written as the process exits
        ctx.profiles.push({ row: `${kind.request}, ${store.label}`, places: summarizeProfile(profileDir) });
      }
    }
  } finally {
    await server.stop();
  }
}

function summarizeProfile(dir: string): string {
  try {
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) return 'no profile written';
    return formatPlaces(topPlaces(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, 7));
  } catch (e) {
    return `profile unreadable: ${(e as Error).message}`;
  }
}

/** Runs each peer that installs and starts here; one that does not is reported and skipped. */
export async function peersGroup(ctx: SuiteContext, baseline: LoadTarget, dir: string): Promise<void> {
  for (const peer of PEERS_UNDER_TEST) {
    let child: RunningChild;
    try {
      child = await peer.start(dir);
    } catch (e) {
      ctx.notes.push(`${peer.name} could not be run here: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
      continue;
    }
    try {
      const target = peer.target(child);
      const problem = await probe(child.url, target.feed(0).next());
      if (problem) ctx.notes.push(`${peer.name}: not measured, the probe request failed: ${problem}`);
      else await measurePair(ctx, baseline, target);
    } finally {
      await child.stop();
    }
  }
}

/** The whole suite; returns the stores it made (still holding their demo data) for the start-up suite. */
export async function throughputSuite(ctx: SuiteContext, stores: BenchStore[], withPeers: boolean): Promise<void> {
  const peerDir = mkdtempSync(join(tmpdir(), 'partnerhub-bench-peers-'));
  const baselineChild = await BASELINE_PEER.start(peerDir);
  const baseline = BASELINE_PEER.target(baselineChild);
  try {
    for (const store of stores) await partnerhubGroup(ctx, baseline, store);
    if (withPeers) await peersGroup(ctx, baseline, peerDir);
    if (ctx.sequence.length) {
      ctx.log(`  ${baseline.server} (closing) …`);
      ctx.sequence.push(await measure(baseline, ctx.load));
    }
  } finally {
    await baselineChild.stop();
    rmSync(peerDir, { recursive: true, force: true });
  }
}
