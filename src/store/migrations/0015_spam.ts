import type { Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * Spam filtering of e-mail domains and mailboxes: one settings row per domain or mailbox that has settings of
 * its own (none: the defaults, and a mailbox without a row follows its domain), and the four sender lists
 * (safe and blocked senders, safe and blocked IP addresses) as one row per entry. Every row belongs to its
 * domain or mailbox and goes when it goes (on delete cascade), whichever path deletes it.
 *
 * The `spam` JSON columns 0010 gave email_domains and mailboxes were never written beyond '{}'; they stay
 * (a shipped column is not dropped) and nothing reads them.
 */
export const spamFiltering: DialectMigration = {
  async up(db: Kysely<any>) {
    const settings = (table: string, owner: string, parent: string) =>
      db.schema
        .createTable(table)
        .addColumn(owner, 'integer', (c) => c.primaryKey().references(`${parent}.id`).onDelete('cascade'))
        .addColumn('filter_level', 'text', (c) => c.notNull())
        .addColumn('handling', 'text', (c) => c.notNull())
        .addColumn('folder_cleaner', 'integer', (c) => c.notNull())
        .addColumn('folder_age_limit', 'integer', (c) => c.notNull())
        .addColumn('folder_count_limit', 'integer', (c) => c.notNull())
        .addColumn('forwarding_address', 'text', (c) => c.notNull());
    await settings('domain_spam_settings', 'domain_id', 'email_domains')
      .addColumn('domain_quarantine', 'integer', (c) => c.notNull())
      .addColumn('quarantine_owner', 'text', (c) => c.notNull())
      .addColumn('default_quarantine_owner', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await settings('mailbox_spam_settings', 'mailbox_id', 'mailboxes').addColumn('updated_at', 'text', (c) => c.notNull()).execute();

    const entries = (table: string, owner: string, parent: string) =>
      db.schema
        .createTable(table)
        .addColumn(owner, 'integer', (c) => c.notNull().references(`${parent}.id`).onDelete('cascade'))
        /** Which list: safe_senders, blocked_senders, safe_ips, blocked_ips. */
        .addColumn('list', 'text', (c) => c.notNull())
        .addColumn('entry', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, [owner, 'list', 'entry'])
        .execute();
    await entries('domain_spam_entries', 'domain_id', 'email_domains');
    await entries('mailbox_spam_entries', 'mailbox_id', 'mailboxes');
  },
};
