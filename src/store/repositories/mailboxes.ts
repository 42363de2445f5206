import type { Kysely, Selectable } from 'kysely';
import type { DB, MailboxTable } from '../schema.js';

/** A mailbox as stored: the password only as its hash; lists and settings as JSON text. */
export interface StoredMailbox {
  id: number;
  domainId: number;
  name: string;
  displayName: string;
  passwordHash: string;
  sizeMb: number;
  currentUsageMb: number;
  enabled: boolean;
  firstName: string;
  lastName: string;
  contact: string;
  forwarding: string;
  saveForwarded: boolean;
  vacationMessage: string;
  vacationEnabled: boolean;
  spam: string;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

function toMailbox(r: Selectable<MailboxTable>): StoredMailbox {
  return {
    id: Number(r.id),
    domainId: Number(r.domain_id),
    name: r.name,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    sizeMb: Number(r.size_mb),
    currentUsageMb: Number(r.current_usage_mb),
    enabled: Number(r.enabled) === 1,
    firstName: r.first_name,
    lastName: r.last_name,
    contact: r.contact,
    forwarding: r.forwarding,
    saveForwarded: Number(r.save_forwarded) === 1,
    vacationMessage: r.vacation_message,
    vacationEnabled: Number(r.vacation_enabled) === 1,
    spam: r.spam,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastLoginAt: r.last_login_at,
  };
}

function row(m: Omit<StoredMailbox, 'id'>) {
  return {
    domain_id: m.domainId,
    name: m.name,
    display_name: m.displayName,
    password_hash: m.passwordHash,
    size_mb: m.sizeMb,
    current_usage_mb: m.currentUsageMb,
    enabled: m.enabled ? 1 : 0,
    first_name: m.firstName,
    last_name: m.lastName,
    contact: m.contact,
    forwarding: m.forwarding,
    save_forwarded: m.saveForwarded ? 1 : 0,
    vacation_message: m.vacationMessage,
    vacation_enabled: m.vacationEnabled ? 1 : 0,
    spam: m.spam,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    last_login_at: m.lastLoginAt,
  };
}

export async function insert(db: Kysely<DB>, m: Omit<StoredMailbox, 'id'>): Promise<StoredMailbox> {
  const r = await db.insertInto('mailboxes').values(row(m)).returning('id').executeTakeFirstOrThrow();
  return { ...m, id: Number(r.id) };
}

export async function update(db: Kysely<DB>, m: StoredMailbox): Promise<void> {
  const { domain_id: _d, created_at: _c, ...set } = row(m);
  await db.updateTable('mailboxes').set(set).where('id', '=', m.id).execute();
}

export async function remove(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('mailboxes').where('id', '=', id).execute();
}

export async function removeOfDomain(db: Kysely<DB>, domainId: number): Promise<void> {
  await db.deleteFrom('mailboxes').where('domain_id', '=', domainId).execute();
}

export async function find(db: Kysely<DB>, domainId: number, name: string): Promise<StoredMailbox | null> {
  const r = await db.selectFrom('mailboxes').selectAll().where('domain_id', '=', domainId).where('name', '=', name).executeTakeFirst();
  return r ? toMailbox(r) : null;
}

export async function count(db: Kysely<DB>, domainId: number): Promise<{ total: number; enabled: number }> {
  const r = await db
    .selectFrom('mailboxes')
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>('enabled').as('enabled')])
    .where('domain_id', '=', domainId)
    .executeTakeFirstOrThrow();
  return { total: Number(r.total), enabled: Number(r.enabled ?? 0) };
}

/** Mailboxes of a domain by name, optionally only enabled or only disabled ones. */
export async function page(db: Kysely<DB>, domainId: number, enabled: boolean | undefined, limit: number, offset: number): Promise<{ total: number; items: StoredMailbox[] }> {
  let q = db.selectFrom('mailboxes').where('domain_id', '=', domainId);
  if (enabled !== undefined) q = q.where('enabled', '=', enabled ? 1 : 0);
  const n = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = limit === 0 ? [] : await q.selectAll().orderBy('name').limit(limit).offset(offset).execute();
  return { total: Number(n.n), items: rows.map(toMailbox) };
}

/** Which of these names are mailboxes of the domain. */
export async function existing(db: Kysely<DB>, domainId: number, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.selectFrom('mailboxes').select('name').where('domain_id', '=', domainId).where('name', 'in', names).execute();
  return new Set(rows.map((r) => r.name));
}

/** Megabytes the domain's mailboxes use together. */
export async function usedStorage(db: Kysely<DB>, domainId: number): Promise<number> {
  const r = await db.selectFrom('mailboxes').select((eb) => eb.fn.sum<number>('current_usage_mb').as('used')).where('domain_id', '=', domainId).executeTakeFirstOrThrow();
  return Number(r.used ?? 0);
}
