import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../connect.js';
import type { Account } from '../records.js';
import { toAccount } from './accounts.js';
import { prefixEnd } from './text-match.js';

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

/**
 * Locks one live account, found by its guid or account code inside a subtree, and returns its row in the
 * same statement, so a change reads the row it writes exactly once, under the lock. PostgreSQL selects the
 * row `for update`; SQLite takes its write lock with a no-op UPDATE that returns the row.
 */
export async function lockLiveAccount(
  db: Kysely<DB>,
  dialect: Dialect,
  key: { guid: string } | { accountCode: string },
  underPath: string,
): Promise<Account | null> {
  const match = (eb: ExpressionBuilder<DB, 'accounts'>) => {
    const conditions = ['guid' in key ? eb('guid', '=', key.guid) : eb('account_code', '=', key.accountCode), eb('deleted_at', 'is', null)];
    if (underPath !== '/') conditions.push(eb('path', '>=', underPath), eb('path', '<', prefixEnd(underPath)));
    return eb.and(conditions);
  };
  const row =
    dialect === 'postgres'
      ? await db.selectFrom('accounts').selectAll().where(match).forUpdate().executeTakeFirst()
      : await db.updateTable('accounts').set({ guid: sql`guid` }).where(match).returningAll().executeTakeFirst();
  return row ? toAccount(row) : null;
}
