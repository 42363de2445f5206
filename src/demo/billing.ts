import type { DomainContext } from '../domain/context.js';
import { inTransaction } from '../domain/context.js';
import { DAY, HOUR, type ManualClock } from '../domain/clock.js';
import type { Account } from '../domain/account.js';
import { systemActor, type Actor } from '../domain/principal.js';
import { addContact } from '../domain/contact.js';
import { changeUserCount } from '../domain/usage.js';
import { listInvoices, markInvoicePaid, runBilling } from '../domain/billing.js';
import { previousPeriod, parsePeriod } from '../domain/billing-calc.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import * as accountSearch from '../store/repositories/account-search.js';
import { seededRandom } from './random.js';

const FIRST_NAMES = ['Ellie', 'Samir', 'Grace', 'Mateo', 'Priya', 'Noah', 'Aiko', 'Omar'];

/**
 * The demo's billing side, run after the account timeline: a billing-and-primary contact on every customer
 * (and an after-hours one on some), user-count growth through the year so invoices carry Upgrade lines,
 * the last twelve months billed as the scheduler would have, and every invoice but the latest paid.
 */
export async function seedDemoBilling(demo: DomainContext, clock: ManualClock, customers: Account[]): Promise<void> {
  const end = clock.now().getTime();
  const rnd = seededRandom(20171207);
  const system = systemActor('demo');

  await addDemoContacts(demo, system, customers);
  await growUserCounts(demo, clock, system, customers, rnd, end);
  const last = await billLastYear(demo, clock, system, end);
  await payAllButLatest(demo, clock, system, last.name, end);
  clock.set(end);
}

/** A billing-and-primary contact on every customer, and an after-hours one on every third. */
async function addDemoContacts(demo: DomainContext, system: Actor, customers: Account[]): Promise<void> {
  for (const [i, c] of customers.entries()) {
    const first = FIRST_NAMES[i % FIRST_NAMES.length];
    await addContact(
      demo,
      system,
      { guid: c.guid },
      {
        name: `${c.contactName ?? first} - main`,
        email: c.contactEmail ?? `contact@${c.primaryDomain}`,
        phone: c.phone ?? '1-555-555-0100',
        receivesAlerts: true,
        receivesBilling: true,
        receivesUpdates: true,
        securityQuestion: 'First office street?',
        securityAnswer: `Street ${100 + i * 3}`,
      },
      { contactLimit: 1000 },
    );
    if (i % 3 === 0) {
      await addContact(
        demo,
        system,
        { guid: c.guid },
        {
          name: `Contact after hours - ${first}`,
          email: `afterhours@${c.primaryDomain}`,
          phone: '1-555-555-0199',
          receivesAlerts: false,
          receivesBilling: false,
          receivesUpdates: false,
          securityQuestion: 'Favourite colour?',
          securityAnswer: 'Teal',
        },
        { contactLimit: 1000 },
      );
    }
  }
}

/** User-count changes at random times after each customer settled in, applied in time order. */
async function growUserCounts(demo: DomainContext, clock: ManualClock, system: Actor, customers: Account[], rnd: () => number, end: number): Promise<void> {
  // Growth: some customers add users a few times after settling in; a few shrink once.
  const changes: { at: number; guid: string; delta: number }[] = [];
  for (const c of customers) {
    const created = Date.parse(c.createdAt);
    const span = end - HOUR - (created + 20 * DAY);
    if (span <= 0 || rnd() < 0.45) continue;
    const count = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < count; k++) {
      const shrink = rnd() < 0.15;
      changes.push({ at: created + 20 * DAY + Math.floor(rnd() * span), guid: c.guid, delta: shrink ? -Math.floor(1 + rnd() * 3) : 1 + Math.floor(rnd() * 12) });
    }
  }
  changes.sort((a, b) => a.at - b.at);
  for (const ch of changes) {
    clock.set(ch.at);
    await inTransaction(demo, async (trx) => {
      const account = (await accountsRepo.findByGuid(trx, ch.guid))!;
      await changeUserCount(trx, demo, system, account, Math.max(1, account.userCount + ch.delta));
    });
  }
}

/** Bills the twelve months before `end`; returns the latest period. */
async function billLastYear(demo: DomainContext, clock: ManualClock, system: Actor, end: number): Promise<ReturnType<typeof previousPeriod>> {
  // A year of invoices, each issued just after its month closed.
  const last = previousPeriod(new Date(end));
  const periods: string[] = [];
  for (let k = 11; k >= 0; k--) {
    const d = new Date(last.start);
    d.setUTCMonth(d.getUTCMonth() - k);
    periods.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  for (const name of periods) {
    const p = parsePeriod(name)!;
    clock.set(Math.min(p.end + 2 * HOUR, end));
    await runBilling(demo, system, name);
  }
  return last;
}

async function payAllButLatest(demo: DomainContext, clock: ManualClock, system: Actor, latestPeriod: string, end: number): Promise<void> {
  // Everything but the latest month has been paid, about three weeks after it was issued.
  const billingAccounts = await accountSearch.search(demo.db, demo.dialect, { kind: 'reseller', limit: 100, offset: 0 }, '/');
  for (const account of billingAccounts.items) {
    const page = await listInvoices(demo, system, { guid: account.guid }, { size: 1000 });
    for (const inv of page.items) {
      if (inv.period === latestPeriod) continue;
      clock.set(Math.min(Date.parse(inv.invoiceDate) + 20 * DAY, end));
      await markInvoicePaid(demo, system, inv.id);
    }
  }
}
