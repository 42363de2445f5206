import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture, type FixturePrincipal } from '../../helpers/fixture.js';
import { signRackspaceRequest } from '../../../src/client/rackspace.js';
import { addContact } from '../../../src/domain/contact.js';
import { systemActor } from '../../../src/domain/principal.js';
import { xmlTree } from './helpers.js';

/**
 * Throws malformed, hostile and out-of-scope requests at every Rackspace route and checks the three things a
 * client and an operator rely on: never a 5xx, always the vendor's fault document with x-error-message, and
 * nothing changed in the store.
 *
 * Not covered here: malformed percent-escapes in the path (`/v1/customers/%ZZ`) and path segments longer than
 * the router's 100 characters are answered by Fastify's router before any face's handlers run; giving them a
 * vendor shape needs an app-level `frameworkErrors` handler in src/app.ts, shared by every face.
 */

const UA = 'adversarial-test';
/** Stands for the caller's own valid signature in a probe's header list. */
const VALID = '<valid signature>';
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
type Who = 'resellerAdminA' | 'resellerAdminB' | 'customerAdminA1' | 'reader' | 'provisioning';

interface Probe {
  label: string;
  method: Method;
  url: string;
  who?: Who;
  contentType?: string;
  body?: string;
  /** Overrides the X-Api-Signature header (a list sends the header twice); null leaves it out. */
  signature?: string | string[] | null;
  userAgent?: string;
}

const TABLES = ['accounts', 'audit_log', 'status_history', 'contacts', 'login_tokens', 'principals', 'credentials', 'user_count_changes'] as const;

for (const kind of STORE_KINDS) {
  describe(`Rackspace face under hostile input on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let probes: Probe[];

    before(async () => {
      // Throttling off: every probe must reach its route, and the throttle's own counting is not "a change".
      t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0, bodyLimit: 8192 });
      fx = await buildFixture(t.ctx);
      const contact = { name: 'Billing Desk', email: 'billing@a1.example', phone: '5550100', receivesAlerts: true, receivesBilling: true, receivesUpdates: true, securityQuestion: 'Q', securityAnswer: 'A' };
      const c = await addContact(t.ctx, systemActor('test'), { guid: fx.a1.guid }, contact, { contactLimit: 10 });
      probes = buildProbes(fx.a1.accountNumber, fx.a2.accountNumber, fx.b1.accountNumber, c.id);
    });
    after(async () => t?.close());

    const snapshot = async () => {
      const counts: Record<string, number> = {};
      for (const table of TABLES) {
        const row = await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        counts[table] = Number(row.n);
      }
      const accounts = await t.ctx.db.selectFrom('accounts').selectAll().orderBy('guid').execute();
      const contacts = await t.ctx.db.selectFrom('contacts').selectAll().orderBy('id').execute();
      return { counts, accounts, contacts };
    };

    const send = (p: Probe, accept: string) => {
      const who: FixturePrincipal = fx[p.who ?? 'resellerAdminA'];
      const headers: Record<string, string | string[]> = { 'user-agent': p.userAgent ?? UA, accept };
      const valid = signRackspaceRequest({ ...who.rackspace, userAgent: UA, at: t.clock.now() });
      const signature = p.signature === undefined ? valid : Array.isArray(p.signature) ? p.signature.map((s) => (s === VALID ? valid : s)) : p.signature;
      if (signature !== null) headers['x-api-signature'] = signature;
      if (p.contentType !== undefined) headers['content-type'] = p.contentType;
      return t.app.inject({ method: p.method, url: p.url, headers, payload: p.body });
    };

    it('answers every probe with a vendor fault below 500 and changes nothing', async () => {
      const before = await snapshot();
      const problems: string[] = [];
      for (const p of probes) {
        for (const accept of ['application/json', 'text/xml']) {
          const res = await send(p, accept);
          const where = `${p.label} [${p.method} ${p.url.slice(0, 80)}, Accept ${accept}]`;
          if (res.statusCode < 400 || res.statusCode >= 500) {
            problems.push(`${where}: status ${res.statusCode} ${res.body.slice(0, 160)}`);
            continue;
          }
          const headerMessage = res.headers['x-error-message'];
          if (typeof headerMessage !== 'string' || !headerMessage) problems.push(`${where}: no x-error-message`);
          // v2 answers JSON whatever Accept says; v0 and v1 follow Accept.
          const json = p.url.startsWith('/v2/') || accept === 'application/json';
          try {
            if (json) {
              assert.match(String(res.headers['content-type']), /^application\/json/);
              const doc = JSON.parse(res.body) as Record<string, { message: unknown; details: unknown; code: unknown }>;
              const kinds = Object.keys(doc);
              assert.equal(kinds.length, 1);
              assert.match(kinds[0], /^(badRequest|itemNotFound|unauthorized|validation|apps)Fault$/);
              assert.equal(typeof doc[kinds[0]].message, 'string');
              assert.equal(typeof doc[kinds[0]].details, 'string');
              assert.equal(doc[kinds[0]].code, res.statusCode);
              assert.equal(doc[kinds[0]].message, headerMessage);
            } else {
              assert.match(String(res.headers['content-type']), /^text\/xml/);
              const tree = xmlTree(res.body);
              assert.match(tree.name, /^(badRequest|itemNotFound|unauthorized|validation|apps)Fault$/);
              assert.equal(tree.attrs.code, String(res.statusCode));
              assert.deepEqual(tree.children.slice(0, 2).map((c) => c.name), ['message', 'details']);
              assert.equal(tree.children[0].text, headerMessage);
            }
          } catch (e) {
            problems.push(`${where}: not a vendor fault (${(e as Error).message.split('\n')[0]}): ${res.body.slice(0, 160)}`);
          }
        }
      }
      assert.deepEqual(problems, [], `${problems.length} of ${probes.length * 2} probes misbehaved`);
      assert.deepEqual(await snapshot(), before, 'a refused request changed the store');
    });
  });
}

/** Every route, each with the odd paths, queries, bodies, headers and callers it must refuse. */
function buildProbes(a1: string, a2: string, b1: string, contactId: number): Probe[] {
  const probes: Probe[] = [];
  const customerIds = [
    ['upper-case ME', 'ME'],
    ['negative number', '-1'],
    ['fraction', '1.5'],
    ['zero', '0'],
    ['20 digits', '9'.repeat(20)],
    ['21 digits', '9'.repeat(21)],
    ['100 digits (the router limit)', '9'.repeat(100)],
    ['encoded slash', `${a1}%2Fenable`],
    ['NUL', '%00'],
    ['me and NUL', 'me%00'],
    ['unicode', '%E2%82%AC'],
    ['space', '%20' + a1],
    ['another reseller’s customer', b1],
  ];
  const json = 'application/json';
  const form = 'application/x-www-form-urlencoded';
  const customerBodies: [string, string | undefined, string][] = [
    ['JSON null', json, 'null'],
    ['a JSON list', json, '[]'],
    ['a JSON number', json, '42'],
    ['a JSON string', json, '"name"'],
    ['truncated JSON', json, '{"name":'],
    ['JSON with charset utf-8 and an empty name', 'application/json; charset=utf-8', '{"name":""}'],
    ['JSON with an unknown charset, malformed', 'application/json;charset=latin1', '['],
    ['a name that is an object', json, '{"name":{"a":1}}'],
    ['a name that is a list', json, '{"name":["a"]}'],
    ['a name that is a boolean', json, '{"name":true}'],
    ['a name that overflows to Infinity', json, '{"name":1e400}'],
    ['a name with NUL', json, '{"name":"a\\u0000b"}'],
    ['a city with NUL', json, '{"name":"Fine","city":"x\\u0000"}'],
    ['a name with a leading space', json, '{"name":" Lead"}'],
    ['a name of 101 accented letters', json, `{"name":"${'é'.repeat(101)}"}`],
    ['a reference number of 21 characters', json, `{"name":"Fine","referenceNumber":"${'1'.repeat(21)}"}`],
    ['an e-mail that is not one', json, '{"name":"Fine","email":"not-an-email"}'],
    ['a form NUL', form, 'name=%00'],
    ['a repeated form field', form, 'name=a&name=b'],
    ['a form with charset and NUL in the city', `${form}; charset=utf-8`, 'name=Fine&city=%00'],
    ['malformed XML', 'text/xml', '<customer><name>A</customer>'],
    ['XML with a nested name', 'text/xml; charset=utf-8', '<customer><name><x>1</x></name></customer>'],
    ['XML with a repeated name', 'application/xml', '<customer><name>a</name><name>b</name></customer>'],
    ['XML with an empty name, utf-16 declared', 'application/xml; charset=utf-16', '<customer><name></name></customer>'],
    ['plain text', 'text/plain', 'name=A'],
    ['octet stream', 'application/octet-stream', 'name=A'],
    ['multipart', 'multipart/form-data; boundary=x', '--x--'],
    ['a content type that is no media type', 'garbage', 'name=A'],
    ['an oversized body', json, JSON.stringify({ name: 'A', city: 'x'.repeat(9000) })],
  ];
  const tokenBodies: [string, string | undefined, string][] = [
    ['no fields', json, '{}'],
    ['a userName list', json, '{"userName":["a"]}'],
    ['a virtualUser object', json, '{"userName":"helpdesk","virtualUser":{}}'],
    ['a virtualUser word', json, '{"userName":"helpdesk","virtualUser":"yes"}'],
    ['a userName with NUL', json, '{"userName":"help\\u0000desk","virtualUser":true}'],
    ['a userName with a space', form, 'userName=help+desk&virtualUser=true'],
    ['an unknown admin user', form, 'userName=nobody&virtualUser=false'],
    ['a userName of 65 characters', json, `{"userName":"${'a'.repeat(65)}","virtualUser":true}`],
    ['JSON null', json, 'null'],
    ['malformed XML', 'text/xml', '<loginToken><userName>x</loginToken>'],
  ];

  for (const prefix of ['/v1', '/v0', '']) {
    const base = `${prefix}/customers`;
    const queries = [
      'size=1&size=2',
      'size=-1',
      'size=1.5',
      'size=1e3',
      'size=0',
      `size=${'9'.repeat(30)}`,
      'size=%ZZ',
      'offset=-1',
      'offset=1.5',
      `offset=${'9'.repeat(30)}`,
      'startswith=a&contains=b',
      'startswith=%00',
      'contains=a%00',
      'contains=x&contains=y',
      'referenceNumber=%00',
      'referenceNumber=a&referenceNumber=b',
      'referenceNumber=no-such-reference',
      `referenceNumber=${'x'.repeat(2000)}`,
    ];
    for (const q of queries) probes.push({ label: `index ?${q.slice(0, 30)}`, method: 'GET', url: `${base}?${q}` });
    for (const [label, id] of customerIds) {
      probes.push({ label: `show ${label}`, method: 'GET', url: `${base}/${id}` });
      probes.push({ label: `edit ${label}`, method: 'PUT', url: `${base}/${id}`, contentType: json, body: '{"city":"Nowhere"}' });
      probes.push({ label: `delete ${label}`, method: 'DELETE', url: `${base}/${id}` });
      probes.push({ label: `disable ${label}`, method: 'POST', url: `${base}/${id}/disable` });
      probes.push({ label: `enable ${label}`, method: 'POST', url: `${base}/${id}/enable`, contentType: json, body: '' });
      probes.push({ label: `login token ${label}`, method: 'POST', url: `${base}/${id}/loginToken`, contentType: json, body: '{"userName":"helpdesk","virtualUser":true}' });
    }
    for (const [label, contentType, body] of customerBodies) {
      // v0 knows only name and referenceNumber and ignores other fields, so those bodies are fine there.
      if (prefix !== '/v1' && /"(city|email)"|city=/.test(body)) continue;
      probes.push({ label: `add with ${label}`, method: 'POST', url: base, contentType, body });
      probes.push({ label: `edit with ${label}`, method: 'PUT', url: `${base}/${a1}`, contentType, body });
    }
    for (const [label, contentType, body] of tokenBodies) {
      probes.push({ label: `login token with ${label}`, method: 'POST', url: `${base}/${a1}/loginToken`, contentType, body });
    }
    // `me` where it does not fit: an account cannot delete, disable or enable itself.
    probes.push({ label: 'delete me', method: 'DELETE', url: `${base}/me` });
    probes.push({ label: 'disable me', method: 'POST', url: `${base}/me/disable` });
    probes.push({ label: 'enable me', method: 'POST', url: `${base}/me/enable` });
    // Unknown routes and wrong verbs, with and without trailing slashes.
    probes.push({ label: 'PATCH a customer', method: 'PATCH', url: `${base}/${a1}`, contentType: json, body: '{"name":"X"}' });
    probes.push({ label: 'OPTIONS', method: 'OPTIONS', url: `${base}/` });
    probes.push({ label: 'DELETE the collection', method: 'DELETE', url: `${base}/` });
    probes.push({ label: 'GET enable', method: 'GET', url: `${base}/${a1}/enable/` });
    probes.push({ label: 'unknown sub-resource', method: 'POST', url: `${base}/${a1}/suspend` });
    probes.push({ label: 'one level too deep', method: 'GET', url: `${base}/${a1}/loginToken/x` });
  }

  // Callers outside their scope or without the role; the same operations a reseller admin may do.
  const scoped: [Who, Method, string, string | undefined][] = [
    ['resellerAdminB', 'GET', `/v1/customers/${a1}`, undefined],
    ['resellerAdminB', 'PUT', `/v1/customers/${a1}`, '{"city":"Elsewhere"}'],
    ['resellerAdminB', 'DELETE', `/v1/customers/${a1}`, undefined],
    ['resellerAdminB', 'POST', `/v1/customers/${a1}/disable`, undefined],
    ['resellerAdminB', 'POST', `/v1/customers/${a1}/loginToken`, '{"userName":"helpdesk","virtualUser":true}'],
    ['resellerAdminB', 'GET', `/v1/customers?referenceNumber=A1-REF`, undefined],
    ['resellerAdminB', 'GET', `/v0/customers?referenceNumber=A1-REF`, undefined],
    ['customerAdminA1', 'GET', `/v1/customers/${a2}`, undefined],
    ['customerAdminA1', 'PUT', `/v1/customers/${a2}`, '{"city":"Elsewhere"}'],
    ['customerAdminA1', 'POST', '/v1/customers', '{"name":"Grandchild"}'],
    ['customerAdminA1', 'DELETE', '/v1/customers/me', undefined],
    ['customerAdminA1', 'POST', `/v1/customers/me/disable`, undefined],
    ['customerAdminA1', 'POST', `/v1/customers/${a2}/loginToken`, '{"userName":"helpdesk","virtualUser":true}'],
    ['reader', 'PUT', `/v1/customers/${a1}`, '{"city":"Elsewhere"}'],
    ['reader', 'POST', '/v1/customers', '{"name":"Not Mine"}'],
    ['reader', 'DELETE', `/v1/customers/${a1}`, undefined],
    ['reader', 'POST', `/v1/customers/${a1}/enable`, undefined],
    ['reader', 'POST', `/v1/customers/${a1}/loginToken`, '{"userName":"helpdesk","virtualUser":true}'],
    ['provisioning', 'DELETE', `/v1/customers/${a1}`, undefined],
    ['provisioning', 'POST', `/v1/customers/${a1}/disable`, undefined],
    ['provisioning', 'POST', `/v1/customers/${a1}/loginToken`, '{"userName":"helpdesk","virtualUser":true}'],
    ['resellerAdminB', 'GET', `/v2/customers/${a1}/contacts`, undefined],
    ['resellerAdminB', 'GET', `/v2/customers/${a1}/contacts/${contactId}`, undefined],
    ['resellerAdminB', 'PUT', `/v2/customers/${a1}/contacts/${contactId}`, '{"Name":"Hijacked"}'],
    ['resellerAdminB', 'DELETE', `/v2/customers/${a1}/contacts/${contactId}`, undefined],
    ['resellerAdminB', 'GET', `/v2/customers/${a1}/invoices`, undefined],
    ['customerAdminA1', 'GET', `/v2/customers/${a2}/contacts`, undefined],
    ['customerAdminA1', 'GET', `/v2/customers/${a2}/invoices`, undefined],
    ['reader', 'PUT', `/v2/customers/${a1}/contacts/${contactId}`, '{"Name":"Renamed"}'],
    ['reader', 'DELETE', `/v2/customers/${a1}/contacts/${contactId}`, undefined],
    ['provisioning', 'GET', `/v2/customers/${a1}/contacts`, undefined],
    ['provisioning', 'GET', `/v2/customers/${a1}/invoices`, undefined],
  ];
  for (const [who, method, url, body] of scoped) {
    probes.push({ label: `${who} out of scope`, method, url, who, contentType: body === undefined ? undefined : json, body });
  }

  // v2: contacts and invoices.
  const contacts = `/v2/customers/${a1}/contacts`;
  const full = { Email: 'desk@a1.example', Name: 'Desk', Phone: '5550101', ReceivesAlerts: true, ReceivesBilling: true, ReceivesUpdates: true, SecurityAnswer: 'A', SecurityQuestion: 'Q' };
  const v2Bodies: [string, string | undefined, string | undefined][] = [
    ['no body', undefined, undefined],
    ['an empty JSON body', json, ''],
    ['JSON null', json, 'null'],
    ['a JSON list', json, '[]'],
    ['a JSON number', json, '7'],
    ['truncated JSON', json, '{"Name":'],
    ['a form body', form, 'Name=Desk'],
    ['an XML body', 'text/xml', '<contact><Name>Desk</Name></contact>'],
    ['a content type that is no media type', 'garbage', JSON.stringify(full)],
    ['a name with NUL', 'application/json; charset=utf-8', JSON.stringify({ ...full, Name: 'De\u0000sk' })],
    ['a security answer with NUL', json, JSON.stringify({ ...full, SecurityAnswer: 'A\u0000' })],
    ['an e-mail with NUL', json, JSON.stringify({ ...full, Email: 'desk\u0000@a1.example' })],
    ['a flag that is a word', json, JSON.stringify({ ...full, ReceivesAlerts: 'maybe' })],
    ['an empty name', json, JSON.stringify({ ...full, Name: '' })],
    ['a name that is an object', json, JSON.stringify({ ...full, Name: { first: 'D' } })],
    ['a phone that overflows to Infinity', json, JSON.stringify(full).replace('"5550101"', '1e400')],
    ['an oversized body', json, JSON.stringify({ ...full, Name: 'x'.repeat(9000) })],
  ];
  for (const [label, contentType, body] of v2Bodies) {
    probes.push({ label: `v2 add with ${label}`, method: 'POST', url: contacts, contentType, body });
    probes.push({ label: `v2 add (trailing slash) with ${label}`, method: 'POST', url: `${contacts}/`, contentType, body });
    probes.push({ label: `v2 update with ${label}`, method: 'PUT', url: `${contacts}/${contactId}`, contentType, body });
  }
  probes.push({ label: 'v2 update that removes the last billing contact', method: 'PUT', url: `${contacts}/${contactId}`, contentType: json, body: '{"ReceivesBilling":false}' });
  probes.push({ label: 'v2 delete of the last billing contact', method: 'DELETE', url: `${contacts}/${contactId}` });
  for (const [label, id] of customerIds) {
    probes.push({ label: `v2 contacts of ${label}`, method: 'GET', url: `/v2/customers/${id}/contacts` });
    probes.push({ label: `v2 add to ${label}`, method: 'POST', url: `/v2/customers/${id}/contacts`, contentType: json, body: JSON.stringify(full) });
    probes.push({ label: `v2 invoices of ${label}`, method: 'GET', url: `/v2/customers/${id}/invoices` });
  }
  for (const id of ['0', '-1', '1.5', '9'.repeat(30), '%00', 'abc', '%2F']) {
    probes.push({ label: `v2 contact ${id}`, method: 'GET', url: `${contacts}/${id}` });
    probes.push({ label: `v2 update contact ${id}`, method: 'PUT', url: `${contacts}/${id}`, contentType: json, body: JSON.stringify(full) });
    probes.push({ label: `v2 delete contact ${id}`, method: 'DELETE', url: `${contacts}/${id}` });
    probes.push({ label: `v2 invoice ${id}`, method: 'GET', url: `/v2/customers/${a1}/invoices/${id}` });
  }
  for (const q of ['size=1&size=2', 'size=-1', 'size=1001', 'size=1.5', 'offset=x', 'size=%00', `offset=${'9'.repeat(30)}`]) {
    probes.push({ label: `v2 contacts ?${q}`, method: 'GET', url: `${contacts}?${q}` });
    probes.push({ label: `v2 invoices ?${q}`, method: 'GET', url: `/v2/customers/${a1}/invoices?${q}` });
  }
  probes.push({ label: 'v2 PATCH a contact', method: 'PATCH', url: `${contacts}/${contactId}`, contentType: json, body: '{"Name":"X"}' });
  probes.push({ label: 'v2 POST an invoice', method: 'POST', url: `/v2/customers/${a1}/invoices`, contentType: json, body: '{}' });
  probes.push({ label: 'v2 DELETE the contact list', method: 'DELETE', url: contacts });
  probes.push({ label: 'v2 unknown resource', method: 'GET', url: `/v2/customers/${a1}/domains` });

  // Signature header variants on a mutation of every kind; none may get through.
  const mutations: [Method, string, string | undefined][] = [
    ['POST', '/v1/customers', '{"name":"Unsigned"}'],
    ['PUT', `/v1/customers/${a1}`, '{"city":"Unsigned"}'],
    ['DELETE', `/v0/customers/${a2}`, undefined],
    ['POST', `/customers/${a1}/disable`, undefined],
    ['POST', `/v1/customers/${a1}/loginToken`, '{"userName":"helpdesk","virtualUser":true}'],
    ['POST', contacts, JSON.stringify(full)],
    ['DELETE', `${contacts}/${contactId}`, undefined],
  ];
  const signatures: [string, string | string[] | null][] = [
    ['no signature', null],
    ['a valid signature sent twice', [VALID, VALID]],
    ['an empty signature', ''],
    ['two parts', 'abc:20260302100000'],
    ['four parts', 'abc:20260302100000:hash:extra'],
    ['an impossible date', 'abc:20261399999999:aGFzaA=='],
    ['an unknown key', 'no-such-key:20260302100000:aGFzaA=='],
    ['a very long key', `${'k'.repeat(6000)}:20260302100000:aGFzaA==`],
    ['a key with odd characters', `%00'";--:20260302100000:aGFzaA==`],
  ];
  for (const [method, url, body] of mutations) {
    for (const [label, signature] of signatures) {
      probes.push({ label: `${label} on ${method}`, method, url, signature, contentType: body === undefined ? undefined : json, body });
    }
    probes.push({ label: `a signature for another User-Agent on ${method}`, method, url, userAgent: 'someone-else', contentType: body === undefined ? undefined : json, body });
  }
  return probes;
}
