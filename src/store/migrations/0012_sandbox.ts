import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * The sandbox's own state. `sandbox_state` holds named values every server process must agree on (the
 * operator token's SHA-256, the test clock's offset); on PostgreSQL each committed change notifies the
 * schema's change channel with `sandbox:NAME`, so every process re-reads it (src/store/changes.ts).
 * `sandbox_snapshots` keeps whole-store states as JSON, one row per snapshot (`reset` restores the one
 * taken after the fixtures or the demo were loaded).
 */
export const sandboxTables: DialectMigration = {
  async up(db: Kysely<any>, dialect) {
    await db.schema
      .createTable('sandbox_state')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sandbox_snapshots')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('row_count', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    if (dialect !== 'postgres') return;
    await sql`create or replace function partnerhub_notify_sandbox() returns trigger language plpgsql as $$
      begin
        perform pg_notify('partnerhub:' || tg_table_schema, 'sandbox:' || coalesce(new.name, old.name));
        return null;
      end $$`.execute(db);
    await sql`create trigger sandbox_state_changed after insert or update or delete on sandbox_state
      for each row execute function partnerhub_notify_sandbox()`.execute(db);
  },
};
