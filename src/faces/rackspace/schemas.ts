import { Type, type TOptional, type TSchema } from '@sinclair/typebox';
import type { Actor } from '../../domain/principal.js';
import type { AccountKey } from '../../domain/account.js';

/**
 * The schemas of the Rackspace routes. Fastify validates every request with them (without type coercion,
 * see codec.ts) and serializes JSON answers from the response schemas; errors.ts words their failures the way
 * Rackspace does.
 */

/** No U+0000: PostgreSQL text cannot hold it (SQLite can), so it is refused as bad input on both stores. */
const NO_NUL = '^[^\\u0000]*$';

// ---------------------------------------------------------------------------------------------------------
// Path parameters

/** `me` (the caller's own account) or an account number; anything else names no customer. */
const AccountNumber = Type.String({ pattern: '^(me|[0-9]{1,20})$' });
/** Contact and invoice ids are whole numbers. */
const ItemId = Type.String({ pattern: '^[0-9]{1,15}$' });

export const CustomerParams = Type.Object({ accountNumber: AccountNumber });
export const ContactParams = Type.Object({ accountNumber: AccountNumber, contactId: ItemId });
export const InvoiceParams = Type.Object({ accountNumber: AccountNumber, invoiceId: ItemId });

/** What an `{accountNumber}` path parameter names, in the domain's terms. */
export function customerKey(actor: Actor, accountNumber: string): AccountKey {
  return accountNumber === 'me' ? { guid: actor.accountGuid } : { accountNumber };
}

// ---------------------------------------------------------------------------------------------------------
// Query strings (key letter case is the codec's business)

/** One value: a repeated parameter arrives as a list and is refused rather than guessed at. */
const QueryText = Type.String({ pattern: NO_NUL });
/** A whole number of 0 or more, or empty (the default); spaces around it are allowed. */
const WholeNumber = Type.String({ pattern: '^\\s*(\\d{1,9})?\\s*$' });
/** A page size of 1 or more, or empty (the default). */
const PageSize = Type.String({ pattern: '^\\s*((?=\\d{1,9}\\s*$)0*[1-9]\\d*)?\\s*$' });

/** The index: paging, a search (startswith or contains, not both), or an exact reference number. */
export const CustomerIndexQuery = Type.Object(
  {
    size: Type.Optional(PageSize),
    offset: Type.Optional(WholeNumber),
    startswith: Type.Optional(QueryText),
    contains: Type.Optional(QueryText),
    referenceNumber: Type.Optional(QueryText),
  },
  { not: { required: ['startswith', 'contains'], properties: { startswith: { type: 'string', minLength: 1 }, contains: { type: 'string', minLength: 1 } } } },
);

/** v2 lists: the domain judges the numbers, with the vendor's own messages. */
export const PageQuery = Type.Object({ size: Type.Optional(QueryText), offset: Type.Optional(QueryText) });

// ---------------------------------------------------------------------------------------------------------
// Request bodies (form, JSON or XML: the codec makes each a flat set of fields first)

/** A text field: text, a number (JSON clients send `"zip": 78703`), or null (clears the field). */
const TextField = Type.Union([Type.String({ pattern: NO_NUL }), Type.Number(), Type.Null()]);
/** A flag: a JSON boolean, or true/false as text in any letter case; empty or null is false. */
const FlagField = Type.Union([Type.Boolean(), Type.Null(), Type.String({ pattern: '^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])?\\s*$' })]);

function textFields<K extends string>(names: readonly K[]) {
  return Type.Object(Object.fromEntries(names.map((n) => [n, Type.Optional(TextField)])) as { [P in K]: TOptional<typeof TextField> });
}

/** The customer fields each version takes, in the order the seeds list them; others are ignored. */
export const CUSTOMER_FIELDS = {
  v0: ['name', 'referenceNumber'],
  v1: ['name', 'referenceNumber', 'addressLine1', 'addressLine2', 'city', 'state', 'zip', 'country', 'phone', 'email'],
} as const;
export const CustomerBody = { v0: textFields(CUSTOMER_FIELDS.v0), v1: textFields(CUSTOMER_FIELDS.v1) };

export const LoginTokenBody = Type.Object({ userName: Type.Optional(TextField), virtualUser: Type.Optional(FlagField) });

/** Any JSON value but text with NUL: the domain judges contact values and words the vendor's messages. */
const ContactValue = Type.Unsafe<unknown>({ anyOf: [{ type: 'string', pattern: NO_NUL }, { not: { type: 'string' } }] });
const CONTACT_FIELDS = ['Name', 'Email', 'Phone', 'ReceivesAlerts', 'ReceivesBilling', 'ReceivesUpdates', 'SecurityQuestion', 'SecurityAnswer'] as const;
export const ContactBody = Type.Object(
  Object.fromEntries(CONTACT_FIELDS.map((n) => [n, Type.Optional(ContactValue)])) as { [P in (typeof CONTACT_FIELDS)[number]]: TOptional<typeof ContactValue> },
);

// ---------------------------------------------------------------------------------------------------------
// Responses (JSON; the codec writes the same documents as XML for v0 and v1)

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

/** Index entries, v0 shows and v0 adds carry these three; account numbers stay strings. */
export const CustomerSummary = Type.Object({ name: Type.String(), accountNumber: Type.String(), referenceNumber: Nullable(Type.String()) });
/** v1 shows and adds add the address and contact fields. */
export const CustomerDetail = Type.Object({
  ...CustomerSummary.properties,
  addressLine1: Nullable(Type.String()),
  addressLine2: Nullable(Type.String()),
  city: Nullable(Type.String()),
  state: Nullable(Type.String()),
  zip: Nullable(Type.String()),
  country: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
});
export const CustomerList = Type.Object({ offset: Type.Integer(), size: Type.Integer(), total: Type.Integer(), customers: Type.Array(CustomerSummary) });
export const LoginTokenDocument = Type.Object({ user: Type.String(), token: Type.String(), dateCreated: Type.String() });

/** The seed's contact: PascalCase, the customer number and id as strings, the flags as booleans. */
export const ContactDocument = Type.Object({
  CustomerNumber: Type.String(),
  Email: Type.String(),
  Id: Type.String(),
  Name: Type.String(),
  Phone: Type.String(),
  ReceivesAlerts: Type.Boolean(),
  ReceivesBilling: Type.Boolean(),
  ReceivesUpdates: Type.Boolean(),
  SecurityAnswer: Type.String(),
  SecurityQuestion: Type.String(),
});
/** The seed's invoice summary: id and amount as strings, the date without zone or fraction. */
export const InvoiceDocument = Type.Object({
  InvoiceId: Type.String(),
  InvoiceDate: Type.String(),
  InvoiceType: Type.String(),
  TotalDue: Type.String(),
  IsPaid: Type.Boolean(),
  CsvAvailable: Type.Boolean(),
});
const v2List = <T extends TSchema>(item: T) => Type.Object({ Size: Type.Integer(), Offset: Type.Integer(), Total: Type.Integer(), Items: Type.Array(item) });
export const ContactList = v2List(ContactDocument);
export const InvoiceList = v2List(InvoiceDocument);
export const InvoiceCsv = { content: { 'text/csv': { schema: Type.String({ description: 'the line items, RFC 4180' }) } } };

const FaultBody = Type.Object({ message: Type.String(), details: Type.String(), code: Type.Integer(), resourceType: Type.Optional(Type.String()) });
/** A fault: one element named for its kind. */
export const Fault = Type.Object({
  badRequestFault: Type.Optional(FaultBody),
  itemNotFoundFault: Type.Optional(FaultBody),
  unauthorizedFault: Type.Optional(FaultBody),
  validationFault: Type.Optional(FaultBody),
  appsFault: Type.Optional(FaultBody),
});

/** Every route's responses: its own 200 and the faults. */
export function responses(ok?: TSchema | typeof InvoiceCsv): Record<string, TSchema> {
  return { ...(ok ? { 200: ok as TSchema } : {}), '4xx': Fault, '5xx': Fault };
}
