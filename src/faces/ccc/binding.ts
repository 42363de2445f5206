/**
 * Reads request DTO properties the way ServiceStack binds them: names match case-insensitively, unknown
 * names are ignored, empty values count as absent, and a value that does not convert is a 400
 * SerializationException naming the value and the property.
 */
import { normalizeGuid } from '../../domain/ids.js';
import { invalidValue } from './errors.js';

export type Bag = Map<string, unknown>;

/** A case-insensitive view of a query string or body object; XML namespace prefixes are dropped. */
export function bag(source: unknown): Bag {
  const out: Bag = new Map();
  if (!source || typeof source !== 'object') return out;
  for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
    const key = k.includes(':') ? k.slice(k.lastIndexOf(':') + 1) : k;
    out.set(key.toLowerCase(), Array.isArray(v) ? v[0] : v);
  }
  return out;
}

/** Merges bags; later ones win. */
export function merge(...bags: Bag[]): Bag {
  const out: Bag = new Map();
  for (const b of bags) for (const [k, v] of b) out.set(k, v);
  return out;
}

function raw(b: Bag, ...names: string[]): { name: string; value: unknown } | undefined {
  for (const n of names) {
    const v = b.get(n.toLowerCase());
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && v.trim() === '') continue;
    return { name: n, value: v };
  }
  return undefined;
}

export function str(b: Bag, ...names: string[]): string | undefined {
  const r = raw(b, ...names);
  if (!r) return undefined;
  if (typeof r.value === 'object') throw invalidValue(names[0], JSON.stringify(r.value));
  const s = String(r.value);
  // PostgreSQL text cannot hold U+0000: refused here, it would otherwise fail in the store as a 500.
  if (s.includes('\u0000')) throw invalidValue(names[0], s);
  return s;
}

export function guid(b: Bag, name: string): string | undefined {
  const s = str(b, name);
  if (s === undefined) return undefined;
  const g = normalizeGuid(s);
  if (!g) throw invalidValue(name, s);
  return g;
}

export function int(b: Bag, name: string): number | undefined {
  const s = str(b, name);
  if (s === undefined) return undefined;
  const t = s.trim();
  if (!/^[+-]?\d{1,10}$/.test(t) || Number(t) > 2_147_483_647 || Number(t) < -2_147_483_648) throw invalidValue(name, s);
  return Number(t);
}

export function oneOf<T extends string>(b: Bag, name: string, values: readonly T[]): T | undefined {
  const s = str(b, name);
  if (s === undefined) return undefined;
  // .NET enum parsing in ServiceStack ignores case.
  const hit = values.find((v) => v.toLowerCase() === s.trim().toLowerCase());
  if (!hit) throw invalidValue(name, s);
  return hit;
}

export function date(b: Bag, name: string): Date | undefined {
  const s = str(b, name);
  if (s === undefined) return undefined;
  const d = parseDateTime(s);
  if (!d) throw invalidValue(name, s);
  return d;
}

/** A nested object property: a JSON/XML object, or JSV text (`{Name:Bob,Email:b@x.com}`) from a form post. */
export function object(b: Bag, ...names: string[]): Bag | undefined {
  const r = raw(b, ...names);
  if (!r) return undefined;
  if (typeof r.value === 'object') return bag(r.value);
  const parsed = parseJsvObject(String(r.value));
  if (!parsed) throw invalidValue(names[0], String(r.value));
  return bag(parsed);
}

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date | null {
  // setUTCFullYear, because Date.UTC reads years 0–99 as 1900–1999 and would refuse 0001-01-01 (DateTime.MinValue).
  const dt = new Date(0);
  dt.setUTCFullYear(y, mo - 1, d);
  dt.setUTCHours(h, mi, s, ms);
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return dt;
}

/** .NET's DateTime range, 0001-01-01 to the end of 9999: anything outside does not convert. */
const DATETIME_MIN = -62_135_596_800_000; // 0001-01-01T00:00:00Z
const DATETIME_MAX = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

function inRange(d: Date | null): Date | null {
  return d && d.getTime() >= DATETIME_MIN && d.getTime() <= DATETIME_MAX ? d : null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const WCF = /^\\?\/Date\((-?\d+)([+-]\d{4})?\)\\?\/$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const RFC1123 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s*(?:GMT|UTC|Z)$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The date forms ServiceStack accepts: ISO 8601 (date only, 'T' or space, optional seconds, up to seven
 * fraction digits, Z or an offset; no zone means UTC), WCF JSON dates (/Date(ms)/, /Date(ms+0100)/),
 * invariant-culture MM/dd/yyyy [HH:mm[:ss]] and RFC 1123. Anything else is null.
 */
export function parseDateTime(input: string): Date | null {
  return inRange(parseAnyDateTime(input));
}

function parseAnyDateTime(input: string): Date | null {
  const s = input.trim();
  let m = ISO.exec(s);
  if (m) {
    const ms = m[7] ? Math.floor(Number(m[7].padEnd(7, '0')) / 10_000) : 0;
    const base = utc(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, ms);
    if (!base) return null;
    const zone = m[8];
    if (!zone || zone.toUpperCase() === 'Z') return base;
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0));
    if (Number(z[2]) > 14 || Number(z[3] ?? 0) > 59) return null;
    return new Date(base.getTime() - offset * 60_000);
  }
  m = WCF.exec(s);
  if (m) {
    // The ticks are UTC milliseconds; the offset only says where the writer was.
    const d = new Date(Number(m[1]));
    return Number.isNaN(d.getTime()) ? null : d;
  }
  m = US.exec(s);
  if (m) return utc(+m[3], +m[1], +m[2], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
  m = RFC1123.exec(s);
  if (m) {
    const mo = MONTHS.indexOf(m[2].toLowerCase());
    return mo < 0 ? null : utc(+m[3], mo + 1, +m[1], +m[4], +m[5], +m[6]);
  }
  return null;
}

/** A flat JSV object, `{Key:Value,Other:"quoted, value"}`; null when it is not one. */
export function parseJsvObject(text: string): Record<string, string> | null {
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) return null;
  const out: Record<string, string> = {};
  let i = 1;
  const end = s.length - 1;
  while (i < end) {
    const colon = s.indexOf(':', i);
    if (colon < 0 || colon > end) return null;
    const key = s.slice(i, colon).trim();
    i = colon + 1;
    let value = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= end) return null;
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += s[i++];
      }
    } else {
      const comma = s.indexOf(',', i);
      const stop = comma < 0 || comma > end ? end : comma;
      value = s.slice(i, stop).trim();
      i = stop;
    }
    if (!key) return null;
    out[key] = value;
    if (s[i] === ',') i++;
    else if (i !== end) return null;
  }
  return out;
}
