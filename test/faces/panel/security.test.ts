import assert from 'node:assert/strict';
import { STORE_KINDS } from '../../helpers/stores.js';
import { securitySuite, type Caller, type FaceSecuritySpec, type SecurityCase } from '../../helpers/security.js';
import type { Fixture } from '../../helpers/fixture.js';
import type { TestApp } from '../../helpers/context.js';
import type { InjectedResponse } from '../../helpers/transport.js';
import { injectRequest } from '../../helpers/transport.js';
import { SESSION_COOKIE } from '../../../src/faces/panel/session.js';
import { signIn, type PanelSessionHandle } from './helpers.js';

/** The shared security suite over every panel route: no session, a forged session, another tenant, a reader writing. */

const sessions = new WeakMap<TestApp, Map<string, PanelSessionHandle>>();

async function sessionFor(t: TestApp, caller: Exclude<Caller, 'anonymous' | 'wrong-secret'>): Promise<PanelSessionHandle> {
  const mine = sessions.get(t) ?? new Map<string, PanelSessionHandle>();
  sessions.set(t, mine);
  const key = caller.principal.guid;
  if (!mine.has(key)) mine.set(key, await signIn(t, caller.principal.accountGuid, caller.principal.email));
  return mine.get(key)!;
}

async function send(t: TestApp, caller: Caller, req: { method: string; url: string; body?: unknown }): Promise<InjectedResponse> {
  let cookie: string | undefined;
  let csrf = '';
  if (caller === 'wrong-secret') cookie = `${SESSION_COOKIE}=${'x'.repeat(43)}`;
  else if (caller !== 'anonymous') ({ cookie, csrf } = await sessionFor(t, caller));
  const headers: Record<string, string> = cookie ? { cookie } : {};
  if (req.method === 'GET') return injectRequest(t.app, { method: 'GET', url: req.url, headers });
  const form = new URLSearchParams({ _csrf: csrf, ...((req.body as Record<string, string>) ?? {}) });
  return injectRequest(t.app, { method: req.method, url: req.url, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
}

function page(status: number, heading: RegExp) {
  return (res: InjectedResponse, label: string) => {
    assert.equal(res.status, status, `${label}: ${res.body.slice(0, 300)}`);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/, label);
    assert.match(res.body, heading, label);
  };
}

type On = (fx: Fixture) => string;
const onA1: On = (fx) => fx.a1.accountNumber;
const onB1: On = (fx) => fx.b1.accountNumber;
const onResellerA: On = (fx) => fx.resellerA.accountNumber;
const onResellerB: On = (fx) => fx.resellerB.accountNumber;

function pageCase(operationId: string, method: 'GET' | 'POST', path: string, writes: boolean, on = onA1, foreign: On | null = on === onA1 ? onB1 : onResellerB, body?: Record<string, string>): SecurityCase {
  const url = (n: string) => `/panel/accounts/${n}${path}`;
  return {
    operationId,
    method,
    writes,
    request: (fx) => ({ method, url: url(on(fx)), body }),
    foreign: foreign ? (fx) => ({ method, url: url(foreign(fx)), body }) : undefined,
  };
}

const mailbox = { name: 'sec', displayName: 'Sec', password: 'Tr0ub4dor&x', size: '100' };
const contact = { name: 'Sec', email: 'sec@example.com', phone: '1', securityQuestion: 'Q', securityAnswer: 'A' };

const spec: FaceSecuritySpec = {
  face: 'panel',
  send,
  assertUnauthenticated: page(401, /Please sign in/),
  assertForeign: page(404, /Not found/),
  assertForbidden: page(403, /Not allowed/),
  cases: [
    { operationId: 'PanelHome', method: 'GET', writes: false, request: () => ({ method: 'GET', url: '/panel/' }) },
    { operationId: 'SignOut', method: 'POST', writes: false, request: () => ({ method: 'POST', url: '/panel/sign-out' }) },
    pageCase('ShowAccount', 'GET', '', false),
    pageCase('DisableAccount', 'POST', '/disable', true),
    pageCase('EnableAccount', 'POST', '/enable', true),
    pageCase('ConfirmDeleteAccount', 'GET', '/delete', false),
    pageCase('DeleteAccount', 'POST', '/delete', true),
    pageCase('CreateLoginLink', 'POST', '/login-link', true),
    pageCase('ListContacts', 'GET', '/contacts', false),
    pageCase('NewContactForm', 'GET', '/contacts/new', false),
    pageCase('AddContact', 'POST', '/contacts', true, onA1, onB1, contact),
    pageCase('EditContactForm', 'GET', '/contacts/1', false),
    pageCase('UpdateContact', 'POST', '/contacts/1', true, onA1, onB1, contact),
    pageCase('ConfirmDeleteContact', 'GET', '/contacts/1/delete', false),
    pageCase('DeleteContact', 'POST', '/contacts/1/delete', true),
    pageCase('ListInvoices', 'GET', '/invoices', false),
    pageCase('ShowInvoice', 'GET', '/invoices/1', false),
    pageCase('DownloadInvoiceCsv', 'GET', '/invoices/1/csv', false),
    pageCase('ListCustomers', 'GET', '/customers', false, onResellerA),
    pageCase('NewCustomerForm', 'GET', '/customers/new', false, onResellerA),
    pageCase('CreateCustomer', 'POST', '/customers', true, onResellerA, onResellerB, { name: 'Sec Customer' }),
    pageCase('ListMailDomains', 'GET', '/domains', false),
    pageCase('AddMailDomain', 'POST', '/domains', true, onA1, onB1, { name: 'sec-a1.example' }),
    pageCase('ShowMailDomain', 'GET', '/domains/sec.example', false),
    pageCase('NewMailboxForm', 'GET', '/domains/sec.example/mailboxes/new', false),
    pageCase('AddMailbox', 'POST', '/domains/sec.example/mailboxes', true, onA1, onB1, mailbox),
    pageCase('EditMailboxForm', 'GET', '/domains/sec.example/mailboxes/sec', false),
    pageCase('UpdateMailbox', 'POST', '/domains/sec.example/mailboxes/sec', true, onA1, onB1, { displayName: 'Sec', size: '100' }),
    pageCase('ResetMailboxPassword', 'POST', '/domains/sec.example/mailboxes/sec/password', true, onA1, onB1, { password: 'Tr0ub4dor&x', passwordAgain: 'Tr0ub4dor&x' }),
    pageCase('DisableMailbox', 'POST', '/domains/sec.example/mailboxes/sec/disable', true),
    pageCase('EnableMailbox', 'POST', '/domains/sec.example/mailboxes/sec/enable', true),
    pageCase('ConfirmDeleteMailbox', 'GET', '/domains/sec.example/mailboxes/sec/delete', false),
    pageCase('DeleteMailbox', 'POST', '/domains/sec.example/mailboxes/sec/delete', true),
    pageCase('NewAliasForm', 'GET', '/domains/sec.example/aliases/new', false),
    pageCase('AddMailAlias', 'POST', '/domains/sec.example/aliases', true, onA1, onB1, { name: 'team', aliasEmails: 'sec@sec.example' }),
    pageCase('EditAliasForm', 'GET', '/domains/sec.example/aliases/team', false),
    pageCase('UpdateMailAlias', 'POST', '/domains/sec.example/aliases/team', true, onA1, onB1, { aliasEmails: 'sec@sec.example' }),
    pageCase('ConfirmDeleteMailAlias', 'GET', '/domains/sec.example/aliases/team/delete', false),
    pageCase('DeleteMailAlias', 'POST', '/domains/sec.example/aliases/team/delete', true),
  ],
};

for (const kind of STORE_KINDS) securitySuite(kind, spec);
