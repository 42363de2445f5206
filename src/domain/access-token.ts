import { randomBytes } from 'node:crypto';
import type { DomainContext } from './context.js';
import { assertTransaction, inTransaction } from './context.js';
import type { Job } from './jobs.js';
import { hashSecret, safeEqual } from './secrets.js';
import { cachedHolder, lookupByPublicId, openSecret, resolve, type CredentialLookup } from './credential.js';
import * as accessTokensRepo from '../store/repositories/access-tokens.js';

/**
 * Bearer access tokens (OAuth 2.0 client credentials, as Mimecast API 2.0 issues them). A Mimecast
 * credential obtains them with its access key as the client id and its secret key as the client secret.
 * The token is returned once; the store keeps only its SHA-256, so every process sharing the store accepts
 * it. A token lasts its lifetime on the domain's clock, and no longer than its credential: revoking the
 * credential deletes its tokens, and every use reads the credential's state with the token.
 */

export interface IssuedAccessToken {
  token: string;
  expiresAt: string;
  lifetimeSeconds: number;
}

/** What an unknown client id is compared against, so it costs what a known one with a wrong secret does. */
const DUMMY_SECRET = randomBytes(64).toString('base64');

function secretOf(ctx: DomainContext, lookup: CredentialLookup): string {
  if (lookup.status === 'unknown') return DUMMY_SECRET;
  try {
    return openSecret(ctx, lookup.credential);
  } catch {
    // The sealing key changed: this credential can authenticate nothing.
    return DUMMY_SECRET;
  }
}

/**
 * A new token for the Mimecast credential whose access key is `clientId`, when `clientSecret` is its secret
 * key and the credential is live (not revoked or expired, its principal enabled); otherwise null, with no
 * word on which of these failed.
 */
export async function issueAccessToken(ctx: DomainContext, clientId: string, clientSecret: string, lifetimeMs: number): Promise<IssuedAccessToken | null> {
  const lookup = await lookupByPublicId(ctx, 'mimecast', clientId);
  const matches = safeEqual(secretOf(ctx, lookup), clientSecret);
  if (!matches || lookup.status !== 'ok') return null;
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + lifetimeMs).toISOString();
  await inTransaction(ctx, async (trx) => {
    assertTransaction(trx);
    await accessTokensRepo.insert(trx, { tokenHash: hashSecret(token), credentialGuid: lookup.credential.guid, createdAt: now.toISOString(), expiresAt });
  });
  return { token, expiresAt, lifetimeSeconds: Math.floor(lifetimeMs / 1000) };
}

/** A presented token: its credential's state, or `token_expired` once the token's own lifetime is over. */
export type AccessTokenLookup = CredentialLookup | { status: 'token_expired' };

/** One cached lookup (hash → credential holder, as for a CCC key); the expiry is judged on every use. */
export async function lookupAccessToken(ctx: DomainContext, token: string): Promise<AccessTokenLookup> {
  const hash = hashSecret(token);
  const { holder: found } = await cachedHolder(ctx, `token:${hash}`, (db) => accessTokensRepo.findHolderByTokenHash(db, hash));
  if (found?.tokenExpiresAt && found.tokenExpiresAt <= ctx.clock.now().toISOString()) return { status: 'token_expired' };
  return resolve(ctx, found);
}

/** Deletes tokens whose lifetime is over; returns how many went. */
export async function forgetExpiredAccessTokens(ctx: DomainContext): Promise<number> {
  return accessTokensRepo.deleteExpired(ctx.db, ctx.clock.now().toISOString());
}

export const forgetExpiredAccessTokensJob: Job = {
  name: 'forget-expired-access-tokens',
  leaseMs: 10 * 60_000,
  run: async (ctx) => void (await forgetExpiredAccessTokens(ctx)),
};
