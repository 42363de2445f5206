import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { ChangeFeed, StoreChange } from '../store/changes.js';
import type { DomainContext } from './context.js';
import type { Actor } from './principal.js';
import { newGuid } from './ids.js';
import * as webhooksRepo from '../store/repositories/webhooks.js';

/**
 * Webhook events: what a subscriber is told. Each comes from the audit entry of its change (recordAudit calls
 * `recordWebhookEvent`), so every change that is audited is announced, and it is written to the outbox in
 * the same transaction: an event exists exactly when its change committed.
 */
export const WEBHOOK_EVENTS = [
  'account.created',
  'account.updated',
  'account.deleted',
  'account.status_changed',
  'account.user_count_changed',
  'contact.added',
  'contact.changed',
  'contact.removed',
  'invoice.issued',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** The audit actions that are events, and the event each is. */
const EVENT_FOR_ACTION: Record<string, WebhookEventType> = {
  'account.create': 'account.created',
  'account.update': 'account.updated',
  'account.products': 'account.updated',
  'account.delete': 'account.deleted',
  'account.status': 'account.status_changed',
  'account.user_count': 'account.user_count_changed',
  'contact.create': 'contact.added',
  'contact.update': 'contact.changed',
  'contact.delete': 'contact.removed',
  'invoice.issue': 'invoice.issued',
};

export interface AuditedChange {
  action: string;
  entityType: string;
  entityGuid: string;
  accountGuid: string | null;
  before: unknown;
  after: unknown;
}

/** What the event says happened, in the event's own terms (old and new status, old and new count …). */
function eventData(type: WebhookEventType, change: AuditedChange): Record<string, unknown> {
  const before = (change.before ?? {}) as Record<string, unknown>;
  const after = (change.after ?? {}) as Record<string, unknown>;
  switch (type) {
    case 'account.status_changed':
      return { oldStatus: before.status ?? null, newStatus: after.status ?? null, reason: after.reason ?? null, operationGuid: after.operationGuid ?? null };
    case 'account.user_count_changed':
      return { oldUserCount: before.userCount ?? null, newUserCount: after.userCount ?? null };
    case 'account.created':
      return { account: after };
    case 'account.deleted':
      return { deletedAt: after.deletedAt ?? null };
    case 'invoice.issued':
      return { invoiceId: change.entityGuid, ...after };
    case 'contact.added':
    case 'contact.changed':
    case 'contact.removed':
      return { contactId: change.entityGuid, before: change.before ?? null, after: change.after ?? null };
    default:
      return { before: change.before ?? null, after: change.after ?? null };
  }
}

/**
 * Whether anyone may be subscribed: cached in the process and forgotten when `webhook_subscriptions`
 * changes (or anything may have), so a change with no subscriber anywhere writes no event and costs nothing.
 */
export class SubscriberWatch {
  #known: boolean | null = null;
  #generation = 0;
  readonly #unsubscribe: () => void;

  constructor(private readonly feed: ChangeFeed) {
    this.#unsubscribe = feed.subscribe((change: StoreChange) => {
      if (change.table !== 'webhook_subscriptions' && change.table !== 'all') return;
      this.#generation++;
      this.#known = null;
    });
  }

  /** Reads through the caller's handle (inside its transaction) when the answer is not known. */
  async mayHaveSubscribers(db: Kysely<DB>): Promise<boolean> {
    this.feed.sync();
    if (this.#known !== null && this.feed.live) return this.#known;
    const generation = this.#generation;
    const known = await webhooksRepo.hasSubscriptions(db);
    if (generation === this.#generation && this.feed.live) this.#known = known;
    return known;
  }

  close(): void {
    this.#unsubscribe();
  }
}

/** Writes the change's event to the outbox, in the change's transaction, when it is an event and someone may listen. */
export async function recordWebhookEvent(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, change: AuditedChange): Promise<void> {
  const type = EVENT_FOR_ACTION[change.action];
  if (!type || !change.accountGuid || !ctx.webhooks) return;
  if (!(await ctx.webhooks.mayHaveSubscribers(trx))) return;
  const guid = newGuid();
  const at = ctx.clock.now().toISOString();
  const payload = {
    id: guid,
    type,
    occurredAt: at,
    accountGuid: change.accountGuid,
    actor: { guid: actor.guid, email: actor.email, system: actor.system === true },
    data: eventData(type, change),
  };
  await webhooksRepo.insertEvent(trx, { guid, at, type, account_guid: change.accountGuid, payload_json: JSON.stringify(payload) });
}
