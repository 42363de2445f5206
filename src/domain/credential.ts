import { randomBytes, randomUUID } from 'node:crypto';
import type { DomainContext } from './context.js';
import { assertTransaction, inTransaction } from './context.js';
import { DomainError, ErrorCode, notFound } from './errors.js';
import { newGuid, randomToken } from './ids.js';
import { hashSecret } from './secrets.js';
import { actorOf, authorize, getPrincipal, type Actor } from './principal.js';
import { recordAudit } from './audit.js';
import * as credentialsRepo from '../store/repositories/credentials.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import * as principalsRepo from '../store/repositories/principals.js';

export const CREDENTIAL_KINDS = ['mimecast', 'rackspace', 'ccc'] as const satisfies readonly CredentialKind[];
export type CredentialKind = import('../store/records.js').CredentialKind;

export type Credential = import('../store/records.js').Credential;

/** Plain secrets, returned once at creation and never stored in this form. */
export type IssuedSecrets =
  | { kind: 'mimecast'; accessKey: string; secretKey: string; appId: string; appKey: string }
  | { kind: 'rackspace'; userKey: string; secretKey: string }
  | { kind: 'ccc'; apiKey: string };

export interface IssuedCredential {
  guid: string;
  principalGuid: string;
  secrets: IssuedSecrets;
}

function generate(kind: CredentialKind): IssuedSecrets {
  switch (kind) {
    case 'mimecast':
      return {
        kind,
        accessKey: randomToken(86),
        secretKey: randomBytes(64).toString('base64'),
        appId: randomUUID(),
        appKey: randomUUID(),
      };
    case 'rackspace':
      return { kind, userKey: randomToken(20), secretKey: randomToken(28) };
    case 'ccc':
      return { kind, apiKey: `ph_${randomToken(40)}` };
  }
}

export async function issueCredential(
  ctx: DomainContext,
  actor: Actor,
  principalGuid: string,
  kind: CredentialKind,
  /** `secrets`: keys chosen by the caller instead of generated (sandbox fixtures with fixed keys). */
  options: { expiresAt?: string; secrets?: IssuedSecrets } = {},
): Promise<IssuedCredential> {
  const principal = await getPrincipal(ctx, principalGuid);
  if (!principal) throw notFound('principal', 'Principal not found');
  if (options.secrets && options.secrets.kind !== kind) throw new DomainError(ErrorCode.Validation, `the given keys are ${options.secrets.kind} keys, not ${kind}`);
  const secrets = options.secrets ?? generate(kind);
  const now = ctx.clock.now().toISOString();
  const credential: Credential = {
    guid: newGuid(),
    principalGuid,
    kind,
    publicId: secrets.kind === 'mimecast' ? secrets.accessKey : secrets.kind === 'rackspace' ? secrets.userKey : null,
    secretSealed: secrets.kind === 'ccc' ? null : ctx.secrets.encrypt(secrets.secretKey),
    secretHash: secrets.kind === 'ccc' ? hashSecret(secrets.apiKey) : null,
    appId: secrets.kind === 'mimecast' ? secrets.appId : null,
    appKeySealed: secrets.kind === 'mimecast' ? ctx.secrets.encrypt(secrets.appKey) : null,
    createdAt: now,
    expiresAt: options.expiresAt ?? null,
    revokedAt: null,
  };
  await inTransaction(ctx, async (trx) => {
    assertTransaction(trx);
    const account = await accountsRepo.findByGuid(trx, principal.accountGuid);
    if (!account) throw notFound('account', 'Account not found');
    if (actor.guid !== principalGuid) authorize(actor, 'principal.manage', account);
    await credentialsRepo.insert(trx, credential);
    await recordAudit(trx, ctx, actor, {
      action: 'credential.create',
      entityType: 'credential',
      entityGuid: credential.guid,
      accountGuid: account.guid,
      before: null,
      after: { kind, principalGuid, publicId: credential.publicId, appId: credential.appId, expiresAt: credential.expiresAt },
    });
  });
  return { guid: credential.guid, principalGuid, secrets };
}

export async function revokeCredential(ctx: DomainContext, actor: Actor, credentialGuid: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    assertTransaction(trx);
    const credential = await credentialsRepo.findByGuid(trx, credentialGuid);
    if (!credential) throw notFound('credential', 'Credential not found');
    const principal = await principalsRepo.findByGuid(trx, credential.principalGuid);
    const account = principal ? await accountsRepo.findByGuid(trx, principal.accountGuid) : null;
    if (!account) throw notFound('credential', 'Credential not found');
    authorize(actor, 'principal.manage', account);
    if (credential.revokedAt) return;
    const at = ctx.clock.now().toISOString();
    await credentialsRepo.revoke(trx, credentialGuid, at);
    await recordAudit(trx, ctx, actor, {
      action: 'credential.revoke',
      entityType: 'credential',
      entityGuid: credentialGuid,
      accountGuid: account.guid,
      before: { revokedAt: null },
      after: { revokedAt: at },
    });
  });
}

export async function listCredentials(ctx: DomainContext, principalGuid?: string): Promise<Credential[]> {
  return credentialsRepo.list(ctx.db, principalGuid);
}

/** The state of a presented credential: faces turn each into their vendor's error. */
export type CredentialLookup =
  | { status: 'ok'; credential: Credential; actor: Actor }
  | { status: 'unknown' }
  | { status: 'expired'; credential: Credential };

/**
 * Judges a credential read with its principal and account in one statement. Authentication only reads:
 * nothing (no last-used time) is written on the request path, so a signed read takes no write transaction.
 */
function resolve(ctx: DomainContext, found: credentialsRepo.CredentialHolder | null): CredentialLookup {
  if (!found) return { status: 'unknown' };
  const { credential } = found;
  const now = ctx.clock.now().toISOString();
  if (credential.revokedAt || (credential.expiresAt && credential.expiresAt <= now)) return { status: 'expired', credential };
  const actor = actorOf(found.holder);
  if (!actor) return { status: 'expired', credential };
  return { status: 'ok', credential, actor };
}

/**
 * Reads a presented credential's holder through this process's cache when it has one. Inside a
 * transaction the store is read directly: what a transaction sees is not yet everyone's.
 */
async function holderOf(
  ctx: DomainContext,
  key: string,
  read: (db: DomainContext['db']) => Promise<credentialsRepo.CredentialHolder | null>,
): Promise<credentialsRepo.CredentialHolder | null> {
  const cache = ctx.db.isTransaction ? undefined : ctx.authCache;
  if (!cache) return read(ctx.db);
  const cached = cache.get(key);
  if (cached) return cached;
  const ticket = cache.ticket();
  const found = await read(ctx.db);
  // Unknown credentials are not remembered: a key issued a moment later must work at once.
  if (found) cache.fill(key, ticket, found);
  return found;
}

/** Mimecast and Rackspace credentials are named by a public id; the signature check needs the sealed secret opened. */
export async function lookupByPublicId(ctx: DomainContext, kind: 'mimecast' | 'rackspace', publicId: string): Promise<CredentialLookup> {
  return resolve(ctx, await holderOf(ctx, `${kind}:${publicId}`, (db) => credentialsRepo.findHolderByPublicId(db, kind, publicId)));
}

/** CCC API keys are stored only as a hash: look the key up by its hash (the cache keys on the hash too). */
export async function lookupApiKey(ctx: DomainContext, apiKey: string): Promise<CredentialLookup> {
  const hash = hashSecret(apiKey);
  return resolve(ctx, await holderOf(ctx, `ccc:${hash}`, (db) => credentialsRepo.findHolderByHash(db, hash)));
}

/** Opens a sealed secret for a signature check. The plain value must stay in the face's memory, never in a log. */
export function openSecret(ctx: DomainContext, credential: Credential): string {
  if (!credential.secretSealed) throw new DomainError(ErrorCode.Internal, 'credential has no sealed secret');
  return ctx.secrets.decrypt(credential.secretSealed);
}

export function openAppKey(ctx: DomainContext, credential: Credential): string {
  if (!credential.appKeySealed) throw new DomainError(ErrorCode.Internal, 'credential has no application key');
  return ctx.secrets.decrypt(credential.appKeySealed);
}

/** Mimecast application ids are registered with the credential that uses them. */
export async function isRegisteredAppId(ctx: DomainContext, appId: string): Promise<boolean> {
  const cache = ctx.db.isTransaction ? undefined : ctx.authCache;
  if (cache?.hasAppId(appId)) return true;
  const ticket = cache?.ticket() ?? 0;
  const registered = await credentialsRepo.appIdExists(ctx.db, appId);
  if (registered) cache?.addAppId(appId, ticket);
  return registered;
}
