import type { Kysely, Selectable } from 'kysely';
import type { CredentialTable, DB, PrincipalTable } from '../schema.js';
import { toPrincipal, type PrincipalWithAccount } from './principals.js';
import type { AccountKind, Credential } from '../records.js';

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

/** A presented credential with its principal and that principal's account, all read in one statement. */
export interface CredentialHolder {
  credential: Credential;
  /** Null when the principal (or its account) row is gone. */
  holder: PrincipalWithAccount | null;
  /** When the holder was found through a bearer token: when that token expires. */
  tokenExpiresAt?: string;
}

export function holderQuery(db: Kysely<DB>) {
  return db
    .selectFrom('credentials')
    .leftJoin('principals', 'principals.guid', 'credentials.principal_guid')
    .leftJoin('accounts', 'accounts.guid', 'principals.account_guid')
    .selectAll('credentials')
    .select([
      'principals.guid as p_guid',
      'principals.account_guid as p_account_guid',
      'principals.email as p_email',
      'principals.name as p_name',
      'principals.roles as p_roles',
      'principals.created_at as p_created_at',
      'principals.disabled_at as p_disabled_at',
      'accounts.guid as a_guid',
      'accounts.path as a_path',
      'accounts.kind as a_kind',
      'accounts.deleted_at as a_deleted_at',
    ]);
}

export type HolderRow = Selectable<CredentialTable> & {
  [K in keyof Selectable<PrincipalTable> as `p_${K & string}`]: Selectable<PrincipalTable>[K] | null;
} & { a_guid: string | null; a_path: string | null; a_kind: AccountKind | null; a_deleted_at: string | null };

export function toHolder(r: HolderRow): CredentialHolder {
  if (r.p_guid === null) return { credential: toCredential(r), holder: null };
  const principal = toPrincipal({
    guid: r.p_guid,
    account_guid: r.p_account_guid ?? '',
    email: r.p_email ?? '',
    name: r.p_name ?? '',
    roles: r.p_roles ?? '[]',
    created_at: r.p_created_at ?? '',
    disabled_at: r.p_disabled_at,
  });
  const account = r.a_guid === null ? null : { guid: r.a_guid, path: r.a_path ?? '', kind: r.a_kind ?? 'customer', deletedAt: r.a_deleted_at };
  return { credential: toCredential(r), holder: { principal, account } };
}

export async function findHolderByPublicId(db: Kysely<DB>, kind: Credential['kind'], publicId: string): Promise<CredentialHolder | null> {
  const r = await holderQuery(db).where('credentials.kind', '=', kind).where('credentials.public_id', '=', publicId).executeTakeFirst();
  return r ? toHolder(r) : null;
}

export async function findHolderByHash(db: Kysely<DB>, hash: string): Promise<CredentialHolder | null> {
  const r = await holderQuery(db).where('credentials.secret_hash', '=', hash).executeTakeFirst();
  return r ? toHolder(r) : null;
}
