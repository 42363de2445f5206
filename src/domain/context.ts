import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { Dialect } from '../store/connect.js';
import type { Clock } from './clock.js';
import type { SecretBox } from './secrets.js';
import type { AuthCache } from './auth-cache.js';
import type { RateWindows } from './limits.js';
import type { DomainObserver } from './observer.js';
import { DomainError, ErrorCode } from './errors.js';
import type { SubscriberWatch } from './webhook-events.js';

/**
 * What every domain service needs: the store, the time and the key that seals secrets.
 *
 * Services take ONE store handle. A service that only reads uses whatever handle it is given (`ctx.db`
 * outside a transaction: reads take no write transaction). A service that writes takes a transaction the
 * caller owns (or opens one with `inTransaction` when it is the whole change) and calls
 * `assertTransaction` on it before its first write, so a change never lands half-way and a `ctx.db`
 * handed in by mistake fails loudly instead of writing outside the change's transaction.
 */
export interface DomainContext {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  secrets: SecretBox;
  /**
   * This process's cache of who holds each credential (src/domain/auth-cache.ts). Absent (the CLI, most
   * tests): authentication reads the store every time.
   */
  authCache?: AuthCache;
  /**
   * Rate windows and replay ids kept in this process's memory: only for the one server of a SQLite store
   * (src/store/serve-lock.ts). Absent: they are kept in the store, where every process counts together.
   */
  rateWindows?: RateWindows;
  /** Told of refusals and job runs (the server's metrics); absent: nobody is told. */
  observer?: DomainObserver;
  /**
   * Whether anyone may be subscribed to webhooks (src/domain/webhook-events.ts). Absent (the CLI, most
   * tests): changes write no webhook events.
   */
  webhooks?: SubscriberWatch;
}

/**
 * Runs work in one store transaction: all of it lands, or none. When the context's handle already is a
 * transaction (a service called inside a larger change), the work joins it rather than nesting.
 */
export function inTransaction<T>(ctx: DomainContext, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return work(ctx.db);
  return ctx.db.transaction().execute(work);
}

/** Throws unless `db` is a transaction: services that write call it before writing. */
export function assertTransaction(db: Kysely<DB>): void {
  if (!db.isTransaction) throw new DomainError(ErrorCode.Internal, 'a write must run inside the transaction of its change');
}
