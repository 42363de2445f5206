import { Type, type TOptional, type TSchema } from '@sinclair/typebox';
import type { Actor } from '../../domain/principal.js';
import type { AccountKey } from '../../domain/account.js';

/**
 * Schemas of the Domain, Rackspace Mailbox and Rackspace Alias resources (the vendor's REST wiki pages of the
 * same names). Bodies are flat field sets (form, JSON or XML, see codec.ts); the domain judges their values
 * and words the vendor's messages, so the schemas only keep out what no store can hold (NUL).
 */

const NO_NUL = '^[^\\u0000]*$';
export const Name = Type.String({ pattern: NO_NUL, minLength: 1, maxLength: 300 });
/** `me`, `all` (domain index only) or an account number. */
export const AccountNumber = Type.String({ pattern: '^(me|all|[0-9]{1,20})$' });

export const DomainCustomerParams = Type.Object({ accountNumber: Type.Optional(AccountNumber) });
export const DomainParams = Type.Object({ accountNumber: AccountNumber, domain: Name });
export const MailboxParams = Type.Object({ accountNumber: AccountNumber, domain: Name, mailbox: Name });
export const AliasParams = Type.Object({ accountNumber: AccountNumber, domain: Name, alias: Name });

/** What an `{accountNumber}` of these URLs names; `all` names no single account. */
export function domainCustomerKey(actor: Actor, accountNumber: string): AccountKey {
  return accountNumber === 'me' ? { guid: actor.accountGuid } : { accountNumber };
}

const QueryText = Type.String({ pattern: NO_NUL });
export const DomainIndexQuery = Type.Object({ size: Type.Optional(QueryText), offset: Type.Optional(QueryText), domainNames: Type.Optional(QueryText) });
export const MailboxIndexQuery = Type.Object({
  size: Type.Optional(QueryText),
  offset: Type.Optional(QueryText),
  enabled: Type.Optional(Type.String({ pattern: '^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\\s*$' })),
  fields: Type.Optional(QueryText),
});
export const AliasIndexQuery = Type.Object({ size: Type.Optional(QueryText), offset: Type.Optional(QueryText) });

/** Any JSON value but text with NUL: the domain judges the values. */
const Value = Type.Unsafe<unknown>({ anyOf: [{ type: 'string', pattern: NO_NUL }, { not: { type: 'string' } }] });
export const fieldSet = <K extends string>(names: readonly K[]) => Type.Object(Object.fromEntries(names.map((n) => [n, Type.Optional(Value)])) as { [P in K]: TOptional<typeof Value> });

export const DOMAIN_BODY_FIELDS = ['serviceType', 'rsEmailMaxNumberMailboxes', 'rsEmailBaseMailboxSize', 'exchangeMaxNumMailboxes'] as const;
export const MAILBOX_BODY_FIELDS = [
  'password',
  'displayName',
  'size',
  'enabled',
  'firstName',
  'lastName',
  'emailForwardingAddresses',
  'saveForwardedEmail',
  'vacationMessage',
  'enableVacationMessage',
] as const;
export const DomainBody = fieldSet(DOMAIN_BODY_FIELDS);
export const MailboxBody = fieldSet(MAILBOX_BODY_FIELDS);
export const AliasBody = fieldSet(['aliasEmails'] as const);

// ---- responses (JSON; the codec writes the same documents as XML)

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

export const DomainSummary = Type.Object({
  name: Type.String(),
  accountNumber: Type.String(),
  serviceType: Type.String(),
  exchangeMaxNumMailboxes: Type.Optional(Type.Integer()),
  rsEmailMaxNumberMailboxes: Type.Optional(Type.Integer()),
});
export const DomainList = Type.Object({ offset: Type.Integer(), size: Type.Integer(), total: Type.Integer(), domains: Type.Array(DomainSummary) });
export const DomainDocument = Type.Object({
  name: Type.String(),
  accountNumber: Type.String(),
  serviceType: Type.String(),
  exchangeExtraStorage: Type.Integer(),
  exchangeMaxNumMailboxes: Type.Integer(),
  rsEmailBaseMailboxSize: Type.Integer(),
  rsEmailMaxNumberMailboxes: Type.Integer(),
  rsEmailExtraStorage: Type.Integer(),
  rsEmailUsedStorage: Type.Integer(),
  aliases: Type.Array(Type.String()),
  archivingServiceEnabled: Type.Boolean(),
  publicFoldersEnabled: Type.Boolean(),
});

export const MailboxSummary = Type.Object({
  name: Type.String(),
  displayName: Type.String(),
  size: Type.Optional(Type.Integer()),
  currentUsage: Type.Optional(Type.Integer()),
  enabled: Type.Optional(Type.Boolean()),
  createdDate: Type.Optional(Type.String()),
  lastLogin: Type.Optional(Nullable(Type.String())),
});
export const MailboxList = Type.Object({ offset: Type.Integer(), size: Type.Integer(), total: Type.Integer(), rsMailboxes: Type.Array(MailboxSummary) });
export const MailboxDocument = Type.Object({
  name: Type.String(),
  size: Type.Integer(),
  currentUsage: Type.Integer(),
  vacationMessage: Type.String(),
  enableVacationMessage: Type.Boolean(),
  emailForwardingAddressList: Type.Array(Type.String()),
  saveForwardedEmail: Type.Boolean(),
  contactInfo: Type.Object({ lastName: Type.String(), firstName: Type.String() }),
  displayName: Type.String(),
  enabled: Type.Boolean(),
  createdDate: Type.String(),
  lastLogin: Nullable(Type.String()),
});

export const AliasList = Type.Object({ aliases: Type.Array(Type.Object({ name: Type.String(), numberOfMembers: Type.Integer() })) });
export const AliasDocument = Type.Object({ name: Type.String(), emailAddressList: Type.Array(Type.String()) });
