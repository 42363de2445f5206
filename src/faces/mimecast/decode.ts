import type { ProvisionRequest, ProvisionedAccountChange } from '../../domain/provisioning.js';
import { MAX_DEPTH, parsePythonLiteral } from './python-literal.js';
import { typeError, type McError } from './envelope.js';

/** A body that could not be read: kept as a value, so authentication still runs first and the handler answers 400. */
export class UnreadableBody {
  constructor(readonly reason: string) {}
}

/** JSON first; failing that, a Python literal (what `str(payload)` sends); otherwise unreadable. */
export function readBody(text: string): unknown {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (jsonError) {
    try {
      return parsePythonLiteral(text);
    } catch {
      return new UnreadableBody(`not JSON (${(jsonError as Error).message})`);
    }
  }
  // JSON.parse takes any depth, but a failed item is echoed back as `key`, and serializing a value nested
  // tens of thousands deep overflows the stack: the same limit as the Python reader's.
  return nestedDeeperThan(parsed, MAX_DEPTH) ? new UnreadableBody(`nested more than ${MAX_DEPTH} levels deep`) : parsed;
}

/** Without recursion, so the check itself cannot overflow. */
function nestedDeeperThan(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

export interface McRequest {
  data: unknown[];
  pagination: { pageSize?: number; pageToken?: string };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The envelope of a request, or why it is not one. */
export function readRequest(body: unknown): McRequest | { problem: McError } {
  if (body instanceof UnreadableBody) return { problem: { code: 'err_request_malformed', message: `The request body could not be read: ${body.reason}`, retryable: false } };
  if (body === undefined || body === null) return { data: [], pagination: {} };
  if (!isObject(body)) return { problem: typeError('body', 'an object like {"data":[]}') };
  const data = body.data ?? [];
  if (!Array.isArray(data)) return { problem: typeError('data', 'an array') };
  const meta = body.meta ?? {};
  if (!isObject(meta)) return { problem: typeError('meta', 'an object') };
  const pagination = meta.pagination ?? {};
  if (!isObject(pagination)) return { problem: typeError('pagination', 'an object') };
  const out: McRequest['pagination'] = {};
  if (pagination.pageSize !== undefined && pagination.pageSize !== null) {
    const n = Number(pagination.pageSize);
    if (!Number.isInteger(n) || n < 1 || n > 500) {
      return { problem: { code: 'err_validation_invalid_value', message: 'pageSize must be a whole number from 1 to 500', retryable: false, field: 'pageSize' } };
    }
    out.pageSize = n;
  }
  if (pagination.pageToken !== undefined && pagination.pageToken !== null && pagination.pageToken !== '') {
    if (typeof pagination.pageToken !== 'string') return { problem: typeError('pageToken', 'a string') };
    out.pageToken = pagination.pageToken;
  }
  return { data, pagination: out };
}

/** A page token is the offset of the page, opaque to clients. */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function readPageToken(token: string): number | null {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return Number.isInteger(v?.o) && v.o >= 0 ? v.o : null;
  } catch {
    return null;
  }
}

type Decoded<T> = { ok: true; value: T } | { ok: false; errors: McError[] };

/** PostgreSQL text cannot hold U+0000, and no account field has a use for it: refused on every store alike. */
const hasNul = (s: string) => s.includes('\u0000');
const nulError = (field: string): McError => ({ code: 'err_validation_invalid_value', message: `${field} must not contain NUL characters`, retryable: false, field });

class ItemReader {
  readonly errors: McError[] = [];
  constructor(private readonly item: Record<string, unknown>) {}

  /** undefined when absent or null (optional fields sent as None mean "not given"). */
  string(field: string): string | undefined {
    const v = this.item[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.errors.push(typeError(field, 'a string'));
      return undefined;
    }
    if (hasNul(v)) {
      this.errors.push(nulError(field));
      return undefined;
    }
    return v;
  }

  /** A required string: missing and blank are reported by the domain, which knows what is required. */
  required(field: string): string | null {
    const v = this.item[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') {
      this.errors.push(typeError(field, 'a string'));
      return null;
    }
    if (hasNul(v)) {
      this.errors.push(nulError(field));
      return null;
    }
    return v;
  }

  integer(field: string): number | undefined {
    const v = this.item[field];
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      this.errors.push(typeError(field, 'a whole number'));
      return undefined;
    }
    return n;
  }

  boolean(field: string): boolean | undefined {
    const v = this.item[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.errors.push(typeError(field, 'true or false'));
      return undefined;
    }
    return v;
  }

  /** Product ids: numbers, or the strings get-packages returns. */
  productIds(field: string): number[] | undefined {
    const v = this.item[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => !(Number.isInteger(x) || (typeof x === 'string' && /^\d+$/.test(x.trim()))))) {
      this.errors.push(typeError(field, 'an array of product ids'));
      return undefined;
    }
    return v.map((x) => Number(x));
  }

  strings(field: string): string[] | undefined {
    const v = this.item[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.errors.push(typeError(field, 'an array of strings'));
      return undefined;
    }
    if ((v as string[]).some(hasNul)) {
      this.errors.push(nulError(field));
      return undefined;
    }
    return v as string[];
  }
}

const notAnObject = (): McError[] => [typeError('data', 'an array of objects')];

/** Blank optional text clears the field; only the account name may not be blank. */
const clearable = (v: string | undefined): string | null | undefined => (v === undefined ? undefined : v.trim() === '' ? null : v);

export function decodeUpdate(item: unknown): Decoded<{ accountCode: string; change: ProvisionedAccountChange }> {
  if (!isObject(item)) return { ok: false, errors: notAnObject() };
  const r = new ItemReader(item);
  const accountCode = r.required('accountCode');
  const accountName = r.string('accountName');
  const contactEmail = r.string('contactEmail');
  const contactName = r.string('contactName');
  const telephone = r.string('telephone');
  const userDelta = r.integer('numberOfUsers');
  const productIds = r.productIds('products');
  if (accountCode === null && !r.errors.some((e) => e.field === 'accountCode')) {
    r.errors.unshift({ code: 'err_validation_null', message: 'Missing required field: accountCode', retryable: false, field: 'accountCode' });
  } else if (accountCode !== null && accountCode.trim() === '') {
    r.errors.unshift({ code: 'err_validation_blank', message: 'Required field accountCode cannot be empty', retryable: false, field: 'accountCode' });
  }
  if (r.errors.length) return { ok: false, errors: r.errors };
  const fields: ProvisionedAccountChange['fields'] = {};
  if (accountName !== undefined) fields.name = accountName;
  if (contactEmail !== undefined) fields.contactEmail = clearable(contactEmail);
  if (contactName !== undefined) fields.contactName = clearable(contactName);
  if (telephone !== undefined) fields.telephone = clearable(telephone);
  return { ok: true, value: { accountCode: accountCode!.trim().toUpperCase(), change: { fields, userDelta, productIds } } };
}

export function decodeCreate(item: unknown): Decoded<ProvisionRequest> {
  if (!isObject(item)) return { ok: false, errors: notAnObject() };
  const r = new ItemReader(item);
  const value: ProvisionRequest = {
    name: r.required('accountName'),
    addressLine1: r.required('addressLine1'),
    city: r.required('city'),
    country: r.required('country'),
    state: clearable(r.string('state')),
    zip: clearable(r.string('postalCode')),
    telephone: clearable(r.string('telephone')),
    contactEmail: clearable(r.string('contactEmail')),
    contactName: clearable(r.string('contactName')),
    adminEmail: clearable(r.string('adminEmail')),
    primaryDomain: clearable(r.string('primaryDomain')),
    userCount: r.integer('numberOfUsers'),
    productIds: r.productIds('products'),
    umbrellaAccountCodes: r.strings('umbrellaAccounts')?.map((c) => c.trim().toUpperCase()),
  };
  // The admin password is checked for type only: partnerhub runs no Mimecast console, so it is never stored.
  r.string('adminPassword');
  const extra: Record<string, unknown> = {};
  const mailPlatform = r.string('mailPlatform');
  const adminRole = r.string('adminRole');
  const companyRegistrationNumber = r.string('companyRegistrationNumber');
  const forcePasswordChange = r.boolean('forcePasswordChange');
  const maximumRetention = r.integer('maximumRetention');
  if (maximumRetention !== undefined && maximumRetention < 0) {
    r.errors.push({ code: 'err_validation_invalid_value', message: 'maximumRetention must not be negative', retryable: false, field: 'maximumRetention' });
  }
  if (mailPlatform !== undefined) extra.mailPlatform = mailPlatform;
  if (adminRole !== undefined) extra.adminRole = adminRole;
  if (companyRegistrationNumber !== undefined) extra.companyRegistrationNumber = companyRegistrationNumber;
  if (forcePasswordChange !== undefined) extra.forcePasswordChange = forcePasswordChange;
  if (maximumRetention !== undefined) extra.maximumRetention = maximumRetention;
  if (r.errors.length) return { ok: false, errors: r.errors };
  if (Object.keys(extra).length) value.extra = extra;
  return { ok: true, value };
}
