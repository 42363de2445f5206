import type { ColumnType, Generated } from 'kysely';
import type { DomainSpamEntryTable, DomainSpamSettingsTable, EmailDomainTable, MailAliasTable, MailboxSpamEntryTable, MailboxSpamSettingsTable, MailboxTable } from './schema-mail.js';
import type { SandboxStateTable, SandboxSnapshotTable, FaultRuleTable, RequestJournalTable, WebhookSubscriptionTable, WebhookEventTable, WebhookDeliveryTable, WebhookAttemptTable, WebhookCursorTable } from './schema-sandbox.js';

export type { DomainSpamEntryTable, DomainSpamSettingsTable, EmailDomainTable, MailAliasTable, MailboxSpamEntryTable, MailboxSpamSettingsTable, MailboxTable } from './schema-mail.js';
export type { SandboxStateTable, SandboxSnapshotTable, FaultRuleTable, RequestJournalTable, WebhookSubscriptionTable, WebhookEventTable, WebhookDeliveryTable, WebhookAttemptTable, WebhookCursorTable } from './schema-sandbox.js';

/**
 * Kysely table types. Timestamps are ISO 8601 UTC strings with milliseconds in both dialects, so they
 * sort as text and round-trip unchanged; GUIDs are 32 lowercase hex digits.
 */

export interface AccountTable {
  guid: string;
  parent_guid: string | null;
  /** Materialized path of GUIDs, '/partner/reseller/customer/': subtree checks are a prefix match. */
  path: string;
  kind: 'partner' | 'reseller' | 'customer';
  name: string;
  name_lower: string;
  reference_number: string | null;
  /** Lower-cased reference number ('' when none), for prefix search. */
  reference_lower: string;
  account_number: string;
  account_code: string;
  mimecast_id: string;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
  phone: string | null;
  email: string | null;
  contact_name: string | null;
  contact_email: string | null;
  telephone: string | null;
  user_count: number;
  primary_domain: string | null;
  temporary_domain: string;
  admin_email: string | null;
  hosting_jurisdiction: string | null;
  support_jurisdiction: string | null;
  support_package: string | null;
  customer_advocate: string | null;
  customer_development_manager: string | null;
  main_product: string | null;
  renewal_date: string | null;
  office_phone: string | null;
  support_mailto: string | null;
  /** Fields only one face carries (mail platform, retention, company registration, website …), as JSON. */
  extra: string;
  service_status: string;
  status_changed_at: string;
  trial_started_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ProductTable {
  id: number;
  name: string;
  package_label: string;
  /** Monthly rate per user, as a decimal string (money is never a float in the store). */
  monthly_rate: string;
}

export interface AccountProductTable {
  account_guid: string;
  product_id: number;
}

export interface PrincipalTable {
  guid: string;
  account_guid: string;
  email: string;
  name: string;
  /** JSON array of role names. */
  roles: string;
  created_at: string;
  disabled_at: string | null;
}

export interface CredentialTable {
  guid: string;
  principal_guid: string;
  kind: 'mimecast' | 'rackspace' | 'ccc';
  /** What the client sends to name the credential: Mimecast access key, Rackspace user key; null for CCC. */
  public_id: string | null;
  /** Secret sealed with the configured key (Mimecast secret key, Rackspace secret key). */
  secret_sealed: string | null;
  /** SHA-256 of secrets that only need comparing (CCC API key). */
  secret_hash: string | null;
  app_id: string | null;
  app_key_sealed: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface StatusHistoryTable {
  seq: Generated<number>;
  guid: string;
  account_guid: string;
  reseller_guid: string | null;
  partner_guid: string | null;
  old_status: string | null;
  new_status: string;
  changed_at: string;
  changed_by_guid: string;
  changed_by_email: string;
  operation_guid: string;
  /** Number of users when the change happened (the service usage snapshot). */
  user_count: number;
  reason: string | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  guid: string;
  at: string;
  actor_guid: string;
  actor_email: string;
  action: string;
  entity_type: string;
  entity_guid: string;
  account_guid: string | null;
  before_json: string | null;
  after_json: string | null;
}

export interface CounterTable {
  name: string;
  value: ColumnType<number, number, number>;
}

/**
 * One row per rate-limit key, kept by one atomic upsert so several processes sharing the store agree:
 * the counted hits still in the key's window (epoch ms, oldest first, at most its limit; a bigint[] on
 * PostgreSQL, JSON text on SQLite), the verdict on the latest hit and when it came.
 */
export interface RateKeyTable {
  key: string;
  times: ColumnType<string | number[], never, never>;
  allowed: ColumnType<boolean | number, never, never>;
  last_at: ColumnType<number | string, never, never>;
}

export interface JobLeaseTable {
  name: string;
  holder: string | null;
  lease_until: string | null;
  last_run_at: string | null;
}

// --- billing (contacts, user-count history, invoices) ---
export interface ContactTable {
  id: Generated<number>;
  account_guid: string;
  name: string;
  email: string;
  phone: string;
  receives_alerts: number;
  receives_billing: number;
  receives_updates: number;
  security_question: string;
  security_answer_sealed: string;
  created_at: string;
  updated_at: string;
}

export interface UserCountChangeTable {
  seq: Generated<number>;
  account_guid: string;
  changed_at: string;
  old_count: number;
  new_count: number;
  changed_by_guid: string;
}

export interface InvoiceTable {
  id: Generated<number>;
  billing_account_guid: string;
  /** YYYY-MM. */
  period: string;
  invoice_type: string;
  invoice_date: string;
  total_due_cents: number;
  line_count: number;
  csv_available: number;
  is_paid: number;
  paid_at: string | null;
  created_at: string;
}

export interface InvoiceLineTable {
  invoice_id: number;
  line_no: number;
  account_guid: string;
  account_number: string;
  reference_number: string | null;
  domain: string;
  product_id: number;
  product_name: string;
  line_type: string;
  service_start: string;
  service_end: string;
  committed_usage: number;
  current_usage: number;
  usage_change: number;
  months_hundredths: number;
  rate: string;
  charge_cents: number;
}

export interface BillingRunTable {
  period: string;
  completed_at: string;
  invoices_issued: number;
}

/** Control-panel login tokens (Rackspace loginToken): only the SHA-256 of the token is stored. */
export interface LoginTokenTable {
  token_hash: string;
  account_guid: string;
  /** The name the token logs in as: `<userName>_<accountNumber>_vu` for a virtual user. */
  user_name: string;
  virtual_user: number;
  /** The existing admin user a non-virtual token logs in as. */
  principal_guid: string | null;
  issued_by_guid: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Control-panel sessions: the cookie's session id is stored only as its SHA-256. */
export interface PanelSessionTable {
  id_hash: string;
  account_guid: string;
  user_name: string;
  virtual_user: number;
  principal_guid: string | null;
  /** JSON array of the roles a virtual user signed in with. */
  roles: string;
  created_at: string;
  last_seen_at: string;
}

/** Bearer tokens of Mimecast API 2.0: only the SHA-256 of the token is stored. */
export interface AccessTokenTable {
  token_hash: string;
  credential_guid: string;
  created_at: string;
  expires_at: string;
}

/** Notices an operator shows on an account's dashboard (Mimecast get-dashboard-notifications). */
export interface DashboardNotificationTable {
  guid: string;
  account_guid: string;
  title: string;
  message: string;
  notice_type: string;
  warning_level: string;
  visible_from: string;
  enabled: number;
  created_at: string;
}

/** One account's service usage on one UTC day (CCC ServiceUsage counters). */
export interface ServiceUsageDailyTable {
  account_guid: string;
  day: string;
  total_users: number;
  pro_users: number;
  guest_users: number;
  disabled_users: number;
  unregistered_users: number;
  secure_messaging_gateway: number;
  secure_messaging_plus: number;
  data_leak_prevention: number;
  secure_large_files: number;
  secure_forms: number;
  messages: number;
  attachments: number;
  attachment_storage_bytes: number;
  imported_at: string;
}

/** Live children per parent and kind, kept by triggers (migration 0014). */
export interface AccountChildrenTable {
  parent_guid: string;
  kind: 'partner' | 'reseller' | 'customer';
  live: number;
}

/** Customer history rows per partner, reseller ('' for none) and day (`YYYY-MM-DD`), kept by triggers (migration 0017). */
export interface StatusDayCountTable {
  partner_guid: string;
  reseller_guid: string;
  day: string;
  n: number;
}

export interface DB {
  accounts: AccountTable;
  account_children: AccountChildrenTable;
  status_day_counts: StatusDayCountTable;
  products: ProductTable;
  account_products: AccountProductTable;
  principals: PrincipalTable;
  credentials: CredentialTable;
  status_history: StatusHistoryTable;
  audit_log: AuditLogTable;
  counters: CounterTable;
  rate_keys: RateKeyTable;
  job_leases: JobLeaseTable;
  contacts: ContactTable;
  user_count_changes: UserCountChangeTable;
  invoices: InvoiceTable;
  invoice_lines: InvoiceLineTable;
  billing_runs: BillingRunTable;
  login_tokens: LoginTokenTable;
  service_usage_daily: ServiceUsageDailyTable;
  panel_sessions: PanelSessionTable;
  access_tokens: AccessTokenTable;
  dashboard_notifications: DashboardNotificationTable;
  email_domains: EmailDomainTable;
  mailboxes: MailboxTable;
  mail_aliases: MailAliasTable;
  domain_spam_settings: DomainSpamSettingsTable;
  mailbox_spam_settings: MailboxSpamSettingsTable;
  domain_spam_entries: DomainSpamEntryTable;
  mailbox_spam_entries: MailboxSpamEntryTable;
  sandbox_state: SandboxStateTable;
  sandbox_snapshots: SandboxSnapshotTable;
  fault_rules: FaultRuleTable;
  request_journal: RequestJournalTable;
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  webhook_cursor: WebhookCursorTable;
  deferred_indexes: DeferredIndexTable;
}

/** A secondary index a bulk load dropped, to be built again from its definition (migration 0016). */
export interface DeferredIndexTable {
  name: string;
  definition: string;
}
