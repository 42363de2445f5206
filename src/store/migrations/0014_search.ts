import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * Substring search (`contains`) over an account's name, account number and reference number without
 * scanning every account in scope.
 *
 * PostgreSQL: a pg_trgm GIN index per column serves `lower(column) LIKE '%…%'` as it is written, so the
 * query does not change. The extension is created once per database in the schema that already holds it
 * (or `public`), never in a partnerhub schema, so dropping one schema never drops another's indexes. Where
 * the extension cannot be created (no privilege, not installed), the indexes are left out and `contains`
 * scans as before: slower, never wrong.
 *
 * SQLite: an FTS5 table with the trigram tokenizer, case-sensitive over the already lower-cased columns so
 * it folds exactly as the LIKE it narrows. It is contentless (the accounts table holds the text) and keyed
 * by `account_search_keys.id`, not by the accounts table's implicit rowid, which VACUUM may renumber.
 * Triggers keep it in step with every insert, update and delete, whoever writes.
 */
export const accountSearch: DialectMigration = {
  async up(db: Kysely<any>, dialect) {
    await childCounts(db, dialect);
    if (dialect === 'postgres') return trigramIndexes(db);
    await db.schema
      .createTable('account_search_keys')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('guid', 'text', (c) => c.notNull().unique())
      .execute();
    await sql`create virtual table account_search using fts5(
      name_lower, account_number, reference_lower,
      content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1')`.execute(db);
    const add = (row: 'new') => sql.raw(`
      insert into account_search_keys (guid) values (${row}.guid);
      insert into account_search (rowid, name_lower, account_number, reference_lower)
        values ((select id from account_search_keys where guid = ${row}.guid), ${row}.name_lower, ${row}.account_number, ${row}.reference_lower);`);
    const remove = (row: 'old') => sql.raw(`
      delete from account_search where rowid = (select id from account_search_keys where guid = ${row}.guid);
      delete from account_search_keys where guid = ${row}.guid;`);
    await sql`create trigger accounts_search_insert after insert on accounts begin ${add('new')} end`.execute(db);
    await sql`create trigger accounts_search_delete after delete on accounts begin ${remove('old')} end`.execute(db);
    await sql`create trigger accounts_search_update after update of guid, name_lower, account_number, reference_lower on accounts
      when old.guid is not new.guid or old.name_lower is not new.name_lower
        or old.account_number is not new.account_number or old.reference_lower is not new.reference_lower
      begin ${remove('old')} ${add('new')} end`.execute(db);
    await sql`insert into account_search_keys (guid) select guid from accounts order by guid`.execute(db);
    await sql`insert into account_search (rowid, name_lower, account_number, reference_lower)
      select k.id, a.name_lower, a.account_number, a.reference_lower from accounts a join account_search_keys k on k.guid = a.guid`.execute(db);
  },
};

async function trigramIndexes(db: Kysely<any>): Promise<void> {
  // Kysely's migrator already holds a database-wide advisory lock, so two schemas migrating at once do not
  // race to create the extension.
  const ext = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e
    join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
  let schema = ext.rows[0]?.schema;
  if (!schema) {
    const available = await sql`select 1 from pg_available_extensions where name = 'pg_trgm'`.execute(db);
    const pub = await sql`select 1 from pg_namespace where nspname = 'public'`.execute(db);
    if (available.rows.length === 0 || pub.rows.length === 0) return;
    await sql`savepoint partnerhub_trgm`.execute(db);
    try {
      await sql`create extension if not exists pg_trgm with schema public`.execute(db);
      await sql`release savepoint partnerhub_trgm`.execute(db);
      schema = 'public';
    } catch {
      // No privilege to create it: `contains` keeps scanning.
      await sql`rollback to savepoint partnerhub_trgm`.execute(db);
      return;
    }
  }
  const ops = sql.raw(`"${schema.replace(/"/g, '""')}".gin_trgm_ops`);
  for (const column of ['name_lower', 'account_number', 'reference_lower']) {
    await sql`create index ${sql.id(`accounts_${column}_trgm`)} on accounts using gin (${sql.id(column)} ${ops})`.execute(db);
  }
}

/**
 * How many live children of each kind an account has, kept by triggers on every insert, move, deletion and
 * undeletion, so an index's `total` is one row read instead of a walk over every child (500,000 under a
 * reseller at scale). A creation already locks the parent row, so the counter row adds no new contention
 * there.
 */
async function childCounts(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('account_children')
    .addColumn('parent_guid', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('live', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_children_pk', ['parent_guid', 'kind'])
    .execute();
  const moved = `old.parent_guid is distinct from new.parent_guid or old.kind is distinct from new.kind
    or (old.deleted_at is null) <> (new.deleted_at is null)`;
  if (dialect === 'postgres') {
    await sql`create or replace function partnerhub_count_children() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then
          if old.parent_guid is not null and old.deleted_at is null then
            update account_children set live = live - 1 where parent_guid = old.parent_guid and kind = old.kind;
          end if;
        end if;
        if tg_op in ('UPDATE', 'INSERT') then
          if new.parent_guid is not null and new.deleted_at is null then
            insert into account_children (parent_guid, kind, live) values (new.parent_guid, new.kind, 1)
              on conflict (parent_guid, kind) do update set live = account_children.live + 1;
          end if;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger accounts_children_added_removed after insert or delete on accounts
      for each row execute function partnerhub_count_children()`.execute(db);
    await sql`create trigger accounts_children_moved after update on accounts for each row
      when (${sql.raw(moved)}) execute function partnerhub_count_children()`.execute(db);
  } else {
    const add = `insert into account_children (parent_guid, kind, live) select new.parent_guid, new.kind, 1
      where new.parent_guid is not null and new.deleted_at is null
      on conflict (parent_guid, kind) do update set live = live + 1;`;
    const remove = `update account_children set live = live - 1
      where old.parent_guid is not null and old.deleted_at is null and parent_guid = old.parent_guid and kind = old.kind;`;
    await sql`create trigger accounts_children_insert after insert on accounts begin ${sql.raw(add)} end`.execute(db);
    await sql`create trigger accounts_children_delete after delete on accounts begin ${sql.raw(remove)} end`.execute(db);
    await sql`create trigger accounts_children_update after update of parent_guid, kind, deleted_at on accounts
      when ${sql.raw(moved.replace(/is distinct from/g, 'is not'))} begin ${sql.raw(remove)} ${sql.raw(add)} end`.execute(db);
  }
  await sql`insert into account_children (parent_guid, kind, live)
    select parent_guid, kind, count(*) from accounts where parent_guid is not null and deleted_at is null group by parent_guid, kind`.execute(db);
}
