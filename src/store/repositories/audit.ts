import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { AuditEntry, AuditQuery } from '../records.js';

export async function insert(db: Kysely<DB>, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      guid: e.guid,
      at: e.at,
      actor_guid: e.actorGuid,
      actor_email: e.actorEmail,
      action: e.action,
      entity_type: e.entityType,
      entity_guid: e.entityGuid,
      account_guid: e.accountGuid,
      before_json: e.before === null || e.before === undefined ? null : JSON.stringify(e.before),
      after_json: e.after === null || e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute();
}

export async function query(db: Kysely<DB>, q: AuditQuery & { limit: number }): Promise<AuditEntry[]> {
  let sel = db.selectFrom('audit_log').selectAll();
  if (q.accountGuid) sel = sel.where('account_guid', '=', q.accountGuid);
  if (q.since) sel = sel.where('at', '>=', q.since);
  const rows = await sel.orderBy('seq').limit(q.limit).execute();
  return rows.map((r) => ({
    guid: r.guid,
    at: r.at,
    actorGuid: r.actor_guid,
    actorEmail: r.actor_email,
    action: r.action,
    entityType: r.entity_type,
    entityGuid: r.entity_guid,
    accountGuid: r.account_guid,
    before: r.before_json ? JSON.parse(r.before_json) : null,
    after: r.after_json ? JSON.parse(r.after_json) : null,
  }));
}
