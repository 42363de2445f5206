/**
 * Binds request text to a request DTO the way ServiceStack's binder does: property names match
 * case-insensitively (XML namespace prefixes dropped), unknown names are ignored, empty values count as
 * absent, and text converts to the property's type as .NET converts it (Int32, Guid in any of its forms,
 * the DateTime forms ServiceStack reads, enums ignoring case, JSV for a nested object in a form post).
 * The route's schema says which property has which type. A value that does not convert is left as sent,
 * so the schema refuses it and the error map words it as ServiceStack's SerializationException.
 */
import { normalizeGuid } from '../../domain/ids.js';

/** Schema annotations the binder reads (kept by Ajv as annotations, see validator.ts). */
export const GUID_FORMAT = 'ccc-guid';
export const DATETIME_FORMAT = 'ccc-datetime';

interface PropertySchema {
  type?: string;
  format?: string;
  enum?: string[];
  properties?: Record<string, PropertySchema>;
  /** Other names a client may send for the property (e.g. ContactInfo for Contact). */
  aliases?: string[];
}

const INT32 = /^[+-]?\d{1,10}$/;

/** The first value of a repeated key, or absent when empty. */
function present(v: unknown): unknown {
  const first = Array.isArray(v) ? v[0] : v;
  if (first === null || first === undefined) return undefined;
  if (typeof first === 'string' && first.trim() === '') return undefined;
  return first;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function convertValue(value: unknown, schema: PropertySchema): unknown {
  if (schema.type === 'object' && schema.properties) {
    if (isObject(value)) return bindToSchema(value, schema);
    if (typeof value === 'string') {
      const parsed = parseJsvObject(value);
      return parsed ? bindToSchema(parsed, schema) : value;
    }
    return value;
  }
  if (schema.type === 'integer') {
    if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 2_147_483_647 ? value : String(value);
    const t = String(value).trim();
    const n = Number(t);
    return typeof value === 'string' && INT32.test(t) && n <= 2_147_483_647 && n >= -2_147_483_648 ? n : value;
  }
  if (schema.type === 'string') {
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string') return value;
    if (schema.format === GUID_FORMAT) return normalizeGuid(value) ?? value;
    if (schema.format === DATETIME_FORMAT) return parseDateTime(value)?.toISOString() ?? value;
    // .NET enum parsing in ServiceStack ignores case.
    if (schema.enum) return schema.enum.find((e) => e.toLowerCase() === value.trim().toLowerCase()) ?? value;
  }
  return value;
}

/** A source object (query, form, JSON or XML body) bound onto the properties an object schema declares. */
export function bindToSchema(source: Record<string, unknown>, schema: PropertySchema): Record<string, unknown> {
  const incoming = new Map<string, unknown>();
  for (const [k, v] of Object.entries(source)) {
    const name = k.includes(':') ? k.slice(k.lastIndexOf(':') + 1) : k;
    incoming.set(name.toLowerCase(), v);
  }
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    for (const n of [name, ...(prop.aliases ?? [])]) {
      const v = present(incoming.get(n.toLowerCase()));
      if (v === undefined) continue;
      out[name] = convertValue(v, prop);
      break;
    }
  }
  return out;
}

/** An XML body's root element names the request DTO; its children are the properties. */
export function unwrapXmlRoot(body: unknown, dtoName: string): unknown {
  if (!isObject(body)) return body;
  const keys = Object.keys(body).filter((k) => !k.startsWith('?'));
  if (keys.length !== 1) return body;
  const root = keys[0].replace(/^.*:/, '');
  const inner = body[keys[0]];
  return root.toLowerCase() === dtoName.toLowerCase() && isObject(inner) ? inner : body;
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
