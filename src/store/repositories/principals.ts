import type { Kysely, Selectable } from 'kysely';
import type { DB, PrincipalTable } from '../schema.js';
import type { AccountKind, Principal, Role } from '../records.js';

export function toPrincipal(r: Selectable<PrincipalTable>): Principal {
  return {
    guid: r.guid,
    accountGuid: r.account_guid,
    email: r.email,
    name: r.name,
    roles: JSON.parse(r.roles) as Role[],
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  };
}

export async function insert(db: Kysely<DB>, p: Principal): Promise<void> {
  await db
    .insertInto('principals')
    .values({
      guid: p.guid,
      account_guid: p.accountGuid,
      email: p.email,
      name: p.name,
      roles: JSON.stringify(p.roles),
      created_at: p.createdAt,
      disabled_at: p.disabledAt,
    })
    .execute();
}

export async function findByGuid(db: Kysely<DB>, guid: string): Promise<Principal | null> {
  const r = await db.selectFrom('principals').selectAll().where('guid', '=', guid).executeTakeFirst();
  return r ? toPrincipal(r) : null;
}

export async function findByEmail(db: Kysely<DB>, email: string): Promise<Principal | null> {
  const r = await db.selectFrom('principals').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  return r ? toPrincipal(r) : null;
}

export async function list(db: Kysely<DB>, accountGuid?: string): Promise<Principal[]> {
  let q = db.selectFrom('principals').selectAll();
  if (accountGuid) q = q.where('account_guid', '=', accountGuid);
  return (await q.orderBy('created_at').orderBy('guid').execute()).map(toPrincipal);
}

/** Where a principal's account stands, read with the principal in the same statement. */
export interface PrincipalWithAccount {
  principal: Principal;
  /** Null when the account row is gone. */
  account: { guid: string; path: string; kind: AccountKind; deletedAt: string | null } | null;
}

/** The principal and its account in one statement (authentication reads this on every request). */
export async function findWithAccount(db: Kysely<DB>, guid: string): Promise<PrincipalWithAccount | null> {
  const r = await db
    .selectFrom('principals')
    .leftJoin('accounts', 'accounts.guid', 'principals.account_guid')
    .selectAll('principals')
    .select(['accounts.guid as a_guid', 'accounts.path as a_path', 'accounts.kind as a_kind', 'accounts.deleted_at as a_deleted_at'])
    .where('principals.guid', '=', guid)
    .executeTakeFirst();
  return r ? withAccount(r) : null;
}

type JoinedRow = Selectable<PrincipalTable> & { a_guid: string | null; a_path: string | null; a_kind: AccountKind | null; a_deleted_at: string | null };

function withAccount(r: JoinedRow): PrincipalWithAccount {
  const account = r.a_guid === null ? null : { guid: r.a_guid, path: r.a_path ?? '', kind: r.a_kind ?? 'customer', deletedAt: r.a_deleted_at };
  return { principal: toPrincipal(r), account };
}

/** Principals (of one account, or all) with their accounts' paths, in one statement rather than one per row. */
export async function listWithAccount(db: Kysely<DB>, accountGuid?: string): Promise<PrincipalWithAccount[]> {
  let q = db
    .selectFrom('principals')
    .leftJoin('accounts', 'accounts.guid', 'principals.account_guid')
    .selectAll('principals')
    .select(['accounts.guid as a_guid', 'accounts.path as a_path', 'accounts.kind as a_kind', 'accounts.deleted_at as a_deleted_at']);
  if (accountGuid) q = q.where('principals.account_guid', '=', accountGuid);
  const rows = await q.orderBy('principals.created_at').orderBy('principals.guid').execute();
  return rows.map(withAccount);
}

export async function setRoles(db: Kysely<DB>, guid: string, roles: Role[]): Promise<void> {
  await db.updateTable('principals').set({ roles: JSON.stringify(roles) }).where('guid', '=', guid).execute();
}
