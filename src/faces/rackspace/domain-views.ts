import type { EmailDomain } from '../../domain/email-domain.js';
import type { Mailbox, MailboxInput } from '../../domain/mailbox.js';
import type { MailAlias } from '../../domain/alias.js';
import type { DomainSettings } from '../../domain/email-domain.js';
import { dotNetDate } from './xml.js';
import type { Version } from './views.js';

/** Domains, mailboxes and aliases in the words of the vendor's wiki, and its fields in the domain's. */

export function domainSummary(d: EmailDomain, version: Version) {
  const base = { name: d.name, accountNumber: d.accountNumber, serviceType: d.serviceType };
  return version === 'v0' ? base : { ...base, exchangeMaxNumMailboxes: d.exchangeMaxMailboxes, rsEmailMaxNumberMailboxes: d.maxMailboxes };
}

export function domainDocument(d: EmailDomain & { usedStorageMb?: number }) {
  return {
    name: d.name,
    accountNumber: d.accountNumber,
    serviceType: d.serviceType,
    exchangeExtraStorage: 0,
    exchangeMaxNumMailboxes: d.exchangeMaxMailboxes,
    rsEmailBaseMailboxSize: d.baseMailboxSize,
    rsEmailMaxNumberMailboxes: d.maxMailboxes,
    rsEmailExtraStorage: 0,
    rsEmailUsedStorage: d.usedStorageMb ?? 0,
    // Domain aliases (alternate domains) are not modelled: the list is always empty.
    aliases: [] as string[],
    archivingServiceEnabled: false,
    publicFoldersEnabled: false,
  };
}

export const MAILBOX_LIST_FIELDS = ['size', 'currentUsage', 'enabled', 'createdDate', 'lastLogin'] as const;
export type MailboxListField = (typeof MAILBOX_LIST_FIELDS)[number];

const date = (iso: string | null) => (iso === null ? null : dotNetDate(new Date(iso)));

/** An index entry: name and display name, then the `fields` asked for, in the wiki's order. */
export function mailboxSummary(m: Mailbox, fields: ReadonlySet<MailboxListField>) {
  const all: Record<MailboxListField, unknown> = {
    size: m.sizeMb,
    currentUsage: m.currentUsageMb,
    enabled: m.enabled,
    createdDate: date(m.createdAt),
    lastLogin: date(m.lastLoginAt),
  };
  const out: Record<string, unknown> = { name: m.name, displayName: m.displayName };
  for (const f of MAILBOX_LIST_FIELDS) if (fields.has(f)) out[f] = all[f];
  return out;
}

export function mailboxDocument(m: Mailbox) {
  return {
    name: m.name,
    size: m.sizeMb,
    currentUsage: m.currentUsageMb,
    vacationMessage: m.vacationMessage,
    enableVacationMessage: m.vacationEnabled,
    emailForwardingAddressList: m.forwardingAddresses,
    saveForwardedEmail: m.saveForwardedEmail,
    contactInfo: { lastName: m.lastName, firstName: m.firstName },
    displayName: m.displayName,
    enabled: m.enabled,
    createdDate: dotNetDate(new Date(m.createdAt)),
    lastLogin: date(m.lastLoginAt),
  };
}

export const aliasList = (items: MailAlias[]) => ({ aliases: items.map((a) => ({ name: a.name, numberOfMembers: a.addresses.length })) });
export const aliasDocument = (a: MailAlias) => ({ name: a.name, emailAddressList: a.addresses });

/** The XML names of list items, by the list's element. */
export const XML_ITEMS = { domains: 'domain', rsMailboxes: 'rsMailbox', aliases: 'alias', emailForwardingAddressList: 'emailAddress', emailAddressList: 'emailAddress' };

export function domainSettings(body: Record<string, unknown>): DomainSettings {
  return {
    serviceType: body.serviceType,
    maxMailboxes: body.rsEmailMaxNumberMailboxes,
    baseMailboxSize: body.rsEmailBaseMailboxSize,
    exchangeMaxMailboxes: body.exchangeMaxNumMailboxes,
  };
}

export function mailboxInput(body: Record<string, unknown>): MailboxInput {
  return {
    password: body.password,
    displayName: body.displayName,
    size: body.size,
    enabled: body.enabled,
    firstName: body.firstName,
    lastName: body.lastName,
    forwardingAddresses: body.emailForwardingAddresses,
    saveForwardedEmail: body.saveForwardedEmail,
    vacationMessage: body.vacationMessage,
    vacationEnabled: body.enableVacationMessage,
  };
}
