import type { VNode } from 'preact';
import type { Account } from '../../../domain/account.js';
import type { AccountAbilities } from '../../../domain/account-view.js';
import type { InvoiceLine, InvoiceSummary } from '../../../domain/billing.js';
import type { SizedPage } from '../../../domain/paging.js';
import { html, when } from './html.js';
import { AccountHeading, Layout, Pager, accountUrl, type Viewer } from './layout.js';

interface AccountFrame {
  account: Account;
  may: AccountAbilities;
  viewer: Viewer;
}

const invoiceUrl = (account: Account, id: number, rest = '') => accountUrl(account.accountNumber, `/invoices/${id}${rest}`);

export function InvoicesPage({ account, may, viewer, page }: AccountFrame & { page: SizedPage<InvoiceSummary> }): VNode {
  return html`<${Layout} title=${`Invoices · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="invoices" />
    ${page.total === 0
      ? html`<p class="muted">No invoices yet. Invoices are made when a month ends.</p>`
      : html`<div class="scroll"><table>
          <thead><tr><th>Invoice</th><th>Date</th><th>Period</th><th>Type</th><th class="num">Total due</th><th>Paid</th><th></th></tr></thead>
          <tbody>
            ${page.items.map(
              (i) => html`<tr>
                <td><a href=${invoiceUrl(account, i.id)}>${i.id}</a></td><td>${i.invoiceDate.slice(0, 10)}</td><td>${i.period}</td><td>${i.invoiceType}</td>
                <td class="num">${i.totalDue}</td><td>${i.isPaid ? 'yes' : 'no'}</td>
                <td>${i.csvAvailable ? html`<a href=${invoiceUrl(account, i.id, '/csv')} download>CSV</a>` : html`<span class="muted">no line items kept</span>`}</td>
              </tr>`,
            )}
          </tbody>
        </table></div>`}
    <${Pager} base=${accountUrl(account.accountNumber, '/invoices')} offset=${page.offset} size=${page.size} total=${page.total} />
  <//>`;
}

export function InvoicePage({ account, may, viewer, invoice, lines, offset, size }: AccountFrame & { invoice: InvoiceSummary; lines: InvoiceLine[]; offset: number; size: number }): VNode {
  return html`<${Layout} title=${`Invoice ${invoice.id} · ${account.name}`} viewer=${viewer}>
    <${AccountHeading} account=${account} may=${may} active="invoices" />
    <section class="card">
      <h2>Invoice ${invoice.id}</h2>
      <dl class="facts">
        <dt>Period</dt><dd>${invoice.period}</dd>
        <dt>Date</dt><dd>${when(invoice.invoiceDate)}</dd>
        <dt>Total due</dt><dd>${invoice.totalDue}</dd>
        <dt>Paid</dt><dd>${invoice.isPaid ? `yes, ${when(invoice.paidAt)}` : 'no'}</dd>
      </dl>
      <div class="actions"><a class="button" href=${invoiceUrl(account, invoice.id, '/csv')} download>Download CSV</a></div>
    </section>
    <div class="scroll"><table>
      <thead><tr><th>Account</th><th>Reference</th><th>Domain</th><th>Product</th><th>Type</th><th>Service start</th><th>Service end</th><th class="num">Committed</th><th class="num">Current</th><th class="num">Change</th><th class="num">Months</th><th class="num">Rate</th><th class="num">Charge</th></tr></thead>
      <tbody>
        ${lines.map(
          (l) => html`<tr>
            <td>${l.accountNumber}</td><td>${l.referenceNumber ?? ''}</td><td>${l.domain}</td><td>${l.product}</td><td>${l.type}</td>
            <td>${when(l.serviceStart)}</td><td>${when(l.serviceEnd)}</td><td class="num">${l.committedUsage}</td><td class="num">${l.currentUsage}</td>
            <td class="num">${l.usageChange}</td><td class="num">${l.months}</td><td class="num">${l.rate}</td><td class="num">${l.charge}</td>
          </tr>`,
        )}
      </tbody>
    </table></div>
    <${Pager} base=${invoiceUrl(account, invoice.id)} offset=${offset} size=${size} total=${invoice.lineCount} />
  <//>`;
}
