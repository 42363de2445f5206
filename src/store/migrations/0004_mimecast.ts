import type { Kysely } from 'kysely';
import type { DialectMigration } from './index.js';
import { createSerialTable } from './0001_initial.js';

/**
 * The ledger of licensed-user changes. Billing charges per user, so every change of an account's user
 * count is kept with its time, not only the latest count on the account.
 */
export const userCountLedger: DialectMigration = {
  async up(db: Kysely<any>, dialect) {
    await createSerialTable(db, dialect, 'user_count_changes', (t) =>
      t
        .addColumn('guid', 'text', (c) => c.notNull().unique())
        .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('old_count', 'integer', (c) => c.notNull())
        .addColumn('new_count', 'integer', (c) => c.notNull())
        .addColumn('delta', 'integer', (c) => c.notNull())
        .addColumn('actor_guid', 'text', (c) => c.notNull())
        .addColumn('actor_email', 'text', (c) => c.notNull())
        .addColumn('reason', 'text'),
    );
    await db.schema.createIndex('user_count_changes_account').on('user_count_changes').columns(['account_guid', 'seq']).execute();
    await db.schema.createIndex('user_count_changes_time').on('user_count_changes').columns(['at', 'seq']).execute();
  },
};
