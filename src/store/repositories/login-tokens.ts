import type { Kysely, Selectable } from 'kysely';
import type { DB, LoginTokenTable } from '../schema.js';
import type { LoginTokenRecord } from '../records.js';

function toRecord(r: Selectable<LoginTokenTable>): LoginTokenRecord {
  return {
    tokenHash: r.token_hash,
    accountGuid: r.account_guid,
    userName: r.user_name,
    virtualUser: Number(r.virtual_user) === 1,
    principalGuid: r.principal_guid,
    issuedByGuid: r.issued_by_guid,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

export async function insert(db: Kysely<DB>, t: LoginTokenRecord): Promise<void> {
  await db
    .insertInto('login_tokens')
    .values({
      token_hash: t.tokenHash,
      account_guid: t.accountGuid,
      user_name: t.userName,
      virtual_user: t.virtualUser ? 1 : 0,
      principal_guid: t.principalGuid,
      issued_by_guid: t.issuedByGuid,
      created_at: t.createdAt,
      expires_at: t.expiresAt,
      used_at: t.usedAt,
    })
    .execute();
}

export async function findByHash(db: Kysely<DB>, tokenHash: string): Promise<LoginTokenRecord | null> {
  const r = await db.selectFrom('login_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return r ? toRecord(r) : null;
}

/**
 * Marks a token used if it is still unused and unexpired. The condition sits in the UPDATE itself, so of
 * two concurrent redemptions (in any processes) exactly one changes the row.
 */
export async function consume(db: Kysely<DB>, tokenHash: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('login_tokens')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
