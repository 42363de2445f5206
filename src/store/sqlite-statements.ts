import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The database as Kysely's SQLite driver sees it, with `prepare` answered from a cache of compiled
 * statements keyed by SQL text. Kysely prepares on every execution, and preparing costs SQLite more than
 * running the short statements of a request; a better-sqlite3 Statement can be run again and again.
 * Least recently used texts are dropped past `max` (texts built with a varying number of parameters,
 * `in (?, ?, …)`, would otherwise grow it without end). A statement still being iterated (a stream) is not
 * handed out twice: the caller gets a fresh one.
 */
export function withStatementCache(sqlite: SqliteDatabase.Database, max = 500): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached) {
        if (cached.busy) return sqlite.prepare(sql) as unknown as SqliteStatement;
        // Re-inserting moves the text to the young end of the Map's order.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached as unknown as SqliteStatement;
      }
      const statement = sqlite.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return statement as unknown as SqliteStatement;
    },
  };
}
