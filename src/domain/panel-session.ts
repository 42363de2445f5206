import { createHash, randomBytes } from 'node:crypto';
import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { hashSecret } from './secrets.js';
import { actorOf, isRole, type Actor } from './principal.js';
import type { AccountKind } from './account.js';
import { redeemLoginToken } from './login-token.js';
import * as sessionsRepo from '../store/repositories/panel-sessions.js';
import * as principalsRepo from '../store/repositories/principals.js';
import * as accountsRepo from '../store/repositories/accounts.js';

/**
 * Control-panel sessions. A login token is redeemed once for a session; the session is a row in the store
 * (so any server process serves it, and ending it ends it everywhere) named by a random id that only the
 * browser holds. A session ends when it has been idle too long, when it has lasted its whole lifetime, when
 * its user signs out, or when what it acts as is gone (the account deleted, the admin user disabled).
 */

export interface PanelSessionPolicy {
  /** A session unused for this long is over. */
  idleMs: number;
  /** A session is over this long after sign-in, however busy. */
  lifetimeMs: number;
}

export interface PanelSession {
  /** Who acts: the admin user signed in as, or the virtual user with the rights it was given. */
  actor: Actor;
  /** The name the session signed in as (a virtual user's ends in `_vu`). */
  userName: string;
  virtualUser: boolean;
  createdAt: string;
  lastSeenAt: string;
}

export type PanelSignIn = { status: 'ok'; sessionId: string; session: PanelSession } | { status: 'invalid' | 'expired' | 'used' };

/** Session ids are 32 random bytes in base64url; anything else names no session and costs no query. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

function cutoffs(ctx: DomainContext, policy: PanelSessionPolicy): sessionsRepo.SessionCutoffs {
  const now = ctx.clock.now().getTime();
  return { idleBefore: new Date(now - policy.idleMs).toISOString(), createdBefore: new Date(now - policy.lifetimeMs).toISOString() };
}

/**
 * A virtual user has no principal, yet status history and audit rows name who acted by GUID: the same
 * virtual name on the same account is always the same GUID, so its changes can be found together.
 */
export function virtualUserGuid(accountGuid: string, userName: string): string {
  return createHash('sha256').update(`panel-virtual-user:${accountGuid}:${userName}`).digest('hex').slice(0, 32);
}

function virtualActor(account: { guid: string; path: string; kind: AccountKind }, userName: string, roles: string[]): Actor {
  return {
    guid: virtualUserGuid(account.guid, userName),
    email: userName,
    name: userName,
    accountGuid: account.guid,
    accountPath: account.path,
    accountKind: account.kind,
    roles: roles.filter(isRole),
  };
}

/** The actor a stored session acts as now; null when its account or admin user is gone or disabled. */
async function sessionActor(db: DomainContext['db'], s: sessionsRepo.PanelSessionRecord): Promise<Actor | null> {
  if (s.virtualUser) {
    const account = await accountsRepo.findByGuid(db, s.accountGuid);
    return account && !account.deletedAt ? virtualActor(account, s.userName, s.roles) : null;
  }
  const actor = s.principalGuid ? actorOf(await principalsRepo.findWithAccount(db, s.principalGuid)) : null;
  return actor && actor.accountGuid === s.accountGuid ? actor : null;
}

/**
 * Redeems a login token for a new session. The token is consumed only if the session is created (one
 * transaction), and sessions that are over are forgotten on the way, so the table never grows unbounded.
 */
export async function signInWithLoginToken(ctx: DomainContext, token: string, policy: PanelSessionPolicy): Promise<PanelSignIn> {
  return inTransaction(ctx, async (trx) => {
    const tx: DomainContext = { ...ctx, db: trx };
    const redeemed = await redeemLoginToken(tx, token);
    if (redeemed.status !== 'ok') return { status: redeemed.status };
    await sessionsRepo.prune(trx, cutoffs(ctx, policy));
    const sessionId = randomBytes(32).toString('base64url');
    const now = ctx.clock.now().toISOString();
    const record: sessionsRepo.PanelSessionRecord = {
      idHash: hashSecret(sessionId),
      accountGuid: redeemed.accountGuid,
      userName: redeemed.userName,
      virtualUser: redeemed.virtualUser,
      principalGuid: redeemed.principalGuid,
      roles: redeemed.virtualUser ? redeemed.roles : [],
      createdAt: now,
      lastSeenAt: now,
    };
    const actor = await sessionActor(trx, record);
    if (!actor) return { status: 'invalid' as const };
    await sessionsRepo.insert(trx, record);
    return { status: 'ok' as const, sessionId, session: { actor, userName: record.userName, virtualUser: record.virtualUser, createdAt: now, lastSeenAt: now } };
  });
}

/** The live session a browser's session id names, marked as used now; null when there is none. */
export async function resumePanelSession(ctx: DomainContext, sessionId: string | undefined, policy: PanelSessionPolicy): Promise<PanelSession | null> {
  if (!sessionId || !SESSION_ID.test(sessionId)) return null;
  const idHash = hashSecret(sessionId);
  const record = await sessionsRepo.touch(ctx.db, idHash, ctx.clock.now().toISOString(), cutoffs(ctx, policy));
  const actor = record && (await sessionActor(ctx.db, record));
  if (!record || !actor) {
    // A session found over stays over: its row goes now, not when some later sign-in prunes it.
    await sessionsRepo.remove(ctx.db, idHash);
    return null;
  }
  return { actor, userName: record.userName, virtualUser: record.virtualUser, createdAt: record.createdAt, lastSeenAt: record.lastSeenAt };
}

/** Signs out: the session is gone for every server process. Ending a session that is already over is no error. */
export async function endPanelSession(ctx: DomainContext, sessionId: string | undefined): Promise<void> {
  if (!sessionId || !SESSION_ID.test(sessionId)) return;
  await sessionsRepo.remove(ctx.db, hashSecret(sessionId));
}
