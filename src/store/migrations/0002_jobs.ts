import type { Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/** Leases for scheduled jobs, so one runner at a time runs each job even with several server processes. */
export const jobLeases: DialectMigration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('job_leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('last_run_at', 'text')
      .execute();
  },
};
