import { resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { StoreConfigError } from './connect.js';

export class StoreBusyError extends StoreConfigError {}

export interface ServeLock {
  /** Where the lock lives, for messages. */
  path: string;
  release(): void;
}

/**
 * Makes this process the only server of a SQLite file, or refuses: a server on SQLite keeps rate windows
 * and replay ids in its own memory, which a second server on the same file would not see. The lock is an
 * exclusive transaction held open on a file beside the database, `<file>.serve-lock`: the operating
 * system drops it when the process ends however it ends, so a crash leaves nothing to clean up. Other
 * commands (migrate, credentials, billing …) do not take it and keep working beside the server.
 */
export function claimSqliteServe(file: string): ServeLock {
  const database = resolve(file);
  const path = `${database}.serve-lock`;
  let lock: SqliteDatabase.Database;
  try {
    lock = new SqliteDatabase(path);
  } catch (e) {
    throw new StoreConfigError(`cannot open the serve lock ${path}: ${(e as Error).message}`);
  }
  try {
    lock.pragma('busy_timeout = 0');
    lock.exec('begin exclusive');
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') {
      throw new StoreBusyError(
        `another partnerhub server is already serving ${database} (it holds ${path}). ` +
          'A SQLite store has one server process, which keeps rate windows and replay ids in its memory; ' +
          'stop the other server, or use PostgreSQL to run several.',
      );
    }
    throw new StoreConfigError(`cannot take the serve lock ${path}: ${(e as Error).message}`);
  }
  return {
    path,
    release() {
      if (!lock.open) return;
      lock.exec('rollback');
      lock.close();
    },
  };
}
