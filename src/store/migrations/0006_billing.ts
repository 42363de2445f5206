import type { Kysely } from 'kysely';
import type { Dialect, DialectMigration } from './index.js';
import { serialKey } from './0001_initial.js';

/** A primary key the store allocates: contact and invoice ids are the small numbers clients see in URLs. */
function idColumn(dialect: Dialect) {
  return (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
}

/** Company contacts, user-count history, invoices with their line items, and completed billing runs. */
export const billingSchema: DialectMigration = {
  async up(db: Kysely<any>, dialect: Dialect) {
    await db.schema
      .createTable('contacts')
      .addColumn('id', serialKey(dialect), idColumn(dialect))
      .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      // Booleans are 0/1 integers so both dialects read them the same way.
      .addColumn('receives_alerts', 'integer', (c) => c.notNull())
      .addColumn('receives_billing', 'integer', (c) => c.notNull())
      .addColumn('receives_updates', 'integer', (c) => c.notNull())
      .addColumn('security_question', 'text', (c) => c.notNull())
      // Sealed with the configured key (AES-GCM): a security answer is a password by another name.
      .addColumn('security_answer_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contacts_account').on('contacts').columns(['account_guid', 'id']).execute();

    await db.schema
      .createTable('user_count_changes')
      .addColumn('seq', serialKey(dialect), idColumn(dialect))
      .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      .addColumn('changed_at', 'text', (c) => c.notNull())
      .addColumn('old_count', 'integer', (c) => c.notNull())
      .addColumn('new_count', 'integer', (c) => c.notNull())
      .addColumn('changed_by_guid', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('user_count_changes_account').on('user_count_changes').columns(['account_guid', 'changed_at', 'seq']).execute();

    await db.schema
      .createTable('invoices')
      .addColumn('id', serialKey(dialect), idColumn(dialect))
      .addColumn('billing_account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('invoice_type', 'text', (c) => c.notNull())
      .addColumn('invoice_date', 'text', (c) => c.notNull())
      .addColumn('total_due_cents', 'bigint', (c) => c.notNull())
      .addColumn('line_count', 'integer', (c) => c.notNull())
      .addColumn('csv_available', 'integer', (c) => c.notNull())
      .addColumn('is_paid', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('paid_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      // One invoice of a type per billing account and period: this is what makes a re-run change nothing.
      .addUniqueConstraint('invoices_one_per_period', ['billing_account_guid', 'period', 'invoice_type'])
      .execute();
    await db.schema.createIndex('invoices_account_date').on('invoices').columns(['billing_account_guid', 'invoice_date', 'id']).execute();

    await db.schema
      .createTable('invoice_lines')
      .addColumn('invoice_id', 'bigint', (c) => c.notNull().references('invoices.id'))
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('account_guid', 'text', (c) => c.notNull())
      .addColumn('account_number', 'text', (c) => c.notNull())
      .addColumn('reference_number', 'text')
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('product_id', 'integer', (c) => c.notNull())
      .addColumn('product_name', 'text', (c) => c.notNull())
      .addColumn('line_type', 'text', (c) => c.notNull())
      .addColumn('service_start', 'text', (c) => c.notNull())
      .addColumn('service_end', 'text', (c) => c.notNull())
      .addColumn('committed_usage', 'integer', (c) => c.notNull())
      .addColumn('current_usage', 'integer', (c) => c.notNull())
      .addColumn('usage_change', 'integer', (c) => c.notNull())
      .addColumn('months_hundredths', 'integer', (c) => c.notNull())
      .addColumn('rate', 'text', (c) => c.notNull())
      .addColumn('charge_cents', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('invoice_lines_pk', ['invoice_id', 'line_no'])
      .execute();

    await db.schema
      .createTable('billing_runs')
      .addColumn('period', 'text', (c) => c.primaryKey())
      .addColumn('completed_at', 'text', (c) => c.notNull())
      .addColumn('invoices_issued', 'integer', (c) => c.notNull())
      .execute();
  },
};
