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

type Autocannon = (opts: Record<string, unknown>) => EventEmitter & PromiseLike<unknown>;

let autocannon: Autocannon | null = null;
export function loadAutocannon(): Autocannon {
  autocannon ??= createRequire(new URL('./peers/package.json', import.meta.url))('autocannon') as Autocannon;
  return autocannon;
}

/** What one run saw after its settling time: answers, failures and 2xx latencies. */
interface Window {
  open: boolean;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencies: number[];
}

function run(target: LoadTarget, feed: Feed, connections: number, seconds: number, window: Window) {
  const instance = loadAutocannon()({
    url: target.url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, ...feed.next() }) }],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (!window.open) return;
    if (status >= 200 && status < 300) {
      window.ok++;
      window.latencies.push(ms);
    } else window.non2xx++;
  });
  instance.on('reqError', (e: Error) => {
    if (!window.open) return;
    window.errors++;
    if (e.message === 'request timed out') window.timeouts++;
  });
  return instance;
}

const newWindow = (open: boolean): Window => ({ open, ok: 0, non2xx: 0, errors: 0, timeouts: 0, latencies: [] });

/**
 * A warm-up run (JIT, caches, and the rate that sizes the pool of signed requests), then the measured
 * run. That one counts only after a settling second: the answers to requests the warm-up left in flight,
 * and the server CPU they cost, stay out of the figures.
 */
export async function measure(target: LoadTarget, opts: LoadOptions): Promise<Measurement & { onTheFly: number }> {
  let perSecond = 2_000; // at least this many signed requests a second are made ahead
  if (opts.warmupSeconds > 0) {
    const warm = newWindow(true);
    const started = performance.now();
    await run(target, target.feed(target.signed ? Math.ceil(opts.warmupSeconds * perSecond) : 0), opts.connections, opts.warmupSeconds, warm);
    perSecond = Math.max(perSecond, warm.ok / ((performance.now() - started) / 1000));
  }
  const settle = Math.min(1, opts.warmupSeconds);
  const feed = target.feed(target.signed ? Math.ceil((settle + opts.seconds) * perSecond * 1.5) + opts.connections : 0);
  const window = newWindow(false);
  let cpuBefore: number | null = null;
  let opened = 0;
  const timer = setTimeout(() => {
    cpuBefore = processCpuUs(target.pid);
    opened = performance.now();
    window.open = true;
  }, settle * 1000);
  await run(target, feed, opts.connections, settle + opts.seconds, window);
  clearTimeout(timer);
  const seconds = (performance.now() - opened) / 1000;
  const cpuAfter = processCpuUs(target.pid);
  const sorted = Float64Array.from(window.latencies).sort();
  const { ok } = window;
  return {
    request: target.request,
    server: target.server,
    baseline: target.baseline,
    rps: ok / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuUs: cpuBefore === null || cpuAfter === null || ok === 0 ? null : (cpuAfter - cpuBefore) / ok,
    ok,
    non2xx: window.non2xx,
    errors: window.errors,
    timeouts: window.timeouts,
    seconds,
    onTheFly: feed.onTheFly,
  };
}
