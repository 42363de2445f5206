import type { Account, AccountFields } from '../../domain/account.js';
import type { Contact, ContactInput } from '../../domain/contact.js';
import type { InvoiceSummary } from '../../domain/billing.js';
import type { IssuedLoginToken } from '../../domain/login-token.js';
import { dotNetDate } from './xml.js';

/** The domain's records in Rackspace's words, and Rackspace's fields in the domain's. */

export type Version = 'v0' | 'v1';

/** Index entries, v0 shows and v0 adds: name, account number and reference number. */
export function customerSummary(a: Account) {
  return { name: a.name, accountNumber: a.accountNumber, referenceNumber: a.referenceNumber };
}

/** A customer as one version shows it: v1 adds the address, phone and e-mail fields. */
export function customerDocument(a: Account, version: Version) {
  if (version === 'v0') return customerSummary(a);
  return {
    ...customerSummary(a),
    addressLine1: a.addressLine1,
    addressLine2: a.addressLine2,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country,
    phone: a.phone,
    email: a.email,
  };
}

/** A field value as text: numbers as their text, null and absence as they are. */
export function text(v: string | number | null | undefined): string | null | undefined {
  return typeof v === 'number' ? String(v) : v;
}

/** A flag: true or false in any letter case; absent, null or empty is false. */
export function flag(v: string | boolean | null | undefined): boolean {
  return typeof v === 'string' ? v.trim().toLowerCase() === 'true' : v === true;
}

/** The fields a version takes; an empty optional field means "none", an empty name stays so validation names it. */
export function accountFields(body: Record<string, string | number | null | undefined>, names: readonly string[]): AccountFields {
  const out: Record<string, string | null> = {};
  for (const name of names) {
    const v = text(body[name]);
    if (v === undefined) continue;
    out[name] = name !== 'name' && v === '' ? null : v;
  }
  return out as AccountFields;
}

export function loginTokenDocument(issued: IssuedLoginToken) {
  return { user: issued.user, token: issued.token, dateCreated: dotNetDate(new Date(issued.createdAt)) };
}

/** v2 wire names to the domain's; values pass through as sent, so the domain reports what is missing or wrong. */
export function contactInput(body: Record<string, unknown>): ContactInput {
  return {
    name: body.Name,
    email: body.Email,
    phone: body.Phone,
    receivesAlerts: body.ReceivesAlerts,
    receivesBilling: body.ReceivesBilling,
    receivesUpdates: body.ReceivesUpdates,
    securityQuestion: body.SecurityQuestion,
    securityAnswer: body.SecurityAnswer,
  };
}

export function contactDocument(c: Contact) {
  return {
    CustomerNumber: c.accountNumber,
    Email: c.email,
    Id: String(c.id),
    Name: c.name,
    Phone: c.phone,
    ReceivesAlerts: c.receivesAlerts,
    ReceivesBilling: c.receivesBilling,
    ReceivesUpdates: c.receivesUpdates,
    SecurityAnswer: c.securityAnswer,
    SecurityQuestion: c.securityQuestion,
  };
}

export function invoiceDocument(i: InvoiceSummary) {
  return {
    InvoiceId: String(i.id),
    InvoiceDate: i.invoiceDate.slice(0, 19),
    InvoiceType: i.invoiceType,
    TotalDue: i.totalDue,
    IsPaid: i.isPaid,
    CsvAvailable: i.csvAvailable,
  };
}

/** A v2 list: the size and offset asked for, the total, the items. */
export function v2List<T, D>(page: { size: number; offset: number; total: number; items: T[] }, doc: (item: T) => D) {
  return { Size: page.size, Offset: page.offset, Total: page.total, Items: page.items.map(doc) };
}
