import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { createAccount, type Account } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { addContact, listContacts } from '../../../src/domain/contact.js';
import { assertV2Fault, rawCall } from './v2-helpers.js';

const system = systemActor('test');

/** The seed's add body, with overrides. */
const seedBody = (over: Record<string, unknown> = {}) => ({
  Email: 'user@example.com',
  Name: 'Best Contact',
  Phone: '1235555555',
  ReceivesAlerts: false,
  ReceivesBilling: false,
  ReceivesUpdates: false,
  SecurityAnswer: 'A',
  SecurityQuestion: 'Q',
  ...over,
});

const domainInput = (over: Record<string, unknown> = {}) => ({
  name: 'Contact first - Ellie',
  email: 'user@example.com',
  phone: '1235555555',
  receivesAlerts: true,
  receivesBilling: true,
  receivesUpdates: true,
  securityQuestion: 'Q',
  securityAnswer: 'A',
  ...over,
});

const CONTACT_LIMIT = 5;

for (const kind of STORE_KINDS) {
  describe(`Rackspace v2 contacts on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0, contactLimit: CONTACT_LIMIT });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    const contactsOf = (a: Account) => `/v2/customers/${a.accountNumber}/contacts`;
    const post = (a: Account, body: unknown, who = fx.resellerAdminA) =>
      rawCall(t, who, { method: 'POST', path: contactsOf(a), body: JSON.stringify(body), contentType: 'application/json', accept: 'application/json' });
    const put = (a: Account, id: string | number, body: unknown, who = fx.resellerAdminA) =>
      rawCall(t, who, { method: 'PUT', path: `${contactsOf(a)}/${id}`, body: JSON.stringify(body), contentType: 'application/json' });
    const get = (path: string, who = fx.resellerAdminA, accept = 'application/json') => rawCall(t, who, { method: 'GET', path, accept });
    const del = (a: Account, id: string | number, who = fx.resellerAdminA) => rawCall(t, who, { method: 'DELETE', path: `${contactsOf(a)}/${id}` });
    const stored = async (a: Account) => (await listContacts(t.ctx, system, { accountNumber: a.accountNumber }, { size: 1000 })).items;
    const freshCustomer = (name: string) => createAccount(t.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name });

    it('reads contacts as the seed shows them, and pages with size=2&offset=2', async () => {
      const c = await freshCustomer('Seed Contacts');
      const added = [];
      for (const [i, over] of [
        { email: 'user1@example.com' },
        { email: 'user2@example.com' },
        { email: 'user3@example.com' },
        { email: 'user4@example.com', name: 'Contact after hours - Samir', receivesAlerts: false, receivesBilling: false, receivesUpdates: false },
      ].entries()) {
        added[i] = await addContact(t.ctx, system, { accountNumber: c.accountNumber }, domainInput(over), { contactLimit: 10 });
      }
      const res = await get(`${contactsOf(c)}?size=2&offset=2`);
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /^application\/json/);
      // The seed's document with the store's account number and ids.
      const expected = {
        Size: 2,
        Offset: 2,
        Total: 4,
        Items: [
          { CustomerNumber: c.accountNumber, Email: 'user3@example.com', Id: String(added[2].id), Name: 'Contact first - Ellie', Phone: '1235555555', ReceivesAlerts: true, ReceivesBilling: true, ReceivesUpdates: true, SecurityAnswer: 'A', SecurityQuestion: 'Q' },
          { CustomerNumber: c.accountNumber, Email: 'user4@example.com', Id: String(added[3].id), Name: 'Contact after hours - Samir', Phone: '1235555555', ReceivesAlerts: false, ReceivesBilling: false, ReceivesUpdates: false, SecurityAnswer: 'A', SecurityQuestion: 'Q' },
        ],
      };
      assert.equal(res.body, JSON.stringify(expected), 'key order and types as in the seed');

      const all = await get(contactsOf(c));
      const doc = all.json as { Size: number; Offset: number; Total: number; Items: { Id: string; Email: string }[] };
      assert.deepEqual([doc.Size, doc.Offset, doc.Total], [50, 0, 4]);
      assert.deepEqual(doc.Items.map((i) => i.Email), ['user1@example.com', 'user2@example.com', 'user3@example.com', 'user4@example.com']);

      const one = await get(`${contactsOf(c)}/${added[3].id}`);
      assert.equal(one.status, 200);
      assert.equal(one.body, JSON.stringify(expected.Items[1]));

      // v2 is JSON: an XML Accept still gets JSON.
      const xml = await get(contactsOf(c), fx.resellerAdminA, 'text/xml');
      assert.equal(xml.status, 200);
      assert.match(xml.headers['content-type'], /^application\/json/);
      assert.deepEqual(JSON.parse(xml.body), doc);

      const bad = await get(`${contactsOf(c)}?size=abc`);
      assert.equal(bad.status, 400);
      assert.equal(bad.errorMessage, 'size must be a whole number from 0 to 1000');
    });

    it('adds a contact: 200, the contact as body, Location naming it', async () => {
      const c = await freshCustomer('Add Contact');
      const res = await post(c, seedBody({ ReceivesBilling: true, ReceivesAlerts: true }));
      assert.equal(res.status, 200, res.body);
      const body = res.json as Record<string, unknown>;
      const [s] = await stored(c);
      assert.ok(s, 'stored');
      assert.deepEqual(body, {
        CustomerNumber: c.accountNumber,
        Email: 'user@example.com',
        Id: String(s.id),
        Name: 'Best Contact',
        Phone: '1235555555',
        ReceivesAlerts: true,
        ReceivesBilling: true,
        ReceivesUpdates: false,
        SecurityAnswer: 'A',
        SecurityQuestion: 'Q',
      });
      assert.equal(res.headers.location, `/v2/customers/${c.accountNumber}/contacts/${s.id}`);
      const again = await get(res.headers.location);
      assert.deepEqual(again.json, body);
      // The vendor's text writes booleans as strings; a trailing slash as in the seed's POST works too.
      const text = await rawCall(t, fx.resellerAdminA, {
        method: 'POST',
        path: `${contactsOf(c)}/`,
        body: JSON.stringify(seedBody({ Name: 'Strings', ReceivesBilling: 'true', Phone: 1235555555 })),
        contentType: 'application/json; charset=utf-8',
      });
      assert.equal(text.status, 200, text.body);
      assert.equal((text.json as { ReceivesBilling: boolean }).ReceivesBilling, true);
      assert.equal((text.json as { Phone: string }).Phone, '1235555555');
      assert.equal((await stored(c)).length, 2);
    });

    it('updates with PUT (200, the contact as body) and deletes (200)', async () => {
      const c = await freshCustomer('Update Contact');
      const keep = await addContact(t.ctx, system, { accountNumber: c.accountNumber }, domainInput(), { contactLimit: 10 });
      const other = await addContact(t.ctx, system, { accountNumber: c.accountNumber }, domainInput({ email: 'other@example.com', receivesAlerts: false, receivesBilling: false }), { contactLimit: 10 });

      const full = await put(c, other.id, seedBody({ Name: 'Renamed', Email: 'renamed@example.com', ReceivesUpdates: true, SecurityAnswer: 'new answer' }));
      assert.equal(full.status, 200, full.body);
      const after1 = (await stored(c)).find((x) => x.id === other.id)!;
      assert.equal(after1.name, 'Renamed');
      assert.equal(after1.email, 'renamed@example.com');
      assert.equal(after1.receivesUpdates, true);
      assert.equal(after1.securityAnswer, 'new answer');
      assert.deepEqual(full.json, (await get(`${contactsOf(c)}/${other.id}`)).json);

      // Fields left out stay as they are.
      const partial = await put(c, other.id, { Phone: '555 0100' });
      assert.equal(partial.status, 200);
      const after2 = (await stored(c)).find((x) => x.id === other.id)!;
      assert.equal(after2.phone, '555 0100');
      assert.equal(after2.name, 'Renamed');

      const gone = await del(c, other.id);
      assert.equal(gone.status, 200);
      assert.equal(gone.body, '');
      assertV2Fault(await get(`${contactsOf(c)}/${other.id}`), 404, 'Make sure the URL is correct.', 'deleted contact');
      assert.deepEqual((await stored(c)).map((x) => x.id), [keep.id]);
    });

    it('keeps one billing and one primary contact on delete and update', async () => {
      const c = await freshCustomer('Invariant');
      const only = await addContact(t.ctx, system, { accountNumber: c.accountNumber }, domainInput(), { contactLimit: 10 });
      const message = 'There must be at least one billing contact and one primary contact. (A single contact can be both.)';
      assertV2Fault(await del(c, only.id), 400, message, 'delete the last one');
      assertV2Fault(await put(c, only.id, { ReceivesBilling: false }), 400, message, 'take billing away');
      assertV2Fault(await put(c, only.id, seedBody({ ReceivesAlerts: false, ReceivesBilling: true })), 400, message, 'take primary away');
      const [s] = await stored(c);
      assert.deepEqual([s.receivesBilling, s.receivesAlerts, s.name], [true, true, 'Contact first - Ellie'], 'nothing changed');

      // Granting the role to another contact first lets the old one go.
      const next = await post(c, seedBody({ ReceivesBilling: true, ReceivesAlerts: true }));
      assert.equal(next.status, 200);
      assert.equal((await del(c, only.id)).status, 200);
    });

    it('answers every documented body error with its exact message, and changes nothing', async () => {
      const c = await freshCustomer('Body Errors');
      const seeded = await addContact(t.ctx, system, { accountNumber: c.accountNumber }, domainInput(), { contactLimit: 10 });
      const before = await stored(c);
      const EMPTY = 'Payload must be a valid JSON object. Make sure the POST body contains content.';
      const TYPE = 'Payload must be a valid JSON object. Verify that the content type is application/json .';
      const form = new URLSearchParams({ Name: 'x', Email: 'x@example.com' }).toString();
      const cases: [string, Partial<Parameters<typeof rawCall>[2]>, number, string][] = [
        ['no body', {}, 400, EMPTY],
        ['empty JSON body', { body: '', contentType: 'application/json' }, 400, EMPTY],
        ['blank JSON body', { body: '  \n', contentType: 'application/json' }, 400, EMPTY],
        ['form body', { body: form, contentType: 'application/x-www-form-urlencoded' }, 400, TYPE],
        ['JSON sent as text/plain', { body: JSON.stringify(seedBody()), contentType: 'text/plain' }, 400, TYPE],
        ['XML body', { body: '<contact><Name>x</Name></contact>', contentType: 'text/xml' }, 400, TYPE],
        ['JSON without content type', { body: JSON.stringify(seedBody()) }, 400, TYPE],
        ['unparseable content type', { body: JSON.stringify(seedBody()), contentType: 'json' }, 400, TYPE],
        ['malformed JSON', { body: '{"Name": "x", ', contentType: 'application/json' }, 400, 'Payload must be a valid JSON object.'],
        ['JSON array', { body: JSON.stringify([seedBody()]), contentType: 'application/json' }, 400, 'Payload must be a valid JSON object.'],
        ['JSON string', { body: '"Best Contact"', contentType: 'application/json' }, 400, 'Payload must be a valid JSON object.'],
        ['missing name', { body: JSON.stringify(seedBody({ Name: undefined })), contentType: 'application/json' }, 400, 'Contact name cannot be empty.'],
        ['blank name', { body: JSON.stringify(seedBody({ Name: '  ' })), contentType: 'application/json' }, 400, 'Contact name cannot be empty.'],
        ['invalid e-mail', { body: JSON.stringify(seedBody({ Email: 'not-an-address' })), contentType: 'application/json' }, 400, 'Please enter a valid email address.'],
        ['missing e-mail', { body: JSON.stringify(seedBody({ Email: undefined })), contentType: 'application/json' }, 400, 'Please enter a valid email address.'],
        ['missing security question', { body: JSON.stringify(seedBody({ SecurityQuestion: undefined })), contentType: 'application/json' }, 400, 'Security question cannot be empty.'],
        ['missing security answer', { body: JSON.stringify(seedBody({ SecurityAnswer: '' })), contentType: 'application/json' }, 400, 'Security answer cannot be empty.'],
      ];
      for (const [label, c2, status, message] of cases) {
        const res = await rawCall(t, fx.resellerAdminA, { method: 'POST', path: contactsOf(c), accept: 'text/xml', ...c2 });
        assertV2Fault(res, status, message, `POST ${label}`);
      }
      for (const [label, c2, status, message] of cases.slice(0, 11)) {
        const res = await rawCall(t, fx.resellerAdminA, { method: 'PUT', path: `${contactsOf(c)}/${seeded.id}`, ...c2 });
        assertV2Fault(res, status, message, `PUT ${label}`);
      }
      assertV2Fault(await put(c, seeded.id, { Email: 'broken' }), 400, 'Please enter a valid email address.', 'PUT invalid e-mail');
      assertV2Fault(await put(c, seeded.id, { Name: null }), 400, 'Contact name cannot be empty.', 'PUT null name');
      assert.deepEqual(await stored(c), before, 'no request changed anything');
    });

    it('refuses a contact beyond the configured limit', async () => {
      const c = await freshCustomer('Limit');
      for (let i = 0; i < CONTACT_LIMIT; i++) {
        const res = await post(c, seedBody({ Email: `c${i}@example.com` }));
        assert.equal(res.status, 200, `contact ${i}`);
      }
      assertV2Fault(await post(c, seedBody({ Email: 'one-too-many@example.com' })), 400, 'Contact/Administrator limit reached.');
      assert.equal((await stored(c)).length, CONTACT_LIMIT);
    });

    it('hides other resellers’ customers (404) and refuses principals without the right (403 "Unauthorized.")', async () => {
      const seeded = await addContact(t.ctx, system, { accountNumber: fx.a1.accountNumber }, domainInput(), { contactLimit: 10 });
      const NF = 'Make sure the URL is correct.';
      const stranger = fx.resellerAdminB;
      assertV2Fault(await get(contactsOf(fx.a1), stranger), 404, NF, 'stranger lists');
      assertV2Fault(await get(`${contactsOf(fx.a1)}/${seeded.id}`, stranger), 404, NF, 'stranger reads');
      assertV2Fault(await post(fx.a1, seedBody(), stranger), 404, NF, 'stranger adds');
      assertV2Fault(await put(fx.a1, seeded.id, seedBody(), stranger), 404, NF, 'stranger updates');
      assertV2Fault(await del(fx.a1, seeded.id, stranger), 404, NF, 'stranger deletes');

      // Partner provisioning has no contact rights at all; an account reader may read but not change.
      assertV2Fault(await get(contactsOf(fx.a1), fx.provisioning), 403, 'Unauthorized.', 'provisioning lists');
      assert.equal((await get(contactsOf(fx.a1), fx.reader)).status, 200, 'reader lists');
      assertV2Fault(await post(fx.a1, seedBody(), fx.reader), 403, 'Unauthorized.', 'reader adds');
      assertV2Fault(await put(fx.a1, seeded.id, seedBody({ Name: 'Nope' }), fx.reader), 403, 'Unauthorized.', 'reader updates');
      assertV2Fault(await del(fx.a1, seeded.id, fx.reader), 403, 'Unauthorized.', 'reader deletes');
      // Authorization comes before the body is judged: an admin without the right learns nothing about it.
      assertV2Fault(await post(fx.a1, seedBody({ Name: '' }), fx.reader), 403, 'Unauthorized.', 'reader adds a bad body');

      // The customer's own admin manages its own contacts, also through `me`.
      const own = await get(`/v2/customers/me/contacts`, fx.customerAdminA1);
      assert.equal(own.status, 200);
      assert.ok((own.json as { Items: { Id: string }[] }).Items.some((i) => i.Id === String(seeded.id)));
      const [s] = (await stored(fx.a1)).filter((x) => x.id === seeded.id);
      assert.equal(s.name, 'Contact first - Ellie', 'nothing changed');
    });

    it('answers unknown contacts, customers, routes and verbs with 404 "Make sure the URL is correct."', async () => {
      const c = await freshCustomer('Unknowns');
      const seeded = await addContact(t.ctx, system, { accountNumber: c.accountNumber }, domainInput(), { contactLimit: 10 });
      const other = await addContact(t.ctx, system, { accountNumber: fx.a2.accountNumber }, domainInput(), { contactLimit: 10 });
      const NF = 'Make sure the URL is correct.';
      assertV2Fault(await get(`${contactsOf(c)}/999999`), 404, NF, 'unknown id');
      assertV2Fault(await get(`${contactsOf(c)}/${other.id}`), 404, NF, 'another account’s contact');
      assertV2Fault(await get(`${contactsOf(c)}/abc`), 404, NF, 'non-numeric id');
      assertV2Fault(await put(c, 999999, seedBody()), 404, NF, 'PUT unknown id');
      assertV2Fault(await del(c, 999999), 404, NF, 'DELETE unknown id');
      assertV2Fault(await del(c, other.id), 404, NF, 'DELETE another account’s contact');
      assertV2Fault(await get('/v2/customers/99999999/contacts'), 404, NF, 'unknown customer');
      assertV2Fault(await get('/v2/customers/abc/contacts'), 404, NF, 'malformed customer');
      assertV2Fault(await get(`/v2/customers/${c.accountNumber}/nothing`), 404, NF, 'unknown route');
      assertV2Fault(await get('/v2/customers'), 404, NF, 'no v2 customer index');
      assertV2Fault(await rawCall(t, fx.resellerAdminA, { method: 'PATCH', path: `${contactsOf(c)}/${seeded.id}`, body: '{}', contentType: 'application/json' }), 404, NF, 'wrong verb');
      assertV2Fault(await rawCall(t, fx.resellerAdminA, { method: 'POST', path: `${contactsOf(c)}/${seeded.id}`, body: '{}', contentType: 'application/json' }), 404, NF, 'POST to a contact');
      assertV2Fault(await rawCall(t, fx.resellerAdminA, { method: 'DELETE', path: contactsOf(c) }), 404, NF, 'DELETE the list');
      assert.equal((await stored(fx.a2)).length, 1, 'the other account’s contact is still there');
    });

    it('signs v2 calls like v1: an unsigned or wrongly signed call is refused before anything happens', async () => {
      const c = await freshCustomer('Unsigned');
      const unsigned = await rawCall(t, fx.resellerAdminA, { method: 'POST', path: contactsOf(c), body: JSON.stringify(seedBody()), contentType: 'application/json', signed: false });
      assertV2Fault(unsigned, 403, 'Authentication failed.');
      const wrong = await rawCall(t, { rackspace: { userKey: fx.resellerAdminA.rackspace.userKey, secretKey: 'wrong' } }, { method: 'GET', path: contactsOf(c) });
      assertV2Fault(wrong, 403, 'Authentication failed.');
      assert.equal((await stored(c)).length, 0);
    });
  });

  describe(`Rackspace v2 throttling on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { rackspaceReadsPerMinute: 2, rackspaceWritesPerMinute: 1 });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('counts v2 calls against the same per-principal limits as v1', async () => {
      const path = `/v2/customers/${fx.a1.accountNumber}/contacts`;
      assert.equal((await rawCall(t, fx.resellerAdminA, { method: 'GET', path })).status, 200);
      // A v1 read and a v2 read share one window.
      assert.equal((await rawCall(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers/me', accept: 'application/json' })).status, 200);
      assertV2Fault(await rawCall(t, fx.resellerAdminA, { method: 'GET', path }), 403, 'Exceeded request limits', 'third read');
      const body = JSON.stringify(seedBody({ ReceivesAlerts: true, ReceivesBilling: true }));
      assert.equal((await rawCall(t, fx.resellerAdminA, { method: 'POST', path, body, contentType: 'application/json' })).status, 200);
      assertV2Fault(await rawCall(t, fx.resellerAdminA, { method: 'POST', path, body, contentType: 'application/json' }), 403, 'Exceeded request limits', 'second write');
      assert.equal((await listContacts(t.ctx, system, { accountNumber: fx.a1.accountNumber })).total, 1, 'the refused write did not run');
    });
  });
}
