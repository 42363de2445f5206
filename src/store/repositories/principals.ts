import type { Kysely, Selectable } from 'kysely';
import type { DB, PrincipalTable } from '../schema.js';
import type { Principal, Role } from '../../domain/principal.js';

function toPrincipal(r: Selectable<PrincipalTable>): Principal {
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
