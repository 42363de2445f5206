import type { TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { injectRequest, type InjectedResponse } from '../../helpers/transport.js';
import { createAccount, type Account } from '../../../src/domain/account.js';
import { createPrincipal, systemActor, type Principal } from '../../../src/domain/principal.js';
import { issueCredential, type IssuedSecrets } from '../../../src/domain/credential.js';
import { addContact } from '../../../src/domain/contact.js';
import { runBilling, listInvoices } from '../../../src/domain/billing.js';
import { DAY } from '../../../src/domain/clock.js';
import { signRackspaceRequest } from '../../../src/client/rackspace.js';

export const EVIL_NAME = '<script>alert(1)</script>';

/**
 * The fixture tree, plus what the panel's pages need: a partner-level administrator ("boss", with Rackspace
 * keys to compare against the API), a customer directly below the partner named like an attack, with a
 * billing-and-primary contact and a month's invoice, and enough customers below reseller A to page through.
 */
export interface PanelWorld {
  fx: Fixture;
  boss: Principal;
  bossKeys: Extract<IssuedSecrets, { kind: 'rackspace' }>;
  evil: Account;
  evilInvoiceId: number;
}

export async function buildPanelWorld(t: TestApp, options: { pagedCustomers?: number } = {}): Promise<PanelWorld> {
  const fx = await buildFixture(t.ctx);
  const system = systemActor('test');
  const boss = await createPrincipal(t.ctx, system, { accountGuid: fx.partner.guid, email: 'boss@partner.example', name: 'Boss', roles: ['reseller_admin'] });
  const bossKeys = (await issueCredential(t.ctx, system, boss.guid, 'rackspace')).secrets as PanelWorld['bossKeys'];
  const evil = await createAccount(t.ctx, system, {
    parentGuid: fx.partner.guid,
    kind: 'customer',
    name: EVIL_NAME,
    referenceNumber: 'EVIL-1',
    status: 'CertifiedSecure',
    userCount: 12,
    productIds: [1039, 1050],
  });
  await addContact(t.ctx, system, { guid: evil.guid }, {
    name: 'Only Contact',
    email: 'only@evil.example',
    phone: '555-0100',
    receivesAlerts: true,
    receivesBilling: true,
    receivesUpdates: false,
    securityQuestion: 'Pet?',
    securityAnswer: 'Rex',
  }, { contactLimit: 10 });
  for (let i = 0; i < (options.pagedCustomers ?? 0); i++) {
    await createAccount(t.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: `Paged Customer ${String(i).padStart(2, '0')}` });
  }
  // A month of service, billed: the invoice of the month the customer was created in.
  const start = t.clock.now();
  t.clock.set(new Date(start.getTime() + 31 * DAY));
  await runBilling(t.ctx, system, start.toISOString().slice(0, 7));
  const invoices = await listInvoices(t.ctx, system, { guid: evil.guid });
  return { fx, boss, bossKeys, evil, evilInvoiceId: invoices.items[0].id };
}

/** A Rackspace API call signed with the given keys, through the shared inject transport. */
export function rackspaceCall(t: TestApp, keys: { userKey: string; secretKey: string }, method: string, url: string, body?: unknown): Promise<InjectedResponse> {
  const userAgent = 'partnerhub panel tests';
  const headers: Record<string, string> = { 'user-agent': userAgent, 'x-api-signature': signRackspaceRequest({ ...keys, userAgent, at: t.clock.now() }), accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return injectRequest(t.app, { method, url, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
