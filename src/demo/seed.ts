import type { DomainContext } from '../domain/context.js';
import { seedDemoMailboxes } from './mailboxes.js';
import { DAY, HOUR, ManualClock } from '../domain/clock.js';
import { createAccount, createPartner, type Account } from '../domain/account.js';
import { changeStatus, type ServiceStatus } from '../domain/status.js';
import { createPrincipal, systemActor, type Actor, type Role } from '../domain/principal.js';
import { issueCredential, type IssuedSecrets } from '../domain/credential.js';
import { upsertProduct, type Product } from '../domain/product.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import { seedDemoBilling } from './billing.js';
import { seedDemoUsage } from './service-usage.js';
import { seededRandom } from './random.js';
import type { DemoCredentials, DemoPrincipal } from './credentials.js';

/** The catalog the demo offers; ids are what Mimecast `products` takes. */
export const DEMO_PRODUCTS: Product[] = [
  { id: 1039, name: 'Secure Email Gateway (Site)', packageLabel: 'Secure Email Gateway', monthlyRate: '3.50' },
  { id: 1040, name: 'Targeted Threat Protection', packageLabel: 'Secure Email Gateway', monthlyRate: '2.00' },
  { id: 1041, name: 'Cloud Archive', packageLabel: 'Archive', monthlyRate: '1.75' },
  { id: 1050, name: 'Hosted Exchange', packageLabel: 'Email', monthlyRate: '7.00' },
  { id: 1051, name: 'Hosted Exchange ActiveSync', packageLabel: 'Email', monthlyRate: '0.00' },
  { id: 1052, name: 'Outlook', packageLabel: 'Email', monthlyRate: '0.00' },
  { id: 1053, name: 'Office 365 Business Essentials', packageLabel: 'Microsoft 365', monthlyRate: '7.00' },
  { id: 1054, name: 'Office 365 Business Premium', packageLabel: 'Microsoft 365', monthlyRate: '14.00' },
  { id: 1055, name: 'Rackspace Email', packageLabel: 'Email', monthlyRate: '2.00' },
  { id: 1060, name: 'Secure Messaging', packageLabel: 'DeliverySlip', monthlyRate: '4.00' },
];

export const COMPANY_WORDS = [
  'Acme', 'Bluebird', 'Cedar', 'Delta', 'Evergreen', 'Falcon', 'Granite', 'Harbor', 'Ironwood', 'Juniper',
  'Keystone', 'Lakeside', 'Maple', 'Northstar', 'Oakridge', 'Pinnacle', 'Quartz', 'Redwood', 'Summit', 'Tidewater',
  'Union', 'Vantage', 'Willow', 'Xenon', 'Yellowstone', 'Zenith', '3rd Street', '42 Degrees',
];
export const COMPANY_SUFFIXES = ['Dental', 'Logistics', 'Law Group', 'Bakery', 'Consulting', 'Realty', 'Clinic', 'Builders'];
export const CITIES: [string, string, string][] = [
  ['Austin', 'TX', '78703'], ['Denver', 'CO', '80202'], ['Portland', 'OR', '97205'], ['Boston', 'MA', '02108'],
  ['Chicago', 'IL', '60601'], ['Seattle', 'WA', '98101'], ['Atlanta', 'GA', '30303'], ['Phoenix', 'AZ', '85004'],
];

export type { DemoCredentials, DemoPrincipal } from './credentials.js';

function accountSummary(a: Account): DemoPrincipal['account'] {
  return { guid: a.guid, kind: a.kind, name: a.name, accountNumber: a.accountNumber, accountCode: a.accountCode, mimecastId: a.mimecastId };
}

export class StoreNotEmptyError extends Error {}

/**
 * Seeds an empty store: one partner, two resellers, 56 customers whose statuses evolved over the past
 * fourteen months (so their histories are realistic), the product catalog, and one principal per role
 * with credentials for every face. Time runs on a manual clock that ends at `ctx.clock.now()`.
 */
export async function seedDemo(ctx: DomainContext, baseUrl: string): Promise<DemoCredentials> {
  if ((await accountsRepo.countAll(ctx.db)) > 0) throw new StoreNotEmptyError('the store already holds accounts; demo seeds only an empty store');
  const end = ctx.clock.now().getTime();
  const clock = new ManualClock(end - 420 * DAY);
  const demo: DomainContext = { ...ctx, clock };
  const rnd = seededRandom(20171207);
  const system = systemActor('demo');

  for (const p of DEMO_PRODUCTS) await upsertProduct(demo, system, p);

  const partner = await createDemoPartner(demo, system, end);
  const resellers = await createDemoResellers(demo, system, partner);
  const plans = planDemoCustomers(demo, system, rnd, resellers, clock.now().getTime(), end);
  const customers = await replayCustomerTimeline(demo, clock, system, plans, end);
  clock.set(end);
  await seedDemoBilling(demo, clock, customers);
  await seedDemoUsage(demo, customers);
  await seedDemoMailboxes(demo, system, customers);

  const principals = await createDemoPrincipals(demo, system, partner, resellers, customers);
  return {
    version: 1,
    generatedAt: new Date(end).toISOString(),
    baseUrl,
    partner: accountSummary(partner),
    resellers: resellers.map(accountSummary),
    customerCount: customers.length,
    principals,
  };
}

function createDemoPartner(demo: DomainContext, system: Actor, end: number): Promise<Account> {
  return createPartner(demo, system, {
    name: 'Northwind Partners',
    status: 'CertifiedSecure',
    addressLine1: '100 Congress Ave',
    city: 'Austin',
    state: 'TX',
    zip: '78701',
    country: 'US',
    phone: '1-512-555-0100',
    email: 'channel@northwind.example',
    hostingJurisdiction: 'US',
    supportJurisdiction: 'US',
    supportPackage: 'Premium',
    customerAdvocate: 'Dana Whitfield',
    customerDevelopmentManager: 'Luis Ortega',
    mainProduct: 'Secure Email Gateway',
    renewalDate: new Date(end + 200 * DAY).toISOString().slice(0, 10),
    officePhone: '+1 800 555 0199',
    supportMailto: 'mailto:support@northwind.example',
    productIds: DEMO_PRODUCTS.map((p) => p.id),
    userCount: 0,
  });
}

async function createDemoResellers(demo: DomainContext, system: Actor, partner: Account): Promise<Account[]> {
  const resellerNames = ['Contoso Reseller', 'Fabrikam IT Services'];
  const resellers: Account[] = [];
  for (const [i, name] of resellerNames.entries()) {
    resellers.push(
      await createAccount(demo, system, {
        parentGuid: partner.guid,
        kind: 'reseller',
        name,
        status: 'CertifiedSecure',
        referenceNumber: `R-${100 + i}`,
        city: CITIES[i][0],
        state: CITIES[i][1],
        zip: CITIES[i][2],
        country: 'US',
        email: `billing@${name.split(' ')[0].toLowerCase()}.example`,
        phone: `1-555-010-${String(i).padStart(4, '0')}`,
        productIds: DEMO_PRODUCTS.map((p) => p.id),
      }),
    );
  }
  return resellers;
}

/** A customer to be created at `at`, and the status changes it will live through. */
interface CustomerPlan {
  at: number;
  account: () => Promise<Account>;
  events: { at: number; to: ServiceStatus }[];
}

/** Plans 56 customers joining over the first year from `start`; draws from `rnd` in a fixed order, creates nothing yet. */
function planDemoCustomers(demo: DomainContext, system: Actor, rnd: () => number, resellers: Account[], start: number, end: number): CustomerPlan[] {
  // Customers join over the first year; each then lives through the status life cycle.
  const plans: CustomerPlan[] = [];
  const total = 56;
  for (let i = 0; i < total; i++) {
    const reseller = resellers[i % 2];
    const word = COMPANY_WORDS[i % COMPANY_WORDS.length];
    const suffix = COMPANY_SUFFIXES[Math.floor(i / COMPANY_WORDS.length) % COMPANY_SUFFIXES.length];
    const name = `${word} ${suffix}`;
    const [city, state, zip] = CITIES[Math.floor(rnd() * CITIES.length)];
    const createdAt = start + Math.floor((i / total) * 380 * DAY) + Math.floor(rnd() * 12 * HOUR);
    const domain = `${word.toLowerCase().replace(/[^a-z0-9]/g, '')}-${suffix.toLowerCase().replace(/[^a-z]/g, '')}.example`;
    const productPool = [1039, 1040, 1041, 1050, 1053, 1054, 1055, 1060];
    const productIds = productPool.filter(() => rnd() < 0.35);
    if (productIds.length === 0) productIds.push(productPool[i % productPool.length]);
    const users = 5 + Math.floor(rnd() * 120);
    const events: { at: number; to: ServiceStatus }[] = [];
    const fate = rnd();
    const trialEnd = createdAt + 30 * DAY;
    if (fate < 0.5) events.push({ at: createdAt + Math.floor(rnd() * 25) * DAY + HOUR, to: 'CertifiedSecure' });
    else if (fate < 0.65) events.push({ at: trialEnd, to: 'TrialExpired' });
    else if (fate < 0.75) {
      events.push({ at: createdAt + 10 * DAY, to: 'CertifiedSecure' }, { at: createdAt + 60 * DAY, to: 'AccountSuspended' });
      if (rnd() < 0.5) events.push({ at: createdAt + 75 * DAY, to: 'CertifiedSecure' });
    } else if (fate < 0.82) {
      events.push({ at: trialEnd, to: 'TrialExpired' }, { at: trialEnd + 5 * DAY, to: 'AccountSuspended' }, { at: trialEnd + 95 * DAY, to: 'AccountCancelled' });
    } else if (fate < 0.86) events.push({ at: createdAt + 3 * DAY, to: 'Blocked' });
    else if (fate < 0.9) events.push({ at: createdAt + 2 * DAY, to: 'DemoAccount' });
    // else: a recent trial that is still TrialActive (or becomes TrialExpired below if old enough)
    const seq = i;
    plans.push({
      at: createdAt,
      events: events.filter((e) => e.at < end - HOUR),
      account: () =>
        createAccount(demo, system, {
          parentGuid: reseller.guid,
          kind: 'customer',
          name,
          referenceNumber: seq % 5 === 4 ? null : String(1000 + seq * 7),
          addressLine1: `${100 + seq * 3} Main Street`,
          addressLine2: seq % 3 === 0 ? `Suite ${200 + seq}` : null,
          city,
          state,
          zip,
          country: 'US',
          phone: `1-555-${String(200 + seq).padStart(3, '0')}-${String(1000 + seq * 13).slice(-4)}`,
          email: `it@${domain}`,
          contactName: `${['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey'][seq % 6]} ${word}`,
          contactEmail: `contact@${domain}`,
          telephone: `1-555-${String(300 + seq).padStart(3, '0')}-0000`,
          adminEmail: `admin@${domain}`,
          primaryDomain: domain,
          userCount: users,
          mainProduct: 'Secure Email Gateway',
          supportPackage: seq % 4 === 0 ? 'Premium' : 'Standard',
          renewalDate: new Date(createdAt + 365 * DAY).toISOString().slice(0, 10),
          productIds,
          extra: { mailPlatform: seq % 2 ? 'office_365' : 'exchange', maximumRetention: 3650 },
        }),
    });
  }
  return plans;
}

/** Creates the planned customers and replays their status changes in time order; returns the customers in plan order. */
async function replayCustomerTimeline(demo: DomainContext, clock: ManualClock, system: Actor, plans: CustomerPlan[], end: number): Promise<Account[]> {
  const customers: Account[] = [];
  // Replay creations and status changes in time order, so history rows interleave like real ones.
  type Step = { at: number; run: () => Promise<void> };
  const steps: Step[] = [];
  plans.forEach((plan, idx) => {
    steps.push({ at: plan.at, run: async () => void (customers[idx] = await plan.account()) });
    for (const e of plan.events) {
      steps.push({
        at: e.at,
        run: async () => {
          const account = (await accountsRepo.findByGuid(demo.db, customers[idx].guid))!;
          if (account.status !== e.to) await changeStatus(demo.db, demo, system, account, e.to, { reason: 'demo history' });
        },
      });
    }
    // Trials the plan left alone expire on schedule, as the life-cycle scheduler would have done.
    if (plan.events.length === 0 && plan.at + 30 * DAY < end) {
      steps.push({
        at: plan.at + 30 * DAY,
        run: async () => {
          const account = (await accountsRepo.findByGuid(demo.db, customers[idx].guid))!;
          if (account.status === 'TrialActive') await changeStatus(demo.db, demo, system, account, 'TrialExpired', { reason: 'trial ended' });
        },
      });
    }
  });
  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    clock.set(Math.max(step.at, clock.now().getTime()));
    await step.run();
  }
  return customers;
}

/** One principal per role, each with credentials for every face. */
async function createDemoPrincipals(demo: DomainContext, system: Actor, partner: Account, resellers: Account[], customers: Account[]): Promise<Record<Role, DemoPrincipal>> {
  const firstCustomer = customers.find((c) => c.parentGuid === resellers[0].guid)!;
  const people: { role: Role; account: Account; email: string; name: string }[] = [
    { role: 'partner_provisioning', account: partner, email: 'provisioning@northwind.example', name: 'Pat Provisioner' },
    { role: 'account_read', account: partner, email: 'reader@northwind.example', name: 'Riley Reader' },
    { role: 'reseller_admin', account: resellers[0], email: 'admin@contoso.example', name: 'Robin Reseller' },
    { role: 'customer_admin', account: firstCustomer, email: `admin@${firstCustomer.primaryDomain}`, name: 'Casey Customer' },
  ];
  const principals = {} as Record<Role, DemoPrincipal>;
  for (const person of people) {
    const p = await createPrincipal(demo, system, { accountGuid: person.account.guid, email: person.email, name: person.name, roles: [person.role] });
    const issued: Partial<Record<IssuedSecrets['kind'], IssuedSecrets>> = {};
    for (const kind of ['mimecast', 'rackspace', 'ccc'] as const) {
      issued[kind] = (await issueCredential(demo, system, p.guid, kind)).secrets;
    }
    const m = issued.mimecast as Extract<IssuedSecrets, { kind: 'mimecast' }>;
    const r = issued.rackspace as Extract<IssuedSecrets, { kind: 'rackspace' }>;
    const c = issued.ccc as Extract<IssuedSecrets, { kind: 'ccc' }>;
    principals[person.role] = {
      guid: p.guid,
      email: p.email,
      name: p.name,
      roles: p.roles,
      account: accountSummary((await accountsRepo.findByGuid(demo.db, person.account.guid))!),
      mimecast: { accessKey: m.accessKey, secretKey: m.secretKey, appId: m.appId, appKey: m.appKey },
      rackspace: { userKey: r.userKey, secretKey: r.secretKey },
      ccc: { apiKey: c.apiKey },
    };
  }
  return principals;
}
