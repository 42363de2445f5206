import type { DomainContext } from './context.js';
import { assertTransaction, inTransaction } from './context.js';
import { DomainError, ErrorCode, forbidden, notFound, validationError, type FieldError } from './errors.js';
import { newGuid } from './ids.js';
import * as principalsRepo from '../store/repositories/principals.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import { recordAudit } from './audit.js';
import { isEmail } from './account.js';

export const ROLES = ['partner_provisioning', 'account_read', 'reseller_admin', 'customer_admin'] as const satisfies readonly Role[];
export type Role = import('../store/records.js').Role;

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

export type Action =
  | 'account.read'
  | 'account.create'
  | 'account.update'
  | 'account.status'
  | 'account.delete'
  | 'account.support.read'
  | 'account.provision'
  | 'contact.read'
  | 'contact.manage'
  | 'invoice.read'
  | 'login_token.create'
  | 'principal.manage'
  | 'domain.read'
  | 'domain.manage'
  | 'mailbox.manage';

/**
 * What each role may do inside its subtree. Mimecast's "Accounts | Dashboard | Read" is account_read;
 * partner provisioning creates and updates accounts below the partner; a reseller admin runs its
 * customers end to end; a customer admin looks after its own account.
 */
export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  partner_provisioning: ['account.read', 'account.create', 'account.update', 'account.support.read', 'account.provision', 'domain.read', 'domain.manage'],
  account_read: ['account.read', 'account.support.read', 'contact.read', 'invoice.read', 'domain.read'],
  reseller_admin: [
    'account.read',
    'account.create',
    'account.update',
    'account.status',
    'account.delete',
    'account.support.read',
    'contact.read',
    'contact.manage',
    'invoice.read',
    'login_token.create',
    'principal.manage',
    'domain.read',
    'domain.manage',
    'mailbox.manage',
  ],
  customer_admin: [
    'account.read',
    'account.update',
    'account.support.read',
    'contact.read',
    'contact.manage',
    'invoice.read',
    'login_token.create',
    'domain.read',
    'mailbox.manage',
  ],
};

/** Who is acting: an admin user scoped to one account, or the system (schedulers, operators at the CLI). */
type AccountKind = import('../store/records.js').AccountKind;

export interface Actor {
  guid: string;
  email: string;
  name: string;
  accountGuid: string;
  /** The actor's account path; it sees every account whose path starts with it. */
  accountPath: string;
  /** The kind of the actor's account, where the actor was made from it (a system actor has none). */
  accountKind?: AccountKind;
  roles: Role[];
  system?: boolean;
}

export const SYSTEM_GUID = '00000000000000000000000000000001';

/** The system principal: automatic status changes and operator commands are recorded under it. */
export function systemActor(name = 'system'): Actor {
  return {
    guid: SYSTEM_GUID,
    email: 'system@partnerhub.local',
    name,
    accountGuid: '',
    accountPath: '/',
    roles: [...ROLES],
    system: true,
  };
}

export function sees(actor: Actor, target: { path: string }): boolean {
  return actor.system === true || target.path.startsWith(actor.accountPath);
}

export function hasAction(actor: Actor, action: Action): boolean {
  return actor.system === true || actor.roles.some((r) => ROLE_ACTIONS[r].includes(action));
}

/**
 * Throws unless the actor may do the action on the target account. An account outside the actor's
 * subtree is reported as not found, so its existence does not leak; a visible account without the role
 * is forbidden.
 */
export function authorize(actor: Actor, action: Action, target: { path: string }): void {
  if (!sees(actor, target)) throw notFound('account', 'Account not found');
  if (!hasAction(actor, action)) throw forbidden();
}

export type Principal = import('../store/records.js').Principal;

export interface NewPrincipal {
  accountGuid: string;
  email: string;
  name: string;
  roles: string[];
}

export async function createPrincipal(ctx: DomainContext, actor: Actor, input: NewPrincipal): Promise<Principal> {
  const problems: FieldError[] = [];
  if (!isEmail(input.email)) problems.push({ field: 'email', problem: 'invalid_email', message: 'Please enter a valid email address.' });
  if (!input.name?.trim()) problems.push({ field: 'name', problem: 'blank', message: 'Principal name cannot be empty' });
  const bad = input.roles.filter((r) => !isRole(r));
  if (bad.length || input.roles.length === 0) {
    problems.push({ field: 'roles', problem: 'invalid', message: `roles must be one or more of ${ROLES.join(', ')}` });
  }
  if (problems.length) throw validationError(problems);
  return inTransaction(ctx, async (trx) => {
    assertTransaction(trx);
    const account = await accountsRepo.findByGuid(trx, input.accountGuid);
    if (!account || account.deletedAt) throw notFound('account', 'Account not found');
    authorize(actor, 'principal.manage', account);
    if (await principalsRepo.findByEmail(trx, input.email)) {
      throw new DomainError(ErrorCode.Conflict, `A principal with e-mail ${input.email} already exists`);
    }
    const principal: Principal = {
      guid: newGuid(),
      accountGuid: account.guid,
      email: input.email.toLowerCase(),
      name: input.name.trim(),
      roles: input.roles as Role[],
      createdAt: ctx.clock.now().toISOString(),
      disabledAt: null,
    };
    await principalsRepo.insert(trx, principal);
    await recordAudit(trx, ctx, actor, {
      action: 'principal.create',
      entityType: 'principal',
      entityGuid: principal.guid,
      accountGuid: account.guid,
      before: null,
      after: { email: principal.email, name: principal.name, roles: principal.roles },
    });
    return principal;
  });
}

export async function listPrincipals(ctx: DomainContext, actor: Actor, accountGuid?: string): Promise<Principal[]> {
  const rows = await principalsRepo.listWithAccount(ctx.db, accountGuid);
  return rows.filter((r) => r.account !== null && sees(actor, r.account)).map((r) => r.principal);
}

export async function getPrincipal(ctx: DomainContext, guid: string): Promise<Principal | null> {
  return principalsRepo.findByGuid(ctx.db, guid);
}

/** The actor a principal acts as; null when the principal or its account is gone or disabled. */
export async function actorFor(ctx: DomainContext, principalGuid: string): Promise<Actor | null> {
  return actorOf(await principalsRepo.findWithAccount(ctx.db, principalGuid));
}

/** The actor of a principal read together with its account; null when either is gone or disabled. */
export function actorOf(row: principalsRepo.PrincipalWithAccount | null): Actor | null {
  if (!row) return null;
  const { principal: p, account } = row;
  if (p.disabledAt || !account || account.deletedAt) return null;
  return { guid: p.guid, email: p.email, name: p.name, accountGuid: account.guid, accountPath: account.path, accountKind: account.kind, roles: p.roles };
}

export async function findPrincipalByEmail(ctx: DomainContext, email: string): Promise<Principal | null> {
  return principalsRepo.findByEmail(ctx.db, email);
}

/**
 * Replaces a principal's roles. Its next request, in any process, acts with the new roles: the change
 * reaches every process's authentication cache through the store's change feed.
 */
export async function setPrincipalRoles(ctx: DomainContext, actor: Actor, guid: string, roles: string[]): Promise<Principal> {
  const bad = roles.filter((r) => !isRole(r));
  if (bad.length || roles.length === 0) {
    throw validationError([{ field: 'roles', problem: 'invalid', message: `roles must be one or more of ${ROLES.join(', ')}` }]);
  }
  return inTransaction(ctx, async (trx) => {
    assertTransaction(trx);
    const found = await principalsRepo.findWithAccount(trx, guid);
    if (!found?.account || !sees(actor, found.account)) throw notFound('principal', 'Principal not found');
    authorize(actor, 'principal.manage', found.account);
    const next = [...new Set(roles)] as Role[];
    await principalsRepo.setRoles(trx, guid, next);
    await recordAudit(trx, ctx, actor, {
      action: 'principal.roles',
      entityType: 'principal',
      entityGuid: guid,
      accountGuid: found.account.guid,
      before: { roles: found.principal.roles },
      after: { roles: next },
    });
    return { ...found.principal, roles: next };
  });
}
