import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

export interface SnapshotInfo {
  name: string;
  createdAt: string;
  rowCount: number;
}

export async function saveSnapshot(db: Kysely<DB>, name: string, createdAt: string, rowCount: number, data: string): Promise<void> {
  await db
    .insertInto('sandbox_snapshots')
    .values({ name, created_at: createdAt, row_count: rowCount, data })
    .onConflict((oc) => oc.column('name').doUpdateSet({ created_at: createdAt, row_count: rowCount, data }))
    .execute();
}

export async function snapshotData(db: Kysely<DB>, name: string): Promise<string | undefined> {
  return (await db.selectFrom('sandbox_snapshots').select('data').where('name', '=', name).executeTakeFirst())?.data;
}

export async function listSnapshots(db: Kysely<DB>): Promise<SnapshotInfo[]> {
  const rows = await db.selectFrom('sandbox_snapshots').select(['name', 'created_at', 'row_count']).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, createdAt: r.created_at, rowCount: Number(r.row_count) }));
}

export async function deleteSnapshot(db: Kysely<DB>, name: string): Promise<boolean> {
  const r = await db.deleteFrom('sandbox_snapshots').where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
