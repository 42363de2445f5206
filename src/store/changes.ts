import type pg from 'pg';
import type SqliteDatabase from 'better-sqlite3';

/** The tables whose rows authentication reads (a credential, its principal, the principal's account). */
export type WatchedTable = 'credentials' | 'principals' | 'accounts';

/** Small tables some process caches whole (the sandbox's fault rules, webhook subscriptions): any write to one is announced. */
export type CachedTable = 'fault_rules' | 'webhook_subscriptions';
export const CACHED_TABLES: readonly CachedTable[] = ['fault_rules', 'webhook_subscriptions'];

/**
 * A committed change to a row authentication reads, or `all` when anything may have changed (a write seen
 * only by table, another connection's commit, a lost notification channel). The store says what changed;
 * what to forget is the subscriber's business. `auth`: some row authentication reads changed, which one is not
 * known (this process's own writes); a cached table: any of its rows.
 */
export type StoreChange = { table: WatchedTable; guid: string } | { table: CachedTable } | { table: 'auth' } | { table: 'all' };

export const ANY_CHANGE: StoreChange = Object.freeze({ table: 'all' });
export const AUTH_CHANGE: StoreChange = Object.freeze({ table: 'auth' });

/** Committed changes to watched rows, from this process and from every other process sharing the store. */
export interface ChangeFeed {
  subscribe(listener: (change: StoreChange) => void): () => void;
  /** Tells this process's subscribers at once (a change other processes hear of through the store). */
  emit(change: StoreChange): void;
  /** False while a change made elsewhere could go unseen (PostgreSQL: the listening connection is down). */
  readonly live: boolean;
  /** Catches up with commits other connections made, synchronously (SQLite); call before trusting a cache. */
  sync(): void;
  /** Resolves once the feed has tried to start listening (it keeps trying in the background). */
  ready(): Promise<void>;
  /**
   * Resolves once every change committed before the call has reached the subscribers (PostgreSQL: a marker
   * notice sent on the listening connection comes back after every notice committed before it; SQLite:
   * at once, its changes arrive synchronously). For tests and tools that must not race a late notice.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** The listeners and the local half shared by both stores: this process's own commits are delivered directly. */
export class ChangeHub implements ChangeFeed {
  readonly #listeners = new Set<(change: StoreChange) => void>();
  protected isLive = true;

  get live(): boolean {
    return this.isLive;
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.#listeners.add(listener);
    this.started();
    return () => void this.#listeners.delete(listener);
  }

  emit(change: StoreChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  sync(): void {}
  async ready(): Promise<void> {}
  async settled(): Promise<void> {
    this.sync();
  }
  async close(): Promise<void> {}
  protected started(): void {}
}

/**
 * SQLite: this process's writes arrive through the hub directly; another process's (a CLI command writing
 * to the same file) show up as a new `PRAGMA data_version`, which changes only when another connection
 * commits. Reading it touches no table and costs a few microseconds.
 */
export class SqliteChangeFeed extends ChangeHub {
  readonly #version: SqliteDatabase.Statement | null;
  #last: unknown;

  constructor(sqlite: SqliteDatabase.Database, inMemory: boolean) {
    super();
    // An in-memory database has no other connection.
    this.#version = inMemory ? null : sqlite.prepare('pragma data_version').pluck();
    this.#last = this.#version?.get();
  }

  override sync(): void {
    if (!this.#version || !this.listening) return;
    const now = this.#version.get();
    if (now === this.#last) return;
    this.#last = now;
    this.emit(ANY_CHANGE);
  }
}

/** The payload prefix of `settled()`'s marker notices: no change, and no subscriber hears of one. */
const MARKER = 'settled';

/** The notification channel of one schema: triggers (migration 0009) notify it with `table:guid` on commit. */
export function changeChannel(schema: string): string {
  return `partnerhub:${schema}`;
}

/**
 * PostgreSQL: one dedicated connection LISTENs on the schema's channel; every process's commits arrive
 * there (PostgreSQL delivers a NOTIFY only when its transaction commits). While that connection is down
 * the feed is not live, and every reconnection announces `all`: notices sent meanwhile are lost.
 */
export class PostgresChangeFeed extends ChangeHub {
  #client: pg.Client | null = null;
  #started = false;
  #closed = false;
  #retryMs = 50;
  #firstTry: () => void = () => undefined;
  #markers = 0;
  readonly #waiting = new Map<string, () => void>();
  readonly #tried = new Promise<void>((resolve) => (this.#firstTry = resolve));

  constructor(
    private readonly connectionString: string,
    /** The schema is known only once the store has connected, before anything subscribes. */
    private readonly channel: () => string,
  ) {
    super();
    this.isLive = false;
  }

  protected override started(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#connect();
  }

  /** Resolves after the first attempt to listen, whether it worked or not (later attempts go on behind). */
  override async ready(): Promise<void> {
    if (this.#started) await this.#tried;
  }

  override async settled(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    const marker = `${process.pid}.${++this.#markers}`;
    const back = new Promise<void>((resolve) => this.#waiting.set(marker, resolve));
    await client.query('select pg_notify($1, $2)', [this.channel(), `${MARKER}:${marker}`]);
    await back;
  }

  override async close(): Promise<void> {
    this.#closed = true;
    this.#releaseWaiting();
    this.isLive = false;
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    // Loaded here: only a PostgreSQL store has this feed (store/connect.ts loads the driver for it).
    const { default: pg } = await import('pg');
    while (!this.#closed) {
      const client = new pg.Client({ connectionString: this.connectionString, application_name: 'partnerhub-changes' });
      client.on('error', () => this.#lost(client));
      client.on('end', () => this.#lost(client));
      client.on('notification', (message) => this.#notice(message.payload));
      try {
        await client.connect();
        await client.query(`listen "${this.channel().replaceAll('"', '""')}"`);
        if (this.#closed) {
          await client.end();
          break;
        }
        this.#client = client;
        this.#retryMs = 50;
        // Whatever was cached before this connection listened may have changed unseen.
        this.emit(ANY_CHANGE);
        this.isLive = true;
        return this.#firstTry();
      } catch {
        this.#firstTry();
        await client.end().catch(() => undefined);
        await new Promise((r) => setTimeout(r, this.#retryMs).unref());
        this.#retryMs = Math.min(this.#retryMs * 2, 5000);
      }
    }
    this.#firstTry();
  }

  /** Whoever waits for a marker that can no longer come back: everything may have changed, and they were told so. */
  #releaseWaiting(): void {
    for (const resolve of this.#waiting.values()) resolve();
    this.#waiting.clear();
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    this.isLive = false;
    this.emit(ANY_CHANGE);
    this.#releaseWaiting();
    void client.end().catch(() => undefined);
    if (!this.#closed) void this.#connect();
  }

  #notice(payload: string | undefined): void {
    const [table, guid] = (payload ?? '').split(':');
    if (table === MARKER) {
      this.#waiting.get(guid)?.();
      this.#waiting.delete(guid);
      return;
    }
    if ((table === 'credentials' || table === 'principals' || table === 'accounts') && guid) this.emit({ table, guid });
    else if ((CACHED_TABLES as readonly string[]).includes(table)) this.emit({ table: table as CachedTable });
    else this.emit(ANY_CHANGE);
  }
}
