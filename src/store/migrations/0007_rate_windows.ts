import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * Rate windows kept in one row per key, so a hit is one atomic upsert instead of a locked
 * prune-count-insert over an event log: `times` holds the counted hits still in the key's window (at
 * most its limit, oldest first; a bigint[] on PostgreSQL, a JSON array on SQLite), `allowed` the verdict
 * on the latest hit, `last_at` when that hit came (the pruning job's index). Rows left from the old log
 * start empty: their keys have no hit in any window, which is what a pruned log would say soon anyway.
 */
export const rateWindows: DialectMigration = {
  async up(db: Kysely<any>, dialect) {
    const times = sql.raw(dialect === 'postgres' ? 'bigint[]' : 'text');
    const empty = dialect === 'postgres' ? `'{}'` : `'[]'`;
    await db.schema.alterTable('rate_keys').addColumn('times', times, (c) => c.notNull().defaultTo(sql.raw(empty))).execute();
    await db.schema.alterTable('rate_keys').addColumn('allowed', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
    await db.schema.alterTable('rate_keys').addColumn('last_at', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('rate_keys_last_at').on('rate_keys').column('last_at').execute();
    await db.schema.dropTable('rate_events').execute();
  },
};
