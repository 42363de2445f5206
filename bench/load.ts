/**
 * One load measurement with autocannon's programmatic API: a warm-up run, then the measured run, with the
 * server's CPU time read from /proc before and after and every response's latency kept at full resolution
 * (autocannon's own histogram rounds to whole milliseconds, too coarse for a 3 ms baseline).
 *
 * autocannon lives in bench/peers (the benchmark's own install), never in partnerhub's dependencies, so it
 * is loaded from there.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { EventEmitter } from 'node:events';
import { processCpuUs } from './machine.js';
import { percentile, type Measurement } from './report.js';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Hands out one request per call. `poolSize` requests are made (signed) before the run, so the load
 * generator does not spend its time signing; past them, requests are made on the fly and counted.
 */
export class Feed {
  private readonly pool: BenchRequest[] = [];
  private i = 0;
  made = 0;
  onTheFly = 0;
  constructor(
    private readonly make: (i: number) => BenchRequest,
    poolSize: number,
  ) {
    for (let k = 0; k < poolSize; k++) this.pool.push(make(this.made++));
  }
  next(): BenchRequest {
    const pooled = this.pool[this.i];
    if (pooled) {
      this.pool[this.i++] = undefined as unknown as BenchRequest; // let the sent ones go
      return pooled;
    }
    this.onTheFly++;
    return this.make(this.made++);
  }
}

export interface LoadTarget {
  request: string;
  server: string;
  baseline: boolean;
  url: string;
  pid: number;
  /** Whether making a request costs signing time (then they are made ahead of the run). */
  signed: boolean;
  /** A new source of distinct requests for each run. */
  feed(poolSize: number): Feed;
}

export interface LoadOptions {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (opts: Record<string, unknown>) => EventEmitter & PromiseLike<AutocannonResult>;

let autocannon: Autocannon | null = null;
export function loadAutocannon(): Autocannon {
  autocannon ??= createRequire(new URL('./peers/package.json', import.meta.url))('autocannon') as Autocannon;
  return autocannon;
}

function run(target: LoadTarget, feed: Feed, connections: number, seconds: number, latencies: number[] | null) {
  const instance = loadAutocannon()({
    url: target.url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, ...feed.next() }) }],
  });
  if (latencies) {
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  }
  return instance;
}

export async function measure(target: LoadTarget, opts: LoadOptions): Promise<Measurement & { onTheFly: number }> {
  // Signed requests are made ahead: as many as the warm-up's rate says the run will send and half again,
  // at least 2,000 a second (a short warm-up on a busy machine can see almost no answers).
  let perSecond = 2_000;
  if (opts.warmupSeconds > 0) {
    const warm = target.feed(target.signed ? Math.ceil(opts.warmupSeconds * perSecond) : 0);
    const started = performance.now();
    const result = await run(target, warm, opts.connections, opts.warmupSeconds, null);
    perSecond = Math.max(perSecond, result['2xx'] / ((performance.now() - started) / 1000));
  }
  const feed = target.feed(target.signed ? Math.ceil(opts.seconds * perSecond * 1.5) + opts.connections : 0);
  const latencies: number[] = [];
  const cpuBefore = processCpuUs(target.pid);
  const started = performance.now();
  const result = await run(target, feed, opts.connections, opts.seconds, latencies);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = processCpuUs(target.pid);
  const sorted = Float64Array.from(latencies).sort();
  const ok = result['2xx'];
  return {
    request: target.request,
    server: target.server,
    baseline: target.baseline,
    rps: ok / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuUs: cpuBefore === null || cpuAfter === null || ok === 0 ? null : (cpuAfter - cpuBefore) / ok,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    onTheFly: feed.onTheFly,
  };
}
