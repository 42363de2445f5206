import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * The billing run reads a reseller's customers in account-number order, numbers compared as numbers (shorter
 * first, then by text), a page at a time. Without an index in that order every page re-read and sorted the
 * whole reseller, so a run grew with the square of its customers; with it a page is one range of the index.
 * The expression is spelled exactly as the query spells it (both stores match it textually).
 */
export const billingOrder: DialectMigration = {
  async up(db: Kysely<any>) {
    await sql`create index accounts_parent_number_length on accounts (parent_guid, length(account_number), account_number)`.execute(db);
  },
};
