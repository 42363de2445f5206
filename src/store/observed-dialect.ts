import {
  AliasNode,
  ColumnNode,
  DeleteQueryNode,
  InsertQueryNode,
  TableNode,
  UpdateQueryNode,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type OperationNode,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { AUTH_CHANGE, CACHED_TABLES, type CachedTable, type ChangeHub } from './changes.js';

/**
 * Account columns authentication reads besides the guid: a change to any other column leaves every cached
 * holder right. The guid is left out: it never changes, and SQLite's account lock is a no-op `set guid = guid`.
 */
const WATCHED_ACCOUNT_COLUMNS = new Set(['path', 'parent_guid', 'deleted_at']);

function tableOf(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableOf(node.node);
  return undefined;
}

/** Whether a statement updates or deletes a row that authentication reads. Inserts add rows nothing has cached. */
export function touchesWatchedRows(node: OperationNode): boolean {
  if (UpdateQueryNode.is(node)) {
    const table = tableOf(node.table);
    if (table === 'credentials' || table === 'principals') return true;
    if (table !== 'accounts') return false;
    return (node.updates ?? []).some((u) => !ColumnNode.is(u.column) || WATCHED_ACCOUNT_COLUMNS.has(u.column.column.name));
  }
  if (DeleteQueryNode.is(node)) {
    return node.from.froms.some((f) => ['credentials', 'principals', 'accounts'].includes(tableOf(f) ?? ''));
  }
  return false;
}

/** The cached table a statement writes to (insert, update or delete), if any. */
export function cachedTableWritten(node: OperationNode): CachedTable | undefined {
  let tables: (string | undefined)[] = [];
  if (InsertQueryNode.is(node)) tables = [tableOf(node.into)];
  else if (UpdateQueryNode.is(node)) tables = [tableOf(node.table)];
  else if (DeleteQueryNode.is(node)) tables = node.from.froms.map(tableOf);
  return tables.find((t): t is CachedTable => (CACHED_TABLES as readonly (string | undefined)[]).includes(t));
}

/** A connection that notes writes to watched rows: announced at once outside a transaction, at commit inside one. */
class ObservedConnection implements DatabaseConnection {
  inTransaction = false;
  touched = false;
  /** Cached tables written in the open transaction. */
  readonly written = new Set<CachedTable>();

  constructor(
    readonly inner: DatabaseConnection,
    private readonly hub: ChangeHub,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query);
    if (touchesWatchedRows(query.query)) {
      if (this.inTransaction) this.touched = true;
      else this.hub.emit(AUTH_CHANGE);
    }
    const cached = cachedTableWritten(query.query);
    if (cached) {
      if (this.inTransaction) this.written.add(cached);
      else this.hub.emit({ table: cached });
    }
    return result;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/**
 * Wraps a dialect's driver so this process learns of its own committed writes to the rows authentication
 * reads, whatever code made them (a domain service, the CLI, a test): the announcement comes after the
 * commit returns, so a reader that starts afterwards sees the new row. Only statements built with the
 * query builder are seen (raw SQL is not parsed); on PostgreSQL the triggers of migration 0009 see
 * everything, for every process. Transaction control still goes through the observed connection, so
 * Kysely's query log (the statement tally) sees it as before.
 */
class ObservedDriver implements Driver {
  readonly #connections = new WeakMap<DatabaseConnection, ObservedConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly hub: ChangeHub,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let observed = this.#connections.get(connection);
    if (!observed) {
      observed = new ObservedConnection(connection, this.hub);
      this.#connections.set(connection, observed);
    }
    return observed;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.inner.beginTransaction(connection, settings);
    const observed = connection as ObservedConnection;
    observed.inTransaction = true;
    observed.touched = false;
    observed.written.clear();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const observed = connection as ObservedConnection;
    try {
      await this.inner.commitTransaction(connection);
    } finally {
      // A failed commit may still have committed (the connection broke after the server did): announce anyway.
      const touched = observed.touched;
      const written = [...observed.written];
      observed.inTransaction = false;
      observed.touched = false;
      observed.written.clear();
      if (touched) this.hub.emit(AUTH_CHANGE);
      for (const table of written) this.hub.emit({ table });
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const observed = connection as ObservedConnection;
    observed.inTransaction = false;
    observed.touched = false;
    observed.written.clear();
    await this.inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as ObservedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** The dialect with its driver observed (see ObservedDriver). */
export function observeWrites(dialect: KyselyDialect, hub: ChangeHub): KyselyDialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new ObservedDriver(dialect.createDriver(), hub),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
