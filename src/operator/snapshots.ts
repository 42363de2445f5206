import type { DomainContext } from '../domain/context.js';
import { inTransaction } from '../domain/context.js';
import { DomainError, ErrorCode } from '../domain/errors.js';
import { ANY_CHANGE, type ChangeFeed } from '../store/changes.js';
import { announceEverything, countRowsUpTo, dataTables, readAll, replaceAll, type TableRows } from '../store/repositories/whole-store.js';
import * as snapshotsRepo from '../store/repositories/snapshots.js';
import { getState, putState } from '../store/repositories/sandbox-state.js';
import { CLOCK_STATE, type ClockState } from './clock.js';

/**
 * Whole-store states: every data table's rows (credentials included, sealed as stored) and the test clock,
 * kept in the store itself (`sandbox_snapshots`), so any process can restore what another saved. A restore
 * replaces every table in one transaction and then announces "anything may have changed" on the change
 * feed, so every process's caches (authentication, the test clock) start over. `reset` restores the
 * baseline: the state saved after the fixtures or the demo were loaded.
 */
export const BASELINE = '@baseline';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface SnapshotDocument {
  version: 1;
  tables: TableRows;
  clock: ClockState | null;
}

export type SnapshotInfo = snapshotsRepo.SnapshotInfo;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new DomainError(ErrorCode.Validation, `a snapshot name is 1 to 64 letters, digits, dots, dashes and underscores, starting with a letter or digit: "${name}"`);
}

/**
 * A snapshot is the whole store as one JSON document: right for a sandbox's few thousand rows, not for a
 * store `demo --scale` filled (a million customers are some 15 million rows, gigabytes of JSON).
 */
export const SNAPSHOT_MAX_ROWS = 250_000;

async function save(ctx: DomainContext, name: string, maxRows: number): Promise<SnapshotInfo> {
  const plan = await dataTables(ctx.db, ctx.dialect);
  if ((await countRowsUpTo(ctx.db, plan.tables, maxRows)) > maxRows) {
    throw new DomainError(ErrorCode.LimitReached, `the store holds more than ${maxRows.toLocaleString('en-US')} rows: too large for a snapshot, which keeps the whole store as one document`, { resource: 'snapshot' });
  }
  // One transaction: a consistent view of every table.
  const tables = await ctx.db.transaction().execute((trx) => readAll(trx, plan.tables));
  const doc: SnapshotDocument = { version: 1, tables, clock: (await getState<ClockState>(ctx.db, CLOCK_STATE)) ?? null };
  const rowCount = Object.values(tables).reduce((n, rows) => n + rows.length, 0);
  const createdAt = ctx.clock.now().toISOString();
  await snapshotsRepo.saveSnapshot(ctx.db, name, createdAt, rowCount, JSON.stringify(doc));
  return { name, createdAt, rowCount };
}

export function saveSnapshot(ctx: DomainContext, name: string, maxRows = SNAPSHOT_MAX_ROWS): Promise<SnapshotInfo> {
  checkName(name);
  return save(ctx, name, maxRows);
}

/** The state `reset` returns to: taken after the fixtures or the demo were loaded. */
export function saveBaseline(ctx: DomainContext, maxRows = SNAPSHOT_MAX_ROWS): Promise<SnapshotInfo> {
  return save(ctx, BASELINE, maxRows);
}

export async function hasBaseline(ctx: DomainContext): Promise<boolean> {
  return (await snapshotsRepo.listSnapshots(ctx.db)).some((s) => s.name === BASELINE);
}

export interface Restored {
  name: string;
  rowCount: number;
  ms: number;
}

async function restore(ctx: DomainContext, changes: ChangeFeed, name: string): Promise<Restored> {
  const started = performance.now();
  const text = await snapshotsRepo.snapshotData(ctx.db, name);
  if (text === undefined) throw new DomainError(ErrorCode.NotFound, name === BASELINE ? 'there is no baseline to reset to (start the server with --fixtures or --demo, or save a snapshot)' : `no snapshot "${name}"`, { resource: 'snapshot' });
  const doc = JSON.parse(text) as SnapshotDocument;
  const plan = await dataTables(ctx.db, ctx.dialect);
  const rowCount = await inTransaction(ctx, async (trx) => {
    const n = await replaceAll(trx, ctx.dialect, plan, doc.tables);
    await putState(trx, CLOCK_STATE, doc.clock ?? { offsetMs: 0, frozenAt: null }, new Date().toISOString());
    await announceEverything(trx, ctx.dialect);
    return n;
  });
  // This process hears at once; the others through the store (PostgreSQL NOTIFY, SQLite's data_version).
  changes.emit(ANY_CHANGE);
  await ctx.clock.refresh?.();
  return { name, rowCount, ms: Math.round(performance.now() - started) };
}

export function restoreSnapshot(ctx: DomainContext, changes: ChangeFeed, name: string): Promise<Restored> {
  checkName(name);
  return restore(ctx, changes, name);
}

/** Back to the loaded fixtures (or the demo). */
export function resetStore(ctx: DomainContext, changes: ChangeFeed): Promise<Restored> {
  return restore(ctx, changes, BASELINE);
}

export function listSnapshots(ctx: DomainContext): Promise<SnapshotInfo[]> {
  return snapshotsRepo.listSnapshots(ctx.db);
}

export async function deleteSnapshot(ctx: DomainContext, name: string): Promise<void> {
  checkName(name);
  if (!(await snapshotsRepo.deleteSnapshot(ctx.db, name))) throw new DomainError(ErrorCode.NotFound, `no snapshot "${name}"`, { resource: 'snapshot' });
}
