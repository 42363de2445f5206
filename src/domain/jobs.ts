import type { DomainContext } from './context.js';
import { newGuid } from './ids.js';
import { ManualClock } from './clock.js';
import * as jobsRepo from '../store/repositories/jobs.js';
import { billingJob } from './billing.js';
import { forgetOldRequestIdsJob } from './request-ids.js';
import { serviceLifecycleJob } from './lifecycle.js';

/** A unit of scheduled work (trial expiry, billing run …). `run` gets the domain context, whose clock says what "now" is. */
export interface Job {
  name: string;
  /** How long one run may hold the lease before another process may take over. */
  leaseMs: number;
  run(ctx: DomainContext): Promise<void>;
  /**
   * The first instant after `after` at which the job has something to do, if it can tell (null: nothing
   * due). Moving a sandbox's clock forward runs the job at each such instant in turn (`catchUp`).
   */
  nextDueAfter?(ctx: DomainContext, after: Date): Promise<Date | null>;
}

/**
 * Runs a job if this process can take its lease; returns whether it ran. Several processes (or two
 * schedulers in one) racing for the same job: exactly one runs it.
 */
export async function runExclusive(ctx: DomainContext, job: Job, holder = newGuid()): Promise<boolean> {
  const now = ctx.clock.now();
  const got = await jobsRepo.tryLease(ctx.db, job.name, holder, now.toISOString(), new Date(now.getTime() + job.leaseMs).toISOString());
  if (!got) return false;
  try {
    await job.run(ctx);
  } finally {
    await jobsRepo.release(ctx.db, job.name, holder, ctx.clock.now().toISOString());
  }
  return true;
}

/** The jobs the server runs on a timer. Features add theirs here; the domain decides what each does. */
export const scheduledJobs: Job[] = [serviceLifecycleJob, billingJob, forgetOldRequestIdsJob];

/** Runs a job as runExclusive does, waiting for a lease another runner holds (a catch-up must not skip a due run). */
async function runWhenFree(ctx: DomainContext, job: Job, holder: string): Promise<void> {
  for (let attempt = 0; !(await runExclusive(ctx, job, holder)); attempt++) {
    if (attempt >= 200) throw new Error(`job ${job.name} stayed leased by another runner`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Runs the jobs as if time passed from `from` to `until`: at `from` (anything already overdue), at every
 * instant in between where a job falls due, in time order, and at `until`; each run sees that instant as
 * now. What a run changes can make something else due later (a suspension, then its cancellation), so the
 * next instant is asked for again after every run. Returns the instants it ran at.
 */
export async function catchUp(ctx: DomainContext, from: Date, until: Date, jobs: Job[] = scheduledJobs): Promise<Date[]> {
  const clock = new ManualClock(from);
  const at: DomainContext = { ...ctx, clock };
  const holder = newGuid();
  const ran: Date[] = [];
  for (let t: Date | null = from; t; t = await nextDue(at, jobs, until)) {
    clock.set(t);
    for (const job of jobs) await runWhenFree(at, job, holder);
    ran.push(t);
  }
  if (ran[ran.length - 1].getTime() !== until.getTime()) {
    clock.set(until);
    for (const job of jobs) await runWhenFree(at, job, holder);
    ran.push(until);
  }
  return ran;
}

async function nextDue(ctx: DomainContext, jobs: Job[], until: Date): Promise<Date | null> {
  const now = ctx.clock.now();
  let best: Date | null = null;
  for (const job of jobs) {
    const due = await job.nextDueAfter?.(ctx, now);
    if (due && due > now && due <= until && (!best || due < best)) best = due;
  }
  return best;
}
