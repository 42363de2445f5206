import type { VNode } from 'preact';
import type { Account } from '../../../domain/account.js';
import type { AccountAbilities } from '../../../domain/account-view.js';
import type { Contact } from '../../../domain/contact.js';
import type { SizedPage } from '../../../domain/paging.js';
import { html } from './html.js';
import { AccountHeading, Csrf, Layout, Notice, Pager, accountUrl, type Viewer } from './layout.js';
import { Check, Field, FormError, type FormState } from './forms.js';

interface AccountFrame {
  account: Account;
  may: AccountAbilities;
  viewer: Viewer;
}

const yes = (b: boolean) => (b ? 'yes' : '—');

export function ContactsPage({ account, may, viewer, page, notice }: AccountFrame & { page: SizedPage<Contact>; notice?: string }): VNode {
  const url = (rest: string) => accountUrl(account.accountNumber, `/contacts${rest}`);
  return html`<${Layout} title=${`Contacts · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="contacts" />
    ${notice && html`<${Notice} kind="info">${notice}<//>`}
    <div class="actions">${may.manageContacts && html`<a class="button" href=${url('/new')}>Add contact</a>`}</div>
    ${page.total === 0
      ? html`<p class="muted">No contacts yet.</p>`
      : html`<div class="scroll"><table>
          <thead><tr><th>Name</th><th>E-mail</th><th>Phone</th><th>Primary</th><th>Billing</th><th>Updates</th>${may.manageContacts && html`<th></th>`}</tr></thead>
          <tbody>
            ${page.items.map(
              (c) => html`<tr>
                <td>${c.name}</td><td>${c.email}</td><td>${c.phone}</td>
                <td>${yes(c.receivesAlerts)}</td><td>${yes(c.receivesBilling)}</td><td>${yes(c.receivesUpdates)}</td>
                ${may.manageContacts && html`<td><a href=${url(`/${c.id}`)}>Edit</a> · <a href=${url(`/${c.id}/delete`)}>Delete</a></td>`}
              </tr>`,
            )}
          </tbody>
        </table></div>`}
    <${Pager} base=${url('')} offset=${page.offset} size=${page.size} total=${page.total} />
  <//>`;
}

export function ContactFormPage({ account, may, viewer, form, contact }: AccountFrame & { form: FormState; contact?: Contact }): VNode {
  const action = accountUrl(account.accountNumber, contact ? `/contacts/${contact.id}` : '/contacts');
  const title = contact ? `Edit ${contact.name}` : 'Add contact';
  return html`<${Layout} title=${`${title} · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="contacts" />
    <section class="card">
      <h2>${title}</h2>
      <${FormError} form=${form} />
      <form class="stack" method="post" action=${action} novalidate>
        <${Csrf} viewer=${viewer} />
        <${Field} form=${form} name="name" label="Name" required />
        <${Field} form=${form} name="email" label="E-mail" type="email" required />
        <${Field} form=${form} name="phone" label="Phone" required />
        <${Field} form=${form} name="securityQuestion" label="Security question" required />
        <${Field} form=${form} name="securityAnswer" label="Security answer" required=${!contact} hint=${contact ? 'Leave empty to keep the current answer.' : undefined} />
        <fieldset>
          <legend>Receives</legend>
          <${Check} form=${form} name="receivesAlerts" label="Account alerts (the primary contact)" />
          <${Check} form=${form} name="receivesBilling" label="Billing" />
          <${Check} form=${form} name="receivesUpdates" label="Service updates" />
        </fieldset>
        <div class="actions">
          <button type="submit">${contact ? 'Save' : 'Add contact'}</button>
          <a href=${accountUrl(account.accountNumber, '/contacts')}>Cancel</a>
        </div>
      </form>
    </section>
  <//>`;
}

export function DeleteContactPage({ account, may, viewer, contact, error }: AccountFrame & { contact: Contact; error?: string }): VNode {
  return html`<${Layout} title=${`Delete ${contact.name} · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="contacts" />
    ${error && html`<${Notice} kind="error">${error}<//>`}
    <section class="card">
      <h2>Delete this contact?</h2>
      <p><strong>${contact.name}</strong> (${contact.email}) will no longer be a contact of ${account.name}.</p>
      <form class="actions" method="post" action=${accountUrl(account.accountNumber, `/contacts/${contact.id}/delete`)}>
        <${Csrf} viewer=${viewer} />
        <button type="submit" class="danger">Delete contact</button>
        <a href=${accountUrl(account.accountNumber, '/contacts')}>Keep it</a>
      </form>
    </section>
  <//>`;
}
