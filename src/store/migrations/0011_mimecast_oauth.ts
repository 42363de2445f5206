import type { Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * Mimecast API 2.0: bearer tokens and dashboard notifications.
 *
 * A bearer token lives only in the client's hands; the store keeps its SHA-256 with the credential that
 * obtained it and its expiry, so every server process sharing the store accepts it and a copy of the store
 * cannot be used to call the API. Revoking the credential revokes its tokens (authentication reads the
 * credential with the token, and the revocation deletes the rows).
 *
 * Dashboard notifications are notices an operator puts on an account's dashboard (Mimecast's
 * get-dashboard-notifications); `enabled` is 0 or 1.
 */
export const mimecastOauth: DialectMigration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('access_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('credential_guid', 'text', (c) => c.notNull().references('credentials.guid'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_tokens_credential').on('access_tokens').column('credential_guid').execute();
    await db.schema.createIndex('access_tokens_expires').on('access_tokens').column('expires_at').execute();

    await db.schema
      .createTable('dashboard_notifications')
      .addColumn('guid', 'text', (c) => c.primaryKey())
      .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('notice_type', 'text', (c) => c.notNull())
      .addColumn('warning_level', 'text', (c) => c.notNull())
      .addColumn('visible_from', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('dashboard_notifications_account').on('dashboard_notifications').columns(['account_guid', 'visible_from']).execute();
  },
};
