import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { Dialect } from '../store/connect.js';
import type { Clock } from './clock.js';
import type { SecretBox } from './secrets.js';

/** What every domain service needs: the store, the time and the key that seals secrets. */
export interface DomainContext {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  secrets: SecretBox;
}

/** Runs work in one store transaction: all of it lands, or none. */
export function inTransaction<T>(ctx: DomainContext, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute(work);
}
