import { badRequest } from './faults.js';

/** The customer fields each version accepts, in the order the seeds list them. */
export const V0_FIELDS = ['name', 'referenceNumber'] as const;
export const V1_FIELDS = ['name', 'referenceNumber', 'addressLine1', 'addressLine2', 'city', 'state', 'zip', 'country', 'phone', 'email'] as const;

/**
 * The request body as a flat object of fields, whichever way it came: form-encoded, JSON, or XML (whose
 * root element, e.g. `<customer>`, is unwrapped). An absent or empty body is no fields.
 */
export function bodyFields(body: unknown): Record<string, unknown> {
  if (body === undefined || body === '') return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a set of fields');
  let fields = Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([k]) => !k.startsWith('?')));
  const keys = Object.keys(fields);
  if (keys.length === 1) {
    const only = fields[keys[0]];
    if (only !== null && typeof only === 'object' && !Array.isArray(only) && !isFieldName(keys[0])) fields = only as Record<string, unknown>;
    else if (only === '' && !isFieldName(keys[0])) fields = {};
  }
  return fields;
}

const ALL_FIELDS = new Set<string>([...V1_FIELDS, 'userName', 'virtualUser'].map((f) => f.toLowerCase()));
function isFieldName(k: string): boolean {
  return ALL_FIELDS.has(k.toLowerCase());
}

/**
 * PostgreSQL text cannot hold U+0000 (SQLite can), so a NUL in any value would be a store failure on one store
 * and stored text on the other: it is refused as bad input before it reaches the domain, on both.
 */
export function hasNul(value: unknown): boolean {
  return typeof value === 'string' && value.includes('\u0000');
}

/** Finds a field by name, ignoring case (clients send `Name` as well as `name`). */
function lookup(fields: Record<string, unknown>, name: string): { present: boolean; value: unknown } {
  if (Object.prototype.hasOwnProperty.call(fields, name)) return { present: true, value: fields[name] };
  const key = Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? { present: false, value: undefined } : { present: true, value: fields[key] };
}

/**
 * Reads text fields. Numbers are taken as their text (JSON clients send `"zip": 78703`); null clears a
 * field; lists, objects and booleans are refused. Fields this version does not know are ignored.
 */
export function textFields<F extends string>(fields: Record<string, unknown>, names: readonly F[]): Partial<Record<F, string | null>> {
  const out: Partial<Record<F, string | null>> = {};
  for (const name of names) {
    const { present, value } = lookup(fields, name);
    if (!present) continue;
    if (hasNul(value)) throw badRequest(`Invalid value for field ${name}: text cannot contain NUL characters`);
    if (value === null || typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) out[name] = String(value);
    else throw badRequest(`Invalid value for field ${name}: expected text`);
  }
  return out;
}

/** A true/false flag; absent means false. */
export function flagField(fields: Record<string, unknown>, name: string): boolean {
  const { present, value } = lookup(fields, name);
  if (!present || value === null || value === '') return false;
  if (value === true || value === false) return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw badRequest(`Invalid value for field ${name}: use true or false`);
}

/** One query-string value; a repeated parameter is refused rather than guessed at. */
export function queryValue(query: unknown, name: string): string | undefined {
  if (!query || typeof query !== 'object') return undefined;
  const { present, value } = lookup(query as Record<string, unknown>, name);
  if (!present) return undefined;
  if (typeof value !== 'string') throw badRequest(`Invalid ${name}: give it once`);
  if (hasNul(value)) throw badRequest(`Invalid ${name}: text cannot contain NUL characters`);
  return value;
}
