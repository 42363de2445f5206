import type { Generated } from 'kysely';

/** Kysely table types of e-mail domains, mailboxes and aliases (migration 0010). */

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
