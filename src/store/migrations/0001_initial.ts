import { sql, type Kysely } from 'kysely';
import type { Dialect, DialectMigration } from './index.js';

/** An auto-incrementing integer key: the one column type the two dialects spell differently. */
/** Where the counters start in an empty store. Rackspace account numbers are six or seven digits in the wild; Mimecast ids derive from a second sequence. */
export const INITIAL_COUNTERS = [
  { name: 'account_number', value: 460100 },
  { name: 'mimecast_sequence', value: 3500400 },
] as const;

export function serialKey(dialect: Dialect) {
  return dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const);
}

export async function createSerialTable(
  db: Kysely<any>,
  dialect: Dialect,
  table: string,
  build: (t: ReturnType<Kysely<any>['schema']['createTable']>) => ReturnType<Kysely<any>['schema']['createTable']>,
): Promise<void> {
  let t = db.schema
    .createTable(table)
    .addColumn('seq', serialKey(dialect), (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()));
  t = build(t);
  await t.execute();
}

export const initialSchema: DialectMigration = {
  async up(db: Kysely<any>, dialect: Dialect) {
    // Columns searched by prefix compare bytewise in both dialects (SQLite's BINARY, PostgreSQL's "C"), so a
    // prefix search is an index range scan and ordering is the same on both stores.
    const bytewise = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable('accounts')
      .addColumn('guid', 'text', (c) => c.primaryKey())
      .addColumn('parent_guid', 'text', (c) => c.references('accounts.guid'))
      .addColumn('path', bytewise, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', bytewise, (c) => c.notNull())
      .addColumn('reference_number', 'text')
      .addColumn('reference_lower', bytewise, (c) => c.notNull().defaultTo(''))
      .addColumn('account_number', bytewise, (c) => c.notNull().unique())
      .addColumn('account_code', 'text', (c) => c.notNull().unique())
      .addColumn('mimecast_id', 'text', (c) => c.notNull().unique())
      .addColumn('address_line1', 'text')
      .addColumn('address_line2', 'text')
      .addColumn('city', 'text')
      .addColumn('state', 'text')
      .addColumn('zip', 'text')
      .addColumn('country', 'text')
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('contact_name', 'text')
      .addColumn('contact_email', 'text')
      .addColumn('telephone', 'text')
      .addColumn('user_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('primary_domain', 'text')
      .addColumn('temporary_domain', 'text', (c) => c.notNull())
      .addColumn('admin_email', 'text')
      .addColumn('hosting_jurisdiction', 'text')
      .addColumn('support_jurisdiction', 'text')
      .addColumn('support_package', 'text')
      .addColumn('customer_advocate', 'text')
      .addColumn('customer_development_manager', 'text')
      .addColumn('main_product', 'text')
      .addColumn('renewal_date', 'text')
      .addColumn('office_phone', 'text')
      .addColumn('support_mailto', 'text')
      .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('service_status', 'text', (c) => c.notNull())
      .addColumn('status_changed_at', 'text', (c) => c.notNull())
      .addColumn('trial_started_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    // A parent's children listed by name, and searched by prefix of name, account number or reference number.
    await db.schema.createIndex('accounts_parent_name').on('accounts').columns(['parent_guid', 'name_lower', 'account_number']).execute();
    await db.schema.createIndex('accounts_parent_number').on('accounts').columns(['parent_guid', 'account_number']).execute();
    await db.schema.createIndex('accounts_parent_reference').on('accounts').columns(['parent_guid', 'reference_lower']).execute();
    await db.schema.createIndex('accounts_path').on('accounts').column('path').execute();
    await db.schema.createIndex('accounts_reference').on('accounts').column('reference_number').execute();
    await db.schema.createIndex('accounts_name_lower').on('accounts').columns(['name_lower', 'account_number']).execute();
    await db.schema.createIndex('accounts_status').on('accounts').columns(['service_status', 'status_changed_at']).execute();
    await db.schema.createIndex('accounts_primary_domain').on('accounts').column('primary_domain').execute();

    await db.schema
      .createTable('products')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('package_label', 'text', (c) => c.notNull())
      .addColumn('monthly_rate', 'text', (c) => c.notNull().defaultTo('0'))
      .execute();

    await db.schema
      .createTable('account_products')
      .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
      .addPrimaryKeyConstraint('account_products_pk', ['account_guid', 'product_id'])
      .execute();

    await db.schema
      .createTable('principals')
      .addColumn('guid', 'text', (c) => c.primaryKey())
      .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('disabled_at', 'text')
      .execute();
    await db.schema.createIndex('principals_account').on('principals').column('account_guid').execute();

    await db.schema
      .createTable('credentials')
      .addColumn('guid', 'text', (c) => c.primaryKey())
      .addColumn('principal_guid', 'text', (c) => c.notNull().references('principals.guid'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('public_id', 'text')
      .addColumn('secret_sealed', 'text')
      .addColumn('secret_hash', 'text')
      .addColumn('app_id', 'text')
      .addColumn('app_key_sealed', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('credentials_public').on('credentials').columns(['kind', 'public_id']).unique().execute();
    await db.schema.createIndex('credentials_hash').on('credentials').column('secret_hash').unique().execute();
    await db.schema.createIndex('credentials_principal').on('credentials').column('principal_guid').execute();
    await db.schema.createIndex('credentials_app').on('credentials').column('app_id').execute();

    await createSerialTable(db, dialect, 'status_history', (t) =>
      t
        .addColumn('guid', 'text', (c) => c.notNull().unique())
        .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
        .addColumn('reseller_guid', 'text')
        .addColumn('partner_guid', 'text')
        .addColumn('old_status', 'text')
        .addColumn('new_status', 'text', (c) => c.notNull())
        .addColumn('changed_at', 'text', (c) => c.notNull())
        .addColumn('changed_by_guid', 'text', (c) => c.notNull())
        .addColumn('changed_by_email', 'text', (c) => c.notNull())
        .addColumn('operation_guid', 'text', (c) => c.notNull())
        .addColumn('user_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reason', 'text'),
    );
    await db.schema.createIndex('status_history_account').on('status_history').columns(['account_guid', 'seq']).execute();
    await db.schema.createIndex('status_history_reseller').on('status_history').columns(['reseller_guid', 'seq']).execute();
    await db.schema.createIndex('status_history_partner').on('status_history').columns(['partner_guid', 'seq']).execute();
    await db.schema.createIndex('status_history_principal').on('status_history').columns(['changed_by_guid', 'seq']).execute();
    await db.schema.createIndex('status_history_time').on('status_history').columns(['changed_at', 'seq']).execute();

    await createSerialTable(db, dialect, 'audit_log', (t) =>
      t
        .addColumn('guid', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_guid', 'text', (c) => c.notNull())
        .addColumn('actor_email', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_guid', 'text', (c) => c.notNull())
        .addColumn('account_guid', 'text')
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text'),
    );
    await db.schema.createIndex('audit_log_account').on('audit_log').columns(['account_guid', 'seq']).execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'seq']).execute();

    await db.schema
      .createTable('counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute();
    await db.insertInto('counters').values([...INITIAL_COUNTERS]).execute();

    await db.schema.createTable('rate_keys').addColumn('key', 'text', (c) => c.primaryKey()).execute();
    await createSerialTable(db, dialect, 'rate_events', (t) =>
      t.addColumn('key', 'text', (c) => c.notNull()).addColumn('at', 'bigint', (c) => c.notNull()),
    );
    await db.schema.createIndex('rate_events_key_at').on('rate_events').columns(['key', 'at']).execute();
  },
};
