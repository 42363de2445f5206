import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { DomainContext } from './context.js';
import { inTransaction } from './context.js';
import { DomainError, ErrorCode, forbidden, notFound, validationError } from './errors.js';
import { systemActor, type Actor } from './principal.js';
import type { Account } from './account.js';
import { recordAudit } from './audit.js';
import type { Job } from './jobs.js';
import { parseNumericId } from './contact.js';
import { invoiceSummary } from './invoice.js';
import { userCountAt, userCountChanges } from './usage.js';
import { billableIntervals, lineCharge, parsePeriod, previousPeriod, usageLines, type LineType, type Period, type StatusPoint } from './billing-calc.js';
import { formatCents, formatScaled, parseScaled, RATE_SCALE } from './money.js';
import type { ServiceStatus } from './status.js';
import * as invoicesRepo from '../store/repositories/invoices.js';
import * as productsRepo from '../store/repositories/products.js';
import * as historyRepo from '../store/repositories/status-history.js';

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

/** The customers one invoice covers: a customer billed directly covers itself; a reseller, its whole subtree. */
function billedCustomers(billing: Account): invoicesRepo.CustomerScope {
  return billing.kind === 'customer' ? { guid: billing.guid } : { within: billing.path };
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

interface LineDraft extends Omit<invoicesRepo.NewInvoiceLine, 'invoice_id' | 'line_no'> {}

const iso = (t: number) => new Date(t).toISOString();

/** The lines one customer owes for the period, products in id order, each product's Renewal before its Upgrades. */
async function customerLines(db: Kysely<DB>, period: Period, customer: Account): Promise<LineDraft[]> {
  const startIso = iso(period.start);
  const endIso = iso(period.end);
  const history = await historyRepo.forAccount(db, customer.guid);
  let statusAtStart: ServiceStatus | null = null;
  const changes: StatusPoint[] = [];
  for (const h of history) {
    if (h.changedAt <= startIso) statusAtStart = h.newStatus;
    else if (h.changedAt < endIso) changes.push({ at: Date.parse(h.changedAt), status: h.newStatus });
  }
  const intervals = billableIntervals(period, statusAtStart, changes);
  if (intervals.length === 0) return [];
  const products = await productsRepo.forAccount(db, customer.guid);
  if (products.length === 0) return [];
  const countAtStart = await userCountAt(db, customer, startIso);
  const countChanges = await userCountChanges(db, customer.guid, startIso, endIso);
  const countAt = (t: number) => {
    let n = countAtStart;
    for (const c of countChanges) if (Date.parse(c.changedAt) <= t) n = c.newCount;
    return n;
  };
  const usage = usageLines(period, intervals, countAt, countChanges);
  const out: LineDraft[] = [];
  for (const p of products) {
    // Normalized once here so a malformed rate fails the invoice rather than printing garbage.
    const rate = formatScaled(parseScaled(p.monthlyRate, RATE_SCALE), RATE_SCALE, 2);
    for (const u of usage) {
      out.push({
        account_guid: customer.guid,
        account_number: customer.accountNumber,
        reference_number: customer.referenceNumber,
        domain: customer.primaryDomain ?? customer.name,
        product_id: p.id,
        product_name: p.name,
        line_type: u.type,
        service_start: iso(Math.floor(u.start / 1000) * 1000),
        service_end: iso(Math.ceil(u.end / 1000) * 1000 - 1000),
        committed_usage: u.committedUsage,
        current_usage: u.currentUsage,
        usage_change: u.usageChange,
        months_hundredths: u.monthsHundredths,
        rate,
        charge_cents: Number(lineCharge(rate, u)),
      });
    }
  }
  return out;
}

type BillOutcome = { kind: 'issued'; invoice: InvoiceSummary } | { kind: 'existing' } | { kind: 'empty' };

const CUSTOMER_PAGE = 200;
const LINE_BATCH = 500;

/** Writes one billing account's invoice, header and every line, in one transaction, or nothing. */
async function billOne(ctx: DomainContext, actor: Actor, period: Period, billing: Account, lineBatch: number): Promise<BillOutcome> {
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
    let after: string | null = null;
    for (;;) {
      const customers = await invoicesRepo.customersPage(trx, billedCustomers(billing), after, CUSTOMER_PAGE, endIso);
      for (const customer of customers) {
        for (const draft of await customerLines(trx, period, customer)) {
          batch.push({ ...draft, invoice_id: invoiceId ?? 0, line_no: ++lineNo });
          total += BigInt(draft.charge_cents);
          if (batch.length >= lineBatch) await flush();
        }
      }
      if (customers.length < CUSTOMER_PAGE) break;
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
}

export async function runBilling(ctx: DomainContext, actor: Actor, periodName: string, options: BillingRunOptions = {}): Promise<BillingRunResult> {
  const lineBatch = Math.max(1, Math.min(options.lineBatch ?? LINE_BATCH, 500));
  requireOperator(actor, 'run billing');
  const period = parsePeriod(periodName);
  if (!period) throw periodError(periodName);
  if (ctx.clock.now().getTime() < period.end) {
    throw validationError([{ field: 'period', problem: 'invalid', message: `period ${periodName} has not ended yet; it can be billed from ${iso(period.end)}` }]);
  }
  const result: BillingRunResult = { period: period.name, issued: [], alreadyIssued: 0, nothingToBill: 0, failed: [] };
  let after: string | null = null;
  for (;;) {
    const page = await invoicesRepo.accountsOfKindsPage(ctx.db, BILLING_ACCOUNTS, after, 200, iso(period.end));
    for (const billing of page) {
      // Accounts gone before the period began cannot owe for it.
      if (billing.deletedAt && Date.parse(billing.deletedAt) < period.start) {
        result.nothingToBill++;
        continue;
      }
      try {
        const outcome = await billOne(ctx, actor, period, billing, lineBatch);
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
