import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { holderQuery, toHolder, type CredentialHolder } from './credentials.js';

/** Bearer tokens, stored only as their SHA-256 with the credential that obtained them. */

export interface AccessTokenRecord {
  tokenHash: string;
  credentialGuid: string;
  createdAt: string;
  expiresAt: string;
}

export async function insert(db: Kysely<DB>, t: AccessTokenRecord): Promise<void> {
  await db
    .insertInto('access_tokens')
    .values({ token_hash: t.tokenHash, credential_guid: t.credentialGuid, created_at: t.createdAt, expires_at: t.expiresAt })
    .execute();
}

/** The credential behind a token, with its principal and account, and the token's expiry: one statement. */
export async function findHolderByTokenHash(db: Kysely<DB>, tokenHash: string): Promise<CredentialHolder | null> {
  const r = await holderQuery(db)
    .innerJoin('access_tokens', 'access_tokens.credential_guid', 'credentials.guid')
    .select('access_tokens.expires_at as t_expires_at')
    .where('access_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r ? { ...toHolder(r), tokenExpiresAt: r.t_expires_at } : null;
}

export async function deleteForCredential(db: Kysely<DB>, credentialGuid: string): Promise<number> {
  const r = await db.deleteFrom('access_tokens').where('credential_guid', '=', credentialGuid).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpired(db: Kysely<DB>, before: string): Promise<number> {
  const r = await db.deleteFrom('access_tokens').where('expires_at', '<=', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
