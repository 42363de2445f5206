import { before, after } from 'node:test';
import type { DomainContext } from '../../src/domain/context.js';
import { makeTestEnv, type TestEnv } from './context.js';
import type { StoreKind } from './stores.js';
import { createAccount, createPartner, type Account, type NewAccount } from '../../src/domain/account.js';
import { createPrincipal, systemActor, type Actor, type Principal, type Role, actorFor } from '../../src/domain/principal.js';
import { issueCredential, type IssuedSecrets } from '../../src/domain/credential.js';
import { upsertProduct } from '../../src/domain/product.js';

export interface FixturePrincipal {
  principal: Principal;
  actor: Actor;
  mimecast: Extract<IssuedSecrets, { kind: 'mimecast' }>;
  rackspace: Extract<IssuedSecrets, { kind: 'rackspace' }>;
  ccc: Extract<IssuedSecrets, { kind: 'ccc' }>;
}

export interface Fixture {
  partner: Account;
  resellerA: Account;
  resellerB: Account;
  /** Customers of reseller A: a1 (with reference number "A1-REF"), a2. */
  a1: Account;
  a2: Account;
  /** Customer of reseller B. */
  b1: Account;
  provisioning: FixturePrincipal;
  reader: FixturePrincipal;
  resellerAdminA: FixturePrincipal;
  resellerAdminB: FixturePrincipal;
  customerAdminA1: FixturePrincipal;
}

const customer = (parentGuid: string, name: string, extra: Partial<NewAccount> = {}): NewAccount => ({
  parentGuid,
  kind: 'customer',
  name,
  addressLine1: '555 Address',
  addressLine2: 'Suite 555',
  city: 'Austin',
  state: 'TX',
  zip: '78703',
  country: 'US',
  phone: '1-555-555-5555',
  email: `it@${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.example`,
  userCount: 20,
  ...extra,
});

/**
 * A small account tree with one principal per role and credentials for every face:
 * partner → reseller A (customers a1, a2), reseller B (customer b1).
 */
export async function buildFixture(ctx: DomainContext): Promise<Fixture> {
  const system = systemActor('test');
  await upsertProduct(ctx, system, { id: 1039, name: 'Secure Email Gateway (Site)', packageLabel: 'Secure Email Gateway', monthlyRate: '3.50' });
  await upsertProduct(ctx, system, { id: 1050, name: 'Hosted Exchange', packageLabel: 'Email', monthlyRate: '7.00' });
  await upsertProduct(ctx, system, { id: 1053, name: 'Office 365 Business Essentials', packageLabel: 'Microsoft 365', monthlyRate: '7.00' });
  const partner = await createPartner(ctx, system, {
    name: 'Test Partner',
    status: 'CertifiedSecure',
    supportPackage: 'Premium',
    customerAdvocate: 'Dana Whitfield',
    customerDevelopmentManager: 'Luis Ortega',
    mainProduct: 'Secure Email Gateway',
    renewalDate: '2027-01-31',
    officePhone: '+1 800 555 0199',
    supportMailto: 'mailto:support@partner.example',
    hostingJurisdiction: 'US',
    supportJurisdiction: 'US',
    productIds: [1039, 1050, 1053],
  });
  const resellerA = await createAccount(ctx, system, { parentGuid: partner.guid, kind: 'reseller', name: 'Reseller A', status: 'CertifiedSecure' });
  const resellerB = await createAccount(ctx, system, { parentGuid: partner.guid, kind: 'reseller', name: 'Reseller B', status: 'CertifiedSecure' });
  const a1 = await createAccount(ctx, system, customer(resellerA.guid, 'API Customer 17', { referenceNumber: 'A1-REF', productIds: [1039] }));
  const a2 = await createAccount(ctx, system, customer(resellerA.guid, 'API Customer 39', { referenceNumber: '23' }));
  const b1 = await createAccount(ctx, system, customer(resellerB.guid, 'Other Customer', { referenceNumber: 'B1-REF' }));

  const person = async (account: Account, email: string, role: Role): Promise<FixturePrincipal> => {
    const principal = await createPrincipal(ctx, system, { accountGuid: account.guid, email, name: email.split('@')[0], roles: [role] });
    const m = (await issueCredential(ctx, system, principal.guid, 'mimecast')).secrets as FixturePrincipal['mimecast'];
    const r = (await issueCredential(ctx, system, principal.guid, 'rackspace')).secrets as FixturePrincipal['rackspace'];
    const c = (await issueCredential(ctx, system, principal.guid, 'ccc')).secrets as FixturePrincipal['ccc'];
    return { principal, actor: (await actorFor(ctx, principal.guid))!, mimecast: m, rackspace: r, ccc: c };
  };
  return {
    partner,
    resellerA,
    resellerB,
    a1,
    a2,
    b1,
    provisioning: await person(partner, 'provisioning@partner.example', 'partner_provisioning'),
    reader: await person(partner, 'reader@partner.example', 'account_read'),
    resellerAdminA: await person(resellerA, 'admin@reseller-a.example', 'reseller_admin'),
    resellerAdminB: await person(resellerB, 'admin@reseller-b.example', 'reseller_admin'),
    customerAdminA1: await person(a1, 'admin@a1.example', 'customer_admin'),
  };
}

/**
 * Registers the suite's hooks: before it, a fresh store on `kind` with the fixture tree (handed to `use`);
 * after it, the store closed and removed.
 */
export function withFixtureEnv(kind: StoreKind, use: (env: TestEnv, fx: Fixture) => void): void {
  let env: TestEnv | undefined;
  before(async () => {
    env = await makeTestEnv(kind);
    use(env, await buildFixture(env.ctx));
  });
  after(async () => env?.close());
}
