import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/connect.js';
import type { DomainObserver } from '../domain/observer.js';

/**
 * The server's Prometheus metrics (prom-client), served at /metrics. Every app has a registry of its own,
 * so tests that build many apps in one process never share a counter; the process metrics (CPU, memory,
 * event loop, GC) describe the process, so one registry of them is made once and shared. Labels are kinds
 * of things only — a face, a route pattern as declared (never the URL as sent), a status, a job's name — and
 * never an account, a user or a key.
 */

let processRegistry: Registry | null = null;

/** The process metrics, collected once per process: their event-loop and GC monitors run for as long as it does. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300];

export class AppMetrics {
  /** What /metrics serves: this app's metrics and the process's. */
  readonly registry: Registry;
  private readonly own = new Registry();
  private readonly requests = new Counter({
    name: 'partnerhub_http_requests_total',
    help: 'HTTP requests answered, by face, route pattern, method and status',
    labelNames: ['face', 'route', 'method', 'status'] as const,
    registers: [this.own],
  });
  private readonly latency = new Histogram({
    name: 'partnerhub_http_request_duration_seconds',
    help: 'Time from receiving a request to its answer, by face, route pattern and method',
    labelNames: ['face', 'route', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.own],
  });
  private readonly refusals = new Counter({
    name: 'partnerhub_refusals_total',
    help: 'Requests refused by a rate window (reason rate_limit) or for a replayed request id (reason replay), by kind of window',
    labelNames: ['reason', 'window'] as const,
    registers: [this.own],
  });
  private readonly jobRuns = new Counter({
    name: 'partnerhub_job_runs_total',
    help: 'Scheduled job turns: ran, skipped (another process held the lease) or failed',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.own],
  });
  private readonly jobLatency = new Histogram({
    name: 'partnerhub_job_duration_seconds',
    help: 'How long scheduled job turns took',
    labelNames: ['job'] as const,
    buckets: JOB_BUCKETS,
    registers: [this.own],
  });

  /** Handed to the domain: it reports refusals and job runs without knowing they are counted here. */
  readonly observer: DomainObserver = {
    refused: (reason, window) => this.refusals.inc({ reason, window }),
    jobFinished: (job, outcome, seconds) => {
      this.jobRuns.inc({ job, outcome });
      this.jobLatency.observe({ job }, seconds);
    },
  };

  constructor(store: Store) {
    storeGauges(this.own, store);
    this.registry = Registry.merge([this.own, processMetrics()]);
  }

  /** Counts one answered request under its face and route pattern (Fastify's routeOptions.url); an unknown URL is `none`/`unmatched`. */
  countRequest(request: FastifyRequest, reply: FastifyReply): void {
    const pattern = request.routeOptions.url;
    const face = request.routeOptions.config?.face ?? (pattern ? 'app' : 'none');
    const route = pattern ?? 'unmatched';
    const method = request.method;
    this.requests.inc({ face, route, method, status: String(reply.statusCode) });
    this.latency.observe({ face, route, method }, reply.elapsedTime / 1000);
  }
}

/** The store's connections (PostgreSQL: the pool's total, idle and waiting; SQLite: its one connection and its size). */
function storeGauges(registry: Registry, store: Store): void {
  const dialect = store.dialect;
  new Gauge({
    name: 'partnerhub_store_connections',
    help: 'Store connections by state: open (all of them), idle, and waiting (requests queued for a connection; PostgreSQL only)',
    labelNames: ['dialect', 'state'] as const,
    registers: [registry],
    collect() {
      const use = store.use();
      this.set({ dialect, state: 'open' }, use.connections);
      if (use.idle !== undefined) this.set({ dialect, state: 'idle' }, use.idle);
      if (use.waiting !== undefined) this.set({ dialect, state: 'waiting' }, use.waiting);
    },
  });
  if (dialect !== 'sqlite') return;
  new Gauge({
    name: 'partnerhub_store_size_bytes',
    help: 'SQLite: size of the database (pages times page size)',
    registers: [registry],
    collect() {
      this.set(store.use().sizeBytes ?? 0);
    },
  });
}

/** Counts every answered request and serves /metrics. Call before the faces are registered, so their routes are counted. */
export function registerMetrics(app: FastifyInstance, metrics: AppMetrics): void {
  app.addHook('onResponse', async (request, reply) => metrics.countRequest(request, reply));
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.code(200).header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
