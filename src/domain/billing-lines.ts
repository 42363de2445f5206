import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { Product } from './product.js';
import type { ServiceStatus } from './status.js';
import { userCountChangesOf, userCountsAt, type UserCountChange } from './usage.js';
import { billableIntervals, lineCharge, usageLines, type Period, type StatusPoint } from './billing-calc.js';
import { formatScaled, parseScaled, RATE_SCALE } from './money.js';
import type { BilledCustomer, NewInvoiceLine } from '../store/repositories/invoices.js';
import * as productsRepo from '../store/repositories/products.js';
import * as historyRepo from '../store/repositories/status-history.js';

/**
 * The line items of a page of customers. Everything the lines depend on (status history, products, user
 * counts) is read for the whole page at once, one statement per kind, so a run costs a few statements per
 * page of customers rather than per customer; the lines themselves are computed in memory (billing-calc.ts).
 */

export type LineDraft = Omit<NewInvoiceLine, 'invoice_id' | 'line_no'>;

/** What the lines of one page of customers are computed from, each keyed by account GUID. */
export interface PageInputs {
  history: Map<string, historyRepo.StatusPoint[]>;
  products: Map<string, Product[]>;
  countAtStart: Map<string, number>;
  countChanges: Map<string, UserCountChange[]>;
}

const iso = (t: number) => new Date(t).toISOString();

/** Reads what the page's lines need: four statements whatever the page's size. */
export async function readPageInputs(db: Kysely<DB>, period: Period, customers: readonly BilledCustomer[]): Promise<PageInputs> {
  const guids = customers.map((c) => c.guid);
  const startIso = iso(period.start);
  const endIso = iso(period.end);
  // Changes after the period cannot affect it; the ones before it give the status it began with.
  const history = await historyRepo.statusPointsBefore(db, guids, endIso);
  const products = await productsRepo.forAccounts(db, guids);
  const countAtStart = await userCountsAt(db, customers, startIso);
  const countChanges = await userCountChangesOf(db, guids, startIso, endIso);
  return { history, products, countAtStart, countChanges };
}

/** The billable stretches of one customer's period from its status history (oldest first). */
function customerIntervals(period: Period, history: readonly historyRepo.StatusPoint[]): [number, number][] {
  const startIso = iso(period.start);
  const endIso = iso(period.end);
  let statusAtStart: ServiceStatus | null = null;
  const changes: StatusPoint[] = [];
  for (const h of history) {
    if (h.changedAt <= startIso) statusAtStart = h.newStatus;
    else if (h.changedAt < endIso) changes.push({ at: Date.parse(h.changedAt), status: h.newStatus });
  }
  return billableIntervals(period, statusAtStart, changes);
}

/** Rates normalized once per run: a malformed rate fails the invoice rather than printing garbage. */
export class RateBook {
  private readonly seen = new Map<string, string>();
  rate(p: Product): string {
    let r = this.seen.get(p.monthlyRate);
    if (r === undefined) {
      r = formatScaled(parseScaled(p.monthlyRate, RATE_SCALE), RATE_SCALE, 2);
      this.seen.set(p.monthlyRate, r);
    }
    return r;
  }
}

/** The lines one customer owes for the period, products in id order, each product's Renewal before its Upgrades. */
export function customerLines(period: Period, customer: BilledCustomer, inputs: PageInputs, rates: RateBook): LineDraft[] {
  const intervals = customerIntervals(period, inputs.history.get(customer.guid) ?? []);
  if (intervals.length === 0) return [];
  const products = inputs.products.get(customer.guid) ?? [];
  if (products.length === 0) return [];
  const countAtStart = inputs.countAtStart.get(customer.guid) ?? customer.userCount;
  const countChanges = inputs.countChanges.get(customer.guid) ?? [];
  const countAt = (t: number) => {
    let n = countAtStart;
    for (const c of countChanges) if (Date.parse(c.changedAt) <= t) n = c.newCount;
    return n;
  };
  const usage = usageLines(period, intervals, countAt, countChanges);
  const out: LineDraft[] = [];
  for (const p of products) {
    const rate = rates.rate(p);
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
