import type { Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * Daily service usage per account (what CCC's ServiceUsage reports), and the index the CCC status
 * search needs to filter by who made a change without scanning the history.
 */
export const serviceUsage: DialectMigration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('service_usage_daily')
      .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      /** The UTC day the counters describe, YYYY-MM-DD. */
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('total_users', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pro_users', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('guest_users', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('disabled_users', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unregistered_users', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('secure_messaging_gateway', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('secure_messaging_plus', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('data_leak_prevention', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('secure_large_files', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('secure_forms', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('messages', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('attachments', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('attachment_storage_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('service_usage_daily_pk', ['account_guid', 'day'])
      .execute();
    await db.schema.createIndex('service_usage_daily_day').on('service_usage_daily').columns(['day', 'account_guid']).execute();
    await db.schema.createIndex('status_history_email').on('status_history').columns(['changed_by_email', 'seq']).execute();
  },
};
