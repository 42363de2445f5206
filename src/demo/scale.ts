/**
 * `partnerhub demo --scale N`: fills the demo's resellers with customers until they hold N, for
 * measuring the store at scale. Each customer gets what a real one accumulates: products, a main
 * contact, and ten status changes over the past year. Going through the domain one customer at a time
 * costs milliseconds each (several statements, an audit row, a transaction), so this writes whole batches
 * of the same rows with a few multi-row statements inside one transaction per batch. Re-running it
 * continues where an interrupted run stopped.
 */
import type { DomainContext } from '../domain/context.js';
import { inTransaction } from '../domain/context.js';
import { DAY, HOUR } from '../domain/clock.js';
import { formatIdentifiers, temporaryDomain, type Account } from '../domain/account.js';
import { ancestry, type ServiceStatus } from '../domain/status.js';
import { systemActor, type Actor } from '../domain/principal.js';
import { recordAudit } from '../domain/audit.js';
import { newGuid, TimeOrderedGuids, withGuidSource } from '../domain/ids.js';
import type { StatusChange } from '../store/records.js';
import type { StoredContact } from '../store/repositories/contacts.js';
import * as bulk from '../store/repositories/bulk.js';
import { CITIES, COMPANY_SUFFIXES, COMPANY_WORDS } from './seed.js';
import { seededRandom } from './random.js';

export interface ScaleOptions {
  /** How many customers the demo's resellers should hold in all. */
  customers: number;
  /** Customers per transaction. */
  batchSize?: number;
  onProgress?: (added: number, toAdd: number) => void;
}

export interface ScaleResult {
  before: number;
  added: number;
  customers: number;
  statusChanges: number;
  contacts: number;
  seconds: number;
  /** Customers added per second (the index build included). */
  rate: number;
  /** Secondary indexes (and on SQLite the per-day count triggers) dropped for the load and put back after it (0 for a small load), and the seconds that took. */
  indexesDeferred: number;
  indexSeconds: number;
}

/** A load this large (and at least as large as what is there) drops the big tables' secondary indexes and builds them after. */
const DEFER_INDEXES_FROM = 10_000;
const BULK_TABLES = ['accounts', 'status_history', 'contacts', 'account_products'];

export class NoDemoTreeError extends Error {}

/** Ten rows of history: the trial, then a life of suspensions and reinstatements, sometimes a cancellation. */
function lifeCycle(rnd: () => number): ServiceStatus[] {
  const path: ServiceStatus[] = ['TrialActive', 'CertifiedSecure'];
  while (path.length < 9) path.push(path.length % 2 ? 'CertifiedSecure' : 'AccountSuspended');
  path.push(rnd() < 0.1 ? 'AccountCancelled' : 'CertifiedSecure');
  return path;
}

const PRODUCT_POOL = [1039, 1040, 1041, 1050, 1053, 1054, 1055, 1060];

interface Batch {
  accounts: Account[];
  products: { accountGuid: string; productId: number }[];
  history: StatusChange[];
  contacts: Omit<StoredContact, 'id'>[];
}

function makeCustomer(ctx: DomainContext, actor: Actor, b: Batch, at: { index: number; number: number; seq: number; now: number }, reseller: Account, rnd: () => number) {
  const word = COMPANY_WORDS[at.index % COMPANY_WORDS.length];
  const suffix = COMPANY_SUFFIXES[Math.floor(at.index / COMPANY_WORDS.length) % COMPANY_SUFFIXES.length];
  const [city, state, zip] = CITIES[Math.floor(rnd() * CITIES.length)];
  const domain = `${word.toLowerCase().replace(/[^a-z0-9]/g, '')}-${at.index}.example`;
  const ids = formatIdentifiers(at.number, at.seq, reseller.hostingJurisdiction ?? 'US');
  const created = at.now - 365 * DAY + Math.floor(rnd() * 30 * DAY);
  const statuses = lifeCycle(rnd);
  const times = statuses.map((_, k) => new Date(created + k * 33 * DAY + Math.floor(rnd() * 20 * HOUR)).toISOString());
  const iso = times[0];
  const guid = newGuid();
  const account: Account = {
    guid, parentGuid: reseller.guid, path: `${reseller.path}${guid}/`, kind: 'customer', name: `${word} ${suffix} ${at.index}`,
    referenceNumber: String(100_000 + at.index), ...ids, addressLine1: `${100 + (at.index % 9000)} Main Street`, addressLine2: null,
    city, state, zip, country: 'US', phone: `1-555-${String(at.index % 1000).padStart(3, '0')}-${String(at.index % 10_000).padStart(4, '0')}`,
    email: `it@${domain}`, contactName: `Alex ${word}`, contactEmail: `contact@${domain}`, telephone: null,
    userCount: 5 + Math.floor(rnd() * 120), primaryDomain: domain, temporaryDomain: temporaryDomain(ids.accountNumber), adminEmail: `admin@${domain}`,
    hostingJurisdiction: reseller.hostingJurisdiction, supportJurisdiction: reseller.supportJurisdiction, supportPackage: reseller.supportPackage,
    customerAdvocate: reseller.customerAdvocate, customerDevelopmentManager: reseller.customerDevelopmentManager, mainProduct: 'Secure Email Gateway',
    renewalDate: new Date(created + 365 * DAY).toISOString().slice(0, 10), officePhone: reseller.officePhone, supportMailto: reseller.supportMailto,
    extra: {}, status: statuses[statuses.length - 1], statusChangedAt: times[times.length - 1], trialStartedAt: iso,
    createdAt: iso, updatedAt: times[times.length - 1], deletedAt: null,
  };
  b.accounts.push(account);
  const first = PRODUCT_POOL[at.index % PRODUCT_POOL.length];
  const second = PRODUCT_POOL[(at.index + 3) % PRODUCT_POOL.length];
  b.products.push({ accountGuid: guid, productId: first }, { accountGuid: guid, productId: second });
  const { partnerGuid, resellerGuid } = ancestry(account);
  statuses.forEach((to, k) => {
    b.history.push({
      guid: newGuid(), accountGuid: guid, resellerGuid, partnerGuid, oldStatus: k ? statuses[k - 1] : null, newStatus: to, changedAt: times[k],
      changedByGuid: actor.guid, changedByEmail: actor.email, operationGuid: newGuid(), userCount: account.userCount, reason: 'demo scale',
    });
  });
  b.contacts.push({
    accountGuid: guid, name: `Alex ${word} - main`, email: `contact@${domain}`, phone: account.phone!, receivesAlerts: true, receivesBilling: true,
    receivesUpdates: true, securityQuestion: 'First office street?', securityAnswerSealed: ctx.secrets.encrypt(`Street ${at.index}`), createdAt: iso, updatedAt: iso,
  });
}

async function addBatch(ctx: DomainContext, actor: Actor, resellers: Account[], from: number, count: number, countDays: boolean): Promise<Batch> {
  return inTransaction(ctx, async (trx) => {
    const firstNumber = await bulk.takeRange(trx, 'account_number', count);
    const firstSeq = await bulk.takeRange(trx, 'mimecast_sequence', count);
    const rnd = seededRandom(20171207 + from);
    const now = ctx.clock.now().getTime();
    const b: Batch = { accounts: [], products: [], history: [], contacts: [] };
    for (let j = 0; j < count; j++) {
      const index = from + j;
      makeCustomer(ctx, actor, b, { index, number: firstNumber + j, seq: firstSeq + j, now }, resellers[index % resellers.length], rnd);
    }
    await bulk.insertAccounts(trx, b.accounts);
    await bulk.insertAccountProducts(trx, b.products);
    await bulk.insertStatusChanges(trx, b.history, { countDays });
    await bulk.insertContacts(trx, b.contacts);
    return b;
  });
}

export async function scaleDemo(ctx: DomainContext, options: ScaleOptions): Promise<ScaleResult> {
  const started = performance.now();
  const tree = await bulk.firstPartnerTree(ctx.db);
  if (!tree || tree.resellers.length === 0) throw new NoDemoTreeError('no partner with resellers in the store: seed the demo first');
  const resellerGuids = tree.resellers.map((r) => r.guid);
  const before = await bulk.countCustomersUnder(ctx.db, resellerGuids);
  const toAdd = Math.max(0, options.customers - before);
  const batchSize = Math.max(1, options.batchSize ?? 2_000);
  await bulk.prepareBulkLoad(ctx.db, ctx.dialect);
  const indexesDeferred = toAdd >= DEFER_INDEXES_FROM && toAdd >= before ? await bulk.deferIndexes(ctx.db, ctx.dialect, BULK_TABLES) : 0;
  const countDays = await bulk.daysCountedByLoad(ctx.db);
  const actor = systemActor('demo');
  let added = 0;
  let statusChanges = 0;
  let contacts = 0;
  let indexSeconds = 0;
  // Time-ordered GUIDs: the GUID indexes that stay during the load (unique ones) are appended to, not scattered over.
  const guids = new TimeOrderedGuids();
  options.onProgress?.(0, toAdd);
  try {
    while (added < toAdd) {
      const count = Math.min(batchSize, toAdd - added);
      const b = await withGuidSource(guids, () => addBatch(ctx, actor, tree.resellers, before + added, count, countDays));
      added += count;
      statusChanges += b.history.length;
      contacts += b.contacts.length;
      options.onProgress?.(added, toAdd);
    }
  } finally {
    // Also after a failed batch: the store is never left without its indexes by an error.
    const building = performance.now();
    if (indexesDeferred) await bulk.buildDeferredIndexes(ctx.db);
    indexSeconds = (performance.now() - building) / 1000;
  }
  if (added >= DEFER_INDEXES_FROM) await bulk.settleBulkLoad(ctx.db, ctx.dialect, [...BULK_TABLES, 'status_day_counts']);
  if (added) {
    await inTransaction(ctx, (trx) =>
      recordAudit(trx, ctx, actor, { action: 'demo.scale', entityType: 'account', entityGuid: tree.partner.guid, accountGuid: tree.partner.guid, before: { customers: before }, after: { customers: before + added } }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  return { before, added, customers: before + added, statusChanges, contacts, seconds, rate: added / seconds, indexesDeferred, indexSeconds };
}
