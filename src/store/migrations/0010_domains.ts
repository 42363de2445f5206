import type { Kysely } from 'kysely';
import type { Dialect, DialectMigration } from './index.js';
import { serialKey } from './0001_initial.js';

function idColumn(dialect: Dialect) {
  return (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
}

/**
 * E-mail domains, their mailboxes and aliases, and the spam settings of both. A domain name is unique across
 * the whole system: the unique index (not a read before the insert) decides between two concurrent adds, so
 * on PostgreSQL exactly one of them commits. Mailbox passwords are stored only as salted scrypt hashes.
 *
 * Before this migration each account carried a primary-domain string of its own (accounts.primary_domain).
 * Those become domains here: the oldest live account that names a domain owns it; an account whose primary
 * domain another account already claimed keeps the string but gets no domain (a conflict the data had).
 */
export const emailDomains: DialectMigration = {
  async up(db: Kysely<any>, dialect: Dialect) {
    await db.schema
      .createTable('email_domains')
      .addColumn('id', serialKey(dialect), idColumn(dialect))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      .addColumn('is_primary', 'integer', (c) => c.notNull())
      .addColumn('service_type', 'text', (c) => c.notNull())
      .addColumn('max_mailboxes', 'integer', (c) => c.notNull())
      .addColumn('base_mailbox_size', 'integer', (c) => c.notNull())
      .addColumn('exchange_max_mailboxes', 'integer', (c) => c.notNull())
      /** JSON: the domain's spam settings and its four sender lists. */
      .addColumn('spam', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('email_domains_name').on('email_domains').column('name').unique().execute();
    await db.schema.createIndex('email_domains_account').on('email_domains').columns(['account_guid', 'name']).execute();

    await db.schema
      .createTable('mailboxes')
      .addColumn('id', serialKey(dialect), idColumn(dialect))
      .addColumn('domain_id', 'integer', (c) => c.notNull().references('email_domains.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('size_mb', 'integer', (c) => c.notNull())
      .addColumn('current_usage_mb', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('last_name', 'text', (c) => c.notNull())
      /** JSON: contact fields beyond the name (phone, title, …). */
      .addColumn('contact', 'text', (c) => c.notNull())
      /** JSON array of forwarding addresses. */
      .addColumn('forwarding', 'text', (c) => c.notNull())
      .addColumn('save_forwarded', 'integer', (c) => c.notNull())
      .addColumn('vacation_message', 'text', (c) => c.notNull())
      .addColumn('vacation_enabled', 'integer', (c) => c.notNull())
      .addColumn('spam', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_login_at', 'text')
      .execute();
    await db.schema.createIndex('mailboxes_domain_name').on('mailboxes').columns(['domain_id', 'name']).unique().execute();

    await db.schema
      .createTable('mail_aliases')
      .addColumn('id', serialKey(dialect), idColumn(dialect))
      .addColumn('domain_id', 'integer', (c) => c.notNull().references('email_domains.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      /** JSON array of target addresses. */
      .addColumn('targets', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mail_aliases_domain_name').on('mail_aliases').columns(['domain_id', 'name']).unique().execute();

    await migratePrimaryDomains(db);
  },
};

/** The defaults a migrated domain gets: the same as a domain added without settings (src/domain/email-domain.ts). */
const MIGRATED = { service_type: 'rsemail', max_mailboxes: 100, base_mailbox_size: 25600, exchange_max_mailboxes: 0, spam: '{}' };

async function migratePrimaryDomains(db: Kysely<any>): Promise<void> {
  const rows: { guid: string; primary_domain: string; created_at: string }[] = await db
    .selectFrom('accounts')
    .select(['guid', 'primary_domain', 'created_at'])
    .where('primary_domain', 'is not', null)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('guid')
    .execute();
  const claimed = new Set<string>();
  for (const r of rows) {
    const name = r.primary_domain.trim().toLowerCase();
    if (!name || claimed.has(name)) continue;
    claimed.add(name);
    await db
      .insertInto('email_domains')
      .values({ name, account_guid: r.guid, is_primary: 1, ...MIGRATED, created_at: r.created_at, updated_at: r.created_at })
      .execute();
  }
}
