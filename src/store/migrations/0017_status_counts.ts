import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from './index.js';

/**
 * The CCC status search without a join or a count over every match (issue 14: 900,000 matching history
 * rows under one reseller at a million customers).
 *
 * A history row belongs to a customer when its account is neither its partner nor its reseller (a partner's
 * own row carries its own GUID as `partner_guid`, a reseller's as `reseller_guid`; paths never change), so
 * the search needs no join to `accounts` to tell customers apart: `CUSTOMER_HISTORY` says it in SQL, in the
 * same words in the partial indexes below and in the queries that must use them.
 *
 * - `status_day_counts`: how many customer history rows each (partner, reseller, day) has, kept by
 *   triggers on every insert, update and delete, whoever writes (a snapshot restore too). A date-range total
 *   is then a sum over its whole days plus an indexed count of the two partial days at its ends.
 *   PostgreSQL counts per statement (transition tables), so a multi-row insert costs one upsert per
 *   (partner, reseller, day) it touches, not one per row.
 * - Partial indexes over customer rows only: by scope and insertion order (`seq`) with the time beside it,
 *   so a page walks the scope newest first and tests the time range inside the index; by scope and time,
 *   for the partial days' counts. They replace the plain reseller, partner and time indexes of 0001, which
 *   only the search used.
 */
export const CUSTOMER_HISTORY = 'account_guid <> partner_guid and (reseller_guid is null or account_guid <> reseller_guid)';

const customerOf = (row: 'new' | 'old') => CUSTOMER_HISTORY.replace(/(account_guid|partner_guid|reseller_guid)/g, `${row}.$1`);

export const statusCounts: DialectMigration = {
  async up(db: Kysely<any>, dialect) {
    await db.schema
      .createTable('status_day_counts')
      .addColumn('partner_guid', 'text', (c) => c.notNull())
      // '' for a customer directly below its partner (a primary key column cannot hold null on PostgreSQL).
      .addColumn('reseller_guid', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('status_day_counts_pk', ['partner_guid', 'reseller_guid', 'day'])
      .execute();
    await db.schema.createIndex('status_day_counts_reseller').on('status_day_counts').columns(['reseller_guid', 'day']).execute();
    await db.schema.createIndex('status_day_counts_day').on('status_day_counts').column('day').execute();

    for (const name of ['status_history_reseller', 'status_history_partner', 'status_history_time']) await db.schema.dropIndex(name).execute();
    const partial = (name: string, columns: string[]) =>
      db.schema.createIndex(name).on('status_history').columns(columns).where(sql.raw<boolean>(CUSTOMER_HISTORY)).execute();
    await partial('status_history_customer_reseller', ['reseller_guid', 'seq', 'changed_at']);
    await partial('status_history_customer_partner', ['partner_guid', 'seq', 'changed_at']);
    await partial('status_history_customer', ['seq', 'changed_at']);
    await partial('status_history_customer_reseller_time', ['reseller_guid', 'changed_at']);
    await partial('status_history_customer_partner_time', ['partner_guid', 'changed_at']);
    await partial('status_history_customer_time', ['changed_at']);

    if (dialect === 'postgres') await postgresTriggers(db);
    else await sqliteTriggers(db);
    await sql`insert into status_day_counts (partner_guid, reseller_guid, day, n)
      select partner_guid, coalesce(reseller_guid, ''), substr(changed_at, 1, 10), count(*) from status_history
      where ${sql.raw(CUSTOMER_HISTORY)} group by partner_guid, coalesce(reseller_guid, ''), substr(changed_at, 1, 10)`.execute(db);
  },
};

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  const add = `insert into status_day_counts (partner_guid, reseller_guid, day, n)
    select new.partner_guid, coalesce(new.reseller_guid, ''), substr(new.changed_at, 1, 10), 1 where ${customerOf('new')}
    on conflict (partner_guid, reseller_guid, day) do update set n = n + 1;`;
  const remove = `update status_day_counts set n = n - 1 where ${customerOf('old')} and partner_guid = old.partner_guid
    and reseller_guid = coalesce(old.reseller_guid, '') and day = substr(old.changed_at, 1, 10);`;
  await sql`create trigger status_day_counts_insert after insert on status_history begin ${sql.raw(add)} end`.execute(db);
  await sql`create trigger status_day_counts_delete after delete on status_history begin ${sql.raw(remove)} end`.execute(db);
  await sql`create trigger status_day_counts_update after update of account_guid, partner_guid, reseller_guid, changed_at on status_history
    begin ${sql.raw(remove)} ${sql.raw(add)} end`.execute(db);
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  // One function per direction: a transition table is visible only to the trigger that declares it.
  const counted = (table: string, sign: '+' | '-') => `
    insert into status_day_counts (partner_guid, reseller_guid, day, n)
      select partner_guid, coalesce(reseller_guid, ''), substr(changed_at, 1, 10), ${sign} count(*) from ${table}
      where ${CUSTOMER_HISTORY} group by 1, 2, 3 order by 1, 2, 3
      on conflict (partner_guid, reseller_guid, day) do update set n = status_day_counts.n + excluded.n;`;
  for (const [fn, body] of [
    ['partnerhub_status_counts_added', counted('added', '+')],
    ['partnerhub_status_counts_removed', counted('removed', '-')],
    ['partnerhub_status_counts_changed', counted('removed', '-') + counted('added', '+')],
  ]) {
    await sql`create or replace function ${sql.raw(fn)}() returns trigger language plpgsql as $$
      begin ${sql.raw(body)} return null; end $$`.execute(db);
  }
  await sql`create trigger status_day_counts_insert after insert on status_history referencing new table as added
    for each statement execute function partnerhub_status_counts_added()`.execute(db);
  await sql`create trigger status_day_counts_delete after delete on status_history referencing old table as removed
    for each statement execute function partnerhub_status_counts_removed()`.execute(db);
  await sql`create trigger status_day_counts_update after update on status_history referencing old table as removed new table as added
    for each statement execute function partnerhub_status_counts_changed()`.execute(db);
}
