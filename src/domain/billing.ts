import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { DomainError, ErrorCode, forbidden, notFound, validationError } from './errors.js';
import { systemActor, type Actor } from './principal.js';
import type { Account } from './account.js';
import { recordAudit } from './audit.js';
import type { Job } from './jobs.js';
import { parseNumericId } from './contact.js';
import { invoiceSummary } from './invoice.js';
import { parsePeriod, previousPeriod, type LineType, type Period } from './billing-calc.js';
import { customerLines, RateBook, readPageInputs } from './billing-lines.js';
import { formatCents } from './money.js';
import * as invoicesRepo from '../store/repositories/invoices.js';

/**
 * Invoices and the monthly billing run. A billing account (a reseller, or a customer directly below the
 * partner) gets one invoice per period covering every customer it bills. Invoices are written whole in one
 * transaction and are unique per (billing account, period, type), so a re-run or a concurrent run changes
 * nothing and an interrupted one leaves nothing behind. The arithmetic lives in billing-calc.ts.
 */

export { findInvoiceUnscoped, getInvoice, invoiceLineItems, listInvoices } from './invoice.js';

export const INVOICE_TYPE = 'Billing';

/**
 * Who receives invoices: every reseller, and every customer directly below a partner (a partner may bill a
 * customer itself). Accounts deleted since still do: they may owe for the days before their deletion.
 */
export const BILLING_ACCOUNTS: readonly invoicesRepo.KindBelow[] = [{ kind: 'reseller' }, { kind: 'customer', parentKind: 'partner' }];

/** The customers one invoice covers: a customer billed directly covers itself; a reseller, every customer below it. */
function billedCustomers(billing: Account): invoicesRepo.CustomerScope {
  // A reseller's children are all customers (CHILD_KINDS), and nothing sits below a customer.
  return billing.kind === 'customer' ? { guid: billing.guid } : { parentGuid: billing.guid };
}

export interface InvoiceSummary {
  id: number;
  billingAccountGuid: string;
  /** YYYY-MM */
  period: string;
  invoiceType: string;
  /** ISO 8601: the first instant after the period (the invoice is dated when the period closes). */
  invoiceDate: string;
  /** Decimal string with two places, e.g. "1122.55". */
  totalDue: string;
  totalDueCents: number;
  isPaid: boolean;
  paidAt: string | null;
  csvAvailable: boolean;
  lineCount: number;
}

/** One line item, wire-neutral: times are ISO 8601 UTC, amounts decimal strings. */
export interface InvoiceLine {
  lineNo: number;
  accountGuid: string;
  accountNumber: string;
  referenceNumber: string | null;
  domain: string;
  productId: number;
  product: string;
  type: LineType;
  /** First billed instant. */
  serviceStart: string;
  /** Last billed second (inclusive), e.g. 2017-12-31T23:59:59.000Z. */
  serviceEnd: string;
  committedUsage: number;
  currentUsage: number;
  usageChange: number;
  /** Share of the month, two places: "1.00", "0.81". */
  months: string;
  /** Monthly rate per user: "7.00". */
  rate: string;
  /** rate × usageChange × months, in currency, two places: "11.34". */
  charge: string;
}

// ---------------------------------------------------------------------------------------------------------
// Operator actions

function requireOperator(actor: Actor, what: string): void {
  if (!actor.system) throw forbidden(`Only an operator can ${what}`);
}

/** Marks an invoice paid (operators only). Marking a paid invoice again changes nothing. */
export async function markInvoicePaid(ctx: DomainContext, actor: Actor, invoiceId: string | number): Promise<InvoiceSummary> {
  requireOperator(actor, 'mark an invoice paid');
  return inTransaction(ctx, async (trx) => {
    const id = parseNumericId(invoiceId);
    const before = id === null ? null : await invoicesRepo.findById(trx, id);
    if (!before) throw notFound('invoice', 'Invoice not found');
    const at = ctx.clock.now().toISOString();
    if (await invoicesRepo.markPaid(trx, Number(before.id), at)) {
      await recordAudit(trx, ctx, actor, {
        action: 'invoice.paid',
        entityType: 'invoice',
        entityGuid: String(before.id),
        accountGuid: before.billing_account_guid,
        before: { isPaid: false },
        after: { isPaid: true, paidAt: at },
      });
    }
    return invoiceSummary((await invoicesRepo.findById(trx, Number(before.id)))!);
  });
}

/**
 * Drops the line items of invoices for periods before `beforePeriod` (operators only): their summaries stay,
 * listed with CSV unavailable, as the vendor's old invoices are. Returns how many invoices lost their lines.
 */
export async function purgeInvoiceLines(ctx: DomainContext, actor: Actor, beforePeriod: string): Promise<number> {
  requireOperator(actor, 'purge invoice line items');
  if (!parsePeriod(beforePeriod)) throw periodError(beforePeriod);
  return inTransaction(ctx, async (trx) => {
    const n = await invoicesRepo.purgeLinesBefore(trx, beforePeriod);
    await recordAudit(trx, ctx, actor, { action: 'invoice.purge_lines', entityType: 'invoice', entityGuid: '*', accountGuid: null, before: null, after: { beforePeriod, invoices: n } });
    return n;
  });
}

// ---------------------------------------------------------------------------------------------------------
// The billing run

function periodError(period: string): DomainError {
  return validationError([{ field: 'period', problem: 'invalid', message: `period must be a month as YYYY-MM, got "${period}"` }]);
}

export interface BillingRunResult {
  period: string;
  issued: { invoiceId: number; billingAccountGuid: string; accountNumber: string; totalDue: string; lineCount: number }[];
  /** Billing accounts whose invoice for the period already existed. */
  alreadyIssued: number;
  /** Billing accounts with nothing billable in the period (no invoice is issued for them). */
  nothingToBill: number;
  /** Billing accounts whose invoice could not be written; nothing of theirs was kept. */
  failed: { billingAccountGuid: string; accountNumber: string; error: string }[];
}

const iso = (t: number) => new Date(t).toISOString();

type BillOutcome = { kind: 'issued'; invoice: InvoiceSummary } | { kind: 'existing' } | { kind: 'empty' };

/** Customers read per page: a page costs five statements (the customers, then readPageInputs) whatever its size. */
const CUSTOMER_PAGE = 1000;
const LINE_BATCH = 500;

/** Writes one billing account's invoice, header and every line, in one transaction, or nothing. */
async function billOne(ctx: DomainContext, actor: Actor, period: Period, billing: Account, sizes: { lineBatch: number; customerPage: number }): Promise<BillOutcome> {
  const { lineBatch, customerPage } = sizes;
  const endIso = iso(period.end);
  return inTransaction(ctx, async (trx): Promise<BillOutcome> => {
    if (await invoicesRepo.findExisting(trx, billing.guid, period.name, INVOICE_TYPE)) return { kind: 'existing' };
    let invoiceId: number | null = null;
    let lineNo = 0;
    let total = 0n;
    let batch: invoicesRepo.NewInvoiceLine[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      if (invoiceId === null) {
        // The header claims the (account, period, type) key; a concurrent run of the same period waits here, then fails on it.
        invoiceId = await invoicesRepo.insertInvoice(trx, {
          billingAccountGuid: billing.guid,
          period: period.name,
          invoiceType: INVOICE_TYPE,
          invoiceDate: endIso,
          createdAt: ctx.clock.now().toISOString(),
        });
        for (const l of batch) l.invoice_id = invoiceId;
      }
      await invoicesRepo.insertLines(trx, batch);
      batch = [];
    };
    const rates = new RateBook();
    let after: string | null = null;
    for (;;) {
      const customers = await invoicesRepo.customersPage(trx, billedCustomers(billing), after, customerPage, endIso);
      const inputs = await readPageInputs(trx, period, customers);
      for (const customer of customers) {
        for (const draft of customerLines(period, customer, inputs, rates)) {
          batch.push({ ...draft, invoice_id: invoiceId ?? 0, line_no: ++lineNo });
          total += BigInt(draft.charge_cents);
          if (batch.length >= lineBatch) await flush();
        }
      }
      if (customers.length < customerPage) break;
      after = customers[customers.length - 1].accountNumber;
    }
    await flush();
    if (invoiceId === null) return { kind: 'empty' };
    await invoicesRepo.finishInvoice(trx, invoiceId, total, lineNo);
    await recordAudit(trx, ctx, actor, {
      action: 'invoice.issue',
      entityType: 'invoice',
      entityGuid: String(invoiceId),
      accountGuid: billing.guid,
      before: null,
      after: { period: period.name, totalDue: formatCents(total), lineCount: lineNo },
    });
    return { kind: 'issued', invoice: invoiceSummary((await invoicesRepo.findById(trx, invoiceId))!) };
  });
}

/**
 * Issues the period's invoices (operators and the scheduler only). The period must be over: an invoice is
 * final once written, so billing a month still running would freeze a partial one. Each billing account is
 * billed in its own transaction; a failure of one is reported and leaves nothing of it behind, the others
 * still go through, and running the period again finishes the job.
 */
export interface BillingRunOptions {
  /** Lines written per INSERT (default 500); smaller batches only trade speed for memory. */
  lineBatch?: number;
  /** Customers read per page (default 1000, at most 5000); every page costs the same five reads. */
  customerPage?: number;
  /** Told after each billing account (how many are done, of how many): the CLI's progress bar. Costs one count first. */
  onProgress?: (done: number, total: number) => void;
}

export async function runBilling(ctx: DomainContext, actor: Actor, periodName: string, options: BillingRunOptions = {}): Promise<BillingRunResult> {
  const sizes = { lineBatch: Math.max(1, Math.min(options.lineBatch ?? LINE_BATCH, 500)), customerPage: Math.max(1, Math.min(options.customerPage ?? CUSTOMER_PAGE, 5000)) };
  requireOperator(actor, 'run billing');
  const period = parsePeriod(periodName);
  if (!period) throw periodError(periodName);
  if (ctx.clock.now().getTime() < period.end) {
    throw validationError([{ field: 'period', problem: 'invalid', message: `period ${periodName} has not ended yet; it can be billed from ${iso(period.end)}` }]);
  }
  const result: BillingRunResult = { period: period.name, issued: [], alreadyIssued: 0, nothingToBill: 0, failed: [] };
  const progress = options.onProgress;
  const total = progress ? await invoicesRepo.countAccountsOfKinds(ctx.db, BILLING_ACCOUNTS, iso(period.end)) : 0;
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const page = await invoicesRepo.accountsOfKindsPage(ctx.db, BILLING_ACCOUNTS, after, 200, iso(period.end));
    for (const billing of page) {
      progress?.(done++, total);
      // Accounts gone before the period began cannot owe for it.
      if (billing.deletedAt && Date.parse(billing.deletedAt) < period.start) {
        result.nothingToBill++;
        continue;
      }
      try {
        const outcome = await billOne(ctx, actor, period, billing, sizes);
        if (outcome.kind === 'issued') {
          const i = outcome.invoice;
          result.issued.push({ invoiceId: i.id, billingAccountGuid: billing.guid, accountNumber: billing.accountNumber, totalDue: i.totalDue, lineCount: i.lineCount });
        } else if (outcome.kind === 'existing') result.alreadyIssued++;
        else result.nothingToBill++;
      } catch (e) {
        // A concurrent run that wrote this invoice first is not a failure: the invoice exists, whole.
        if (await invoicesRepo.findExisting(ctx.db, billing.guid, period.name, INVOICE_TYPE)) {
          result.alreadyIssued++;
          continue;
        }
        result.failed.push({ billingAccountGuid: billing.guid, accountNumber: billing.accountNumber, error: (e as Error).message });
      }
    }
    if (page.length < 200) break;
    after = page[page.length - 1].guid;
  }
  progress?.(done, total);
  if (result.failed.length === 0) await invoicesRepo.recordRun(ctx.db, period.name, ctx.clock.now().toISOString(), result.issued.length);
  return result;
}

/** Whether every billing account of the period has been dealt with by a completed run. */
export async function billingRunCompleted(ctx: DomainContext, periodName: string): Promise<boolean> {
  return invoicesRepo.runCompleted(ctx.db, periodName);
}

/**
 * The scheduled run: once the clock is past the end of a month, bill that month. Ticks after a completed
 * run cost one look-up; a tick racing another process is harmless because invoices are unique per period.
 */
export const billingJob: Job = {
  name: 'billing.monthly',
  leaseMs: 30 * 60_000,
  // A new month's first instant: the month before it can be billed.
  async nextDueAfter(_ctx, after) {
    return new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth() + 1, 1));
  },
  async run(ctx) {
    const period = previousPeriod(ctx.clock.now());
    if (await invoicesRepo.runCompleted(ctx.db, period.name)) return;
    const result = await runBilling(ctx, systemActor('billing-scheduler'), period.name);
    if (result.failed.length) {
      throw new DomainError(ErrorCode.Internal, `billing ${period.name}: ${result.failed.length} invoice(s) could not be written (${result.failed.map((f) => f.accountNumber).join(', ')}); the next tick retries them`);
    }
  },
};
