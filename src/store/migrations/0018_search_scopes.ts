import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * Where an FTS5 key's scope starts: a key is `scope * SCOPE_SPAN + n`, so the keys of one scope (the live
 * children of one kind under one parent) are one rowid range, which FTS5 seeks to instead of matching the
 * whole store. 2^36 keys a scope, 2^27 scopes: both far beyond any store.
 */
export const SCOPE_SPAN = 2 ** 36;

/**
 * SQLite `contains` under one parent, answered by the trigram index alone (issue 14: 62,510 matches among a
 * reseller's 500,000 children took seconds, because every match was read from `accounts` to learn its parent
 * and whether it was live).
 *
 * 1. The FTS5 table (migration 0014) now holds live accounts only, each keyed by its scope: the
 *    `account_search_scopes` row of its (parent, kind) — parent '' for an account without one. A count of
 *    the matches inside the scope's key range is then a count of the matching live children. The triggers
 *    move an account's key when its parent, kind or liveness changes, as well as when its text does.
 * 2. `accounts_parent_name` also carries kind, deletion and reference, so a walk of a parent's children in
 *    page order tests every filter of the index page without reading the table, and a `startswith` count of
 *    names is index only.
 *
 * PostgreSQL keeps its pg_trgm indexes (0014) and gets the same wider name index.
 */
export const searchScopes: DialectMigration = {
  async up(db: Kysely<any>, dialect) {
    // `if exists`: a bulk load that was killed may have dropped it (it waits in deferred_indexes, migration 0016).
    await sql`drop index if exists accounts_parent_name`.execute(db);
    await sql`create index accounts_parent_name on accounts (parent_guid, name_lower, account_number, kind, deleted_at, reference_lower)`.execute(db);
    if (dialect === 'postgres') return;
    for (const t of ['insert', 'delete', 'update']) await sql`drop trigger ${sql.id(`accounts_search_${t}`)}`.execute(db);
    await sql`drop table account_search`.execute(db);
    await sql`drop table account_search_keys`.execute(db);
    await db.schema
      .createTable('account_search_scopes')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('parent_guid', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addUniqueConstraint('account_search_scopes_parent_kind', ['parent_guid', 'kind'])
      .execute();
    await db.schema
      .createTable('account_search_keys')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('guid', 'text', (c) => c.notNull().unique())
      .execute();
    await sql`create virtual table account_search using fts5(
      name_lower, account_number, reference_lower,
      content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1')`.execute(db);
    await sql`insert into account_search_scopes (parent_guid, kind)
      select distinct coalesce(parent_guid, ''), kind from accounts where deleted_at is null order by 1, 2`.execute(db);
    await sql`insert into account_search_keys (id, guid)
      select s.id * ${sql.lit(SCOPE_SPAN)} + row_number() over (partition by s.id order by a.guid), a.guid
      from accounts a join account_search_scopes s on s.parent_guid = coalesce(a.parent_guid, '') and s.kind = a.kind
      where a.deleted_at is null`.execute(db);
    await sql`insert into account_search (rowid, name_lower, account_number, reference_lower)
      select k.id, a.name_lower, a.account_number, a.reference_lower from account_search_keys k join accounts a on a.guid = k.guid
      order by k.id`.execute(db);
    // One b-tree instead of the many segments a bulk insert leaves: fewer to merge on every match.
    await sql`insert into account_search (account_search) values ('optimize')`.execute(db);
    await searchTriggers(db);
  },
};

async function searchTriggers(db: Kysely<any>): Promise<void> {
  const span = SCOPE_SPAN;
  // A live account gets the next key of its scope (the scope made on first use); a deleted one none.
  const add = sql.raw(`
    insert into account_search_scopes (parent_guid, kind) select coalesce(new.parent_guid, ''), new.kind
      where new.deleted_at is null on conflict (parent_guid, kind) do nothing;
    insert into account_search_keys (id, guid)
      select coalesce((select max(k.id) from account_search_keys k where k.id >= s.id * ${span} and k.id < (s.id + 1) * ${span}), s.id * ${span}) + 1, new.guid
      from account_search_scopes s where s.parent_guid = coalesce(new.parent_guid, '') and s.kind = new.kind and new.deleted_at is null;
    insert into account_search (rowid, name_lower, account_number, reference_lower)
      select id, new.name_lower, new.account_number, new.reference_lower from account_search_keys where guid = new.guid;`);
  const remove = sql.raw(`
    delete from account_search where rowid = (select id from account_search_keys where guid = old.guid);
    delete from account_search_keys where guid = old.guid;`);
  await sql`create trigger accounts_search_insert after insert on accounts begin ${add} end`.execute(db);
  await sql`create trigger accounts_search_delete after delete on accounts begin ${remove} end`.execute(db);
  await sql`create trigger accounts_search_update
    after update of guid, parent_guid, kind, deleted_at, name_lower, account_number, reference_lower on accounts
    when old.guid is not new.guid or old.parent_guid is not new.parent_guid or old.kind is not new.kind
      or (old.deleted_at is null) <> (new.deleted_at is null) or old.name_lower is not new.name_lower
      or old.account_number is not new.account_number or old.reference_lower is not new.reference_lower
    begin ${remove} ${add} end`.execute(db);
}
