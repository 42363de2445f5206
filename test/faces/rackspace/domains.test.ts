import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { createAccount, findAccountUnscoped, type Account } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { invoiceLineItems, listInvoices, runBilling } from '../../../src/domain/billing.js';
import { call, keyHolder, xmlTree, UNTHROTTLED, type KeyHolder } from './helpers.js';

/**
 * The Domain, Rackspace Mailbox and Rackspace Alias resources through app.inject(): happy paths in JSON and
 * XML (compared element by element with the wiki's examples), the documented messages, and scoping.
 */

const system = systemActor('test');
const PASSWORD = 'Tr1cky!Horse';
const NS = { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema' };

for (const kind of STORE_KINDS) {
  describe(`rackspace domains, mailboxes and aliases on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let a1: string;
    const asReseller = (o: Parameters<typeof call>[2]) => call(t, fx.resellerAdminA, o);
    before(async () => {
      t = await makeTestApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.ctx);
      a1 = fx.a1.accountNumber;
    });
    after(async () => t?.close());

    it('adds a domain (form body), lists it for the customer, me, all and /v1/domains, and shows it', async () => {
      const add = await asReseller({ method: 'POST', path: `/v1/customers/${a1}/domains/ApiDomain53.example`, fields: { serviceType: 'rsemail', rsEmailMaxNumberMailboxes: 3 } });
      assert.equal(add.status, 200, add.body);
      assert.equal(add.body, '');
      const list = await asReseller({ method: 'GET', path: `/v1/customers/${a1}/domains`, format: 'json' });
      assert.deepEqual(list.json, {
        offset: 0,
        size: 50,
        total: 1,
        domains: [{ name: 'apidomain53.example', accountNumber: a1, serviceType: 'rsemail', exchangeMaxNumMailboxes: 0, rsEmailMaxNumberMailboxes: 3 }],
      });
      const all = await asReseller({ method: 'GET', path: '/v1/customers/all/domains', query: { domainNames: 'apidomain53.example,none.example' }, format: 'json' });
      assert.deepEqual((all.json as any).domains.map((d: any) => d.name), ['apidomain53.example']);
      const mine = await call(t, fx.customerAdminA1, { method: 'GET', path: '/v1/domains', format: 'json' });
      assert.deepEqual((mine.json as any).domains.map((d: any) => d.name), ['apidomain53.example']);
      const me = await call(t, fx.customerAdminA1, { method: 'GET', path: '/v1/customers/me/domains', format: 'json' });
      assert.deepEqual(me.json, mine.json);
      const v0 = await asReseller({ method: 'GET', path: `/v0/customers/${a1}/domains`, format: 'json' });
      assert.deepEqual((v0.json as any).domains, [{ name: 'apidomain53.example', accountNumber: a1, serviceType: 'rsemail' }]);
      const show = await asReseller({ method: 'GET', path: `/v1/customers/${a1}/domains/apidomain53.example`, format: 'json' });
      assert.equal((show.json as any).rsEmailMaxNumberMailboxes, 3);
      assert.deepEqual((show.json as any).aliases, []);
    });

    it('writes the domain list as the wiki example, element by element', async () => {
      const res = await asReseller({ method: 'GET', path: `/v1/customers/${a1}/domains`, format: 'xml' });
      assert.match(res.headers['content-type'] ?? '', /text\/xml/);
      const text = (name: string, value: string) => ({ name, attrs: {}, text: value, children: [] });
      assert.deepEqual(xmlTree(res.body), {
        name: 'domainList',
        attrs: { ...NS, xmlns: 'urn:xml:domainList' },
        children: [
          text('offset', '0'),
          text('size', '50'),
          text('total', '1'),
          {
            name: 'domains',
            attrs: {},
            children: [
              {
                name: 'domain',
                attrs: {},
                children: [text('name', 'apidomain53.example'), text('accountNumber', a1), text('serviceType', 'rsemail'), text('exchangeMaxNumMailboxes', '0'), text('rsEmailMaxNumberMailboxes', '3')],
              },
            ],
          },
        ],
      });
    });

    it("refuses a taken domain, a bad name and an unknown domain with the resource's messages", async () => {
      const taken = await call(t, fx.resellerAdminB, { method: 'POST', path: `/v1/customers/${fx.b1.accountNumber}/domains/apidomain53.example`, format: 'json' });
      assert.equal(taken.status, 400);
      assert.equal(taken.errorMessage, 'Domain already exists.');
      const bad = await asReseller({ method: 'POST', path: `/v1/customers/${a1}/domains/not_a_domain`, format: 'json' });
      assert.equal(bad.status, 400);
      assert.equal(bad.errorMessage, 'Invalid domain name.');
      const badType = await asReseller({ method: 'PUT', path: `/v1/customers/${a1}/domains/apidomain53.example`, fields: { serviceType: 'fax' }, format: 'json' });
      assert.equal(badType.errorMessage, 'serviceType must be rsemail, exchange or both.');
      const missing = await asReseller({ method: 'GET', path: `/v1/customers/${a1}/domains/ghost.example`, format: 'json' });
      assert.equal(missing.status, 404);
      assert.deepEqual((missing.json as any).itemNotFoundFault.resourceType, 'domain');
      assert.equal(missing.errorMessage, 'Domain not found');
    });

    it('adds mailboxes, never answers with the password, filters by enabled and shows ?fields', async () => {
      const path = `/v1/customers/${a1}/domains/apidomain53.example/rs/mailboxes`;
      const before = (await findAccountUnscoped(t.ctx, { guid: fx.a1.guid }))!.userCount;
      for (const name of ['apirsmailbox37', 'apirsmailbox91']) {
        const res = await asReseller({ method: 'POST', path: `${path}/${name}`, fields: { password: PASSWORD, size: 10240, displayName: name.toUpperCase() }, format: 'json' });
        assert.equal(res.status, 200, res.body);
        assert.ok(!res.body.includes(PASSWORD));
      }
      assert.equal((await findAccountUnscoped(t.ctx, { guid: fx.a1.guid }))!.userCount, before + 2);
      const disable = await asReseller({ method: 'PUT', path: `${path}/apirsmailbox91`, fields: { enabled: false }, bodyType: 'json' });
      assert.equal(disable.status, 200, disable.body);
      assert.equal((await findAccountUnscoped(t.ctx, { guid: fx.a1.guid }))!.userCount, before + 1);
      const list = await asReseller({ method: 'GET', path, format: 'json' });
      assert.deepEqual(list.json, { offset: 0, size: 50, total: 2, rsMailboxes: [{ name: 'apirsmailbox37', displayName: 'APIRSMAILBOX37' }, { name: 'apirsmailbox91', displayName: 'APIRSMAILBOX91' }] });
      const enabled = await asReseller({ method: 'GET', path, query: { enabled: 'true', fields: 'size,currentUsage,enabled' }, format: 'json' });
      assert.deepEqual((enabled.json as any).rsMailboxes, [{ name: 'apirsmailbox37', displayName: 'APIRSMAILBOX37', size: 10240, currentUsage: 0, enabled: true }]);
      const disabled = await asReseller({ method: 'GET', path, query: { enabled: 'false', size: 1 }, format: 'json' });
      assert.deepEqual([(disabled.json as any).total, (disabled.json as any).size], [1, 1]);
      const show = await asReseller({ method: 'GET', path: `${path}/apirsmailbox37`, format: 'json' });
      assert.equal((show.json as any).size, 10240);
      for (const r of [list, enabled, show]) assert.ok(!r.body.includes(PASSWORD) && !/scrypt|password/i.test(r.body), 'a password or its hash in an answer');
    });

    it('shows a mailbox in XML in the wiki’s element order', async () => {
      const path = `/v1/customers/${a1}/domains/apidomain53.example/rs/mailboxes/apirsmailbox37`;
      await asReseller({ method: 'PUT', path, fields: { vacationMessage: 'My Test Vacation Message', enableVacationMessage: true, emailForwardingAddresses: 'notreal0@apidomain.net,notreal1@apidomain.net', lastName: 'Testlast' } });
      const res = await asReseller({ method: 'GET', path, format: 'xml' });
      const tree = xmlTree(res.body);
      assert.equal(tree.name, 'rsMailbox');
      assert.equal(tree.attrs.xmlns, 'urn:xml:rsMailbox');
      // The wiki's example begins name, size, currentUsage, vacationMessage, enableVacationMessage, emailForwardingAddressList, saveForwardedEmail, contactInfo.
      assert.deepEqual(tree.children.slice(0, 8).map((c) => c.name), ['name', 'size', 'currentUsage', 'vacationMessage', 'enableVacationMessage', 'emailForwardingAddressList', 'saveForwardedEmail', 'contactInfo']);
      assert.deepEqual(tree.children[5].children.map((c) => [c.name, c.text]), [['emailAddress', 'notreal0@apidomain.net'], ['emailAddress', 'notreal1@apidomain.net']]);
      assert.equal(tree.children[7].children[0].name, 'lastName');
    });

    it("refuses weak passwords, taken names and the domain's mailbox limit with their messages", async () => {
      const path = `/v1/customers/${a1}/domains/apidomain53.example/rs/mailboxes`;
      const weak = await asReseller({ method: 'POST', path: `${path}/weak`, fields: { password: 'abc' }, format: 'json' });
      assert.equal(weak.status, 400);
      assert.match(weak.errorMessage!, /^Password must be at least 8 characters long/);
      const taken = await asReseller({ method: 'POST', path: `${path}/apirsmailbox37`, fields: { password: PASSWORD }, format: 'json' });
      assert.equal(taken.errorMessage, 'Mailbox already exists.');
      const third = await asReseller({ method: 'POST', path: `${path}/third`, fields: { password: PASSWORD } });
      assert.equal(third.status, 200, third.body);
      const over = await asReseller({ method: 'POST', path: `${path}/fourth`, fields: { password: PASSWORD }, format: 'json' });
      assert.equal(over.status, 400);
      assert.equal(over.errorMessage, 'Max number of mailboxes reached.');
      const badName = await asReseller({ method: 'POST', path: `${path}/-bad`, fields: { password: PASSWORD }, format: 'json' });
      assert.match(badName.errorMessage!, /^Invalid mailbox name/);
      const fields = await asReseller({ method: 'GET', path, query: { fields: 'size,shoeSize' }, format: 'json' });
      assert.equal(fields.status, 400);
      const gone = await asReseller({ method: 'DELETE', path: `${path}/third` });
      assert.equal(gone.status, 200);
      assert.equal((await asReseller({ method: 'GET', path: `${path}/third`, format: 'json' })).errorMessage, 'Mailbox not found');
    });

    it('adds, lists (as the wiki example), shows, edits and deletes aliases', async () => {
      const path = `/v1/customers/${a1}/domains/apidomain53.example/rs/aliases`;
      const add = await asReseller({ method: 'POST', path: `${path}/alias1`, fields: { aliasEmails: 'apirsmailbox37@apidomain53.example, e1@yahoo.example,e2@gmail.example' } });
      assert.equal(add.status, 200, add.body);
      assert.deepEqual((await asReseller({ method: 'GET', path, format: 'json' })).json, { aliases: [{ name: 'alias1', numberOfMembers: 3 }] });
      const xml = await asReseller({ method: 'GET', path, format: 'xml' });
      assert.deepEqual(xmlTree(xml.body), {
        name: 'aliasList',
        attrs: { ...NS, xmlns: 'urn:xml:aliasList' },
        children: [{ name: 'aliases', attrs: {}, children: [{ name: 'alias', attrs: {}, children: [{ name: 'name', attrs: {}, text: 'alias1', children: [] }, { name: 'numberOfMembers', attrs: {}, text: '3', children: [] }] }] }],
      });
      const edit = await asReseller({ method: 'PUT', path: `${path}/alias1`, fields: { aliasEmails: 'apirsmailbox91@apidomain53.example' } });
      assert.equal(edit.status, 200, edit.body);
      assert.deepEqual((await asReseller({ method: 'GET', path: `${path}/alias1`, format: 'json' })).json, { name: 'alias1', emailAddressList: ['apirsmailbox91@apidomain53.example'] });
      assert.equal((await asReseller({ method: 'DELETE', path: `${path}/alias1` })).status, 200);
      assert.equal((await asReseller({ method: 'GET', path: `${path}/alias1`, format: 'json' })).status, 404);
    });

    it("words every documented alias error as the wiki's table", async () => {
      const post = (aliasEmails: string) => asReseller({ method: 'POST', path: `/v1/customers/${a1}/domains/apidomain53.example/rs/aliases/alias2`, fields: { aliasEmails }, format: 'json' });
      const missing = await post('a@apidomain53.example');
      assert.equal(missing.status, 400);
      assert.equal(missing.errorMessage, 'An alias must point to a valid email address. The following email addresses do not exist: a@apidomain53.example');
      assert.equal((await post('')).errorMessage, 'An alias must point to a valid email address.');
      assert.equal((await post('a@x.example,b@x.example,c@x.example,d@x.example,e@x.example')).errorMessage, 'Max number of non-local email recipients reached.');
    });

    it("hides a sibling customer's domains from a customer admin, and refuses it the reseller's domain operations", async () => {
      const sibling = await call(t, fx.customerAdminA1, { method: 'GET', path: `/v1/customers/${fx.a2.accountNumber}/domains`, format: 'json' });
      assert.equal(sibling.status, 404);
      assert.equal(sibling.errorMessage, 'Customer Not Found');
      const mailboxes = await call(t, fx.customerAdminA1, { method: 'GET', path: `/v1/customers/${fx.a2.accountNumber}/domains/x.example/rs/mailboxes`, format: 'json' });
      assert.equal(mailboxes.errorMessage, 'Customer Not Found');
      const addDomain = await call(t, fx.customerAdminA1, { method: 'POST', path: '/v1/customers/me/domains/mine.example', format: 'json' });
      assert.equal(addDomain.status, 403);
      assert.equal(addDomain.errorMessage, 'Not authorized');
      const own = await call(t, fx.customerAdminA1, { method: 'POST', path: '/v1/customers/me/domains/apidomain53.example/rs/mailboxes/self', fields: { password: PASSWORD } });
      assert.equal(own.status, 200, `a customer admin manages its own mailboxes: ${own.body}`);
    });

    it('deletes a domain with its mailboxes, and the user count follows (two of its three are enabled)', async () => {
      const before = (await findAccountUnscoped(t.ctx, { guid: fx.a1.guid }))!.userCount;
      const res = await asReseller({ method: 'DELETE', path: `/v1/customers/${a1}/domains/apidomain53.example` });
      assert.equal(res.status, 200, res.body);
      assert.equal((await findAccountUnscoped(t.ctx, { guid: fx.a1.guid }))!.userCount, before - 2);
      assert.equal((await asReseller({ method: 'GET', path: `/v1/customers/${a1}/domains`, format: 'json' }) as any).json.total, 0);
    });
  });
}

describe('a mailbox added through Rackspace is an Upgrade line of the next billing run', () => {
  let t: TestApp;
  let customer: Account;
  let admin: KeyHolder;
  before(async () => {
    t = await makeTestApp('sqlite', UNTHROTTLED);
    const fx = await buildFixture(t.ctx);
    customer = await createAccount(t.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Billed', status: 'CertifiedSecure', userCount: 5, productIds: [1039], primaryDomain: 'billed.example' });
    admin = await keyHolder(t.ctx, fx.resellerA, 'billing-admin@reseller-a.example');
  });
  after(async () => t?.close());

  it('prices the new user from the day it was added', async () => {
    t.clock.set('2026-03-16T00:00:00.000Z');
    const res = await call(t, admin, { method: 'POST', path: `/v1/customers/${customer.accountNumber}/domains/billed.example/rs/mailboxes/new.user`, fields: { password: PASSWORD } });
    assert.equal(res.status, 200, res.body);
    t.clock.set('2026-04-02T00:00:00.000Z');
    await runBilling(t.ctx, system, '2026-03');
    const [invoice] = (await listInvoices(t.ctx, system, { guid: customer.parentGuid! })).items;
    const { lines } = await invoiceLineItems(t.ctx, system, { guid: customer.parentGuid! }, String(invoice.id));
    const upgrades = [];
    for await (const l of lines) if (l.type === 'Upgrade' && l.accountNumber === customer.accountNumber) upgrades.push(l);
    assert.equal(upgrades.length, 1);
    assert.deepEqual([upgrades[0].committedUsage, upgrades[0].currentUsage, upgrades[0].usageChange], [5, 6, 1]);
    assert.equal(upgrades[0].domain, 'billed.example');
  });
});
