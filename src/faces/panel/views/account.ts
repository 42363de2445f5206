import type { VNode } from 'preact';
import type { AccountOverview } from '../../../domain/account-view.js';
import type { Account } from '../../../domain/account.js';
import { html, when, type Node } from './html.js';
import { AccountHeading, Csrf, Layout, Notice, Status, accountUrl, type Viewer } from './layout.js';

function Details({ account }: { account: Account }): VNode {
  return html`<section class="card">
    <h2>Account</h2>
    <dl class="facts">
      <dt>Name</dt><dd>${account.name}</dd>
      <dt>Account number</dt><dd>${account.accountNumber}</dd>
      <dt>Kind</dt><dd>${account.kind}</dd>
      <dt>Mimecast account code</dt><dd>${account.accountCode}</dd>
      <dt>Mimecast account id</dt><dd>${account.mimecastId}</dd>
      <dt>Reference number</dt><dd>${account.referenceNumber ?? '—'}</dd>
      <dt>Domain</dt><dd>${account.primaryDomain ?? account.temporaryDomain}</dd>
      <dt>Created</dt><dd>${when(account.createdAt)}</dd>
    </dl>
  </section>`;
}

function StatusTimeline({ overview }: { overview: AccountOverview }): VNode {
  const { account, statusHistory } = overview;
  return html`<section class="card" id="status">
    <h2>Status</h2>
    <p>Now: <${Status} status=${account.status} /> <span class="muted">since ${when(account.statusChangedAt)}</span></p>
    <ol class="timeline" aria-label="Status history">
      ${statusHistory.map(
        (h) => html`<li>
          <div class="when">${when(h.changedAt)} · by ${h.changedByEmail}</div>
          <div>${h.oldStatus ? html`<${Status} status=${h.oldStatus} /> → ` : 'created as '}<${Status} status=${h.newStatus} />${h.reason ? html` <span class="muted">(${h.reason})</span>` : null}</div>
        </li>`,
      )}
    </ol>
  </section>`;
}

function Products({ overview }: { overview: AccountOverview }): VNode {
  return html`<section class="card">
    <h2>Products</h2>
    ${overview.products.length
      ? html`<ul>${overview.products.map((p) => html`<li>${p.name} <span class="muted">(${p.packageLabel})</span></li>`)}</ul>`
      : html`<p class="muted">No products.</p>`}
  </section>`;
}

function Users({ overview }: { overview: AccountOverview }): VNode {
  return html`<section class="card">
    <h2>Users</h2>
    <p><strong>${overview.account.userCount}</strong> users</p>
    ${overview.userCountHistory.length
      ? html`<div class="scroll"><table>
          <thead><tr><th>When</th><th class="num">Before</th><th class="num">After</th></tr></thead>
          <tbody>${overview.userCountHistory.map((c) => html`<tr><td>${when(c.changedAt)}</td><td class="num">${c.oldCount}</td><td class="num">${c.newCount}</td></tr>`)}</tbody>
        </table></div>`
      : html`<p class="muted">The user count has not changed since the account was created.</p>`}
  </section>`;
}

function Support({ overview }: { overview: AccountOverview }): VNode {
  const a = overview.account;
  const mail = a.supportMailto?.replace(/^mailto:/i, '');
  return html`<section class="card">
    <h2>Support</h2>
    <dl class="facts">
      <dt>Partner</dt><dd>${overview.partnerName || '—'}</dd>
      <dt>Support package</dt><dd>${a.supportPackage ?? '—'}</dd>
      <dt>Customer advocate</dt><dd>${a.customerAdvocate ?? '—'}</dd>
      <dt>Development manager</dt><dd>${a.customerDevelopmentManager ?? '—'}</dd>
      <dt>Support phone</dt><dd>${a.officePhone ?? '—'}</dd>
      <dt>Support e-mail</dt><dd>${mail ? html`<a href=${`mailto:${mail}`}>${mail}</a>` : '—'}</dd>
      <dt>Hosting / support region</dt><dd>${a.hostingJurisdiction ?? '—'} / ${a.supportJurisdiction ?? '—'}</dd>
      <dt>Renewal date</dt><dd>${a.renewalDate ?? '—'}</dd>
    </dl>
  </section>`;
}

function Actions({ overview, viewer }: { overview: AccountOverview; viewer: Viewer }): VNode | null {
  const { account, may } = overview;
  if (!may.changeStatus && !may.delete && !may.openPanel) return null;
  const post = (path: string, label: string, cls = '') =>
    html`<form class="inline" method="post" action=${accountUrl(account.accountNumber, path)}><${Csrf} viewer=${viewer} /><button type="submit" class=${cls}>${label}</button></form>`;
  const suspended = account.status === 'AccountSuspended';
  return html`<section class="card">
    <h2>Manage</h2>
    <div class="actions">
      ${may.changeStatus && account.status !== 'AccountCancelled' && (suspended ? post('/enable', 'Enable') : post('/disable', 'Disable', 'secondary'))}
      ${may.openPanel && post('/login-link', "Open this customer's panel", 'secondary')}
      ${may.delete && html`<a class="button secondary" href=${accountUrl(account.accountNumber, '/delete')}>Delete…</a>`}
    </div>
    ${may.changeStatus && html`<p class="muted">Enabling or disabling is allowed once every 5 minutes per account.</p>`}
  </section>`;
}

export function AccountPage({ overview, viewer, notice }: { overview: AccountOverview; viewer: Viewer; notice?: { kind: 'error' | 'info'; text: Node } }): VNode {
  return html`<${Layout} title=${overview.account.name} viewer=${viewer}>
    <${AccountHeading} account=${overview.account} may=${overview.may} active="account" parent=${overview.parent} />
    ${notice && html`<${Notice} kind=${notice.kind}>${notice.text}<//>`}
    <${Details} account=${overview.account} />
    <${StatusTimeline} overview=${overview} />
    <${Actions} overview=${overview} viewer=${viewer} />
    <${Products} overview=${overview} />
    <${Users} overview=${overview} />
    <${Support} overview=${overview} />
  <//>`;
}

export function DeleteAccountPage({ overview, viewer, error }: { overview: AccountOverview; viewer: Viewer; error?: string }): VNode {
  const { account } = overview;
  return html`<${Layout} title=${`Delete ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${overview.may} active="account" parent=${overview.parent} />
    ${error && html`<${Notice} kind="error">${error}<//>`}
    <section class="card">
      <h2>Delete this account?</h2>
      <p>Deleting <strong>${account.name}</strong> (account ${account.accountNumber}) cancels its service and removes it from every list. Its history, invoices and audit trail are kept. This cannot be undone.</p>
      <form class="actions" method="post" action=${accountUrl(account.accountNumber, '/delete')}>
        <${Csrf} viewer=${viewer} />
        <button type="submit" class="danger">Delete ${account.name}</button>
        <a href=${accountUrl(account.accountNumber)}>Keep it</a>
      </form>
    </section>
  <//>`;
}

export function LoginLinkPage({ overview, viewer, link, expiresAt }: { overview: AccountOverview; viewer: Viewer; link: string; expiresAt: string }): VNode {
  const { account } = overview;
  return html`<${Layout} title=${`Sign in to ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${overview.may} active="account" parent=${overview.parent} />
    <section class="card">
      <h2>One-time sign-in link</h2>
      <p>This link opens <strong>${account.name}</strong>'s control panel as its administrator. It works once, until ${when(expiresAt)}.</p>
      <p class="link"><a href=${link} id="login-link">${link}</a></p>
      <p class="muted">Opening it in this browser ends your own session here; open it in a private window to keep both, or send it to the customer.</p>
    </section>
  <//>`;
}
