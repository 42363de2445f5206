import type { Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * Control-panel login tokens. Only a hash of each token is kept, so a copy of the store cannot be used
 * to log in; `used_at` makes redemption single-use across processes (a conditional update).
 */
export const loginTokens: DialectMigration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('login_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      .addColumn('user_name', 'text', (c) => c.notNull())
      .addColumn('virtual_user', 'integer', (c) => c.notNull())
      .addColumn('principal_guid', 'text')
      .addColumn('issued_by_guid', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('login_tokens_account').on('login_tokens').columns(['account_guid', 'created_at']).execute();
    await db.schema.createIndex('login_tokens_expires').on('login_tokens').column('expires_at').execute();
  },
};
