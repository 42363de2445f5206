import type { Kysely, Selectable } from 'kysely';
import type { CredentialTable, DB } from '../schema.js';
import type { Credential } from '../../domain/credential.js';

function toCredential(r: Selectable<CredentialTable>): Credential {
  return {
    guid: r.guid,
    principalGuid: r.principal_guid,
    kind: r.kind,
    publicId: r.public_id,
    secretSealed: r.secret_sealed,
    secretHash: r.secret_hash,
    appId: r.app_id,
    appKeySealed: r.app_key_sealed,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

export async function insert(db: Kysely<DB>, c: Credential): Promise<void> {
  await db
    .insertInto('credentials')
    .values({
      guid: c.guid,
      principal_guid: c.principalGuid,
      kind: c.kind,
      public_id: c.publicId,
      secret_sealed: c.secretSealed,
      secret_hash: c.secretHash,
      app_id: c.appId,
      app_key_sealed: c.appKeySealed,
      created_at: c.createdAt,
      expires_at: c.expiresAt,
      revoked_at: c.revokedAt,
    })
    .execute();
}

export async function findByGuid(db: Kysely<DB>, guid: string): Promise<Credential | null> {
  const r = await db.selectFrom('credentials').selectAll().where('guid', '=', guid).executeTakeFirst();
  return r ? toCredential(r) : null;
}

export async function findByPublicId(db: Kysely<DB>, kind: Credential['kind'], publicId: string): Promise<Credential | null> {
  const r = await db.selectFrom('credentials').selectAll().where('kind', '=', kind).where('public_id', '=', publicId).executeTakeFirst();
  return r ? toCredential(r) : null;
}

export async function findByHash(db: Kysely<DB>, hash: string): Promise<Credential | null> {
  const r = await db.selectFrom('credentials').selectAll().where('secret_hash', '=', hash).executeTakeFirst();
  return r ? toCredential(r) : null;
}

export async function appIdExists(db: Kysely<DB>, appId: string): Promise<boolean> {
  const r = await db.selectFrom('credentials').select('guid').where('app_id', '=', appId).executeTakeFirst();
  return !!r;
}

export async function revoke(db: Kysely<DB>, guid: string, at: string): Promise<void> {
  await db.updateTable('credentials').set({ revoked_at: at }).where('guid', '=', guid).execute();
}

export async function list(db: Kysely<DB>, principalGuid?: string): Promise<Credential[]> {
  let q = db.selectFrom('credentials').selectAll();
  if (principalGuid) q = q.where('principal_guid', '=', principalGuid);
  return (await q.orderBy('created_at').orderBy('guid').execute()).map(toCredential);
}
