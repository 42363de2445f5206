import type { Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * Control-panel sessions. The session id lives only in the browser's cookie; the store keeps its SHA-256,
 * so a copy of the store cannot be used to take a session over. A session is one row, so sign-out (deleting
 * it) ends it for every server process at once. `roles` holds what a virtual user was given at sign-in
 * (a JSON array); a real admin user's roles are read from its principal on every request instead.
 */
export const panelSessions: DialectMigration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('panel_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('account_guid', 'text', (c) => c.notNull().references('accounts.guid'))
      .addColumn('user_name', 'text', (c) => c.notNull())
      .addColumn('virtual_user', 'integer', (c) => c.notNull())
      .addColumn('principal_guid', 'text')
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    // Pruning finds idle and over-age sessions through these.
    await db.schema.createIndex('panel_sessions_last_seen').on('panel_sessions').column('last_seen_at').execute();
    await db.schema.createIndex('panel_sessions_created').on('panel_sessions').column('created_at').execute();
  },
};
