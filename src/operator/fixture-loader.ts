import type { DomainContext } from '../domain/context.js';
import { inTransaction } from '../domain/context.js';
import { ManualClock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import { guidFrom, normalizeGuid, SeededGuids, withGuidSource } from '../domain/ids.js';
import { createAccount, createPartner, type Account, type AccountKind, type NewAccount } from '../domain/account.js';
import { createPrincipal, systemActor } from '../domain/principal.js';
import { issueCredential, type IssuedSecrets } from '../domain/credential.js';
import { addContact } from '../domain/contact.js';
import { setServiceStatus } from '../domain/lifecycle.js';
import { upsertProduct } from '../domain/product.js';
import { runBilling } from '../domain/billing.js';
import { DEMO_PRODUCTS } from '../demo/seed.js';
import { emptyStore } from '../store/repositories/whole-store.js';
import { putState } from '../store/repositories/sandbox-state.js';
import { CLOCK_STATE, type ClockState } from './clock.js';
import { FixtureError, type FixtureSource } from './fixture-file.js';
import type { FixtureAccount, FixturePrincipal } from './fixture-schema.js';

/**
 * Loading fixtures: the store is emptied, then every declared thing is created through the domain's own
 * services (so the rules and the audit trail are the same as through the APIs), at the file's business
 * time, with GUIDs derived from the file (fixed ones where it gives them) and the keys it gives. Loading
 * the same file again gives the same store. A problem the domain finds names the line it came from.
 */
export const DEFAULT_FIXTURE_TIME = '2026-01-01T00:00:00.000Z';

const system = systemActor('fixtures');

/** What a contact in a fixture file may leave out (the APIs require every field). */
const CONTACT_DEFAULTS = { receivesAlerts: false, receivesBilling: false, receivesUpdates: false, securityQuestion: 'Fixture?', securityAnswer: 'fixture' };

interface Loading {
  ctx: DomainContext;
  /** The file's business time: customers without createdAt are created then (their trials start then). */
  start: Date;
  /** The earliest time the file names: partners and resellers without createdAt are created then, before anything below them. */
  earliest: Date;
  clock: ManualClock;
  guids: SeededGuids;
  source: FixtureSource;
  contactLimit: number;
  summary: LoadSummary;
}

export interface LoadSummary {
  accounts: number;
  principals: number;
  credentials: number;
  contacts: number;
  statusChanges: number;
  invoices: number;
}

/** Runs one step; a domain refusal becomes a problem at the step's place in the file. */
async function at<T>(l: Loading, path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const fields = e.details.fields?.map((f) => `${f.field}: ${f.message}`).join('; ');
    throw new FixtureError(l.source.file, [{ ...l.source.where(path), path, message: fields || e.message }]);
  }
}

function keysOf(p: FixturePrincipal): IssuedSecrets[] {
  const k = p.keys ?? {};
  const out: IssuedSecrets[] = [];
  if (k.rackspace) out.push({ kind: 'rackspace', ...k.rackspace });
  if (k.mimecast) out.push({ kind: 'mimecast', ...k.mimecast });
  if (k.ccc) out.push({ kind: 'ccc', ...k.ccc });
  return out;
}

async function loadPrincipal(l: Loading, account: Account, p: FixturePrincipal, path: string): Promise<void> {
  l.guids.preset(p.guid ? normalizeGuid(p.guid)! : guidFrom(`principal:${p.email.toLowerCase()}`));
  const principal = await at(l, path, () => createPrincipal(l.ctx, system, { accountGuid: account.guid, email: p.email, name: p.name, roles: p.roles }));
  l.summary.principals++;
  for (const secrets of keysOf(p)) {
    await at(l, `${path}/keys/${secrets.kind}`, () => issueCredential(l.ctx, system, principal.guid, secrets.kind, { secrets }));
    l.summary.credentials++;
  }
}

function accountInput(a: FixtureAccount): Omit<NewAccount, 'parentGuid' | 'kind'> {
  const { guid: _g, createdAt: _c, products, principals: _p, contacts: _ct, history: _h, resellers: _r, customers: _cu, status, ...fields } = a;
  return { ...fields, productIds: products, status };
}

async function loadAccount(l: Loading, a: FixtureAccount, kind: AccountKind, parent: Account | null, path: string): Promise<void> {
  const name = parent ? `${parent.guid}/${a.name}` : a.name;
  l.guids.preset(a.guid ? normalizeGuid(a.guid)! : guidFrom(`account:${kind}:${name}`));
  l.clock.set(a.createdAt ?? (kind === 'customer' ? l.start : l.earliest));
  const input = accountInput(a);
  const account = await at(l, path, () => (parent ? createAccount(l.ctx, system, { ...input, parentGuid: parent.guid, kind }) : createPartner(l.ctx, system, input)));
  l.summary.accounts++;
  for (const [i, p] of (a.principals ?? []).entries()) await loadPrincipal(l, account, p, `${path}/principals/${i}`);
  for (const [i, c] of (a.contacts ?? []).entries()) {
    const contact = { ...CONTACT_DEFAULTS, ...c };
    await at(l, `${path}/contacts/${i}`, () => addContact(l.ctx, system, { guid: account.guid }, contact, { contactLimit: l.contactLimit }));
    l.summary.contacts++;
  }
  for (const [i, h] of (a.history ?? []).entries()) {
    if (new Date(h.at) < l.clock.now()) throw new FixtureError(l.source.file, [{ ...l.source.where(`${path}/history/${i}/at`), path: `${path}/history/${i}/at`, message: 'status changes must be in time order, after the account was created' }]);
    l.clock.set(h.at);
    await at(l, `${path}/history/${i}`, () => setServiceStatus(l.ctx, system, account.guid, h.status, { reason: h.reason }));
    l.summary.statusChanges++;
  }
  for (const [i, r] of (a.resellers ?? []).entries()) await loadAccount(l, r, 'reseller', account, `${path}/resellers/${i}`);
  for (const [i, c] of (a.customers ?? []).entries()) await loadAccount(l, c, 'customer', account, `${path}/customers/${i}`);
}

async function loadInvoices(l: Loading, until: Date): Promise<void> {
  for (const [i, { period }] of (l.source.data.invoices ?? []).entries()) {
    const [y, m] = period.split('-').map(Number);
    const issued = new Date(Date.UTC(y, m, 1));
    const path = `/invoices/${i}/period`;
    if (issued > until) throw new FixtureError(l.source.file, [{ ...l.source.where(path), path, message: `${period} ends after clock.at (${until.toISOString()}); it cannot be billed yet` }]);
    l.clock.set(issued);
    const run = await at(l, path, () => runBilling(l.ctx, system, period));
    l.summary.invoices += run.issued.length;
  }
}

function earliestTime(data: FixtureSource['data'], start: Date): Date {
  let min = start.getTime();
  const visit = (a: FixtureAccount) => {
    for (const t of [a.createdAt, ...(a.history ?? []).map((h) => h.at)]) if (t) min = Math.min(min, Date.parse(t));
    for (const c of [...(a.resellers ?? []), ...(a.customers ?? [])]) visit(c);
  };
  for (const p of data.partners) visit(p as FixtureAccount);
  return new Date(min);
}

/**
 * Replaces the store's data with the fixtures and sets the test clock to the file's time; returns what was
 * created. The caller saves the baseline and announces the change.
 */
export async function loadFixtures(ctx: DomainContext, source: FixtureSource, options: { contactLimit: number; wallNow: Date }): Promise<LoadSummary> {
  const start = new Date(source.data.clock?.at ?? DEFAULT_FIXTURE_TIME);
  const clock = new ManualClock(start);
  const l: Loading = {
    ctx: { ...ctx, clock },
    start,
    earliest: earliestTime(source.data, start),
    clock,
    guids: new SeededGuids(`fixtures`),
    source,
    contactLimit: options.contactLimit,
    summary: { accounts: 0, principals: 0, credentials: 0, contacts: 0, statusChanges: 0, invoices: 0 },
  };
  await inTransaction(ctx, (trx) => emptyStore(trx, ctx.dialect));
  await withGuidSource(l.guids, async () => {
    for (const p of source.data.products ?? DEMO_PRODUCTS) await upsertProduct(l.ctx, system, p);
    for (const [i, p] of source.data.partners.entries()) await loadAccount(l, p, 'partner', null, `/partners/${i}`);
    await loadInvoices(l, start);
  });
  const frozen = source.data.clock?.frozen === true;
  const state: ClockState = frozen ? { offsetMs: 0, frozenAt: start.getTime() } : { offsetMs: start.getTime() - options.wallNow.getTime(), frozenAt: null };
  await putState(ctx.db, CLOCK_STATE, state, options.wallNow.toISOString());
  return l.summary;
}
