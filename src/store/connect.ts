import { buildDeferredIndexes } from './repositories/bulk.js';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type DatabaseIntrospector, type TableMetadata } from 'kysely';
import type { DB } from './schema.js';
import { PartnerhubMigrations, type Dialect } from './migrations/index.js';
import { tallyLog } from './tally.js';
import { changeChannel, PostgresChangeFeed, SqliteChangeFeed, type ChangeFeed } from './changes.js';
import { observeWrites } from './observed-dialect.js';
import { withStatementCache } from './sqlite-statements.js';

export type { Dialect } from './migrations/index.js';

export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  /** PostgreSQL: the schema partnerhub's tables live in (the migrator must look only there). */
  schema?: string;
  /** Where the data lives, with any password masked: safe to print. */
  description: string;
  /** Committed changes to the rows authentication reads, from every process sharing the store. */
  changes: ChangeFeed;
  /** What its connections are doing right now, for the server's metrics. */
  use(): StoreUse;
  close(): Promise<void>;
}

/** A store's connections at one moment. */
export interface StoreUse {
  /** Connections open (SQLite: its one connection, 0 once closed). */
  connections: number;
  /** PostgreSQL: open connections that are idle, and requests waiting for one. */
  idle?: number;
  waiting?: number;
  /** SQLite: the database's size in bytes (pages times page size). */
  sizeBytes?: number;
}

export class StoreConfigError extends Error {}

/** Parses a database setting: a `postgres://` URL, `sqlite:PATH`, `:memory:` or a plain file path. */
export function parseDatabaseUrl(url: string): { dialect: Dialect; target: string; schema?: string } {
  const trimmed = url.trim();
  if (!trimmed) throw new StoreConfigError('database URL is empty');
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new StoreConfigError(`database URL is not a valid URL: ${maskPassword(trimmed)}`);
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new StoreConfigError(`database URL schema must be a plain lower-case identifier, got "${schema}"`);
    }
    parsed.searchParams.delete('schema');
    return { dialect: 'postgres', target: parsed.toString(), schema };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new StoreConfigError(
      `unsupported database URL scheme in "${maskPassword(trimmed)}": use postgres://… or a SQLite file path`,
    );
  }
  const path = trimmed.startsWith('sqlite:') ? trimmed.slice('sqlite:'.length) : trimmed;
  if (!path) throw new StoreConfigError('sqlite: needs a file path');
  return { dialect: 'sqlite', target: path };
}

export function maskPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

// PostgreSQL returns int8 (count(*), bigserial) as strings; every such value here fits a JS number.
const pgTypes = (types: typeof pg.types) => ({
  getTypeParser(oid: number, format?: any) {
    if (oid === 20) return (v: string) => Number.parseInt(v, 10);
    return types.getTypeParser(oid, format);
  },
});

/**
 * Kysely's PostgreSQL introspector reads every schema of the database, and fails when another schema is
 * dropped while it reads (other stores sharing the server: tests, tenants). The migrator only needs to know
 * which of *our* tables exist, so introspection here looks at the current schema alone.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {}
  async getSchemas() {
    const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(this.db);
    return rows;
  }
  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; type: string }>`
      select table_name as name, table_schema as schema, table_type as type
      from information_schema.tables where table_schema = current_schema()`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.type === 'VIEW', columns: [] }));
  }
  async getMetadata() {
    return { tables: await this.getTables() };
  }
}

class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

export interface OpenOptions {
  /** Run pending migrations before returning (default true). */
  migrate?: boolean;
  poolSize?: number;
  /** Reuse prepared statements (SQLite: a cache of compiled statements; PostgreSQL: named statements). Default true. */
  reuseStatements?: boolean;
  /**
   * SQLite's page cache in MiB (default 64). A one-shot command that reads the store once from end to end (an
   * invoice CSV) gains nothing from a cache and would only fill it: it passes a small one.
   */
  sqliteCacheMiB?: number;
}

export async function openStore(url: string, options: OpenOptions = {}): Promise<Store> {
  const { dialect, target, schema } = parseDatabaseUrl(url);
  let db: Kysely<DB>;
  let description: string;
  let currentSchema: string | undefined;
  let changes: ChangeFeed;
  let use: () => StoreUse;
  const reuse = options.reuseStatements !== false;
  if (dialect === 'postgres') {
    // The driver is loaded only for a PostgreSQL store (a SQLite start does without it).
    const [{ default: pg }, { NamedStatementClient }] = await Promise.all([import('pg'), import('./pg-statements.js')]);
    if (schema) {
      // Create the schema first with a throw-away connection so the pool can point search_path at it.
      const client = new pg.Client({ connectionString: target });
      await connectOrExplain(client, target);
      try {
        await client.query(`create schema if not exists ${schema}`);
      } finally {
        await client.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: target,
      max: options.poolSize ?? 10,
      types: pgTypes(pg.types) as any,
      options: schema ? `-c search_path=${schema}` : undefined,
      Client: reuse ? NamedStatementClient : undefined,
    });
    use = () => ({ connections: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    const feed = new PostgresChangeFeed(target, () => changeChannel(currentSchema ?? 'public'));
    changes = feed;
    db = new Kysely<DB>({ dialect: observeWrites(new CurrentSchemaPostgresDialect({ pool }), feed), log: tallyLog });
    description = maskPassword(target) + (schema ? ` (schema ${schema})` : '');
    try {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
      currentSchema = rows[0]?.schema ?? 'public';
    } catch (e) {
      await db.destroy();
      throw new StoreConfigError(`cannot reach PostgreSQL at ${maskPassword(target)}: ${(e as Error).message}`);
    }
  } else {
    if (target !== ':memory:') {
      try {
        mkdirSync(dirname(resolve(target)), { recursive: true });
      } catch (e) {
        throw new StoreConfigError(`cannot create the directory for SQLite file ${target}: ${(e as Error).message}`);
      }
    }
    let sqlite: SqliteDatabase.Database;
    try {
      sqlite = new SqliteDatabase(target);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      sqlite.pragma('synchronous = NORMAL');
      // 64 MiB of page cache (the default is 2 MiB): at a million accounts the indexes a search walks no
      // longer fit in 2 MiB, and every miss is a read system call.
      sqlite.pragma(`cache_size = -${Math.max(1, Math.round(options.sqliteCacheMiB ?? 64)) * 1024}`);
    } catch (e) {
      throw new StoreConfigError(`cannot open SQLite database ${target}: ${(e as Error).message}`);
    }
    use = () => sqliteUse(sqlite);
    const feed = new SqliteChangeFeed(sqlite, target === ':memory:');
    changes = feed;
    const database = reuse ? withStatementCache(sqlite) : sqlite;
    db = new Kysely<DB>({ dialect: observeWrites(new SqliteDialect({ database }), feed), log: tallyLog });
    description = target === ':memory:' ? 'SQLite in memory' : `SQLite ${resolve(target)}`;
  }
  const close = async () => {
    await changes.close();
    await db.destroy();
  };
  const store: Store = { db, dialect, schema: currentSchema, description, changes, use, close };
  if (options.migrate !== false) await readySchema(store);
  return store;
}

/** Applies pending migrations and builds the indexes a killed bulk load left unbuilt (see bulk.ts); a failure closes the store. */
async function readySchema(store: Store): Promise<void> {
  try {
    await migrate(store);
    await buildDeferredIndexes(store.db);
  } catch (e) {
    await store.close();
    throw e;
  }
}

function sqliteUse(sqlite: SqliteDatabase.Database): StoreUse {
  if (!sqlite.open) return { connections: 0 };
  const pages = Number(sqlite.pragma('page_count', { simple: true }));
  const pageSize = Number(sqlite.pragma('page_size', { simple: true }));
  return { connections: 1, sizeBytes: pages * pageSize };
}

async function connectOrExplain(client: pg.Client, target: string): Promise<void> {
  try {
    await client.connect();
  } catch (e) {
    throw new StoreConfigError(`cannot reach PostgreSQL at ${maskPassword(target)}: ${(e as Error).message}`);
  }
}

/** Applies pending migrations; safe to run again and from several processes at once (Kysely takes a lock). */
export async function migrate(store: Store): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: with several schemas in
  // one database (tests, or tenants) it would find another schema's tables and skip creating its own.
  const migrator = new Migrator({ db: store.db, provider: new PartnerhubMigrations(store.dialect), migrationTableSchema: store.schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Store reachability, for /readyz. */
export async function ping(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}
