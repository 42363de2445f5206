import { randomBytes } from 'node:crypto';
import { assertTransaction, inTransaction, type DomainContext } from './context.js';
import { MINUTE } from './clock.js';
import { notFound, validationError, type FieldError } from './errors.js';
import { hashSecret } from './secrets.js';
import { authorize, systemActor, type Actor, type Role } from './principal.js';
import { visibleAccount, type Account } from './account.js';
import { recordAudit } from './audit.js';
import { transaction } from './transaction.js';
import * as tokensRepo from '../store/repositories/login-tokens.js';
import * as principalsRepo from '../store/repositories/principals.js';
import * as accountsRepo from '../store/repositories/accounts.js';

/** A login token lets its holder into the control panel once, within ten minutes of its creation. */
export const LOGIN_TOKEN_TTL_MS = 10 * MINUTE;
export const USER_NAME_MAX = 64;

export type LoginTokenRecord = import('../store/records.js').LoginTokenRecord;

export interface LoginTokenRequest {
  userName: string | null | undefined;
  /** A virtual user gets the account administrator's rights; otherwise userName must be an existing admin user. */
  virtualUser: boolean;
}

export interface IssuedLoginToken {
  /** The user the token logs in as (a virtual user's name carries the account number and `_vu`). */
  user: string;
  /** The plain token: returned once, stored only as a hash. */
  token: string;
  createdAt: string;
  expiresAt: string;
  accountGuid: string;
  virtualUser: boolean;
}

export type LoginTokenRedemption =
  | {
      status: 'ok';
      accountGuid: string;
      userName: string;
      virtualUser: boolean;
      /** The admin user logged in as (non-virtual tokens only). */
      principalGuid: string | null;
      /** A virtual user acts as the account's administrator; a real admin user keeps its own roles. */
      roles: Role[];
    }
  | { status: 'invalid' | 'expired' | 'used' };

export function validateLoginTokenRequest(req: LoginTokenRequest): FieldError[] {
  const name = req.userName;
  if (name === undefined || name === null) return [{ field: 'userName', problem: 'missing', message: 'Missing required field: userName' }];
  if (name.trim() === '') return [{ field: 'userName', problem: 'blank', message: 'Required field userName cannot be empty' }];
  if ([...name].length > USER_NAME_MAX) {
    return [{ field: 'userName', problem: 'too_long', message: `User name too long: ${USER_NAME_MAX} characters or fewer` }];
  }
  // User names end up in a login name and in URLs of the control panel: keep them to what mailbox names allow.
  if (!/^[A-Za-z0-9][A-Za-z0-9._@+-]*$/.test(name)) {
    return [{ field: 'userName', problem: 'invalid', message: 'Invalid userName: use letters, digits and . _ @ + -' }];
  }
  return [];
}

/** Names a virtual user the way the control panel shows it: `<userName>_<accountNumber>_vu`. */
export function virtualUserName(userName: string, account: Pick<Account, 'accountNumber'>): string {
  return `${userName}_${account.accountNumber}_vu`;
}

/** Normalizes a presented token so case and surrounding whitespace do not matter. */
function tokenHash(token: string): string {
  return hashSecret(token.trim().toUpperCase());
}

/** issueLoginToken in a transaction of its own, for callers that name the account by guid. */
export async function createLoginToken(ctx: DomainContext, actor: Actor, accountGuid: string, req: LoginTokenRequest): Promise<IssuedLoginToken> {
  return transaction(ctx, async (tx) => issueLoginToken(tx, actor, await visibleAccount(tx.db, actor, accountGuid), req));
}

/**
 * Issues a login token for an account its caller has read in this transaction. The role is checked before
 * the request is judged, so a caller without it learns nothing about the account's admin users.
 */
export async function issueLoginToken(tx: DomainContext, actor: Actor, account: Account, req: LoginTokenRequest): Promise<IssuedLoginToken> {
  assertTransaction(tx.db);
  authorize(actor, 'login_token.create', account);
  const problems = validateLoginTokenRequest(req);
  if (problems.length) throw validationError(problems);
  const userName = String(req.userName);
  let principalGuid: string | null = null;
  let user: string;
  if (req.virtualUser) {
    user = virtualUserName(userName, account);
  } else {
    const wanted = userName.toLowerCase();
    // Any admin user of the account (a reseller's too, so its administrator can enter the control panel).
    const admins = (await principalsRepo.list(tx.db, account.guid)).filter((p) => !p.disabledAt);
    const admin = admins.find((p) => p.email === wanted || p.name.toLowerCase() === wanted || p.email.split('@')[0] === wanted);
    if (!admin) throw notFound('user', `Admin user not found: ${userName}`);
    principalGuid = admin.guid;
    user = userName;
  }
  const token = randomBytes(20).toString('hex').toUpperCase();
  const now = tx.clock.now();
  const record: LoginTokenRecord = {
    tokenHash: tokenHash(token),
    accountGuid: account.guid,
    userName: user,
    virtualUser: req.virtualUser,
    principalGuid,
    issuedByGuid: actor.guid,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + LOGIN_TOKEN_TTL_MS).toISOString(),
    usedAt: null,
  };
  await tokensRepo.insert(tx.db, record);
  await recordAudit(tx.db, tx, actor, {
    action: 'login_token.create',
    entityType: 'account',
    entityGuid: account.guid,
    accountGuid: account.guid,
    before: null,
    // The token itself never goes to the audit log.
    after: { user, virtualUser: req.virtualUser, principalGuid, expiresAt: record.expiresAt },
  });
  return { user, token, createdAt: record.createdAt, expiresAt: record.expiresAt, accountGuid: account.guid, virtualUser: req.virtualUser };
}

/**
 * Consumes a login token: the first redemption within ten minutes succeeds, every later one (from any
 * process) is refused. Tokens of accounts or admin users that have since gone are invalid.
 */
export async function redeemLoginToken(ctx: DomainContext, token: string): Promise<LoginTokenRedemption> {
  if (typeof token !== 'string' || !token.trim()) return { status: 'invalid' };
  const hash = tokenHash(token);
  const now = ctx.clock.now().toISOString();
  return inTransaction(ctx, async (trx) => {
    const record = await tokensRepo.findByHash(trx, hash);
    if (!record) return { status: 'invalid' as const };
    if (record.usedAt) return { status: 'used' as const };
    if (record.expiresAt <= now) return { status: 'expired' as const };
    const account = await accountsRepo.findByGuid(trx, record.accountGuid);
    if (!account || account.deletedAt) return { status: 'invalid' as const };
    let roles: Role[] = ['customer_admin'];
    if (!record.virtualUser) {
      const principal = record.principalGuid ? await principalsRepo.findByGuid(trx, record.principalGuid) : null;
      if (!principal || principal.disabledAt || principal.accountGuid !== account.guid) return { status: 'invalid' as const };
      roles = principal.roles;
    }
    if (!(await tokensRepo.consume(trx, hash, now))) {
      const again = await tokensRepo.findByHash(trx, hash);
      return { status: again?.usedAt ? ('used' as const) : ('expired' as const) };
    }
    await recordAudit(trx, ctx, systemActor('control-panel'), {
      action: 'login_token.redeem',
      entityType: 'account',
      entityGuid: account.guid,
      accountGuid: account.guid,
      before: null,
      after: { user: record.userName, virtualUser: record.virtualUser },
    });
    return {
      status: 'ok' as const,
      accountGuid: account.guid,
      userName: record.userName,
      virtualUser: record.virtualUser,
      principalGuid: record.principalGuid,
      roles,
    };
  });
}
