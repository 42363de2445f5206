import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../connect.js';

/**
 * Serializes read-check-write work on one account (its contacts, its user count) across processes until
 * the transaction ends. PostgreSQL locks the account row; SQLite takes its database write lock up front
 * with a no-op UPDATE, so a concurrent writer waits instead of failing after it has read.
 */
export async function lockAccount(db: Kysely<DB>, dialect: Dialect, guid: string): Promise<void> {
  if (dialect === 'postgres') {
    await sql`select guid from accounts where guid = ${guid} for update`.execute(db);
  } else {
    await sql`update accounts set guid = guid where guid = ${guid}`.execute(db);
  }
}
