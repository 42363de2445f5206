import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DomainContext } from './context.js';
import type { Actor } from './principal.js';
import { newGuid } from './ids.js';
import * as auditRepo from '../store/repositories/audit.js';
import { recordWebhookEvent } from './webhook-events.js';

export type AuditEntry = import('../store/records.js').AuditEntry;

export interface AuditInput {
  action: string;
  entityType: string;
  entityGuid: string;
  accountGuid: string | null;
  /** Never put a secret in before/after: the audit log is readable by operators. */
  before: unknown;
  after: unknown;
}

/** Records one mutation, inside the transaction that makes it. */
export async function recordAudit(trx: Kysely<DB>, ctx: DomainContext, actor: Actor, input: AuditInput): Promise<void> {
  // No assertTransaction here yet: changeStatus and the demo seed still pass a plain handle for a
  // one-statement change; the services that own a change assert it.
  await auditRepo.insert(trx, {
    guid: newGuid(),
    at: ctx.clock.now().toISOString(),
    actorGuid: actor.guid,
    actorEmail: actor.email,
    ...input,
  });
  // The same change's webhook event, in the same transaction: every audited change is announced.
  await recordWebhookEvent(trx, ctx, actor, input);
}

export type AuditQuery = import('../store/records.js').AuditQuery;

/** Oldest first, so the log reads as a story. */
export async function queryAudit(ctx: DomainContext, q: AuditQuery): Promise<AuditEntry[]> {
  return auditRepo.query(ctx.db, { ...q, limit: Math.min(Math.max(q.limit ?? 1000, 1), 100_000) });
}
