import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../migrations/index.js';
import { INITIAL_COUNTERS } from '../migrations/0001_initial.js';

/**
 * The whole store's rows, table by table, for sandbox snapshots and reset. Tables are found in the database
 * itself (so a table a later migration adds is included without a change here) and ordered parents first
 * by their foreign keys; `replaceAll` empties them children first and refills them parents first, in the
 * caller's transaction, then sets serial counters past the highest id so new rows get fresh ones.
 */
export type TableRows = Record<string, Record<string, unknown>[]>;

/** Tables that are never part of a store's state: migration bookkeeping, the snapshots themselves, leases of running schedulers, the request journal (a record of traffic, which a reset leaves alone). */
export const NOT_IN_SNAPSHOTS = new Set(['kysely_migration', 'kysely_migration_lock', 'sandbox_snapshots', 'sandbox_state', 'job_leases', 'request_journal', 'account_children', 'status_day_counts', 'deferred_indexes']);

/** Tables the store's triggers derive from `accounts` and `status_history` (live-children counts, the SQLite trigram index, history counts per day): restoring those rebuilds them. */
const derived = (table: string) => NOT_IN_SNAPSHOTS.has(table) || table.startsWith('account_search');

interface Edge {
  table: string;
  parent: string;
  /** The referencing and the referenced column (the first, for a composite key). */
  from: string;
  to: string;
}

async function tablesAndEdges(db: Kysely<DB>, dialect: Dialect): Promise<{ tables: string[]; edges: Edge[] }> {
  if (dialect === 'postgres') {
    const { rows: tables } = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
    const { rows: edges } = await sql<Edge>`select cl.relname as table, pcl.relname as parent, fa.attname as from, ta.attname as to
      from pg_constraint c join pg_class cl on cl.oid = c.conrelid join pg_class pcl on pcl.oid = c.confrelid
      join pg_attribute fa on fa.attrelid = c.conrelid and fa.attnum = c.conkey[1]
      join pg_attribute ta on ta.attrelid = c.confrelid and ta.attnum = c.confkey[1]
      where c.contype = 'f' and cl.relnamespace = current_schema()::regnamespace`.execute(db);
    return { tables: tables.map((t) => t.name), edges };
  }
  const { rows: tables } = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
  const edges: Edge[] = [];
  for (const { name } of tables) {
    const { rows } = await sql<{ table: string; from: string; to: string }>`select "table", "from", "to" from pragma_foreign_key_list(${name})`.execute(db);
    for (const r of rows) edges.push({ table: name, parent: r.table, from: r.from, to: r.to });
  }
  return { tables: tables.map((t) => t.name), edges };
}

/** The store's data tables, every table after the tables it references, and the tables that reference themselves. */
export interface TablePlan {
  tables: string[];
  /** A table whose rows reference other rows of it (accounts → parent): its rows are written referenced first. */
  selfRefs: Record<string, { from: string; to: string }>;
}

export async function dataTables(db: Kysely<DB>, dialect: Dialect): Promise<TablePlan> {
  const { tables, edges } = await tablesAndEdges(db, dialect);
  const selfRefs: TablePlan['selfRefs'] = {};
  for (const e of edges) if (e.table === e.parent) selfRefs[e.table] = { from: e.from, to: e.to };
  const wanted = tables.filter((t) => !derived(t));
  const ordered: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (ordered.includes(t) || path.has(t)) return;
    path.add(t);
    for (const e of edges) if (e.table === t && e.parent !== t && wanted.includes(e.parent)) visit(e.parent, path);
    ordered.push(t);
  };
  for (const t of wanted) visit(t, new Set());
  return { tables: ordered, selfRefs };
}

/** Rows ordered so that every row comes after the row it references (rows referencing nothing here come first). */
function referencedFirst(rows: Record<string, unknown>[], ref: { from: string; to: string }): Record<string, unknown>[] {
  const byKey = new Map(rows.map((r) => [r[ref.to], r]));
  const done = new Set<Record<string, unknown>>();
  const out: Record<string, unknown>[] = [];
  const place = (r: Record<string, unknown>, depth: number) => {
    if (done.has(r) || depth > rows.length) return;
    const parent = byKey.get(r[ref.from]);
    if (parent && parent !== r) place(parent, depth + 1);
    done.add(r);
    out.push(r);
  };
  for (const r of rows) place(r, 0);
  return out;
}

/** How many rows the tables hold in all, counting no further than `max` + 1 (so a huge store costs no full count). */
export async function countRowsUpTo(db: Kysely<DB>, tables: string[], max: number): Promise<number> {
  let n = 0;
  for (const t of tables) {
    if (n > max) break;
    const row = await sql<{ n: number }>`select count(*) as n from (select 1 from ${sql.table(t)} limit ${max + 1 - n}) as capped`.execute(db);
    n += Number(row.rows[0]?.n ?? 0);
  }
  return n;
}

/** Every row of every data table. */
export async function readAll(db: Kysely<DB>, tables: string[]): Promise<TableRows> {
  const out: TableRows = {};
  for (const t of tables) out[t] = (await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(db)).rows;
  return out;
}

/** Empties every data table and fills them with `data` (tables it does not name stay empty). Run it in a transaction. */
export async function replaceAll(trx: Kysely<DB>, dialect: Dialect, plan: TablePlan, data: TableRows): Promise<number> {
  const { tables } = plan;
  // Children first. (A DELETE of a few thousand rows is much quicker than a TRUNCATE, which replaces files.)
  for (const t of [...tables].reverse()) await sql`delete from ${sql.table(t)}`.execute(trx);
  if (dialect === 'sqlite') await sql`delete from sqlite_sequence`.execute(trx).catch(() => undefined);
  let count = 0;
  for (const t of tables) {
    const rows = data[t] ?? [];
    const ordered = plan.selfRefs[t] ? referencedFirst(rows, plan.selfRefs[t]) : rows;
    count += dialect === 'postgres' ? await insertRowsAsJson(trx, t, ordered) : await insertRowsFromJsonEach(trx, t, ordered);
  }
  if (dialect === 'postgres') await resetSequences(trx, tables);
  return count;
}

/** SQLite: a table's rows as one JSON parameter, read back row by row with json_each (in order). */
async function insertRowsFromJsonEach(trx: Kysely<DB>, table: string, rows: Record<string, unknown>[]): Promise<number> {
  if (!rows.length) return 0;
  const columns = Object.keys(rows[0]);
  const values = columns.map((c) => sql`json_extract(value, ${'$."' + c.replace(/"/g, '""') + '"'})`);
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) select ${sql.join(values)} from json_each(${JSON.stringify(rows)}) order by key`.execute(trx);
  return rows.length;
}

/**
 * PostgreSQL: a table's rows as ONE JSON parameter, turned into rows of the table's own type by the server
 * (a statement with thousands of bound values costs far more to build and send). The order is kept, so a
 * row that references another row of its table comes after it.
 */
async function insertRowsAsJson(trx: Kysely<DB>, table: string, rows: Record<string, unknown>[]): Promise<number> {
  if (!rows.length) return 0;
  const columns = sql.join(Object.keys(rows[0]).map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(table)} (${columns}) select ${columns} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json) with ordinality as r order by r.ordinality`.execute(trx);
  return rows.length;
}

/** PostgreSQL: every serial column's sequence continues after the highest id now in its table (one statement). */
async function resetSequences(trx: Kysely<DB>, tables: string[]): Promise<void> {
  const { rows } = await sql<{ table: string; column: string }>`select c.relname as table, a.attname as column
    from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum join pg_class c on c.oid = d.adrelid
    where c.relnamespace = current_schema()::regnamespace and pg_get_expr(d.adbin, d.adrelid) like 'nextval(%'`.execute(trx);
  const serials = rows.filter((r) => tables.includes(r.table));
  if (!serials.length) return;
  const calls = serials.map(
    (r) => sql`setval(pg_get_serial_sequence(${r.table}, ${r.column}), coalesce((select max(${sql.ref(r.column)}) from ${sql.table(r.table)}), 0) + 1, false)`,
  );
  await sql`select ${sql.join(calls)}`.execute(trx);
}

/** PostgreSQL: tells every process sharing the schema that anything may have changed (delivered on commit). */
export async function announceEverything(trx: Kysely<DB>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_notify('partnerhub:' || current_schema(), 'all')`.execute(trx);
}

/** Empties the store as a fresh migration leaves it (counters at their start). Run it in a transaction. */
export async function emptyStore(trx: Kysely<DB>, dialect: Dialect): Promise<void> {
  await replaceAll(trx, dialect, await dataTables(trx, dialect), { counters: INITIAL_COUNTERS.map((c) => ({ ...c })) });
  await announceEverything(trx, dialect);
}
