import type { VNode } from 'preact';
import type { Mailbox } from '../../../domain/mailbox.js';
import { html, when } from './html.js';
import { AccountHeading, Csrf, Layout, Notice } from './layout.js';
import { Check, Field, FormError, type FormState } from './forms.js';
import { domainUrl, mailboxUrl, type AccountFrame } from './domains.js';

/** A mailbox's pages: add, edit (details, password, enable/disable). Passwords are typed, never shown. */

const PASSWORD_HINT = 'At least 8 characters, from three of: upper case, lower case, digits, symbols; not the mailbox or domain name, not "password", no 3 digits in a row.';

export function NewMailboxPage({ account, may, viewer, domain, defaultSizeMb, form }: AccountFrame & { domain: string; defaultSizeMb: number; form: FormState }): VNode {
  return html`<${Layout} title=${`Add mailbox to ${domain} · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="domains" />
    <section class="card">
      <h2>Add mailbox to ${domain}</h2>
      <${FormError} form=${form} />
      <form class="stack" method="post" action=${domainUrl(account, domain, '/mailboxes')} novalidate>
        <${Csrf} viewer=${viewer} />
        <${Field} form=${form} name="name" label=${`Mailbox name (before @${domain})`} required />
        <${Field} form=${form} name="displayName" label="Display name" />
        <${Field} form=${form} name="password" label="Password" type="password" required hint=${PASSWORD_HINT} />
        <${Field} form=${form} name="size" label="Size (MB)" type="number" hint=${`Leave empty for the domain's default, ${defaultSizeMb} MB.`} />
        <div class="actions">
          <button type="submit">Add mailbox</button>
          <a href=${domainUrl(account, domain)}>Cancel</a>
        </div>
      </form>
    </section>
  <//>`;
}

function Details({ account, viewer, mailbox, form }: Pick<AccountFrame, 'account' | 'viewer'> & { mailbox: Mailbox; form: FormState }): VNode {
  return html`<section class="card" id="details">
    <h2>Details</h2>
    <${FormError} form=${form} />
    <form class="stack" method="post" action=${mailboxUrl(account, mailbox.domainName, mailbox.name)} novalidate>
      <${Csrf} viewer=${viewer} />
      <${Field} form=${form} name="displayName" label="Display name" />
      <${Field} form=${form} name="firstName" label="First name" />
      <${Field} form=${form} name="lastName" label="Last name" />
      <${Field} form=${form} name="size" label="Size (MB)" type="number" required />
      <${Field} form=${form} name="emailForwardingAddresses" label="Forward mail to" hint="Up to 15 addresses, separated by commas; empty forwards nothing." />
      <${Check} form=${form} name="saveForwardedEmail" label="Keep a copy of forwarded mail in this mailbox" />
      <${Check} form=${form} name="vacationEnabled" label="Send the vacation message" />
      <${Field} form=${form} name="vacationMessage" label="Vacation message" />
      <div class="actions"><button type="submit">Save mailbox</button></div>
    </form>
  </section>`;
}

function Password({ account, viewer, mailbox, form }: Pick<AccountFrame, 'account' | 'viewer'> & { mailbox: Mailbox; form: FormState }): VNode {
  return html`<section class="card" id="password">
    <h2>Reset password</h2>
    <${FormError} form=${form} />
    <form class="stack" method="post" action=${mailboxUrl(account, mailbox.domainName, mailbox.name, '/password')} novalidate>
      <${Csrf} viewer=${viewer} />
      <${Field} form=${form} name="password" label="New password" type="password" required hint=${PASSWORD_HINT} />
      <${Field} form=${form} name="passwordAgain" label="New password again" type="password" required />
      <div class="actions"><button type="submit">Set password</button></div>
    </form>
  </section>`;
}

export interface MailboxPageProps extends AccountFrame {
  mailbox: Mailbox;
  form: FormState;
  passwordForm: FormState;
  notice?: string;
}

export function MailboxPage({ account, may, viewer, mailbox, form, passwordForm, notice }: MailboxPageProps): VNode {
  const address = `${mailbox.name}@${mailbox.domainName}`;
  const post = (path: string, label: string, cls = '') =>
    html`<form class="inline" method="post" action=${mailboxUrl(account, mailbox.domainName, mailbox.name, path)}><${Csrf} viewer=${viewer} /><button type="submit" class=${cls}>${label}</button></form>`;
  return html`<${Layout} title=${`${address} · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="domains" />
    <p class="crumbs"><a href=${domainUrl(account, mailbox.domainName)}>← ${mailbox.domainName}</a></p>
    ${notice && html`<${Notice} kind="info">${notice}<//>`}
    <section class="card">
      <h2>${address}</h2>
      <dl class="facts">
        <dt>Status</dt><dd>${mailbox.enabled ? html`<span class="status ok">enabled</span>` : html`<span class="status bad">disabled</span>`}</dd>
        <dt>Used</dt><dd>${mailbox.currentUsageMb} of ${mailbox.sizeMb} MB</dd>
        <dt>Created</dt><dd>${when(mailbox.createdAt)}</dd>
        <dt>Last sign-in</dt><dd>${when(mailbox.lastLoginAt)}</dd>
      </dl>
      <div class="actions">
        ${mailbox.enabled ? post('/disable', 'Disable', 'secondary') : post('/enable', 'Enable')}
        <a class="button secondary" href=${mailboxUrl(account, mailbox.domainName, mailbox.name, '/delete')}>Delete…</a>
      </div>
      <p class="muted">An enabled mailbox counts as one user of the account.</p>
    </section>
    <${Details} account=${account} viewer=${viewer} mailbox=${mailbox} form=${form} />
    <${Password} account=${account} viewer=${viewer} mailbox=${mailbox} form=${passwordForm} />
  <//>`;
}
