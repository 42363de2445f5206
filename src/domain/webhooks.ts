import { createHmac, randomBytes } from 'node:crypto';
import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { DomainError, ErrorCode, validationError } from './errors.js';
import { newGuid } from './ids.js';
import { WEBHOOK_EVENTS, type WebhookEventType } from './webhook-events.js';
import * as principalsRepo from '../store/repositories/principals.js';
import * as webhooksRepo from '../store/repositories/webhooks.js';

/**
 * Webhook subscriptions: a principal subscribes a URL to events of the accounts in its subtree (all events,
 * or those it names). Each subscription has its own signing secret, shown once when it is made.
 */
export interface Subscription {
  guid: string;
  principalGuid: string;
  accountGuid: string;
  url: string;
  /** The events it receives; ['*'] for all. */
  events: string[];
  createdAt: string;
}

export interface NewSubscription {
  /** The subscribing principal: its guid or e-mail. */
  principal: string;
  url: string;
  events?: string[];
}

/** The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'Partnerhub-Signature';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

function toSubscription(r: webhooksRepo.SubscriptionRow): Subscription {
  return { guid: r.guid, principalGuid: r.principal_guid, accountGuid: r.account_guid, url: r.url, events: JSON.parse(r.events_json), createdAt: r.created_at };
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw validationError([{ field: 'url', problem: 'invalid', message: 'url must be an absolute http(s) URL' }]);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw validationError([{ field: 'url', problem: 'invalid', message: 'url must be an absolute http(s) URL' }]);
}

function checkEvents(events: string[] | undefined): string[] {
  if (!events?.length || events.includes('*')) return ['*'];
  const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown.length) throw validationError([{ field: 'events', problem: 'unknown', message: `unknown events: ${unknown.join(', ')} (known: ${WEBHOOK_EVENTS.join(', ')})` }]);
  return [...new Set(events)];
}

export async function subscribe(ctx: DomainContext, input: NewSubscription): Promise<Subscription & { secret: string }> {
  checkUrl(input.url);
  const events = checkEvents(input.events);
  const principal = input.principal.includes('@') ? await principalsRepo.findByEmail(ctx.db, input.principal) : await principalsRepo.findByGuid(ctx.db, input.principal);
  const found = principal && (await principalsRepo.findWithAccount(ctx.db, principal.guid));
  if (!found?.account || found.account.deletedAt) throw new DomainError(ErrorCode.NotFound, `No principal ${input.principal}`, { resource: 'principal' });
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const row = await inTransaction(ctx, (trx) =>
    webhooksRepo.insertSubscription(trx, {
      guid: newGuid(),
      principal_guid: found.principal.guid,
      account_guid: found.account!.guid,
      account_path: found.account!.path,
      url: input.url,
      events_json: JSON.stringify(events),
      secret_sealed: ctx.secrets.encrypt(secret),
      created_at: ctx.clock.now().toISOString(),
    }),
  );
  return { ...toSubscription(row), secret };
}

export async function listSubscriptions(ctx: DomainContext): Promise<Subscription[]> {
  return (await webhooksRepo.listSubscriptions(ctx.db)).map(toSubscription);
}

/** Removes a subscription and its deliveries not yet made. */
export async function unsubscribe(ctx: DomainContext, guid: string): Promise<void> {
  const removed = await inTransaction(ctx, (trx) => webhooksRepo.deleteSubscription(trx, guid));
  if (!removed) throw new DomainError(ErrorCode.NotFound, `No webhook subscription ${guid}`, { resource: 'subscription' });
}

/** Whether a subscription receives an event of this type about an account at this path. */
export function receives(s: webhooksRepo.SubscriptionRow, type: string, accountPath: string | null, eventSeq: number): boolean {
  if (eventSeq <= Number(s.after_event_seq) || accountPath === null || !accountPath.startsWith(s.account_path)) return false;
  const events = JSON.parse(s.events_json) as string[];
  return events.includes('*') || events.includes(type as WebhookEventType);
}
