import type { Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * Secondary indexes a bulk load dropped and has yet to build again (`demo --scale`, src/store/repositories/
 * bulk.ts): each index's name and its own definition as the database printed it. The load builds them after
 * its last batch; a load that was killed first leaves them here, and the next open of the store builds them.
 */
export const deferredIndexes: DialectMigration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('deferred_indexes')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('definition', 'text', (c) => c.notNull())
      .execute();
  },
};
