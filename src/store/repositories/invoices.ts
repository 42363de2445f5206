import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, InvoiceLineTable, InvoiceTable } from '../schema.js';
import type { Account, AccountKind } from '../records.js';
import { toAccount } from './accounts.js';

export type InvoiceRow = Selectable<InvoiceTable>;
export type InvoiceLineRow = Selectable<InvoiceLineTable>;
export type NewInvoiceLine = InvoiceLineTable;

export async function insertInvoice(
  db: Kysely<DB>,
  v: { billingAccountGuid: string; period: string; invoiceType: string; invoiceDate: string; createdAt: string },
): Promise<number> {
  const r = await db
    .insertInto('invoices')
    .values({
      billing_account_guid: v.billingAccountGuid,
      period: v.period,
      invoice_type: v.invoiceType,
      invoice_date: v.invoiceDate,
      total_due_cents: 0,
      line_count: 0,
      csv_available: 1,
      is_paid: 0,
      paid_at: null,
      created_at: v.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function insertLines(db: Kysely<DB>, lines: NewInvoiceLine[]): Promise<void> {
  // Both drivers cap bound parameters per statement (SQLite 32766, PostgreSQL 65535); 17 columns × 500 fits.
  for (let i = 0; i < lines.length; i += 500) {
    await db.insertInto('invoice_lines').values(lines.slice(i, i + 500)).execute();
  }
}

export async function finishInvoice(db: Kysely<DB>, id: number, totalCents: bigint, lineCount: number): Promise<void> {
  await db.updateTable('invoices').set({ total_due_cents: Number(totalCents), line_count: lineCount }).where('id', '=', id).execute();
}

export async function findExisting(db: Kysely<DB>, billingAccountGuid: string, period: string, invoiceType: string): Promise<InvoiceRow | null> {
  const r = await db
    .selectFrom('invoices')
    .selectAll()
    .where('billing_account_guid', '=', billingAccountGuid)
    .where('period', '=', period)
    .where('invoice_type', '=', invoiceType)
    .executeTakeFirst();
  return r ?? null;
}

export async function findById(db: Kysely<DB>, id: number): Promise<InvoiceRow | null> {
  return (await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Newest first: by invoice date, then by id for invoices of the same date. */
export async function pageForAccount(db: Kysely<DB>, billingAccountGuid: string, limit: number, offset: number): Promise<{ total: number; items: InvoiceRow[] }> {
  const n = await db
    .selectFrom('invoices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('billing_account_guid', '=', billingAccountGuid)
    .executeTakeFirstOrThrow();
  const items =
    limit === 0
      ? []
      : await db
          .selectFrom('invoices')
          .selectAll()
          .where('billing_account_guid', '=', billingAccountGuid)
          .orderBy('invoice_date', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute();
  return { total: Number(n.n), items };
}

/** One page of an invoice's lines after `afterLineNo` (keyset), in line order. */
export async function linesAfter(db: Kysely<DB>, invoiceId: number, afterLineNo: number, limit: number): Promise<InvoiceLineRow[]> {
  return db
    .selectFrom('invoice_lines')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .where('line_no', '>', afterLineNo)
    .orderBy('line_no')
    .limit(limit)
    .execute();
}

export async function countLines(db: Kysely<DB>, invoiceId: number): Promise<number> {
  const r = await db.selectFrom('invoice_lines').select((eb) => eb.fn.countAll<number>().as('n')).where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function markPaid(db: Kysely<DB>, id: number, at: string): Promise<boolean> {
  const r = await db.updateTable('invoices').set({ is_paid: 1, paid_at: at }).where('id', '=', id).where('is_paid', '=', 0).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Drops the line items of invoices of periods before `period`; their summaries stay, without a CSV. */
export async function purgeLinesBefore(db: Kysely<DB>, period: string): Promise<number> {
  const ids = db.selectFrom('invoices').select('id').where('period', '<', period).where('csv_available', '=', 1);
  await db.deleteFrom('invoice_lines').where('invoice_id', 'in', ids).execute();
  const r = await db.updateTable('invoices').set({ csv_available: 0 }).where('period', '<', period).where('csv_available', '=', 1).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A kind of account, optionally only where its parent is of a given kind. */
export interface KindBelow {
  kind: AccountKind;
  parentKind?: AccountKind;
}

/**
 * Accounts of any of the given kinds (each optionally below a parent of a given kind), deleted ones too, not
 * those created after `createdBefore`, in pages by guid.
 */
function accountsOfKinds(db: Kysely<DB>, kinds: readonly KindBelow[], createdBefore: string) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('accounts as p', 'p.guid', 'a.parent_guid')
    .where((eb) => eb.or(kinds.map((k) => (k.parentKind ? eb.and([eb('a.kind', '=', k.kind), eb('p.kind', '=', k.parentKind)]) : eb('a.kind', '=', k.kind)))))
    .where('a.created_at', '<', createdBefore);
}

/** How many accounts accountsOfKindsPage pages through: for a progress report. */
export async function countAccountsOfKinds(db: Kysely<DB>, kinds: readonly KindBelow[], createdBefore: string): Promise<number> {
  const row = await accountsOfKinds(db, kinds, createdBefore).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function accountsOfKindsPage(db: Kysely<DB>, kinds: readonly KindBelow[], afterGuid: string | null, limit: number, createdBefore: string): Promise<Account[]> {
  let q = accountsOfKinds(db, kinds, createdBefore).selectAll('a');
  if (afterGuid) q = q.where('a.guid', '>', afterGuid);
  const rows = await q.orderBy('a.guid').limit(limit).execute();
  return rows.map(toAccount);
}

/** What an invoice line needs of a customer: what is copied onto it, and the count to fall back on. */
export type BilledCustomer = Pick<Account, 'guid' | 'accountNumber' | 'referenceNumber' | 'name' | 'primaryDomain' | 'userCount'>;

/** Which customers a page is read from: one account, or the customers directly below one account. */
export type CustomerScope = { guid: string } | { parentGuid: string };

/**
 * Customers in a scope, deleted ones too, not those created after `createdBefore`, in account-number order
 * (numbers are compared as numbers: shorter first, then by text), keyset-paged after the given number.
 *
 * A parent's page reads ranges of the index `(parent_guid, length(account_number), account_number)` and
 * nothing else, so it costs the same at the start and at the end of a reseller of a million customers. The
 * keyset is two ranges: the rest of the numbers as long as the last one, then the longer numbers. SQLite
 * does not seek an index on a row value over an expression, so each range is its own branch, and the
 * branches' at most 2 × limit rows are merged by one small sort.
 */
export async function customersPage(db: Kysely<DB>, scope: CustomerScope, afterNumber: string | null, limit: number, createdBefore: string): Promise<BilledCustomer[]> {
  const numberLength = sql<number>`length(account_number)`;
  const base = () => {
    const q = db
      .selectFrom('accounts')
      .select(['guid', 'account_number', 'reference_number', 'name', 'primary_domain', 'user_count'])
      .where('kind', '=', 'customer')
      .where('created_at', '<', createdBefore);
    return 'guid' in scope ? q.where('guid', '=', scope.guid) : q.where('parent_guid', '=', scope.parentGuid);
  };
  if (afterNumber === null) {
    return (await base().orderBy(numberLength).orderBy('account_number').limit(limit).execute()).map(toBilledCustomer);
  }
  const sameLength = base().where(numberLength, '=', afterNumber.length).where('account_number', '>', afterNumber).orderBy('account_number').limit(limit);
  const longer = base().where(numberLength, '>', afterNumber.length).orderBy(numberLength).orderBy('account_number').limit(limit);
  const rows = await db
    .selectFrom(db.selectFrom(sameLength.as('same_length')).selectAll().unionAll(db.selectFrom(longer.as('longer')).selectAll()).as('page'))
    .selectAll()
    .orderBy(numberLength)
    .orderBy('account_number')
    .limit(limit)
    .execute();
  return rows.map(toBilledCustomer);
}

function toBilledCustomer(r: { guid: string; account_number: string; reference_number: string | null; name: string; primary_domain: string | null; user_count: number }): BilledCustomer {
  return { guid: r.guid, accountNumber: r.account_number, referenceNumber: r.reference_number, name: r.name, primaryDomain: r.primary_domain, userCount: Number(r.user_count) };
}

export async function runCompleted(db: Kysely<DB>, period: string): Promise<boolean> {
  return !!(await db.selectFrom('billing_runs').select('period').where('period', '=', period).executeTakeFirst());
}

export async function recordRun(db: Kysely<DB>, period: string, at: string, issued: number): Promise<void> {
  await db
    .insertInto('billing_runs')
    .values({ period, completed_at: at, invoices_issued: issued })
    .onConflict((oc) => oc.column('period').doUpdateSet({ completed_at: at }))
    .execute();
}
