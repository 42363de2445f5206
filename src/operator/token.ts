import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import { getState, putState, putStateIfAbsent } from '../store/repositories/sandbox-state.js';

/**
 * The operator token: a bearer token for the operator API. The store keeps only its SHA-256, so a copy of
 * the store does not grant the sandbox's controls; every process sharing the store accepts the same token.
 */
const TOKEN_STATE = 'operator_token';

const sha256 = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export type TokenSetup = { token: string; source: 'given' | 'generated' } | { token: null; source: 'stored' };

/**
 * Makes sure the store holds an operator token's hash: the given one replaces whatever is there; without
 * one, a token is generated (and returned, to be printed once) only if the store has none yet.
 */
export async function setUpOperatorToken(db: Kysely<DB>, given: string | undefined, at: string): Promise<TokenSetup> {
  if (given) {
    if ((await getState<string>(db, TOKEN_STATE)) !== sha256(given)) await putState(db, TOKEN_STATE, sha256(given), at);
    return { token: given, source: 'given' };
  }
  const token = `ph_op_${randomBytes(24).toString('base64url')}`;
  if (await putStateIfAbsent(db, TOKEN_STATE, sha256(token), at)) return { token, source: 'generated' };
  return { token: null, source: 'stored' };
}

/** Whether a presented token is the operator token (compared as hashes, in constant time). */
export async function isOperatorToken(db: Kysely<DB>, presented: string): Promise<boolean> {
  const stored = await getState<string>(db, TOKEN_STATE);
  if (!stored) return false;
  const a = Buffer.from(sha256(presented), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Explains the token at start-up; the token itself is shown only when it was just generated. */
export function describeOperatorToken(setup: TokenSetup, url: string): string {
  const api = `${url}/_partnerhub/v1`;
  if (setup.source === 'generated') return `Operator API at ${api}, token (shown once; the store keeps only its hash): ${setup.token}`;
  if (setup.source === 'given') return `Operator API at ${api} (token from --operator-token / PARTNERHUB_OPERATOR_TOKEN).`;
  return `Operator API at ${api} (token generated earlier; set --operator-token to choose a new one).`;
}
