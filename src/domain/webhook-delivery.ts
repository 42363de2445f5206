import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { DAY, HOUR, wallTime } from './clock.js';
import { DomainError, ErrorCode } from './errors.js';
import { newGuid } from './ids.js';
import { runExclusive, type Job } from './jobs.js';
import { receives, SIGNATURE_HEADER, signWebhook } from './webhooks.js';
import * as webhooksRepo from '../store/repositories/webhooks.js';

/**
 * Webhook delivery, off every request's path: events in the outbox are fanned out to the subscriptions that
 * receive them (one delivery each), then sent, oldest first, one at a time per subscription and account so
 * a receiver sees an account's events in order. A delivery that fails (no 2xx, an error, no answer within
 * the timeout) is retried with exponential backoff, in business time, for a day after its event; the
 * later events of that account wait behind it. Every attempt is logged with the response. The whole run
 * holds the store's job lease, so of several processes one delivers each event (at least once: a run
 * that outlives its lease may be repeated by another process).
 */

export interface DeliveryOptions {
  /** How long one delivery waits for an answer (default 10 s). */
  timeoutMs?: number;
  /** The lease holder (default: a new one per run). */
  holder?: string;
  /** Most deliveries one run makes (default 50). */
  maxPerRun?: number;
  fetch?: typeof fetch;
}

export interface DeliveryRun {
  /** False when another process held the lease. */
  ran: boolean;
  delivered: number;
  retrying: number;
  failed: number;
}

export const WEBHOOK_JOB = 'webhooks.deliver';
const FAN_OUT_BATCH = 500;
const RESPONSE_KEPT_CHARS = 2000;

/** 30 s, 1 min, 2 min … at most 2 h between attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 2 * HOUR);
}

/** Events after the cursor become deliveries, in one transaction with the cursor's move. */
async function fanOut(ctx: DomainContext): Promise<void> {
  for (;;) {
    const more = await inTransaction(ctx, async (trx) => {
      const events = await webhooksRepo.eventsToFanOut(trx, FAN_OUT_BATCH);
      if (!events.length) return false;
      const subscriptions = await webhooksRepo.listSubscriptions(trx);
      const rows = events.flatMap((e) =>
        subscriptions
          .filter((s) => receives(s, e.type, e.account_path, Number(e.seq)))
          .map((s) => ({ guid: newGuid(), event_seq: Number(e.seq), subscription_guid: s.guid, account_guid: e.account_guid, state: 'pending', attempts: 0, next_attempt_at: e.at, created_at: e.at, finished_at: null })),
      );
      await webhooksRepo.insertDeliveries(trx, rows);
      await webhooksRepo.moveCursor(trx, Number(events[events.length - 1].seq));
      return events.length === FAN_OUT_BATCH;
    });
    if (!more) return;
  }
}

/** The deliveries that may go now: the oldest pending one of each subscription and account, if it is due. */
async function dueHeads(ctx: DomainContext): Promise<webhooksRepo.DeliveryRow[]> {
  const now = ctx.clock.now().toISOString();
  const heads = new Map<string, webhooksRepo.DeliveryRow>();
  for (const d of await webhooksRepo.pendingDeliveries(ctx.db, 1000)) {
    const key = `${d.subscription_guid}:${d.account_guid}`;
    if (!heads.has(key)) heads.set(key, d);
  }
  return [...heads.values()].filter((d) => d.next_attempt_at <= now);
}

interface Answer {
  status: number | null;
  body: string | null;
  error: string | null;
}

async function post(url: string, headers: Record<string, string>, body: string, options: DeliveryOptions): Promise<Answer> {
  try {
    const res = await (options.fetch ?? fetch)(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), redirect: 'manual' });
    const text = await res.text();
    return { status: res.status, body: text.slice(0, RESPONSE_KEPT_CHARS), error: null };
  } catch (e) {
    const err = e as Error & { cause?: Error };
    return { status: null, body: null, error: err.name === 'TimeoutError' ? 'no answer within the timeout' : `${err.message}${err.cause ? `: ${err.cause.message}` : ''}` };
  }
}

/** One attempt of one delivery: sent, logged, and the delivery marked delivered, retried later or given up. */
async function attempt(ctx: DomainContext, d: webhooksRepo.DeliveryRow, options: DeliveryOptions): Promise<'delivered' | 'retrying' | 'failed'> {
  const [event, subscription] = await Promise.all([webhooksRepo.findEvent(ctx.db, Number(d.event_seq)), webhooksRepo.findSubscription(ctx.db, d.subscription_guid)]);
  if (!event || !subscription) {
    await webhooksRepo.updateDelivery(ctx.db, d.guid, { state: 'failed', finished_at: ctx.clock.now().toISOString() });
    return 'failed';
  }
  const body = event.payload_json;
  // Receivers check the signature's age against their own (real) clock, so it is signed with the real time.
  const timestamp = Math.floor(wallTime(ctx.clock).getTime() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'partnerhub-webhooks/1',
    [SIGNATURE_HEADER.toLowerCase()]: signWebhook(ctx.secrets.decrypt(subscription.secret_sealed), timestamp, body),
    'partnerhub-event-id': event.guid,
    'partnerhub-event-type': event.type,
    'partnerhub-delivery-id': d.guid,
  };
  const started = wallTime(ctx.clock).getTime();
  const answer = await post(subscription.url, headers, body, options);
  const at = ctx.clock.now();
  const attempts = d.attempts + 1;
  await webhooksRepo.insertAttempt(ctx.db, {
    delivery_guid: d.guid,
    attempt: attempts,
    at: at.toISOString(),
    status: answer.status,
    response_body: answer.body,
    error: answer.error,
    duration_ms: Math.max(0, wallTime(ctx.clock).getTime() - started),
  });
  if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
    await webhooksRepo.updateDelivery(ctx.db, d.guid, { state: 'delivered', attempts, finished_at: at.toISOString() });
    return 'delivered';
  }
  if (at.getTime() - Date.parse(d.created_at) >= DAY) {
    await webhooksRepo.updateDelivery(ctx.db, d.guid, { state: 'failed', attempts, finished_at: at.toISOString() });
    return 'failed';
  }
  await webhooksRepo.updateDelivery(ctx.db, d.guid, { attempts, next_attempt_at: new Date(at.getTime() + backoffMs(attempts)).toISOString() });
  return 'retrying';
}

async function deliverDue(ctx: DomainContext, options: DeliveryOptions, run: DeliveryRun): Promise<void> {
  await fanOut(ctx);
  const max = options.maxPerRun ?? 50;
  let made = 0;
  while (made < max) {
    const due = await dueHeads(ctx);
    if (!due.length) return;
    for (const d of due.slice(0, max - made)) {
      const outcome = await attempt(ctx, d, options);
      made++;
      if (outcome === 'delivered') run.delivered++;
      else if (outcome === 'retrying') run.retrying++;
      else run.failed++;
    }
  }
}

/** Delivers what is due now, if this process gets the lease: `serve` calls it on a timer, tests and the operator API directly. */
export async function deliverWebhooks(ctx: DomainContext, options: DeliveryOptions = {}): Promise<DeliveryRun> {
  const run: DeliveryRun = { ran: false, delivered: 0, retrying: 0, failed: 0 };
  const job: Job = {
    name: WEBHOOK_JOB,
    leaseMs: (options.maxPerRun ?? 50) * (options.timeoutMs ?? 10_000) + 60_000,
    run: (c) => deliverDue(c, options, run),
  };
  run.ran = await runExclusive(ctx, job, options.holder);
  return run;
}

/** Sends a delivery's event again, as a new delivery due now (after the account's earlier pending ones). */
export async function replayDelivery(ctx: DomainContext, guid: string): Promise<string> {
  const d = await webhooksRepo.findDelivery(ctx.db, guid);
  if (!d) throw new DomainError(ErrorCode.NotFound, `No webhook delivery ${guid}`, { resource: 'delivery' });
  const now = ctx.clock.now().toISOString();
  const replay = newGuid();
  await webhooksRepo.insertDeliveries(ctx.db, [
    { guid: replay, event_seq: d.event_seq, subscription_guid: d.subscription_guid, account_guid: d.account_guid, state: 'pending', attempts: 0, next_attempt_at: now, created_at: now, finished_at: null },
  ]);
  return replay;
}

export interface DeliveryView {
  guid: string;
  eventGuid: string | null;
  eventType: string | null;
  subscriptionGuid: string;
  accountGuid: string;
  state: string;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  finishedAt: string | null;
  log: { attempt: number; at: string; status: number | null; responseBody: string | null; error: string | null; durationMs: number }[];
}

/** The delivery log: deliveries newest first, each with its attempts and the answers they got. */
export async function deliveryLog(ctx: DomainContext, f: { subscriptionGuid?: string; state?: string; eventGuid?: string; limit?: number }): Promise<DeliveryView[]> {
  const rows = await webhooksRepo.listDeliveries(ctx.db, { ...f, limit: Math.min(Math.max(f.limit ?? 100, 1), 1000) });
  const attempts = await webhooksRepo.attemptsOf(ctx.db, rows.map((r) => r.guid));
  return rows.map((r) => ({
    guid: r.guid,
    eventGuid: r.event_guid,
    eventType: r.event_type,
    subscriptionGuid: r.subscription_guid,
    accountGuid: r.account_guid,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    log: attempts
      .filter((a) => a.delivery_guid === r.guid)
      .map((a) => ({ attempt: a.attempt, at: a.at, status: a.status, responseBody: a.response_body, error: a.error, durationMs: a.duration_ms })),
  }));
}
