import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { FieldError } from './errors.js';

/**
 * Mailbox passwords: the vendor's strength rules, and the one way they are kept — a salted scrypt hash
 * (node:crypto, no dependency). A password is never stored, returned, audited or logged.
 */

export const PASSWORD_MESSAGES = {
  missing: 'Password is required.',
  strength:
    'Password must be at least 8 characters long and use characters from at least three of: uppercase letters, lowercase letters, numerals and symbols.',
  containsName: 'Password cannot contain the mailbox name or the domain name.',
  word: 'Password cannot contain the word "password".',
  sequence: 'Password cannot contain 3 or more consecutive numerals.',
} as const;

export const PASSWORD_MAX = 128;

function hasRun(s: string): boolean {
  for (let i = 0; i + 2 < s.length; i++) {
    const [a, b, c] = [s.charCodeAt(i), s.charCodeAt(i + 1), s.charCodeAt(i + 2)];
    const digits = [a, b, c].every((x) => x >= 48 && x <= 57);
    if (digits && ((b - a === 1 && c - b === 1) || (a - b === 1 && b - c === 1))) return true;
  }
  return false;
}

/** The first rule `password` breaks for mailbox `name@domain`, or null when it is acceptable. */
export function passwordProblem(password: unknown, mailboxName: string, domainName: string): FieldError | null {
  const problem = (message: string, kind: FieldError['problem'] = 'invalid'): FieldError => ({ field: 'password', problem: kind, message });
  if (typeof password !== 'string' || password === '') return problem(PASSWORD_MESSAGES.missing, 'missing');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if ([...password].length < 8 || [...password].length > PASSWORD_MAX || classes < 3) return problem(PASSWORD_MESSAGES.strength);
  const lower = password.toLowerCase();
  if (lower.includes('password')) return problem(PASSWORD_MESSAGES.word);
  const domainLabel = domainName.split('.')[0];
  if ((mailboxName.length >= 3 && lower.includes(mailboxName.toLowerCase())) || (domainLabel.length >= 3 && lower.includes(domainLabel))) {
    return problem(PASSWORD_MESSAGES.containsName);
  }
  if (hasRun(password)) return problem(PASSWORD_MESSAGES.sequence);
  return null;
}

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~130 ms and 128 MiB per hash; N=2^15 keeps a busy sandbox
// responsive while staying far from a fast hash. The parameters travel with each hash, so they can be raised.
const PARAMS = { N: 32768, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (e, key) => (e ? reject(e) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
