import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { ProvisionRequest, ProvisionedAccountChange } from '../../domain/provisioning.js';
import { Text, schemaIssues } from './codec.js';
import { envelope, type McEnvelope, type McError, type McFail } from './envelope.js';
import { isItemFailure, itemErrors, itemSchemaErrors, missingField } from './errors.js';

/**
 * Each `data` item of a request is its own call: checked against its operation's schema, then run. An
 * item that does not fit lands in `fail` with its own errors and the other items still run, which a
 * route's body schema cannot say (a body that fails its schema is refused whole). So the route declares
 * the envelope (envelope.ts) and each operation's item schema is compiled here, with TypeBox's compiler
 * like the route schemas, and applied to one item at a time.
 */

/** A whole number, or the digits of one: clients send counts both ways. */
const WholeNumber = () => Type.Union([Type.Integer(), Type.String({ pattern: '^\\s*-?\\d+\\s*$' })]);
/** Product ids: numbers, or the strings get-packages returns. */
const ProductIds = () => Type.Array(Type.Union([Type.Integer(), Type.String({ pattern: '^\\s*\\d+\\s*$' })]));

/** update-account (seed 001). Members are checked, and their errors reported, in this order. */
export const UpdateItem = Type.Object({
  accountCode: Type.Optional(Text()),
  accountName: Type.Optional(Text()),
  contactEmail: Type.Optional(Text()),
  contactName: Type.Optional(Text()),
  telephone: Type.Optional(Text()),
  numberOfUsers: Type.Optional(WholeNumber()),
  products: Type.Optional(ProductIds()),
});

/** create-account. The admin password is checked for type only: partnerhub runs no Mimecast console, so it is never stored. */
export const CreateItem = Type.Object({
  accountName: Type.Optional(Text()),
  addressLine1: Type.Optional(Text()),
  city: Type.Optional(Text()),
  country: Type.Optional(Text()),
  state: Type.Optional(Text()),
  postalCode: Type.Optional(Text()),
  telephone: Type.Optional(Text()),
  contactEmail: Type.Optional(Text()),
  contactName: Type.Optional(Text()),
  adminEmail: Type.Optional(Text()),
  primaryDomain: Type.Optional(Text()),
  numberOfUsers: Type.Optional(WholeNumber()),
  products: Type.Optional(ProductIds()),
  umbrellaAccounts: Type.Optional(Type.Array(Text())),
  adminPassword: Type.Optional(Text()),
  mailPlatform: Type.Optional(Text()),
  adminRole: Type.Optional(Text()),
  companyRegistrationNumber: Type.Optional(Text()),
  forcePasswordChange: Type.Optional(Type.Boolean()),
  maximumRetention: Type.Optional(WholeNumber()),
});

const updateItem = TypeCompiler.Compile(UpdateItem);
const createItem = TypeCompiler.Compile(CreateItem);

type Read<T> = { ok: true; value: T } | { ok: false; errors: McError[] };

/**
 * An item checked against a compiled schema. Members sent as null (Python's None) mean "not given", so
 * they are left out before the check; the item itself is never changed, because a failed one is echoed.
 */
function check<T extends TSchema>(schema: TypeCheck<T>, item: unknown): Read<Static<T>> {
  const given = isObject(item) ? Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null)) : item;
  if (schema.Check(given)) return { ok: true, value: given };
  return { ok: false, errors: itemSchemaErrors(schemaIssues(schema, given)) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Blank optional text clears the field; only the account name may not be blank. */
const clearable = (v: string | undefined): string | null | undefined => (v === undefined ? undefined : v.trim() === '' ? null : v);
const whole = (v: number | string | undefined) => (v === undefined ? undefined : Number(v));

export function readUpdate(item: unknown): Read<{ accountCode: string; change: ProvisionedAccountChange }> {
  const read = check(updateItem, item);
  if (!isObject(item)) return read as Read<never>;
  // The account an update names is the face's to require: the domain is handed an account code, not an item.
  const errors = read.ok ? [] : read.errors;
  const code = item.accountCode;
  if (!errors.some((e) => e.field === 'accountCode')) {
    if (code === undefined || code === null) errors.unshift(missingField('accountCode', false));
    else if (typeof code === 'string' && code.trim() === '') errors.unshift(missingField('accountCode', true));
  }
  if (!read.ok || errors.length) return { ok: false, errors };
  const v = read.value;
  const fields: ProvisionedAccountChange['fields'] = {};
  if (v.accountName !== undefined) fields.name = v.accountName;
  if (v.contactEmail !== undefined) fields.contactEmail = clearable(v.contactEmail);
  if (v.contactName !== undefined) fields.contactName = clearable(v.contactName);
  if (v.telephone !== undefined) fields.telephone = clearable(v.telephone);
  return {
    ok: true,
    value: { accountCode: v.accountCode!.trim().toUpperCase(), change: { fields, userDelta: whole(v.numberOfUsers), productIds: v.products?.map(Number) } },
  };
}

export function readCreate(item: unknown): Read<ProvisionRequest> {
  const read = check(createItem, item);
  if (!read.ok) return read;
  const v = read.value;
  const extra: Record<string, unknown> = {};
  if (v.mailPlatform !== undefined) extra.mailPlatform = v.mailPlatform;
  if (v.adminRole !== undefined) extra.adminRole = v.adminRole;
  if (v.companyRegistrationNumber !== undefined) extra.companyRegistrationNumber = v.companyRegistrationNumber;
  if (v.forcePasswordChange !== undefined) extra.forcePasswordChange = v.forcePasswordChange;
  const value: ProvisionRequest = {
    name: v.accountName ?? null,
    addressLine1: v.addressLine1 ?? null,
    city: v.city ?? null,
    country: v.country ?? null,
    state: clearable(v.state),
    zip: clearable(v.postalCode),
    telephone: clearable(v.telephone),
    contactEmail: clearable(v.contactEmail),
    contactName: clearable(v.contactName),
    adminEmail: clearable(v.adminEmail),
    primaryDomain: clearable(v.primaryDomain),
    userCount: whole(v.numberOfUsers),
    productIds: v.products?.map(Number),
    umbrellaAccountCodes: v.umbrellaAccounts?.map((c) => c.trim().toUpperCase()),
    maximumRetention: whole(v.maximumRetention),
  };
  if (Object.keys(extra).length) value.extra = extra;
  return { ok: true, value };
}

/**
 * Runs each item as its own call, each change in its own transaction. The request fails as a whole (403)
 * only when no item succeeded and an item was refused for being outside the caller's reach; otherwise it
 * is a 200 whose `fail` lists the items that did not go through.
 */
export async function eachItem<T>(items: unknown[], read: (item: unknown) => Read<T>, run: (value: T) => Promise<unknown>): Promise<McEnvelope> {
  const data: unknown[] = [];
  const fail: McFail[] = [];
  let refused = false;
  for (const item of items) {
    const r = read(item);
    if (!r.ok) {
      fail.push({ key: item, errors: r.errors });
      continue;
    }
    try {
      data.push(await run(r.value));
    } catch (e) {
      if (!isItemFailure(e)) throw e;
      const failed = itemErrors(e);
      refused ||= failed.refused;
      fail.push({ key: item, errors: failed.errors });
    }
  }
  return envelope(data.length === 0 && refused ? 403 : 200, data, fail);
}

/** get-dashboard-notifications: the account whose dashboard is read (the caller's own when left out). */
const notificationsItem = TypeCompiler.Compile(Type.Object({ accountCode: Type.Optional(Text()) }));

export function readNotificationsItem(item: unknown): Read<{ accountCode?: string }> {
  const read = check(notificationsItem, item);
  if (!read.ok) return read;
  const code = read.value.accountCode?.trim();
  return { ok: true, value: { accountCode: code ? code.toUpperCase() : undefined } };
}

/** discover-authentication: the address whose region the client asks for. */
const discoverItem = TypeCompiler.Compile(Type.Object({ emailAddress: Type.Optional(Text()) }));

export function readDiscoverItem(item: unknown): Read<{ emailAddress: string }> {
  const read = check(discoverItem, item);
  if (!read.ok) return read;
  const address = read.value.emailAddress;
  if (address === undefined || address.trim() === '') return { ok: false, errors: [missingField('emailAddress', address !== undefined)] };
  return { ok: true, value: { emailAddress: address.trim() } };
}
