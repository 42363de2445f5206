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
