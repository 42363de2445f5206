import { randomBytes, randomUUID } from 'node:crypto';

/** GUIDs are stored and compared as 32 lowercase hex digits (the form CCC writes). */
export function newGuid(): string {
  return randomUUID().replace(/-/g, '');
}

/** Accepts plain, dashed, braced or parenthesised GUIDs in any case; returns the canonical 32-hex form or null. */
export function normalizeGuid(input: string): string | null {
  let s = input.trim();
  if ((s.startsWith('{') && s.endsWith('}')) || (s.startsWith('(') && s.endsWith(')'))) s = s.slice(1, -1);
  if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)) s = s.replace(/-/g, '');
  return /^[0-9a-fA-F]{32}$/.test(s) ? s.toLowerCase() : null;
}

/** The dashed 8-4-4-4-12 form, for faces whose vendor writes GUIDs that way. */
export function dashedGuid(guid: string): string {
  return `${guid.slice(0, 8)}-${guid.slice(8, 12)}-${guid.slice(12, 16)}-${guid.slice(16, 20)}-${guid.slice(20)}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string over [A-Za-z0-9] without modulo bias. */
export function randomToken(length: number, alphabet = ALNUM): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
