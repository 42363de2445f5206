/**
 * The service status life cycle that runs by itself: a trial ends 30 days after it began, and a service
 * suspended for 90 days is cancelled. Every automatic change goes through changeStatus under the system
 * principal, so it is a history row like any other. Operators move services by hand with setServiceStatus.
 */
import type { DomainContext } from './context.js';
import { assertTransaction, inTransaction } from './context.js';
import { DAY } from './clock.js';
import { DomainError, ErrorCode, isDomainError, notFound, validationError } from './errors.js';
import { authorize, systemActor, type Actor } from './principal.js';
import { canTransition, changeStatus, isServiceStatus, SERVICE_STATUSES, TRANSITIONS, type ServiceStatus, type StatusChange } from './status.js';
import type { Job } from './jobs.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import * as servicesRepo from '../store/repositories/services.js';
import { TRIAL_DAYS } from './customer-directory.js';

export const SUSPENSION_DAYS_BEFORE_CANCEL = 90;
const BATCH = 200;

interface Rule {
  from: ServiceStatus;
  to: ServiceStatus;
  /** Which timestamp starts the clock, and how long it runs. */
  since: 'trial_started_at' | 'status_changed_at';
  days: number;
  reason: string;
}

export const LIFECYCLE_RULES: readonly Rule[] = [
  { from: 'TrialActive', to: 'TrialExpired', since: 'trial_started_at', days: TRIAL_DAYS, reason: 'trial ended' },
  { from: 'AccountSuspended', to: 'AccountCancelled', since: 'status_changed_at', days: SUSPENSION_DAYS_BEFORE_CANCEL, reason: 'suspended for 90 days' },
];

/**
 * Applies every rule that is due at the clock's now; returns the changes made. Each change is its own
 * transaction and a compare-and-set on the status, so a service someone else moved meanwhile is skipped.
 */
export async function applyLifecycle(ctx: DomainContext): Promise<StatusChange[]> {
  const actor = systemActor('lifecycle');
  const made: StatusChange[] = [];
  for (const rule of LIFECYCLE_RULES) {
    const cutoff = new Date(ctx.clock.now().getTime() - rule.days * DAY).toISOString();
    const skipped = new Set<string>();
    for (;;) {
      const due = (await servicesRepo.dueForLifecycle(ctx.db, rule.from, rule.since, cutoff, BATCH + skipped.size)).filter((a) => !skipped.has(a.guid));
      if (due.length === 0) break;
      for (const account of due) {
        try {
          made.push(await inTransaction(ctx, (trx) => changeStatus(trx, ctx, actor, account, rule.to, { reason: rule.reason })));
        } catch (e) {
          if (!isDomainError(e, ErrorCode.Conflict)) throw e;
          skipped.add(account.guid);
        }
      }
    }
  }
  return made;
}

export const serviceLifecycleJob: Job = {
  name: 'service-lifecycle',
  leaseMs: 10 * 60_000,
  async run(ctx) {
    await applyLifecycle(ctx);
  },
  async nextDueAfter(ctx, after) {
    let best: number | null = null;
    for (const rule of LIFECYCLE_RULES) {
      const start = await servicesRepo.firstLifecycleStartAfter(ctx.db, rule.from, rule.since, new Date(after.getTime() - rule.days * DAY).toISOString());
      const due = start === null ? null : new Date(start).getTime() + rule.days * DAY;
      if (due !== null && (best === null || due < best)) best = due;
    }
    return best === null ? null : new Date(best);
  },
};

/**
 * An operator (or a principal with the status role) moves a service to another status. A transition the
 * life cycle forbids is refused with the statuses that are allowed from here.
 */
export async function setServiceStatus(
  ctx: DomainContext,
  actor: Actor,
  accountGuid: string,
  to: string,
  options: { reason?: string } = {},
): Promise<StatusChange> {
  if (!isServiceStatus(to)) {
    throw validationError([{ field: 'status', problem: 'invalid', message: `Unknown status "${to}"; one of ${SERVICE_STATUSES.join(', ')}` }]);
  }
  return inTransaction(ctx, async (trx) => {
    assertTransaction(trx);
    const account = await accountsRepo.findByGuid(trx, accountGuid);
    if (!account || account.deletedAt) throw notFound('account', 'Account not found');
    authorize(actor, 'account.status', account);
    if (account.status === to) throw new DomainError(ErrorCode.InvalidTransition, `The service is already ${to}`);
    if (!canTransition(account.status, to)) {
      const allowed = TRANSITIONS[account.status];
      throw new DomainError(
        ErrorCode.InvalidTransition,
        `A service cannot change from ${account.status} to ${to}; ` +
          (allowed.length ? `from ${account.status} it can become ${allowed.join(', ')}` : `${account.status} is final`),
      );
    }
    return changeStatus(trx, ctx, actor, account, to, { reason: options.reason ?? 'set by operator' });
  });
}
