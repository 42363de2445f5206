/**
 * Many rows per statement, for filling a store in bulk (`partnerhub demo --scale N`): the same row shapes
 * the one-at-a-time repositories write, in chunks small enough for either dialect's bind-parameter limit
 * (SQLite's is 32,766 variables a statement, PostgreSQL's 65,535). Callers run these inside a transaction.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../migrations/index.js';
import type { Account, StatusChange } from '../records.js';
import { accountRow, toAccount } from './accounts.js';
import { statusChangeRow } from './status-history.js';
import { row as contactRow, type StoredContact } from './contacts.js';

const MAX_PARAMETERS = 30_000;

/**
 * Readies a connection for a long bulk load. SQLite's default page cache is 2 MiB: once the random-key
 * indexes (GUIDs, paths) outgrow it, every inserted row reads index pages back from the file and the
 * rate falls with the store's size (1,450 customers/s at 20,000, 570/s at 100,000). A 512 MiB cache
 * keeps them in memory for this connection only; the server's own connections keep the default.
 */
export async function prepareBulkLoad(db: Kysely<DB>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`pragma cache_size = -524288`.execute(db);
  // Helper threads for the sorts of the deferred index builds (SQLite's default is none).
  await sql`pragma threads = 2`.execute(db);
}

/**
 * Triggers a SQLite bulk load drops with the indexes and puts back after: the per-day history counts of
 * migration 0017, which fire once per row there (PostgreSQL counts once per statement and keeps them). The
 * load keeps the counts itself meanwhile (`insertStatusChanges` with `countDays`), in the same transaction
 * as the rows, so a load killed half-way leaves counts that match its rows.
 */
const SQLITE_DEFERRED_TRIGGERS = ['status_day_counts_insert', 'status_day_counts_delete', 'status_day_counts_update'];

/**
 * The non-unique secondary indexes of the tables, with their definitions (unique ones keep guarding their
 * rule), and on SQLite the deferrable triggers among theirs.
 */
async function secondaryIndexes(db: Kysely<DB>, dialect: Dialect, tables: string[]): Promise<{ name: string; definition: string }[]> {
  const rows =
    dialect === 'sqlite'
      ? (await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master
          where sql is not null and tbl_name in (${sql.join(tables)})
            and (type = 'index' or (type = 'trigger' and name in (${sql.join(SQLITE_DEFERRED_TRIGGERS)})))`.execute(db)).rows
      : (await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes
          where schemaname = current_schema() and tablename in (${sql.join(tables)})`.execute(db)).rows;
  return rows.filter((r) => !/^\s*create\s+unique\b/i.test(r.definition)).sort((a, b) => a.name.localeCompare(b.name));
}

const isTrigger = (definition: string) => /^\s*create\s+trigger\b/i.test(definition);

/** Whether the history's per-day counts are the load's to keep (their triggers are deferred). */
export async function daysCountedByLoad(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('deferred_indexes').select('name').where('name', 'in', SQLITE_DEFERRED_TRIGGERS).executeTakeFirst();
  return row != null;
}

/**
 * Drops the non-unique secondary indexes of the tables for a bulk load, keeping each definition in
 * `deferred_indexes` in the same transaction: inserting into a B-tree keyed by random values (GUIDs, paths,
 * times) costs a page visit per row, sorting them once afterwards does not. Unique indexes stay. Returns how
 * many were dropped; `buildDeferredIndexes` puts them back.
 */
export async function deferIndexes(db: Kysely<DB>, dialect: Dialect, tables: string[]): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const indexes = await secondaryIndexes(trx, dialect, tables);
    if (!indexes.length) return 0;
    await trx.insertInto('deferred_indexes').values(indexes).onConflict((oc) => oc.column('name').doNothing()).execute();
    for (const { name, definition } of indexes) await sql`drop ${sql.raw(isTrigger(definition) ? 'trigger' : 'index')} ${sql.id(name)}`.execute(trx);
    return indexes.length;
  });
}

/** Builds every index a bulk load deferred (also one a killed load left behind); a no-op when there is none. */
export async function buildDeferredIndexes(db: Kysely<DB>): Promise<number> {
  const pending = await db.selectFrom('deferred_indexes').select(['name', 'definition']).orderBy('name').execute();
  if (!pending.length) return 0;
  await db.transaction().execute(async (trx) => {
    for (const { name, definition } of pending) {
      // Another process may have built it already.
      await sql.raw(definition.replace(/^\s*create\s+(index|trigger)\s+(if\s+not\s+exists\s+)?/i, 'create $1 if not exists ')).execute(trx);
      await trx.deleteFrom('deferred_indexes').where('name', '=', name).execute();
    }
  });
  return pending.length;
}

/**
 * After a PostgreSQL load: statistics for the planner, and the visibility map that lets it answer from an
 * index alone (the status search walks a reseller's history index newest first; without these it walked
 * the whole table in sequence order instead, 200 ms a page at 100,000 customers). Autovacuum would get
 * there, minutes later. SQLite keeps no statistics unless asked; its queries name what they need.
 */
export async function settleBulkLoad(db: Kysely<DB>, dialect: Dialect, tables: string[]): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const table of tables) await sql`vacuum (analyze) ${sql.table(table)}`.execute(db);
}

function chunks<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * SQL texts of multi-row inserts by table, columns and row count. A load writes thousands of chunks of the
 * same shape: Kysely builds the first, the rest reuse its text with their own values (compiling each
 * again cost a tenth of a load's time), and SQLite's statement cache then reuses the prepared statement.
 */
const insertTexts = new WeakMap<object, Map<string, string>>();

async function insertRows<R extends object>(db: Kysely<DB>, table: keyof DB, rows: R[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]) as (keyof R)[];
  // Per dialect: a transaction's executor shares its database's adapter.
  const adapter = db.getExecutor().adapter;
  const texts = insertTexts.get(adapter) ?? insertTexts.set(adapter, new Map()).get(adapter)!;
  for (const part of chunks(rows, columns.length)) {
    const key = `${table}(${columns.join(',')})x${part.length}`;
    const parameters = part.flatMap((r) => columns.map((c) => r[c]));
    const text = texts.get(key);
    if (text) {
      await db.executeQuery(CompiledQuery.raw(text, parameters));
      continue;
    }
    // The table name is typed by the caller; Kysely cannot narrow the row type from a union of tables.
    const compiled = db.insertInto(table).values(part as never).compile();
    // Only a text whose values are the rows' own, column by column, is reused.
    if (compiled.parameters.length === parameters.length && compiled.parameters.every((p, i) => p === parameters[i])) texts.set(key, compiled.sql);
    await db.executeQuery(compiled);
  }
}

/**
 * Takes `n` consecutive values of a named sequence in one statement; returns the first. Atomic like
 * counters.next (the row stays locked until the transaction ends on PostgreSQL).
 */
export async function takeRange(db: Kysely<DB>, name: string, n: number): Promise<number> {
  const row = await db
    .updateTable('counters')
    .set({ value: sql`value + ${n}` })
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirst();
  if (!row) throw new Error(`unknown counter ${name}`);
  return Number(row.value) - n + 1;
}

export function insertAccounts(db: Kysely<DB>, accounts: Account[]): Promise<void> {
  return insertRows(db, 'accounts', accounts.map(accountRow));
}

export function insertAccountProducts(db: Kysely<DB>, links: { accountGuid: string; productId: number }[]): Promise<void> {
  return insertRows(db, 'account_products', links.map((l) => ({ account_guid: l.accountGuid, product_id: l.productId })));
}

/**
 * Inserts history rows; with `countDays`, also adds them to `status_day_counts` (one upsert of a row per
 * partner, reseller and day), as the triggers a SQLite load defers would have, by the same rule: a row is
 * a customer's when its account is neither its partner nor its reseller (migration 0017).
 */
export async function insertStatusChanges(db: Kysely<DB>, changes: StatusChange[], options: { countDays?: boolean } = {}): Promise<void> {
  await insertRows(db, 'status_history', changes.map(statusChangeRow));
  if (!options.countDays) return;
  const days = new Map<string, { partner_guid: string; reseller_guid: string; day: string; n: number }>();
  for (const c of changes) {
    if (c.partnerGuid == null || c.accountGuid === c.partnerGuid || c.accountGuid === c.resellerGuid) continue;
    const row = { partner_guid: c.partnerGuid, reseller_guid: c.resellerGuid ?? '', day: c.changedAt.slice(0, 10), n: 0 };
    const key = `${row.partner_guid}/${row.reseller_guid}/${row.day}`;
    (days.get(key) ?? days.set(key, row).get(key)!).n++;
  }
  for (const part of chunks([...days.values()], 4)) {
    await db
      .insertInto('status_day_counts')
      .values(part)
      .onConflict((oc) => oc.columns(['partner_guid', 'reseller_guid', 'day']).doUpdateSet({ n: sql`status_day_counts.n + excluded.n` }))
      .execute();
  }
}

export function insertContacts(db: Kysely<DB>, contacts: Omit<StoredContact, 'id'>[]): Promise<void> {
  return insertRows(db, 'contacts', contacts.map(contactRow));
}

/** Live customers below each of the given accounts. */
export async function countCustomersUnder(db: Kysely<DB>, parentGuids: string[]): Promise<number> {
  if (!parentGuids.length) return 0;
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_guid', 'in', parentGuids)
    .where('kind', '=', 'customer')
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The first partner created and its live resellers (the demo's tree), or null on an empty store. */
export async function firstPartnerTree(db: Kysely<DB>): Promise<{ partner: Account; resellers: Account[] } | null> {
  const partner = await db
    .selectFrom('accounts')
    .selectAll()
    .where('kind', '=', 'partner')
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('account_number')
    .limit(1)
    .executeTakeFirst();
  if (!partner) return null;
  const resellers = await db
    .selectFrom('accounts')
    .selectAll()
    .where('parent_guid', '=', partner.guid)
    .where('kind', '=', 'reseller')
    .where('deleted_at', 'is', null)
    .orderBy('account_number')
    .execute();
  return { partner: toAccount(partner), resellers: resellers.map(toAccount) };
}
