import { Type } from '@sinclair/typebox';
import { AccountNumber, Name, fieldSet } from './domain-schemas.js';

/**
 * Schemas of the wiki pages "Domain Spam (Rest API)" and "Rackspace Mailbox Spam (Rest API)". Edit bodies are
 * flat field sets with the wiki's dotted form-field names (`rsEmail.spamHandling`); a body shaped like the
 * show document (`rsEmailSettings: {…}`, as XML or JSON) is read too. The domain judges the values.
 */

export const SpamEntryParams = Type.Object({ accountNumber: AccountNumber, domain: Name, entry: Name });
export const MailboxSpamParams = Type.Object({ accountNumber: AccountNumber, domain: Name, mailbox: Name });
export const MailboxSpamEntryParams = Type.Object({ accountNumber: AccountNumber, domain: Name, mailbox: Name, entry: Name });

export const RS_EMAIL_SPAM_FIELDS = ['spamHandling', 'hasFolderCleaner', 'spamFolderAgeLimit', 'spamFolderNumLimit', 'spamForwardingAddress'] as const;
export const EXCHANGE_SPAM_FIELDS = ['forwardToDomainQuarantine', 'quarantineOwner', 'defaultQuarantineOwner'] as const;

const rsEmailFields = RS_EMAIL_SPAM_FIELDS.map((f) => `rsEmail.${f}` as const);
export const MailboxSpamBody = fieldSet(['filterLevel', ...rsEmailFields, 'rsEmailSettings'] as const);
export const DomainSpamBody = fieldSet(['filterLevel', 'overrideUserSettings', ...rsEmailFields, ...EXCHANGE_SPAM_FIELDS.map((f) => `exchange.${f}` as const), 'rsEmailSettings', 'exchangeSettings'] as const);

// ---- responses (JSON in the wiki's key order; the XML is written in the wiki's element order, see spam-views.ts)

export const DomainSpamSettingsDocument = Type.Object({
  filterLevel: Type.String(),
  rsEmailSettings: Type.Object({
    spamHandling: Type.String(),
    hasFolderCleaner: Type.Boolean(),
    spamFolderAgeLimit: Type.Integer(),
    spamFolderNumLimit: Type.Integer(),
    spamForwardingAddress: Type.String(),
  }),
  exchangeSettings: Type.Object({ forwardToDomainQuarantine: Type.String(), quarantineOwner: Type.String(), defaultQuarantineOwner: Type.String() }),
});

/** The mailbox page's JSON example lists spamHandling last (its XML example, first). */
export const MailboxSpamSettingsDocument = Type.Object({
  filterLevel: Type.String(),
  rsEmailSettings: Type.Object({
    hasFolderCleaner: Type.Boolean(),
    spamFolderAgeLimit: Type.Integer(),
    spamFolderNumLimit: Type.Integer(),
    spamForwardingAddress: Type.String(),
    spamHandling: Type.String(),
  }),
});

export const SpamListDocument = Type.Object({ addresses: Type.Array(Type.String()) });
