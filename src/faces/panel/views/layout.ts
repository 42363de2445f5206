import type { VNode } from 'preact';
import type { Account } from '../../../domain/account.js';
import type { AccountAbilities } from '../../../domain/account-view.js';
import { html, type Node } from './html.js';

/** What every signed-in page knows of its viewer: the name to show and the CSRF token its forms carry. */
export interface Viewer {
  userName: string;
  virtualUser: boolean;
  csrf: string;
}

export const PANEL = '/panel';
export const STYLESHEET_URL = `${PANEL}/static/panel.css`;

export function accountUrl(accountNumber: string, rest = ''): string {
  return `${PANEL}/accounts/${encodeURIComponent(accountNumber)}${rest}`;
}

export function Csrf({ viewer }: { viewer: Viewer }): VNode {
  return html`<input type="hidden" name="_csrf" value=${viewer.csrf} />`;
}

function Header({ viewer }: { viewer: Viewer | null }): VNode {
  return html`<header class="top">
    <a href=${`${PANEL}/`}>partnerhub control panel</a>
    ${viewer &&
    html`<div class="who">
      <span>Signed in as <strong>${viewer.userName}</strong></span>
      <form class="inline" method="post" action=${`${PANEL}/sign-out`}>
        <${Csrf} viewer=${viewer} />
        <button type="submit">Sign out</button>
      </form>
    </div>`}
  </header>`;
}

export function Layout({ title, viewer, children }: { title: string; viewer: Viewer | null; children?: Node }): VNode {
  return html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${title} · partnerhub</title>
      <link rel="stylesheet" href=${STYLESHEET_URL} />
    </head>
    <body>
      <${Header} viewer=${viewer} />
      <main>${children}</main>
    </body>
  </html>`;
}

export type Tab = 'account' | 'contacts' | 'invoices' | 'domains' | 'customers';

/** The account's heading with its tabs: only the tabs the viewer may open. */
export function AccountHeading({ account, may, active, parent }: { account: Account; may: AccountAbilities; active: Tab; parent?: Account | null }): VNode {
  const tab = (id: Tab, label: string, rest: string) =>
    html`<a href=${accountUrl(account.accountNumber, rest)} aria-current=${active === id ? 'page' : undefined}>${label}</a>`;
  return html`<div>
    ${parent && html`<p class="crumbs"><a href=${accountUrl(parent.accountNumber, '/customers')}>← ${parent.name}</a></p>`}
    <h1>${account.name}</h1>
    <nav class="tabs" aria-label="Account">
      ${tab('account', 'Account', '')} ${may.readContacts && tab('contacts', 'Contacts', '/contacts')}
      ${may.readInvoices && tab('invoices', 'Invoices', '/invoices')} ${may.readDomains && tab('domains', 'Domains', '/domains')}
      ${may.listCustomers && tab('customers', 'Customers', '/customers')}
    </nav>
  </div>`;
}

export function Notice({ kind, children }: { kind: 'error' | 'info'; children?: Node }): VNode {
  return html`<div class=${`notice ${kind}`} role=${kind === 'error' ? 'alert' : 'status'}>${children}</div>`;
}

const STATUS_TONE: Record<string, string> = {
  CertifiedSecure: 'ok',
  TrialActive: 'ok',
  DemoAccount: 'ok',
  Provisioning: 'warn',
  TrialExpired: 'warn',
  AccountSuspended: 'bad',
  Blocked: 'bad',
  AccountCancelled: 'bad',
};

export function Status({ status }: { status: string }): VNode {
  return html`<span class=${`status ${STATUS_TONE[status] ?? ''}`}>${status}</span>`;
}

/**
 * Previous/next links for a list shown `size` at a time; `query` carries the list's other parameters, and
 * `param` names the offset's parameter (a page with two lists pages each with its own).
 */
export function Pager({ base, offset, size, total, query = {}, param = 'offset' }: { base: string; offset: number; size: number; total: number; query?: Record<string, string | undefined>; param?: string }): VNode | null {
  if (total <= size && offset === 0) return null;
  const link = (o: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
    params.set(param, String(o));
    return `${base}?${params}`;
  };
  const last = Math.min(offset + size, total);
  return html`<nav class="pager" aria-label="Pages">
    ${offset > 0 ? html`<a href=${link(Math.max(0, offset - size))} rel="prev">← Previous</a>` : null}
    <span class="muted">${total === 0 ? 'none' : `${offset + 1}–${last} of ${total}`}</span>
    ${last < total ? html`<a href=${link(offset + size)} rel="next">Next →</a>` : null}
  </nav>`;
}
