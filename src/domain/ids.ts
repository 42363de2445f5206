import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes, randomFillSync, randomUUID } from 'node:crypto';

/** Where new GUIDs come from inside `withGuidSource` (loading fixtures: the same file gives the same GUIDs). */
export interface GuidSource {
  next(): string;
}

const guidSource = new AsyncLocalStorage<GuidSource>();

/** GUIDs are stored and compared as 32 lowercase hex digits (the form CCC writes). */
export function newGuid(): string {
  const source = guidSource.getStore();
  return source ? source.next() : randomUUID().replace(/-/g, '');
}

/** Runs work with every newGuid() inside it (however deep, across awaits) taken from `source`. */
export function withGuidSource<T>(source: GuidSource, work: () => Promise<T>): Promise<T> {
  return guidSource.run(source, work);
}

/**
 * Version-7 GUIDs (RFC 9562): the time in milliseconds first, then a 12-bit counter, then 62 random bits, so
 * GUIDs made one after another sort in the order they were made. A bulk load that takes its GUIDs from here
 * appends to every index keyed by them instead of writing to a random page per row. When the counter runs
 * out within a millisecond the time runs ahead by one (RFC 9562's monotonic method 3).
 */
export class TimeOrderedGuids implements GuidSource {
  #ms = 0;
  #counter = 0;
  readonly #pool = Buffer.alloc(8 * 1024);
  #used = this.#pool.length;

  next(): string {
    const now = Date.now();
    if (now > this.#ms) {
      this.#ms = now;
      this.#counter = 0;
    } else if (++this.#counter > 0xfff) {
      this.#ms++;
      this.#counter = 0;
    }
    if (this.#used === this.#pool.length) {
      randomFillSync(this.#pool);
      this.#used = 0;
    }
    const r = this.#pool.subarray(this.#used, (this.#used += 8)).toString('hex');
    const variant = (0x8 | (parseInt(r[0], 16) & 0x3)).toString(16);
    return `${this.#ms.toString(16).padStart(12, '0')}7${this.#counter.toString(16).padStart(3, '0')}${variant}${r.slice(1)}`;
  }
}

/** A repeatable GUID from a name (SHA-256, shaped as a version-4 UUID). */
export function guidFrom(name: string): string {
  const h = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16], 16) % 4];
  return h.join('');
}

/**
 * Repeatable GUIDs: the n-th is guidFrom(`seed:n`), except that `preset` decides the next one (an
 * entity's GUID fixed in a fixture file).
 */
export class SeededGuids implements GuidSource {
  #n = 0;
  #preset: string | null = null;
  constructor(private readonly seed: string) {}
  preset(guid: string): void {
    this.#preset = guid;
  }
  next(): string {
    const preset = this.#preset;
    this.#preset = null;
    return preset ?? guidFrom(`${this.seed}:${this.#n++}`);
  }
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
