import assert from 'node:assert/strict';
import { STORE_KINDS } from '../../helpers/stores.js';
import { securitySuite, type SecurityRequest } from '../../helpers/security.js';
import { injectRequest, type InjectedResponse } from '../../helpers/transport.js';
import type { Fixture } from '../../helpers/fixture.js';
import type { TestApp } from '../../helpers/context.js';
import { listCredentials } from '../../../src/domain/credential.js';
import { signRackspaceRequest } from '../../../src/client/rackspace.js';
import { UNTHROTTLED } from './helpers.js';

/**
 * The shared security suite over every declared Rackspace route: no signature, a wrong secret, another
 * reseller's customer (reseller A's admin and customer a1's admin on reseller B's b1) and a read-only
 * principal writing. Each operation is served at /v1, /v0 and the unversioned URLs by one declaration; the
 * cases use /v1 (and /v2 for contacts and invoices).
 */

const UA = 'security-suite';
const json = (body: unknown) => ({ body });
/** Contact and invoice ids need not exist: authentication, scoping and the role are all decided before them. */
const ITEM = 1;
const customer = { name: 'Suite Customer' };
const contact = { Name: 'Suite', Email: 'suite@example.com', Phone: '5550100', ReceivesAlerts: true, ReceivesBilling: true, ReceivesUpdates: true, SecurityQuestion: 'Q', SecurityAnswer: 'A' };
const token = { userName: 'helpdesk', virtualUser: true };
const DOMAIN = 'suite.example';
const mailbox = { password: 'Tr1cky!Horse', displayName: 'Alex' };
const alias = { aliasEmails: 'someone@elsewhere.example' };

const on = (method: string, url: (n: string) => string, extra: Partial<SecurityRequest> = {}) => ({
  request: (fx: Fixture): SecurityRequest => ({ method, url: url(fx.a1.accountNumber), ...extra }),
  foreign: (fx: Fixture): SecurityRequest => ({ method, url: url(fx.b1.accountNumber), ...extra }),
});

/** The spam settings and the four lists of a domain and of a mailbox: the account is judged before the domain. */
function spamCases() {
  const owners = [
    ['Domain', (n: string) => `/v1/customers/${n}/domains/${DOMAIN}/spam`],
    ['Mailbox', (n: string) => `/v1/customers/${n}/domains/${DOMAIN}/rs/mailboxes/alex/spam`],
  ] as const;
  const lists = [
    ['Safelist', 'safelist', 'friend@good.example'],
    ['Blocklist', 'blocklist', 'spammer@bad.example'],
    ['IpSafelist', 'ipsafelist', '192.0.2.1'],
    ['IpBlocklist', 'ipblocklist', '198.51.100.1'],
  ] as const;
  return owners.flatMap(([owner, spam]) => [
    { operationId: `Show${owner}SpamSettings`, method: 'GET', ...on('GET', (n) => `${spam(n)}/settings`), writes: false },
    { operationId: `Edit${owner}SpamSettings`, method: 'PUT', ...on('PUT', (n) => `${spam(n)}/settings`, json({ filterLevel: 'on' })), writes: true },
    ...lists.flatMap(([operation, path, entry]) => [
      { operationId: `List${owner}Spam${operation}`, method: 'GET', ...on('GET', (n) => `${spam(n)}/${path}`), writes: false },
      { operationId: `Add${owner}Spam${operation}Entry`, method: 'POST', ...on('POST', (n) => `${spam(n)}/${path}/${entry}`), writes: true },
      { operationId: `Remove${owner}Spam${operation}Entry`, method: 'DELETE', ...on('DELETE', (n) => `${spam(n)}/${path}/${entry}`), writes: true },
    ]),
  ]);
}

async function someUserKey(t: TestApp): Promise<string> {
  const credential = (await listCredentials(t.ctx)).find((c) => c.kind === 'rackspace' && !c.revokedAt);
  return credential!.publicId!;
}

function assertFault(res: InjectedResponse, status: number, messages: string[], label: string): void {
  assert.equal(res.status, status, `${label}: status (${res.body.slice(0, 200)})`);
  assert.ok(messages.includes(res.headers['x-error-message']), `${label}: x-error-message ${res.headers['x-error-message']}`);
  const doc = JSON.parse(res.body) as Record<string, { message: string; code: number }>;
  const [kind] = Object.keys(doc);
  assert.match(kind, /Fault$/, label);
  assert.equal(doc[kind].message, res.headers['x-error-message'], `${label}: fault message`);
  assert.equal(doc[kind].code, status, `${label}: fault code`);
}

for (const kind of STORE_KINDS) {
  securitySuite(kind, {
    face: 'rackspace',
    config: UNTHROTTLED,
    async send(t, caller, req) {
      const headers: Record<string, string> = { 'user-agent': UA, accept: 'application/json' };
      if (caller !== 'anonymous') {
        // A wrong secret: a key that exists, signed with a secret that is not its own.
        const keys = caller === 'wrong-secret' ? { userKey: await someUserKey(t), secretKey: 'not-the-secret-of-this-key-28' } : caller.rackspace;
        headers['x-api-signature'] = signRackspaceRequest({ ...keys, userAgent: UA, at: t.clock.now() });
      }
      let body: string | undefined;
      if (req.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(req.body);
      }
      return injectRequest(t.app, { method: req.method, url: req.url, headers, body });
    },
    assertUnauthenticated: (res, label) => assertFault(res, 403, ['Authentication failed.'], label),
    // v0/v1 hide other tenants' customers as "Customer Not Found" (enable/disable: "Not authorized"); v2 as an unknown URL.
    assertForeign: (res, label) =>
      res.status === 403 ? assertFault(res, 403, ['Not authorized'], label) : assertFault(res, 404, ['Customer Not Found', 'Make sure the URL is correct.'], label),
    assertForbidden: (res, label) => assertFault(res, 403, ['Not authorized', 'Unauthorized.'], label),
    cases: [
      { operationId: 'ListCustomers', method: 'GET', request: () => ({ method: 'GET', url: '/v1/customers' }), writes: false },
      { operationId: 'ShowCustomer', method: 'GET', ...on('GET', (n) => `/v1/customers/${n}`), writes: false },
      { operationId: 'AddCustomer', method: 'POST', request: () => ({ method: 'POST', url: '/v1/customers', ...json(customer) }), writes: true },
      { operationId: 'EditCustomer', method: 'PUT', ...on('PUT', (n) => `/v1/customers/${n}`, json({ city: 'Elsewhere' })), writes: true },
      { operationId: 'DeleteCustomer', method: 'DELETE', ...on('DELETE', (n) => `/v1/customers/${n}`), writes: true },
      { operationId: 'DisableCustomer', method: 'POST', ...on('POST', (n) => `/v1/customers/${n}/disable`), writes: true },
      { operationId: 'EnableCustomer', method: 'POST', ...on('POST', (n) => `/v1/customers/${n}/enable`), writes: true },
      { operationId: 'CreateLoginToken', method: 'POST', ...on('POST', (n) => `/v1/customers/${n}/loginToken`, json(token)), writes: true },
      { operationId: 'ListContacts', method: 'GET', ...on('GET', (n) => `/v2/customers/${n}/contacts`), writes: false },
      { operationId: 'ShowContact', method: 'GET', ...on('GET', (n) => `/v2/customers/${n}/contacts/${ITEM}`), writes: false },
      { operationId: 'AddContact', method: 'POST', ...on('POST', (n) => `/v2/customers/${n}/contacts`, json(contact)), writes: true },
      { operationId: 'EditContact', method: 'PUT', ...on('PUT', (n) => `/v2/customers/${n}/contacts/${ITEM}`, json(contact)), writes: true },
      { operationId: 'DeleteContact', method: 'DELETE', ...on('DELETE', (n) => `/v2/customers/${n}/contacts/${ITEM}`), writes: true },
      { operationId: 'ListInvoices', method: 'GET', ...on('GET', (n) => `/v2/customers/${n}/invoices`), writes: false },
      // Domains, mailboxes and aliases: the domain need not exist, the account is judged first.
      { operationId: 'ListDomains', method: 'GET', ...on('GET', (n) => `/v1/customers/${n}/domains`), writes: false },
      { operationId: 'ShowDomain', method: 'GET', ...on('GET', (n) => `/v1/customers/${n}/domains/${DOMAIN}`), writes: false },
      { operationId: 'AddDomain', method: 'POST', ...on('POST', (n) => `/v1/customers/${n}/domains/${DOMAIN}`, json({ serviceType: 'rsemail' })), writes: true },
      { operationId: 'EditDomain', method: 'PUT', ...on('PUT', (n) => `/v1/customers/${n}/domains/${DOMAIN}`, json({ serviceType: 'rsemail' })), writes: true },
      { operationId: 'DeleteDomain', method: 'DELETE', ...on('DELETE', (n) => `/v1/customers/${n}/domains/${DOMAIN}`), writes: true },
      { operationId: 'ListMailboxes', method: 'GET', ...on('GET', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/mailboxes`), writes: false },
      { operationId: 'ShowMailbox', method: 'GET', ...on('GET', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/mailboxes/alex`), writes: false },
      { operationId: 'AddMailbox', method: 'POST', ...on('POST', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/mailboxes/alex`, json(mailbox)), writes: true },
      { operationId: 'EditMailbox', method: 'PUT', ...on('PUT', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/mailboxes/alex`, json(mailbox)), writes: true },
      { operationId: 'DeleteMailbox', method: 'DELETE', ...on('DELETE', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/mailboxes/alex`), writes: true },
      { operationId: 'ListAliases', method: 'GET', ...on('GET', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/aliases`), writes: false },
      { operationId: 'ShowAlias', method: 'GET', ...on('GET', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/aliases/sales`), writes: false },
      { operationId: 'AddAlias', method: 'POST', ...on('POST', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/aliases/sales`, json(alias)), writes: true },
      { operationId: 'EditAlias', method: 'PUT', ...on('PUT', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/aliases/sales`, json(alias)), writes: true },
      { operationId: 'DeleteAlias', method: 'DELETE', ...on('DELETE', (n) => `/v1/customers/${n}/domains/${DOMAIN}/rs/aliases/sales`), writes: true },
      { operationId: 'ShowInvoice', method: 'GET', ...on('GET', (n) => `/v2/customers/${n}/invoices/${ITEM}`), writes: false },
      ...spamCases(),
    ],
  });
}
