import type { ColumnType, Generated } from 'kysely';

/** Kysely table types of the sandbox: its state, snapshots, fault rules, request journal and webhooks (migrations 0012, 0013). */

/** Named values of the sandbox every process agrees on: the operator token's hash, the test clock. */
export interface SandboxStateTable {
  name: string;
  /** JSON. */
  value: string;
  updated_at: string;
}

/** A whole-store state saved by `sandbox snapshot save` (and the baseline `sandbox reset` returns to). */
export interface SandboxSnapshotTable {
  name: string;
  created_at: string;
  row_count: number;
  /** JSON: every table's rows by table name. */
  data: string;
}

/** A sandbox fault rule (migration 0013): which requests fail, and how. */
export interface FaultRuleTable {
  seq: Generated<number>;
  guid: string;
  face: string | null;
  method: string | null;
  path: string | null;
  principal_guid: string | null;
  action_json: string;
  remaining: number | null;
  probability: number | null;
  seed: string | null;
  created_at: string;
}

/** One journaled request and its response, secrets replaced (migration 0013). */
export interface RequestJournalTable {
  seq: Generated<number>;
  at: string;
  request_id: string;
  face: string | null;
  principal_guid: string | null;
  method: string;
  path: string;
  query: string | null;
  operation: string | null;
  status: number;
  duration_ms: number;
  request_json: string;
  response_json: string;
}

export interface WebhookSubscriptionTable {
  seq: Generated<number>;
  guid: string;
  principal_guid: string;
  account_guid: string;
  account_path: string;
  url: string;
  events_json: string;
  secret_sealed: string;
  after_event_seq: number;
  created_at: string;
}

/** The webhook outbox: one row per event, written in the transaction of the change. */
export interface WebhookEventTable {
  seq: Generated<number>;
  guid: string;
  at: string;
  type: string;
  account_guid: string;
  payload_json: string;
}

export interface WebhookDeliveryTable {
  seq: Generated<number>;
  guid: string;
  event_seq: number;
  subscription_guid: string;
  account_guid: string;
  state: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  created_at: string;
  finished_at: string | null;
}

export interface WebhookAttemptTable {
  seq: Generated<number>;
  delivery_guid: string;
  attempt: number;
  at: string;
  status: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhookCursorTable {
  name: string;
  last_event_seq: number;
}

