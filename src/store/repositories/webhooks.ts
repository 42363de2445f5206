import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB, WebhookAttemptTable, WebhookDeliveryTable, WebhookEventTable, WebhookSubscriptionTable } from '../schema.js';

export type SubscriptionRow = Selectable<WebhookSubscriptionTable>;
export type EventRow = Selectable<WebhookEventTable>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;
export type AttemptRow = Selectable<WebhookAttemptTable>;

const CURSOR = 'fan-out';

// ---- subscriptions ----

export async function hasSubscriptions(db: Kysely<DB>): Promise<boolean> {
  return !!(await db.selectFrom('webhook_subscriptions').select('guid').limit(1).executeTakeFirst());
}

export async function insertSubscription(db: Kysely<DB>, row: Omit<Insertable<WebhookSubscriptionTable>, 'after_event_seq'>): Promise<SubscriptionRow> {
  // It sees the events after the latest one now: one statement, so no event slips between the read and the insert.
  await db
    .insertInto('webhook_subscriptions')
    .values({ ...row, after_event_seq: sql<number>`(select coalesce(max(seq), 0) from webhook_events)` })
    .execute();
  return (await findSubscription(db, row.guid))!;
}

export async function findSubscription(db: Kysely<DB>, guid: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('webhook_subscriptions').selectAll().where('guid', '=', guid).executeTakeFirst();
}

export async function listSubscriptions(db: Kysely<DB>): Promise<SubscriptionRow[]> {
  return db.selectFrom('webhook_subscriptions').selectAll().orderBy('seq').execute();
}

export async function deleteSubscription(db: Kysely<DB>, guid: string): Promise<boolean> {
  await db.deleteFrom('webhook_deliveries').where('subscription_guid', '=', guid).where('state', '=', 'pending').execute();
  return Number((await db.deleteFrom('webhook_subscriptions').where('guid', '=', guid).executeTakeFirst()).numDeletedRows) > 0;
}

// ---- events (the outbox) ----

export async function insertEvent(db: Kysely<DB>, row: Insertable<WebhookEventTable>): Promise<void> {
  await db.insertInto('webhook_events').values(row).execute();
}

/** Events after the fan-out's cursor, oldest first, each with its account's path (accounts are never removed). */
export async function eventsToFanOut(db: Kysely<DB>, limit: number): Promise<(EventRow & { account_path: string | null })[]> {
  const cursor = await db.selectFrom('webhook_cursor').select('last_event_seq').where('name', '=', CURSOR).executeTakeFirst();
  return db
    .selectFrom('webhook_events')
    .leftJoin('accounts', 'accounts.guid', 'webhook_events.account_guid')
    .selectAll('webhook_events')
    .select('accounts.path as account_path')
    .where('webhook_events.seq', '>', Number(cursor?.last_event_seq ?? 0))
    .orderBy('webhook_events.seq')
    .limit(limit)
    .execute();
}

export async function moveCursor(db: Kysely<DB>, lastEventSeq: number): Promise<void> {
  await db
    .insertInto('webhook_cursor')
    .values({ name: CURSOR, last_event_seq: lastEventSeq })
    .onConflict((oc) => oc.column('name').doUpdateSet({ last_event_seq: lastEventSeq }))
    .execute();
}

export async function findEvent(db: Kysely<DB>, seq: number): Promise<EventRow | undefined> {
  return db.selectFrom('webhook_events').selectAll().where('seq', '=', seq).executeTakeFirst();
}

// ---- deliveries and attempts ----

export async function insertDeliveries(db: Kysely<DB>, rows: Insertable<WebhookDeliveryTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('webhook_deliveries').values(rows).execute();
}

/** Pending deliveries, oldest event first: the first of each subscription and account is the one that may go. */
export async function pendingDeliveries(db: Kysely<DB>, limit: number): Promise<DeliveryRow[]> {
  return db.selectFrom('webhook_deliveries').selectAll().where('state', '=', 'pending').orderBy('event_seq').orderBy('seq').limit(limit).execute();
}

export async function findDelivery(db: Kysely<DB>, guid: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('guid', '=', guid).executeTakeFirst();
}

export type DeliveryWithEvent = DeliveryRow & { event_guid: string | null; event_type: string | null };

/** Newest first, each with its event's id and type. */
export async function listDeliveries(db: Kysely<DB>, f: { subscriptionGuid?: string; state?: string; eventGuid?: string; limit: number }): Promise<DeliveryWithEvent[]> {
  let q = db
    .selectFrom('webhook_deliveries')
    .leftJoin('webhook_events', 'webhook_events.seq', 'webhook_deliveries.event_seq')
    .selectAll('webhook_deliveries')
    .select(['webhook_events.guid as event_guid', 'webhook_events.type as event_type']);
  if (f.subscriptionGuid) q = q.where('webhook_deliveries.subscription_guid', '=', f.subscriptionGuid);
  if (f.state) q = q.where('webhook_deliveries.state', '=', f.state);
  if (f.eventGuid) q = q.where('webhook_events.guid', '=', f.eventGuid);
  return q.orderBy('webhook_deliveries.seq', 'desc').limit(f.limit).execute();
}

export async function updateDelivery(db: Kysely<DB>, guid: string, set: Partial<Pick<DeliveryRow, 'state' | 'attempts' | 'next_attempt_at' | 'finished_at'>>): Promise<void> {
  await db.updateTable('webhook_deliveries').set(set).where('guid', '=', guid).execute();
}

export async function insertAttempt(db: Kysely<DB>, row: Insertable<WebhookAttemptTable>): Promise<void> {
  await db.insertInto('webhook_attempts').values(row).execute();
}

export async function attemptsOf(db: Kysely<DB>, deliveryGuids: string[]): Promise<AttemptRow[]> {
  if (!deliveryGuids.length) return [];
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_guid', 'in', deliveryGuids).orderBy('seq').execute();
}
