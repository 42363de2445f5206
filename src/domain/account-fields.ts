import type { AccountFields } from './account.js';
import type { FieldError } from './errors.js';

/**
 * The account fields a client may set, and the rules on their values. The messages are the ones the seeds
 * document, so faces can pass them through.
 */

/** The fields a client may set; every face maps its own names onto these. */
export const EDITABLE_FIELDS = [
  'name',
  'referenceNumber',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'zip',
  'country',
  'phone',
  'email',
  'contactName',
  'contactEmail',
  'telephone',
  'primaryDomain',
  'adminEmail',
  'hostingJurisdiction',
  'supportJurisdiction',
  'supportPackage',
  'customerAdvocate',
  'customerDevelopmentManager',
  'mainProduct',
  'renewalDate',
  'officePhone',
  'supportMailto',
] as const;
export const NAME_MAX = 100;
export const REFERENCE_MAX = 20;
const EMAIL_FIELDS: readonly (typeof EDITABLE_FIELDS)[number][] = ['email', 'contactEmail', 'adminEmail'];
const FIELD_MAX = 255;

export function isEmail(s: unknown): boolean {
  return typeof s === 'string' && s.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
}

/**
 * Validates account fields. On create the name is required; on update only the fields present are checked.
 * The messages are the ones the seeds document, so faces can pass them through.
 */
export function validateAccountFields(input: AccountFields & { name?: string | null }, mode: 'create' | 'update'): FieldError[] {
  const problems: FieldError[] = [];
  const hasName = Object.prototype.hasOwnProperty.call(input, 'name') && input.name !== undefined;
  if (!hasName || input.name === null) {
    if (mode === 'create' || input.name === null) {
      problems.push({ field: 'name', problem: 'missing', message: 'Missing required field: name' });
    }
  } else {
    const name = String(input.name);
    if (name.trim() === '') problems.push({ field: 'name', problem: 'blank', message: 'Required field name cannot be empty' });
    else if (name !== name.trim())
      problems.push({ field: 'name', problem: 'whitespace', message: 'Improper Customer Name: cannot begin or end with a space' });
    else if ([...name].length > NAME_MAX)
      problems.push({ field: 'name', problem: 'too_long', message: 'Name too long: 100 characters or fewer' });
  }
  if (input.referenceNumber != null && [...String(input.referenceNumber)].length > REFERENCE_MAX) {
    problems.push({ field: 'referenceNumber', problem: 'too_long', message: 'Reference number too long: 20 characters or fewer' });
  }
  for (const f of EMAIL_FIELDS) {
    const v = input[f];
    if (v != null && v !== '' && !isEmail(v)) problems.push({ field: f, problem: 'invalid_email', message: `${f} is not a valid email address` });
  }
  for (const f of EDITABLE_FIELDS) {
    const v = input[f];
    if (v != null && f !== 'name' && f !== 'referenceNumber' && [...String(v)].length > FIELD_MAX) {
      problems.push({ field: f, problem: 'too_long', message: `${f} too long: ${FIELD_MAX} characters or fewer` });
    }
    // PostgreSQL text cannot hold U+0000 (SQLite would store it): refuse it the same way on both stores.
    if (v != null && String(v).includes('\u0000')) {
      problems.push({ field: f, problem: 'invalid', message: `${f} cannot contain NUL characters` });
    }
  }
  if (input.userCount !== undefined && (!Number.isInteger(input.userCount) || input.userCount < 0 || input.userCount > 10_000_000)) {
    problems.push({ field: 'userCount', problem: 'invalid', message: 'userCount must be a whole number from 0 to 10000000' });
  }
  return problems;
}

/** The editable fields present in the input, as text (or null), with the user count and extra data. */
export function cleanFields(input: AccountFields): AccountFields {
  const out: AccountFields = {};
  for (const f of EDITABLE_FIELDS) {
    if (input[f] !== undefined) out[f] = input[f] === null ? null : String(input[f]);
  }
  if (input.userCount !== undefined) out.userCount = input.userCount;
  if (input.extra !== undefined) out.extra = input.extra;
  return out;
}
