import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from './index.js';
import { createSerialTable } from './0001_initial.js';

/**
 * The sandbox's faults, request journal and webhooks (issue 12, parts 4–6).
 *
 * - `fault_rules`: what makes matching requests fail. Every server process caches them and forgets the cache
 *   when the table changes: PostgreSQL notifies the schema's channel with `fault_rules:` from a statement
 *   trigger, SQLite's processes see it through the store's own write watch and `PRAGMA data_version`.
 *   `remaining` counts down the "next N requests" rules (null: unlimited).
 * - `request_journal`: the last N requests and responses, secrets already replaced.
 * - `webhook_subscriptions` (also announced on change, so a write that has no subscriber to tell costs
 *   nothing), `webhook_events` (the outbox, written in the transaction of the change), `webhook_deliveries`
 *   (one per event and subscription) and `webhook_attempts` (the delivery log, with each response).
 */
export const faultsJournalWebhooks: DialectMigration = {
  async up(db: Kysely<any>, dialect) {
    await createSerialTable(db, dialect, 'fault_rules', (t) =>
      t
        .addColumn('guid', 'text', (c) => c.notNull().unique())
        .addColumn('face', 'text')
        .addColumn('method', 'text')
        .addColumn('path', 'text')
        .addColumn('principal_guid', 'text')
        .addColumn('action_json', 'text', (c) => c.notNull())
        .addColumn('remaining', 'integer')
        .addColumn('probability', 'double precision')
        .addColumn('seed', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull()),
    );
    await createSerialTable(db, dialect, 'request_journal', (t) =>
      t
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('face', 'text')
        .addColumn('principal_guid', 'text')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('query', 'text')
        .addColumn('operation', 'text')
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('request_json', 'text', (c) => c.notNull())
        .addColumn('response_json', 'text', (c) => c.notNull()),
    );
    await db.schema.createIndex('request_journal_path').on('request_journal').columns(['path', 'seq']).execute();
    await db.schema.createIndex('request_journal_principal').on('request_journal').columns(['principal_guid', 'seq']).execute();

    await createSerialTable(db, dialect, 'webhook_subscriptions', (t) =>
      t
        .addColumn('guid', 'text', (c) => c.notNull().unique())
        .addColumn('principal_guid', 'text', (c) => c.notNull())
        .addColumn('account_guid', 'text', (c) => c.notNull())
        .addColumn('account_path', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events_json', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        // Events after this one are the subscription's: it sees nothing that happened before it existed.
        .addColumn('after_event_seq', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull()),
    );
    await createSerialTable(db, dialect, 'webhook_events', (t) =>
      t
        .addColumn('guid', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('account_guid', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull()),
    );
    await createSerialTable(db, dialect, 'webhook_deliveries', (t) =>
      t
        .addColumn('guid', 'text', (c) => c.notNull().unique())
        .addColumn('event_seq', 'bigint', (c) => c.notNull())
        .addColumn('subscription_guid', 'text', (c) => c.notNull())
        .addColumn('account_guid', 'text', (c) => c.notNull())
        // pending | delivered | failed (gave up after a day)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text'),
    );
    await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute();
    await db.schema.createIndex('webhook_deliveries_order').on('webhook_deliveries').columns(['subscription_guid', 'account_guid', 'state', 'event_seq']).execute();
    await createSerialTable(db, dialect, 'webhook_attempts', (t) =>
      t
        .addColumn('delivery_guid', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('error', 'text')
        .addColumn('duration_ms', 'integer', (c) => c.notNull()),
    );
    await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_guid', 'seq']).execute();
    // How far the fan-out of events to deliveries has got (one row).
    await db.schema
      .createTable('webhook_cursor')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('last_event_seq', 'bigint', (c) => c.notNull())
      .execute();

    if (dialect !== 'postgres') return;
    await sql`create or replace function partnerhub_notify_table() returns trigger language plpgsql as $$
      begin
        perform pg_notify('partnerhub:' || tg_table_schema, tg_table_name || ':');
        return null;
      end $$`.execute(db);
    await sql`create trigger fault_rules_changed after insert or update or delete or truncate on fault_rules
      for each statement execute function partnerhub_notify_table()`.execute(db);
    await sql`create trigger webhook_subscriptions_changed after insert or update or delete or truncate on webhook_subscriptions
      for each statement execute function partnerhub_notify_table()`.execute(db);
  },
};
