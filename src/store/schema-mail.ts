import type { Generated } from 'kysely';

/** Kysely table types of e-mail domains, mailboxes and aliases (migration 0010) and their spam filtering (0015). */

/** An e-mail domain: the name is unique across the system (unique index). */
export interface EmailDomainTable {
  id: Generated<number>;
  name: string;
  account_guid: string;
  is_primary: number;
  service_type: string;
  max_mailboxes: number;
  base_mailbox_size: number;
  exchange_max_mailboxes: number;
  /** JSON: spam settings and the four sender lists. */
  spam: string;
  created_at: string;
  updated_at: string;
}

export interface MailboxTable {
  id: Generated<number>;
  domain_id: number;
  name: string;
  display_name: string;
  /** scrypt$N$r$p$salt$hash: the password itself is never stored. */
  password_hash: string;
  size_mb: number;
  current_usage_mb: number;
  enabled: number;
  first_name: string;
  last_name: string;
  contact: string;
  forwarding: string;
  save_forwarded: number;
  vacation_message: string;
  vacation_enabled: number;
  spam: string;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface MailAliasTable {
  id: Generated<number>;
  domain_id: number;
  name: string;
  targets: string;
  created_at: string;
  updated_at: string;
}

/** Spam settings of a domain or a mailbox that has its own (migration 0015); the owner's id is the key. */
export interface SpamSettingsColumns {
  filter_level: string;
  handling: string;
  folder_cleaner: number;
  folder_age_limit: number;
  folder_count_limit: number;
  forwarding_address: string;
  updated_at: string;
}

export interface DomainSpamSettingsTable extends SpamSettingsColumns {
  domain_id: number;
  domain_quarantine: number;
  quarantine_owner: string;
  default_quarantine_owner: string;
}

export interface MailboxSpamSettingsTable extends SpamSettingsColumns {
  mailbox_id: number;
}

/** One entry of one of a domain's four sender lists. */
export interface DomainSpamEntryTable {
  domain_id: number;
  list: string;
  entry: string;
  created_at: string;
}

export interface MailboxSpamEntryTable {
  mailbox_id: number;
  list: string;
  entry: string;
  created_at: string;
}
