import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * PostgreSQL: every committed update or delete of a row authentication reads (a credential, a principal, an
 * account's place in the tree or its deletion) notifies the schema's channel with `table:guid`, so every
 * server process can forget what it cached. The notice comes from the statement itself, inside its
 * transaction: PostgreSQL sends it on commit and drops it on rollback, writers need no extra round trip,
 * and a change made by any tool (the CLI, psql) is announced too. SQLite has no channel between
 * processes: there the store watches its own writes and `PRAGMA data_version` (src/store/changes.ts).
 */
export const changeNotices: DialectMigration = {
  async up(db: Kysely<any>, dialect) {
    if (dialect !== 'postgres') return;
    await sql`create or replace function partnerhub_notify_change() returns trigger language plpgsql as $$
      begin
        perform pg_notify('partnerhub:' || tg_table_schema, tg_table_name || ':' || old.guid);
        return null;
      end $$`.execute(db);
    await sql`create trigger credentials_changed after update or delete on credentials
      for each row execute function partnerhub_notify_change()`.execute(db);
    await sql`create trigger principals_changed after update or delete on principals
      for each row execute function partnerhub_notify_change()`.execute(db);
    await sql`create trigger accounts_moved_or_deleted after update on accounts for each row
      when (old.path is distinct from new.path or old.parent_guid is distinct from new.parent_guid
        or old.deleted_at is distinct from new.deleted_at or old.guid is distinct from new.guid)
      execute function partnerhub_notify_change()`.execute(db);
    await sql`create trigger accounts_removed after delete on accounts
      for each row execute function partnerhub_notify_change()`.execute(db);
  },
};
