import type { VNode } from 'preact';
import type { Account, Page } from '../../../domain/account.js';
import type { AccountAbilities } from '../../../domain/account-view.js';
import { html } from './html.js';
import { AccountHeading, Csrf, Layout, Notice, Pager, Status, accountUrl, type Viewer } from './layout.js';
import { Field, FormError, type FormState } from './forms.js';

interface AccountFrame {
  account: Account;
  may: AccountAbilities;
  viewer: Viewer;
}

export interface CustomerSearch {
  q: string;
  match: 'startswith' | 'contains';
  offset: number;
  size: number;
}

function SearchForm({ account, search }: { account: Account; search: CustomerSearch }): VNode {
  return html`<form class="search" method="get" action=${accountUrl(account.accountNumber, '/customers')} role="search">
    <div class="field">
      <label for="q">Name, account number or reference</label>
      <input id="q" name="q" type="search" value=${search.q} />
    </div>
    <div class="field">
      <label for="match">Match</label>
      <select id="match" name="match">
        <option value="startswith" selected=${search.match === 'startswith'}>starts with</option>
        <option value="contains" selected=${search.match === 'contains'}>contains</option>
      </select>
    </div>
    <button type="submit">Search</button>
  </form>`;
}

export function CustomersPage({ account, may, viewer, search, page, notice }: AccountFrame & { search: CustomerSearch; page: Page<Account>; notice?: string }): VNode {
  return html`<${Layout} title=${`Customers · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="customers" />
    ${notice && html`<${Notice} kind="info">${notice}<//>`}
    <div class="actions">${may.createCustomer && html`<a class="button" href=${accountUrl(account.accountNumber, '/customers/new')}>New customer</a>`}</div>
    <${SearchForm} account=${account} search=${search} />
    ${page.total === 0
      ? html`<p class="muted">${search.q ? 'No customer matches.' : 'No customers yet.'}</p>`
      : html`<div class="scroll"><table>
          <thead><tr><th>Name</th><th>Account</th><th>Reference</th><th>Status</th><th class="num">Users</th></tr></thead>
          <tbody>
            ${page.items.map(
              (c) => html`<tr>
                <td><a href=${accountUrl(c.accountNumber)}>${c.name}</a></td><td>${c.accountNumber}</td><td>${c.referenceNumber ?? ''}</td>
                <td><${Status} status=${c.status} /></td><td class="num">${c.userCount}</td>
              </tr>`,
            )}
          </tbody>
        </table></div>`}
    <${Pager} base=${accountUrl(account.accountNumber, '/customers')} offset=${search.offset} size=${search.size} total=${page.total} query=${{ q: search.q, match: search.match }} />
  <//>`;
}

export function NewCustomerPage({ account, may, viewer, form }: AccountFrame & { form: FormState }): VNode {
  return html`<${Layout} title=${`New customer · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="customers" />
    <section class="card">
      <h2>New customer of ${account.name}</h2>
      <${FormError} form=${form} />
      <form class="stack" method="post" action=${accountUrl(account.accountNumber, '/customers')} novalidate>
        <${Csrf} viewer=${viewer} />
        <${Field} form=${form} name="name" label="Name" required />
        <${Field} form=${form} name="referenceNumber" label="Reference number" hint="Your own reference, 20 characters or fewer." />
        <${Field} form=${form} name="email" label="E-mail" type="email" />
        <${Field} form=${form} name="phone" label="Phone" />
        <${Field} form=${form} name="addressLine1" label="Address" />
        <${Field} form=${form} name="addressLine2" label="Address (second line)" />
        <${Field} form=${form} name="city" label="City" />
        <${Field} form=${form} name="state" label="State or region" />
        <${Field} form=${form} name="zip" label="Postal code" />
        <${Field} form=${form} name="country" label="Country" />
        <${Field} form=${form} name="primaryDomain" label="Primary domain" />
        <${Field} form=${form} name="userCount" label="Users" type="number" />
        <div class="actions">
          <button type="submit">Create customer</button>
          <a href=${accountUrl(account.accountNumber, '/customers')}>Cancel</a>
        </div>
      </form>
    </section>
  <//>`;
}
