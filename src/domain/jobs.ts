import type { DomainContext } from './context.js';
import { newGuid } from './ids.js';
import * as jobsRepo from '../store/repositories/jobs.js';
import { billingJob } from './billing.js';
import { forgetOldRequestIdsJob } from './request-ids.js';
import { serviceLifecycleJob } from './lifecycle.js';
import { forgetExpiredAccessTokensJob } from './access-token.js';

/** A unit of scheduled work (trial expiry, billing run …). `run` gets the domain context, whose clock says what "now" is. */
export interface Job {
  name: string;
  /** How long one run may hold the lease before another process may take over. */
  leaseMs: number;
  run(ctx: DomainContext): Promise<void>;
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
export const scheduledJobs: Job[] = [serviceLifecycleJob, billingJob, forgetOldRequestIdsJob, forgetExpiredAccessTokensJob];
