import type { VNode } from 'preact';
import type { Account } from '../../../domain/account.js';
import type { AccountAbilities } from '../../../domain/account-view.js';
import type { EmailDomain } from '../../../domain/email-domain.js';
import type { Mailbox } from '../../../domain/mailbox.js';
import type { MailAlias } from '../../../domain/alias.js';
import type { SizedPage } from '../../../domain/paging.js';
import { html } from './html.js';
import { AccountHeading, Csrf, Layout, Notice, Pager, accountUrl, type Viewer } from './layout.js';
import { Field, FormError, type FormState } from './forms.js';

/** The Domains tab: an account's e-mail domains, each with its mailboxes and aliases. */

export interface AccountFrame {
  account: Account;
  may: AccountAbilities;
  viewer: Viewer;
}

/** One domain with a page of its mailboxes and one of its aliases. */
export interface DomainListing {
  domain: EmailDomain;
  mailboxes: SizedPage<Mailbox>;
  aliases: SizedPage<MailAlias>;
}

const part = (s: string) => encodeURIComponent(s);
export const domainsUrl = (account: Account, rest = '') => accountUrl(account.accountNumber, `/domains${rest}`);
export const domainUrl = (account: Account, domain: string, rest = '') => domainsUrl(account, `/${part(domain)}${rest}`);
export const mailboxUrl = (account: Account, domain: string, mailbox: string, rest = '') => domainUrl(account, domain, `/mailboxes/${part(mailbox)}${rest}`);
export const aliasUrl = (account: Account, domain: string, alias: string, rest = '') => domainUrl(account, domain, `/aliases/${part(alias)}${rest}`);

function Mailboxes({ account, may, listing, paged }: { account: Account; may: AccountAbilities; listing: DomainListing; paged: boolean }): VNode {
  const { domain, mailboxes } = listing;
  if (mailboxes.total === 0) return html`<p class="muted">No mailboxes yet.</p>`;
  return html`<div class="scroll"><table aria-label=${`Mailboxes of ${domain.name}`}>
      <thead><tr><th>Mailbox</th><th>Display name</th><th class="num">Size (MB)</th><th>Status</th>${may.manageMailboxes && html`<th></th>`}</tr></thead>
      <tbody>
        ${mailboxes.items.map(
          (m) => html`<tr>
            <td class="wrap">${m.name}@${domain.name}</td><td class="wrap">${m.displayName}</td><td class="num">${m.sizeMb}</td>
            <td>${m.enabled ? html`<span class="status ok">enabled</span>` : html`<span class="status bad">disabled</span>`}</td>
            ${may.manageMailboxes && html`<td><a href=${mailboxUrl(account, domain.name, m.name)}>Edit</a> · <a href=${mailboxUrl(account, domain.name, m.name, '/delete')}>Delete</a></td>`}
          </tr>`,
        )}
      </tbody>
    </table></div>
    ${paged
      ? html`<${Pager} base=${domainUrl(account, domain.name)} offset=${mailboxes.offset} size=${mailboxes.size} total=${mailboxes.total} query=${{ aliasOffset: String(listing.aliases.offset) }} />`
      : mailboxes.total > mailboxes.items.length && html`<p><a href=${domainUrl(account, domain.name)}>All ${mailboxes.total} mailboxes →</a></p>`}`;
}

function Aliases({ account, may, listing, paged }: { account: Account; may: AccountAbilities; listing: DomainListing; paged: boolean }): VNode {
  const { domain, aliases } = listing;
  if (aliases.total === 0) return html`<p class="muted">No aliases yet.</p>`;
  return html`<div class="scroll"><table aria-label=${`Aliases of ${domain.name}`}>
      <thead><tr><th>Alias</th><th>Delivers to</th>${may.manageMailboxes && html`<th></th>`}</tr></thead>
      <tbody>
        ${aliases.items.map(
          (a) => html`<tr>
            <td class="wrap">${a.name}@${domain.name}</td><td class="wrap">${a.addresses.join(', ')}</td>
            ${may.manageMailboxes && html`<td><a href=${aliasUrl(account, domain.name, a.name)}>Edit</a> · <a href=${aliasUrl(account, domain.name, a.name, '/delete')}>Delete</a></td>`}
          </tr>`,
        )}
      </tbody>
    </table></div>
    ${paged
      ? html`<${Pager} base=${domainUrl(account, domain.name)} offset=${aliases.offset} size=${aliases.size} total=${aliases.total} query=${{ offset: String(listing.mailboxes.offset) }} param="aliasOffset" />`
      : aliases.total > aliases.items.length && html`<p><a href=${domainUrl(account, domain.name)}>All ${aliases.total} aliases →</a></p>`}`;
}

/** A domain's card; `paged` on the domain's own page, where both lists page through everything. */
function DomainSection({ account, may, listing, paged }: { account: Account; may: AccountAbilities; listing: DomainListing; paged: boolean }): VNode {
  const { domain } = listing;
  return html`<section class="card" id=${`domain-${domain.name}`}>
    <div class="domain-head">
      <h2>${paged ? domain.name : html`<a href=${domainUrl(account, domain.name)}>${domain.name}</a>`}${domain.isPrimary && html` <span class="status ok">primary</span>`}</h2>
      <span class="muted">${listing.mailboxes.total} of ${domain.maxMailboxes} mailboxes · ${listing.aliases.total} aliases</span>
    </div>
    ${may.manageMailboxes &&
    html`<div class="actions">
      <a class="button" href=${domainUrl(account, domain.name, '/mailboxes/new')}>Add mailbox</a>
      <a class="button secondary" href=${domainUrl(account, domain.name, '/aliases/new')}>Add alias</a>
    </div>`}
    <h3>Mailboxes</h3>
    <${Mailboxes} account=${account} may=${may} listing=${listing} paged=${paged} />
    <h3>Aliases</h3>
    <${Aliases} account=${account} may=${may} listing=${listing} paged=${paged} />
  </section>`;
}

function AddDomain({ account, viewer, form }: { account: Account; viewer: Viewer; form: FormState }): VNode {
  return html`<section class="card" id="add-domain">
    <h2>Add a domain</h2>
    <${FormError} form=${form} />
    <form class="stack" method="post" action=${domainsUrl(account)} novalidate>
      <${Csrf} viewer=${viewer} />
      <${Field} form=${form} name="name" label="Domain name" required hint="For example example.com. An account's first domain becomes its primary one." />
      <div class="actions"><button type="submit">Add domain</button></div>
    </form>
  </section>`;
}

export function DomainsPage({ account, may, viewer, listings, form, notice }: AccountFrame & { listings: DomainListing[]; form: FormState; notice?: string }): VNode {
  return html`<${Layout} title=${`Domains · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="domains" />
    ${notice && html`<${Notice} kind="info">${notice}<//>`}
    ${listings.length === 0 && html`<p class="muted">No e-mail domains yet.</p>`}
    ${listings.map((l) => html`<${DomainSection} account=${account} may=${may} listing=${l} paged=${false} />`)}
    ${may.manageDomains && html`<${AddDomain} account=${account} viewer=${viewer} form=${form} />`}
  <//>`;
}

export function DomainPage({ account, may, viewer, listing, notice }: AccountFrame & { listing: DomainListing; notice?: string }): VNode {
  return html`<${Layout} title=${`${listing.domain.name} · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="domains" />
    <p class="crumbs"><a href=${domainsUrl(account)}>← All domains</a></p>
    ${notice && html`<${Notice} kind="info">${notice}<//>`}
    <${DomainSection} account=${account} may=${may} listing=${listing} paged=${true} />
  <//>`;
}

export function AliasFormPage({ account, may, viewer, domain, form, alias }: AccountFrame & { domain: string; form: FormState; alias?: MailAlias }): VNode {
  const title = alias ? `Edit alias ${alias.name}@${domain}` : `Add alias to ${domain}`;
  return html`<${Layout} title=${`${title} · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="domains" />
    <section class="card">
      <h2>${title}</h2>
      <${FormError} form=${form} />
      <form class="stack" method="post" action=${alias ? aliasUrl(account, domain, alias.name) : domainUrl(account, domain, '/aliases')} novalidate>
        <${Csrf} viewer=${viewer} />
        ${!alias && html`<${Field} form=${form} name="name" label=${`Alias name (before @${domain})`} required />`}
        <${Field} form=${form} name="aliasEmails" label="Delivers to" required hint=${`Addresses separated by commas: mailboxes of ${domain}, and at most 4 addresses elsewhere.`} />
        <div class="actions">
          <button type="submit">${alias ? 'Save alias' : 'Add alias'}</button>
          <a href=${domainUrl(account, domain)}>Cancel</a>
        </div>
      </form>
    </section>
  <//>`;
}

/** Confirms deleting a mailbox or an alias. */
export function ConfirmDeletePage({ account, may, viewer, what, address, action, back }: AccountFrame & { what: 'mailbox' | 'alias'; address: string; action: string; back: string }): VNode {
  const consequence = what === 'mailbox' ? 'The mailbox and the mail in it are deleted, and an enabled mailbox no longer counts as a user.' : 'Mail to this address is no longer delivered anywhere.';
  return html`<${Layout} title=${`Delete ${address} · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="domains" />
    <section class="card">
      <h2>Delete this ${what}?</h2>
      <p><strong>${address}</strong>: ${consequence} This cannot be undone.</p>
      <form class="actions" method="post" action=${action}>
        <${Csrf} viewer=${viewer} />
        <button type="submit" class="danger">Delete ${what}</button>
        <a href=${back}>Keep it</a>
      </form>
    </section>
  <//>`;
}
