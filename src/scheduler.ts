import type { DomainContext } from './domain/context.js';
import { runExclusive, scheduledJobs, type Job } from './domain/jobs.js';
import { newGuid } from './domain/ids.js';

export interface Scheduler {
  /** Runs every job once now (tests and the CLI call this; the timer calls it too). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the scheduled jobs every `intervalMs` of wall time. What each job considers "now" comes from the
 * domain clock, so a sandbox with a moved clock sees its effects on the next tick.
 */
export function startScheduler(ctx: DomainContext, options: { intervalMs: number; jobs?: Job[]; onError?: (job: Job, e: unknown) => void }): Scheduler {
  const jobs = options.jobs ?? scheduledJobs;
  const holder = newGuid();
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    if (running) return running;
    running = (async () => {
      await ctx.clock.refresh?.();
      for (const job of jobs) {
        if (stopped) break;
        try {
          await runExclusive(ctx, job, holder);
        } catch (e) {
          options.onError?.(job, e);
        }
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = options.intervalMs > 0 ? setInterval(() => void tick(), options.intervalMs) : null;
  timer?.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
