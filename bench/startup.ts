/**
 * Start-up: wall time from spawning `partnerhub serve --demo` (as `npm start` runs it, from dist/) on a
 * store that already holds the demo until `/readyz` first answers 200; the bare node:http server's time
 * to its first answer is the floor (Node's own start).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPartnerhub } from './partnerhub.js';
import { BASELINE_PEER } from './peers.js';
import type { RunningChild } from './procs.js';
import type { StartupSeries } from './report.js';
import type { BenchStore } from './throughput.js';

async function series(server: string, store: string, runs: number, start: () => Promise<RunningChild>, notes: string[]): Promise<StartupSeries> {
  const out: StartupSeries = { server, store, runs: [] };
  for (let i = 0; i < runs; i++) {
    try {
      const child = await start();
      out.runs.push(child.startupMs);
      await child.stop();
    } catch (e) {
      notes.push(`start-up of ${server} on ${store} failed: ${(e as Error).message.split('\n')[0]}`);
      break;
    }
  }
  return out;
}

export async function startupSuite(stores: BenchStore[], runs: number, notes: string[], log: (line: string) => void): Promise<StartupSeries[]> {
  const dir = mkdtempSync(join(tmpdir(), 'partnerhub-bench-startup-'));
  try {
    log(`start-up, ${runs} run(s) each …`);
    const result = [await series('node:http (floor)', '—', runs, () => BASELINE_PEER.start(dir), notes)];
    for (const store of stores) {
      result.push(await series('partnerhub `serve --demo`, to `/readyz`', `${store.label}, existing demo store`, runs, () => startPartnerhub(store), notes));
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
