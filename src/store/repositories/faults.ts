import type { Kysely, Selectable } from 'kysely';
import type { DB, FaultRuleTable } from '../schema.js';

export type FaultRuleRow = Selectable<FaultRuleTable>;

export async function list(db: Kysely<DB>): Promise<FaultRuleRow[]> {
  return db.selectFrom('fault_rules').selectAll().orderBy('seq').execute();
}

export async function insert(db: Kysely<DB>, row: Omit<FaultRuleRow, 'seq'>): Promise<void> {
  await db.insertInto('fault_rules').values(row).execute();
}

export async function remove(db: Kysely<DB>, guid: string): Promise<boolean> {
  const r = await db.deleteFrom('fault_rules').where('guid', '=', guid).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function clear(db: Kysely<DB>): Promise<number> {
  const r = await db.deleteFrom('fault_rules').executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Takes one of a counted rule's remaining requests; false when another request (of any process) took the
 * last one. A used-up rule stays listed, with 0 remaining.
 */
export async function takeOne(db: Kysely<DB>, guid: string): Promise<boolean> {
  const r = await db.updateTable('fault_rules').set((eb) => ({ remaining: eb('remaining', '-', 1) })).where('guid', '=', guid).where('remaining', '>', 0).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

