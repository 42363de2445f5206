import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Account } from '../records.js';
import { toAccount } from './accounts.js';

/** A live direct child of `parentGuid` with exactly this reference number (the oldest, if several share it). */
export async function findChildByReference(db: Kysely<DB>, parentGuid: string, referenceNumber: string): Promise<Account | null> {
  const row = await db
    .selectFrom('accounts')
    .selectAll()
    .where('parent_guid', '=', parentGuid)
    .where('reference_number', '=', referenceNumber)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('guid')
    .executeTakeFirst();
  return row ? toAccount(row) : null;
}

/** Every live account strictly below `path`, parents before children. */
export async function liveDescendants(db: Kysely<DB>, path: string): Promise<Account[]> {
  const rows = await db
    .selectFrom('accounts')
    .selectAll()
    // Paths hold only hex digits and slashes, so they contain no LIKE wildcards to escape.
    .where('path', 'like', path + '%')
    .where('path', '!=', path)
    .where('deleted_at', 'is', null)
    .orderBy('path')
    .execute();
  return rows.map(toAccount);
}
