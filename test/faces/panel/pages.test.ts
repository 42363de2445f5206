import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { MINUTE } from '../../../src/domain/clock.js';
import { statusHistory } from '../../../src/domain/status.js';
import { listContacts } from '../../../src/domain/contact.js';
import { systemActor } from '../../../src/domain/principal.js';
import { CONTACT_MESSAGES } from '../../../src/domain/contact.js';
import { virtualUserGuid } from '../../../src/domain/panel-session.js';
import { queryAudit } from '../../../src/domain/audit.js';
import { get, post, sessionIdFrom, signIn, type PanelSessionHandle } from './helpers.js';
import { buildPanelWorld, rackspaceCall, type PanelWorld } from './world.js';
import { SESSION_COOKIE, csrfToken } from '../../../src/faces/panel/session.js';

/** What the pages do: contacts, invoices, customers, enable/disable, delete, opening a customer's panel. */

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

for (const kind of STORE_KINDS) {
  describe(`panel pages on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let w: PanelWorld;
    let boss: PanelSessionHandle;
    before(async () => {
      t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 });
      w = await buildPanelWorld(t, { pagedCustomers: 23 });
      boss = await signIn(t, w.fx.partner.guid, 'boss@partner.example');
    });
    after(async () => t?.close());

    it('shows the account: identifiers, status timeline, products, users and support', async () => {
      const body = text((await get(t, boss, `/panel/accounts/${w.evil.accountNumber}`)).body);
      for (const fact of [w.evil.accountNumber, w.evil.accountCode, w.evil.mimecastId, 'EVIL-1', 'CertifiedSecure', 'Secure Email Gateway (Site)', 'Hosted Exchange', '12 users', 'Test Partner']) {
        assert.ok(body.includes(fact), `account page shows ${fact}`);
      }
      assert.match(body, /created as CertifiedSecure/);
    });

    it('adds, edits and deletes contacts with the API’s rules and messages', async () => {
      const base = `/panel/accounts/${w.evil.accountNumber}/contacts`;
      const refused = await post(t, boss, base, { name: 'New Person', email: 'nope', phone: '1', securityQuestion: 'Q', securityAnswer: 'A' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, new RegExp(`id="f-email-error">${CONTACT_MESSAGES.emailInvalid}`));
      assert.match(refused.body, /value="New Person"/, 'the form keeps what was typed');
      assert.doesNotMatch(refused.body, /value="A"/, 'but never echoes the security answer');
      const added = await post(t, boss, base, { name: 'New Person', email: 'new@evil.example', phone: '1', securityQuestion: 'Q', securityAnswer: 'A', receivesUpdates: 'true' });
      assert.deepEqual([added.statusCode, added.headers.location], [303, `${base}?notice=added`]);
      const api = await rackspaceCall(t, w.bossKeys, 'GET', `/v2/customers/${w.evil.accountNumber}/contacts`);
      const person = JSON.parse(api.body).Items.find((c: any) => c.Name === 'New Person');
      assert.deepEqual([person.Email, person.ReceivesUpdates, person.ReceivesBilling], ['new@evil.example', true, false], 'the API sees the contact');
      const edited = await post(t, boss, `${base}/${person.Id}`, { name: 'Renamed Person', email: 'new@evil.example', phone: '2', securityQuestion: 'Q', securityAnswer: '' });
      assert.equal(edited.statusCode, 303);
      const after = await rackspaceCall(t, w.bossKeys, 'GET', `/v2/customers/${w.evil.accountNumber}/contacts/${person.Id}`);
      assert.deepEqual([JSON.parse(after.body).Name, JSON.parse(after.body).SecurityAnswer], ['Renamed Person', 'A'], 'an empty answer keeps the stored one');
      assert.equal((await post(t, boss, `${base}/${person.Id}/delete`)).statusCode, 303);
    });

    it('refuses to delete the last billing contact, with the API’s message on the page', async () => {
      const only = (await listContacts(t.ctx, systemActor('test'), { guid: w.evil.guid })).items.find((c) => c.receivesBilling)!;
      const res = await post(t, boss, `/panel/accounts/${w.evil.accountNumber}/contacts/${only.id}/delete`);
      assert.equal(res.statusCode, 400);
      assert.ok(text(res.body).includes(CONTACT_MESSAGES.invariant));
      assert.equal((await listContacts(t.ctx, systemActor('test'), { guid: w.evil.guid })).items.filter((c) => c.receivesBilling).length, 1);
    });

    it('lists invoices, shows line items and downloads the API’s CSV byte for byte', async () => {
      const n = w.evil.accountNumber;
      const list = text((await get(t, boss, `/panel/accounts/${n}/invoices`)).body);
      assert.ok(list.includes(String(w.evilInvoiceId)));
      const lines = await get(t, boss, `/panel/accounts/${n}/invoices/${w.evilInvoiceId}`);
      assert.equal((lines.body.match(/<tbody>[\s\S]*?<\/tbody>/)![0].match(/<tr>/g) ?? []).length, 2, 'two products, two lines');
      const csv = await get(t, boss, `/panel/accounts/${n}/invoices/${w.evilInvoiceId}/csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-disposition']), /^attachment; filename="invoice-\d+\.csv"$/);
      const api = await rackspaceCall(t, w.bossKeys, 'GET', `/v2/customers/${n}/invoices/${w.evilInvoiceId}`);
      assert.equal(api.status, 200);
      assert.ok(Buffer.from(csv.rawPayload).equals(Buffer.from(api.body)), 'the same bytes as the API');
      assert.equal(csv.headers['content-type'], api.headers['content-type']);
    });

    it('lists customers with startswith and contains search and pages through them', async () => {
      const base = `/panel/accounts/${w.fx.resellerA.accountNumber}/customers`;
      const names = (html: string) => [...html.matchAll(/<td><a href="\/panel\/accounts\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]);
      const first = await get(t, boss, base);
      assert.equal(names(first.body).length, 20);
      assert.match(text(first.body), /1–20 of 25/);
      const second = await get(t, boss, `${base}?offset=20`);
      assert.equal(names(second.body).length, 5);
      assert.deepEqual(names((await get(t, boss, `${base}?q=api&match=startswith`)).body), ['API Customer 17', 'API Customer 39']);
      assert.deepEqual(names((await get(t, boss, `${base}?q=customer%2039&match=contains`)).body), ['API Customer 39']);
      assert.deepEqual(names((await get(t, boss, `${base}?q=customer&match=startswith`)).body), []);
      const paged = await get(t, boss, `${base}?q=paged&match=startswith&offset=20`);
      assert.deepEqual(names(paged.body), ['Paged Customer 20', 'Paged Customer 21', 'Paged Customer 22']);
      assert.match(paged.body, /href="[^"]*q=paged&amp;match=startswith&amp;offset=0"/, 'paging keeps the search');
      // No customer holds NUL: a search for it finds none (it was a 500: neither store takes it in a query).
      for (const q of ['api%00cus', '%00%00%00', 'a%00']) {
        for (const match of ['contains', 'startswith']) {
          const res = await get(t, boss, `${base}?q=${q}&match=${match}`);
          assert.equal(res.statusCode, 200, `${q} ${match}`);
          assert.deepEqual(names(res.body), [], `${q} ${match}`);
        }
      }
    });

    it('creates a customer, with errors next to the fields', async () => {
      const base = `/panel/accounts/${w.fx.resellerA.accountNumber}/customers`;
      const refused = await post(t, boss, base, { name: ' padded ', referenceNumber: 'R'.repeat(21), email: 'bad', userCount: 'many' });
      assert.equal(refused.statusCode, 400);
      for (const f of ['name', 'referenceNumber', 'email', 'userCount']) assert.match(refused.body, new RegExp(`id="f-${f}-error"`), f);
      const created = await post(t, boss, base, { name: 'Panel Made', referenceNumber: 'PM-1', userCount: '7' });
      assert.equal(created.statusCode, 303);
      const page = text((await get(t, boss, String(created.headers.location))).body);
      assert.ok(page.includes('Panel Made') && page.includes('PM-1') && page.includes('7 users'));
    });

    it('disables a customer, shows the new status, and refuses a second change within 5 minutes with the time left', async () => {
      const n = w.fx.a2.accountNumber;
      const done = await post(t, boss, `/panel/accounts/${n}/disable`);
      assert.deepEqual([done.statusCode, done.headers.location], [303, `/panel/accounts/${n}?notice=disabled`]);
      const page = text((await get(t, boss, String(done.headers.location))).body);
      assert.match(page, /Now: AccountSuspended/);
      assert.match(page, /by boss@partner\.example TrialActive → AccountSuspended/);
      t.clock.advance(2 * MINUTE);
      const again = await post(t, boss, `/panel/accounts/${n}/enable`);
      assert.equal(again.statusCode, 429);
      assert.match(text(again.body), /Try again in 3 minutes\./);
      assert.match(text(again.body), /Now: AccountSuspended/);
      t.clock.advance(3 * MINUTE);
      assert.equal((await post(t, boss, `/panel/accounts/${n}/enable`)).statusCode, 303);
      const history = await statusHistory(t.ctx, w.fx.a2.guid);
      assert.deepEqual(history.slice(-2).map((h) => [h.newStatus, h.changedByEmail, h.changedByGuid]), [
        ['AccountSuspended', 'boss@partner.example', w.boss.guid],
        ['TrialActive', 'boss@partner.example', w.boss.guid],
      ]);
    });

    it('deletes a customer after confirmation', async () => {
      const victim = `/panel/accounts/${w.fx.resellerB.accountNumber}/customers`;
      const created = await post(t, boss, victim, { name: 'Short Lived' });
      const url = String(created.headers.location);
      assert.match(text((await get(t, boss, `${url}/delete`)).body), /Delete this account\?/);
      const gone = await post(t, boss, `${url}/delete`);
      assert.deepEqual([gone.statusCode, gone.headers.location], [303, `${victim}?notice=deleted`]);
      assert.equal((await get(t, boss, url)).statusCode, 404);
    });

    it('opens a customer’s panel through a fresh login token, as a virtual user the history names', async () => {
      const res = await post(t, boss, `/panel/accounts/${w.fx.a1.accountNumber}/login-link`);
      assert.equal(res.statusCode, 200);
      const link = /id="login-link">([^<]+)</.exec(res.body)![1];
      const redeemed = await t.app.inject({ method: 'GET', url: new URL(link).pathname + new URL(link).search });
      const sessionId = sessionIdFrom(redeemed.headers['set-cookie'])!;
      const customer = { cookie: `${SESSION_COOKIE}=${sessionId}`, sessionId, csrf: csrfToken(sessionId) };
      const user = `boss@partner.example_${w.fx.a1.accountNumber}_vu`;
      assert.match((await get(t, customer, `/panel/accounts/${w.fx.a1.accountNumber}`)).body, new RegExp(`Signed in as <strong>${user}</strong>`));
      const contacts = (await listContacts(t.ctx, systemActor('test'), { guid: w.fx.a1.guid })).total;
      assert.equal((await post(t, customer, `/panel/accounts/${w.fx.a1.accountNumber}/contacts`, { name: 'By Virtual', email: 'v@a1.example', phone: '1', securityQuestion: 'Q', securityAnswer: 'A', receivesBilling: 'true' })).statusCode, 303);
      assert.equal((await listContacts(t.ctx, systemActor('test'), { guid: w.fx.a1.guid })).total, contacts + 1);
      // A customer administrator may not disable its own account: no button, and the post is refused.
      assert.doesNotMatch((await get(t, customer, `/panel/accounts/${w.fx.a1.accountNumber}`)).body, /\/disable"/);
      assert.equal((await post(t, customer, `/panel/accounts/${w.fx.a1.accountNumber}/disable`)).statusCode, 403);
      const audit = (await queryAudit(t.ctx, { accountGuid: w.fx.a1.guid })).filter((e) => e.action === 'contact.create').at(-1)!;
      assert.deepEqual([audit.actorEmail, audit.actorGuid], [user, virtualUserGuid(w.fx.a1.guid, user)], 'audited as the panel user');
    });

    it('keeps a customer session to its own account whatever URL it edits', async () => {
      const customer = await signIn(t, w.fx.a1.guid, 'admin@a1.example');
      for (const other of [w.fx.a2, w.fx.b1, w.evil, w.fx.resellerA, w.fx.partner]) {
        for (const path of ['', '/contacts', '/contacts/new', '/invoices', `/invoices/${w.evilInvoiceId}`, `/invoices/${w.evilInvoiceId}/csv`, '/customers', '/delete']) {
          const res = await get(t, customer, `/panel/accounts/${other.accountNumber}${path}`);
          assert.equal(res.statusCode, 404, `${other.name}${path}`);
          assert.ok(!res.body.includes(other.name), `${other.name}${path} names the account`);
        }
        assert.equal((await post(t, customer, `/panel/accounts/${other.accountNumber}/disable`)).statusCode, 404);
      }
      assert.doesNotMatch((await get(t, customer, `/panel/accounts/${w.fx.a1.accountNumber}`)).body, /Customers<\/a>/, 'a customer has no customers tab');
    });

    it('lets a read-only user look but not change', async () => {
      const reader = await signIn(t, w.fx.partner.guid, 'reader@partner.example');
      assert.equal((await get(t, reader, `/panel/accounts/${w.evil.accountNumber}/contacts`)).statusCode, 200);
      assert.doesNotMatch((await get(t, reader, `/panel/accounts/${w.evil.accountNumber}/contacts`)).body, /Add contact/);
      assert.equal((await post(t, reader, `/panel/accounts/${w.evil.accountNumber}/contacts`, { name: 'X' })).statusCode, 403);
      assert.equal((await post(t, reader, `/panel/accounts/${w.fx.a2.accountNumber}/disable`)).statusCode, 403);
    });
  });
}
