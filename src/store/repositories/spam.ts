import type { Kysely, Selectable } from 'kysely';
import type { DB, DomainSpamSettingsTable, MailboxSpamSettingsTable } from '../schema.js';

/**
 * Spam settings and sender lists of domains and mailboxes (migration 0015). A domain or mailbox without a
 * settings row has none of its own; list entries are unique per owner and list (the primary key decides).
 */

export interface StoredSpamSettings {
  filterLevel: string;
  handling: string;
  folderCleaner: boolean;
  folderAgeLimit: number;
  folderCountLimit: number;
  forwardingAddress: string;
  updatedAt: string;
}

export interface StoredDomainSpamSettings extends StoredSpamSettings {
  domainQuarantine: boolean;
  quarantineOwner: string;
  defaultQuarantineOwner: string;
}

/** Whose list: a domain's or a mailbox's. */
export type SpamOwner = { domainId: number } | { mailboxId: number };

function toSettings(r: Selectable<DomainSpamSettingsTable> | Selectable<MailboxSpamSettingsTable>): StoredSpamSettings {
  return {
    filterLevel: r.filter_level,
    handling: r.handling,
    folderCleaner: Number(r.folder_cleaner) === 1,
    folderAgeLimit: Number(r.folder_age_limit),
    folderCountLimit: Number(r.folder_count_limit),
    forwardingAddress: r.forwarding_address,
    updatedAt: r.updated_at,
  };
}

function settingsRow(s: StoredSpamSettings) {
  return {
    filter_level: s.filterLevel,
    handling: s.handling,
    folder_cleaner: s.folderCleaner ? 1 : 0,
    folder_age_limit: s.folderAgeLimit,
    folder_count_limit: s.folderCountLimit,
    forwarding_address: s.forwardingAddress,
    updated_at: s.updatedAt,
  };
}

export async function domainSettings(db: Kysely<DB>, domainId: number): Promise<StoredDomainSpamSettings | null> {
  const r = await db.selectFrom('domain_spam_settings').selectAll().where('domain_id', '=', domainId).executeTakeFirst();
  if (!r) return null;
  return { ...toSettings(r), domainQuarantine: Number(r.domain_quarantine) === 1, quarantineOwner: r.quarantine_owner, defaultQuarantineOwner: r.default_quarantine_owner };
}

export async function saveDomainSettings(db: Kysely<DB>, domainId: number, s: StoredDomainSpamSettings): Promise<void> {
  const row = {
    ...settingsRow(s),
    domain_quarantine: s.domainQuarantine ? 1 : 0,
    quarantine_owner: s.quarantineOwner,
    default_quarantine_owner: s.defaultQuarantineOwner,
  };
  await db
    .insertInto('domain_spam_settings')
    .values({ domain_id: domainId, ...row })
    .onConflict((oc) => oc.column('domain_id').doUpdateSet(row))
    .execute();
}

export async function mailboxSettings(db: Kysely<DB>, mailboxId: number): Promise<StoredSpamSettings | null> {
  const r = await db.selectFrom('mailbox_spam_settings').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst();
  return r ? toSettings(r) : null;
}

export async function saveMailboxSettings(db: Kysely<DB>, mailboxId: number, s: StoredSpamSettings): Promise<void> {
  const row = settingsRow(s);
  await db
    .insertInto('mailbox_spam_settings')
    .values({ mailbox_id: mailboxId, ...row })
    .onConflict((oc) => oc.column('mailbox_id').doUpdateSet(row))
    .execute();
}

/** Drops the own settings of every mailbox of the domain (they follow the domain's again); how many there were. */
export async function clearMailboxSettingsOfDomain(db: Kysely<DB>, domainId: number): Promise<number> {
  const r = await db
    .deleteFrom('mailbox_spam_settings')
    .where('mailbox_id', 'in', db.selectFrom('mailboxes').select('id').where('domain_id', '=', domainId))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** A list's entries, in order. */
export async function entries(db: Kysely<DB>, owner: SpamOwner, list: string): Promise<string[]> {
  const rows =
    'domainId' in owner
      ? await db.selectFrom('domain_spam_entries').select('entry').where('domain_id', '=', owner.domainId).where('list', '=', list).orderBy('entry').execute()
      : await db.selectFrom('mailbox_spam_entries').select('entry').where('mailbox_id', '=', owner.mailboxId).where('list', '=', list).orderBy('entry').execute();
  return rows.map((r) => r.entry);
}

export async function countEntries(db: Kysely<DB>, owner: SpamOwner, list: string): Promise<number> {
  const r =
    'domainId' in owner
      ? await db
          .selectFrom('domain_spam_entries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('domain_id', '=', owner.domainId)
          .where('list', '=', list)
          .executeTakeFirstOrThrow()
      : await db
          .selectFrom('mailbox_spam_entries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('mailbox_id', '=', owner.mailboxId)
          .where('list', '=', list)
          .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Adds an entry; false when the list has it already (the primary key decides, also between concurrent adds). */
export async function addEntry(db: Kysely<DB>, owner: SpamOwner, list: string, entry: string, at: string): Promise<boolean> {
  const r =
    'domainId' in owner
      ? await db
          .insertInto('domain_spam_entries')
          .values({ domain_id: owner.domainId, list, entry, created_at: at })
          .onConflict((oc) => oc.columns(['domain_id', 'list', 'entry']).doNothing())
          .executeTakeFirst()
      : await db
          .insertInto('mailbox_spam_entries')
          .values({ mailbox_id: owner.mailboxId, list, entry, created_at: at })
          .onConflict((oc) => oc.columns(['mailbox_id', 'list', 'entry']).doNothing())
          .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes an entry; false when the list did not have it. */
export async function removeEntry(db: Kysely<DB>, owner: SpamOwner, list: string, entry: string): Promise<boolean> {
  const r =
    'domainId' in owner
      ? await db.deleteFrom('domain_spam_entries').where('domain_id', '=', owner.domainId).where('list', '=', list).where('entry', '=', entry).executeTakeFirst()
      : await db.deleteFrom('mailbox_spam_entries').where('mailbox_id', '=', owner.mailboxId).where('list', '=', list).where('entry', '=', entry).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** A renamed domain keeps its spam settings and lists: they move to the domain's new row. */
export async function moveDomainSpam(db: Kysely<DB>, fromId: number, toId: number): Promise<void> {
  await db.updateTable('domain_spam_settings').set({ domain_id: toId }).where('domain_id', '=', fromId).execute();
  await db.updateTable('domain_spam_entries').set({ domain_id: toId }).where('domain_id', '=', fromId).execute();
}
