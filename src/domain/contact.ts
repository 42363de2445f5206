import { assertTransaction, type DomainContext } from './context.js';
import { DomainError, ErrorCode, notFound, validationError, type FieldError } from './errors.js';
import { authorize, type Actor } from './principal.js';
import { isEmail, lockVisibleAccount, visibleAccountBy, type Account, type AccountKey, type LockedAccount } from './account.js';
import { recordAudit } from './audit.js';
import { parsePage, type PageRequest, type SizedPage } from './paging.js';
import { transaction } from './transaction.js';
import * as contactsRepo from '../store/repositories/contacts.js';

/**
 * Company contacts: the people authorized to talk to support and billing about an account.
 *
 * A contact is PRIMARY when it receives account alerts (receivesAlerts): the primary contact is whom the
 * provider reaches first when something happens to the service, and the flag is one the client sees and
 * sets, so a client refused by the invariant can always see why and fix it.
 *
 * Invariant: once an account has a billing contact, it keeps at least one, and once it has a primary
 * contact, it keeps at least one (a single contact can be both). Updates and deletes that would take the
 * last one away are refused; they run with the account locked, so concurrent deletes cannot together
 * remove the last one. Adding contacts never breaks it, so an account can build its contact list up.
 */

/** The exact messages of the vendor documentation (seed 002), so a face can pass them through. */
export const CONTACT_MESSAGES = {
  nameEmpty: 'Contact name cannot be empty.',
  emailInvalid: 'Please enter a valid email address.',
  securityQuestionEmpty: 'Security question cannot be empty.',
  securityAnswerEmpty: 'Security answer cannot be empty.',
  limitReached: 'Contact/Administrator limit reached.',
  invariant: 'There must be at least one billing contact and one primary contact. (A single contact can be both.)',
  notFound: 'Contact not found',
} as const;

export const CONTACT_TEXT_MAX = 255;

export interface Contact {
  id: number;
  accountGuid: string;
  accountNumber: string;
  name: string;
  email: string;
  phone: string;
  receivesAlerts: boolean;
  receivesBilling: boolean;
  receivesUpdates: boolean;
  /** Derived: a primary contact is one that receives alerts. */
  isPrimary: boolean;
  securityQuestion: string;
  /** Opened from its sealed form for the caller; never put it in a log or an audit entry. */
  securityAnswer: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * What a client sends, loosely typed on purpose: a face passes its decoded body fields straight in and the
 * domain reports what is missing or wrong. Booleans accept true/false and the strings "true"/"false".
 */
export interface ContactInput {
  name?: unknown;
  email?: unknown;
  phone?: unknown;
  receivesAlerts?: unknown;
  receivesBilling?: unknown;
  receivesUpdates?: unknown;
  securityQuestion?: unknown;
  securityAnswer?: unknown;
}

interface ContactFields {
  name: string;
  email: string;
  phone: string;
  receivesAlerts: boolean;
  receivesBilling: boolean;
  receivesUpdates: boolean;
  securityQuestion: string;
  securityAnswer: string;
}

const BOOLEAN_FIELDS = ['receivesAlerts', 'receivesBilling', 'receivesUpdates'] as const;

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  return undefined;
}

const has = (input: ContactInput, k: keyof ContactInput) => input[k] !== undefined;

/**
 * Checks contact fields in the order the vendor reports them: name, e-mail, security question, security
 * answer, then phone and the three flags. On create every field is required; on update only the fields
 * present are checked (and null counts as present and empty).
 */
export function validateContactInput(input: ContactInput, mode: 'create' | 'update'): { problems: FieldError[]; fields: Partial<ContactFields> } {
  const problems: FieldError[] = [];
  const fields: Partial<ContactFields> = {};
  const check = (k: keyof ContactInput) => mode === 'create' || has(input, k);
  const tooLong = (field: string, v: string) => {
    if ([...v].length > CONTACT_TEXT_MAX) problems.push({ field, problem: 'too_long', message: `${field} too long: ${CONTACT_TEXT_MAX} characters or fewer` });
  };
  if (check('name')) {
    const v = text(input.name);
    if (!v) problems.push({ field: 'name', problem: has(input, 'name') ? 'blank' : 'missing', message: CONTACT_MESSAGES.nameEmpty });
    else (tooLong('name', v), (fields.name = v));
  }
  if (check('email')) {
    const v = text(input.email);
    if (!v || !isEmail(v)) problems.push({ field: 'email', problem: v ? 'invalid_email' : 'missing', message: CONTACT_MESSAGES.emailInvalid });
    else fields.email = v;
  }
  if (check('securityQuestion')) {
    const v = text(input.securityQuestion);
    if (!v) problems.push({ field: 'securityQuestion', problem: has(input, 'securityQuestion') ? 'blank' : 'missing', message: CONTACT_MESSAGES.securityQuestionEmpty });
    else (tooLong('securityQuestion', v), (fields.securityQuestion = v));
  }
  if (check('securityAnswer')) {
    const v = text(input.securityAnswer);
    if (!v) problems.push({ field: 'securityAnswer', problem: has(input, 'securityAnswer') ? 'blank' : 'missing', message: CONTACT_MESSAGES.securityAnswerEmpty });
    else (tooLong('securityAnswer', v), (fields.securityAnswer = v));
  }
  if (check('phone')) {
    const v = text(input.phone);
    if (!v) problems.push({ field: 'phone', problem: has(input, 'phone') ? 'blank' : 'missing', message: 'Phone number cannot be empty.' });
    else (tooLong('phone', v), (fields.phone = v));
  }
  for (const k of BOOLEAN_FIELDS) {
    if (!check(k)) continue;
    const v = bool(input[k]);
    if (v === undefined) problems.push({ field: k, problem: has(input, k) ? 'invalid' : 'missing', message: `${k} must be true or false.` });
    else fields[k] = v;
  }
  return { problems, fields };
}

/** Ids come from URLs: anything but a whole number names no contact. */
export function parseNumericId(id: string | number): number | null {
  const s = String(id).trim();
  if (!/^\d{1,15}$/.test(s)) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

function open(ctx: DomainContext, account: Account, c: contactsRepo.StoredContact): Contact {
  const { securityAnswerSealed, ...rest } = c;
  return { ...rest, accountNumber: account.accountNumber, isPrimary: c.receivesAlerts, securityAnswer: ctx.secrets.decrypt(securityAnswerSealed) };
}

/** What the audit log may hold about a contact: everything but the security answer. */
function auditView(c: Pick<ContactFields, Exclude<keyof ContactFields, 'securityAnswer'>>) {
  return {
    name: c.name,
    email: c.email,
    phone: c.phone,
    receivesAlerts: c.receivesAlerts,
    receivesBilling: c.receivesBilling,
    receivesUpdates: c.receivesUpdates,
    securityQuestion: c.securityQuestion,
  };
}

/** Contacts of an account, oldest first, `size` (default 50) from `offset` (default 0). Needs contact.read. */
export async function listContacts(ctx: DomainContext, actor: Actor, key: AccountKey, request: PageRequest = {}): Promise<SizedPage<Contact>> {
  parsePage(request);
  return contactsOf(ctx, actor, await visibleAccountBy(ctx, actor, key), request);
}

/** listContacts for an account its caller has read. */
export async function contactsOf(ctx: DomainContext, actor: Actor, account: Account, request: PageRequest = {}): Promise<SizedPage<Contact>> {
  const { size, offset } = parsePage(request);
  authorize(actor, 'contact.read', account);
  const page = await contactsRepo.page(ctx.db, account.guid, size, offset);
  return { size, offset, total: page.total, items: page.items.map((c) => open(ctx, account, c)) };
}

/** One contact; not-found (resource "contact") for an id the account does not have. Needs contact.read. */
export async function getContact(ctx: DomainContext, actor: Actor, key: AccountKey, contactId: string | number): Promise<Contact> {
  return contactOf(ctx, actor, await visibleAccountBy(ctx, actor, key), contactId);
}

/** getContact for an account its caller has read. */
export async function contactOf(ctx: DomainContext, actor: Actor, account: Account, contactId: string | number): Promise<Contact> {
  authorize(actor, 'contact.read', account);
  const id = parseNumericId(contactId);
  const c = id === null ? null : await contactsRepo.find(ctx.db, account.guid, id);
  if (!c) throw notFound('contact', CONTACT_MESSAGES.notFound);
  return open(ctx, account, c);
}

export interface ContactOptions {
  /** Most contacts one account may have (configuration: PARTNERHUB_CONTACT_LIMIT). */
  contactLimit: number;
}

/**
 * Adds a contact (every field required). Errors: Validation with the vendor's messages; LimitReached
 * ("Contact/Administrator limit reached.") when the account already has `contactLimit` contacts;
 * NotFound (account) outside the subtree; Forbidden without contact.manage.
 */
export async function addContact(ctx: DomainContext, actor: Actor, key: AccountKey, input: ContactInput, options: ContactOptions): Promise<Contact> {
  return transaction(ctx, async (tx) => addContactTo(tx, actor, await lockVisibleAccount(tx, actor, key), input, options));
}

/**
 * addContact for an account its caller has locked in this transaction: the lock keeps the count and the
 * invariant true until the change commits. The role is checked before the body is judged.
 */
export async function addContactTo(tx: DomainContext, actor: Actor, account: LockedAccount, input: ContactInput, options: ContactOptions): Promise<Contact> {
  assertTransaction(tx.db);
  authorize(actor, 'contact.manage', account);
  const { problems, fields } = validateContactInput(input ?? {}, 'create');
  if (problems.length) throw validationError(problems);
  const f = fields as ContactFields;
  const counts = await contactsRepo.roleCounts(tx.db, account.guid);
  if (counts.total >= options.contactLimit) {
    throw new DomainError(ErrorCode.LimitReached, CONTACT_MESSAGES.limitReached, { resource: 'contact' });
  }
  const now = tx.clock.now().toISOString();
  const { securityAnswer, ...plain } = f;
  const stored = await contactsRepo.insert(tx.db, {
    accountGuid: account.guid,
    ...plain,
    securityAnswerSealed: tx.secrets.encrypt(securityAnswer),
    createdAt: now,
    updatedAt: now,
  });
  await recordAudit(tx.db, tx, actor, {
    action: 'contact.create',
    entityType: 'contact',
    entityGuid: String(stored.id),
    accountGuid: account.guid,
    before: null,
    after: auditView(f),
  });
  return open(tx, account, stored);
}

function invariantError(): DomainError {
  return validationError([{ field: 'contacts', problem: 'invalid', message: CONTACT_MESSAGES.invariant }]);
}

/** Would replacing `before` by `after` (null: deleting it) take away the account's last billing or primary contact? */
function breaksInvariant(counts: { billing: number; alerts: number }, before: contactsRepo.StoredContact, after: Pick<ContactFields, 'receivesBilling' | 'receivesAlerts'> | null): boolean {
  const billing = counts.billing - (before.receivesBilling ? 1 : 0) + (after?.receivesBilling ? 1 : 0);
  const primary = counts.alerts - (before.receivesAlerts ? 1 : 0) + (after?.receivesAlerts ? 1 : 0);
  return (counts.billing > 0 && billing === 0) || (counts.alerts > 0 && primary === 0);
}

/** A contact of a locked account: the account's lock makes the counts and the contact what they will be at commit. */
async function contactToChange(tx: DomainContext, actor: Actor, account: LockedAccount, contactId: string | number) {
  assertTransaction(tx.db);
  authorize(actor, 'contact.manage', account);
  const id = parseNumericId(contactId);
  const c = id === null ? null : await contactsRepo.find(tx.db, account.guid, id);
  if (!c) throw notFound('contact', CONTACT_MESSAGES.notFound);
  return c;
}

/**
 * Changes the fields present in `input` (a PUT with every field replaces them all). Errors as addContact,
 * plus NotFound (contact) and Validation with CONTACT_MESSAGES.invariant when it would leave the account
 * without a billing or a primary contact.
 */
export async function updateContact(ctx: DomainContext, actor: Actor, key: AccountKey, contactId: string | number, input: ContactInput): Promise<Contact> {
  return transaction(ctx, async (tx) => changeContact(tx, actor, await lockVisibleAccount(tx, actor, key), contactId, input));
}

/** updateContact for an account its caller has locked in this transaction. */
export async function changeContact(tx: DomainContext, actor: Actor, account: LockedAccount, contactId: string | number, input: ContactInput): Promise<Contact> {
  const current = await contactToChange(tx, actor, account, contactId);
  const { problems, fields } = validateContactInput(input ?? {}, 'update');
  if (problems.length) throw validationError(problems);
  const { securityAnswer, ...plain } = fields;
  const next: contactsRepo.StoredContact = {
    ...current,
    ...plain,
    securityAnswerSealed: securityAnswer === undefined ? current.securityAnswerSealed : tx.secrets.encrypt(securityAnswer),
    updatedAt: tx.clock.now().toISOString(),
  };
  if (breaksInvariant(await contactsRepo.roleCounts(tx.db, account.guid), current, next)) throw invariantError();
  await contactsRepo.update(tx.db, next);
  await recordAudit(tx.db, tx, actor, {
    action: 'contact.update',
    entityType: 'contact',
    entityGuid: String(current.id),
    accountGuid: account.guid,
    before: auditView(current),
    after: { ...auditView(next), securityAnswerChanged: securityAnswer !== undefined },
  });
  return open(tx, account, next);
}

/** Removes a contact. Errors: NotFound (account or contact), Forbidden, Validation with CONTACT_MESSAGES.invariant. */
export async function deleteContact(ctx: DomainContext, actor: Actor, key: AccountKey, contactId: string | number): Promise<void> {
  await transaction(ctx, async (tx) => removeContact(tx, actor, await lockVisibleAccount(tx, actor, key), contactId));
}

/** deleteContact for an account its caller has locked in this transaction. */
export async function removeContact(tx: DomainContext, actor: Actor, account: LockedAccount, contactId: string | number): Promise<void> {
  const current = await contactToChange(tx, actor, account, contactId);
  if (breaksInvariant(await contactsRepo.roleCounts(tx.db, account.guid), current, null)) throw invariantError();
  await contactsRepo.remove(tx.db, current.id);
  await recordAudit(tx.db, tx, actor, {
    action: 'contact.delete',
    entityType: 'contact',
    entityGuid: String(current.id),
    accountGuid: account.guid,
    before: auditView(current),
    after: null,
  });
}
