import { route } from '../../../http/route.js';
import type { InvoiceLine } from '../../../domain/billing.js';
import { invoiceLineItems, listInvoices } from '../../../domain/invoice.js';
import { INVOICE_CSV_CONTENT_TYPE, invoiceCsvStream } from '../../../billing-csv/invoice-csv.js';
import type { PanelUser } from '../session.js';
import { sendPage } from '../reply.js';
import { InvoicePage, InvoicesPage } from '../views/invoices.js';
import { AccountParams, ItemParams, PageQuery } from './schemas.js';
import { accountFrame } from './frame.js';

const PAGE_SIZE = 20;
const LINES_PER_PAGE = 50;

/**
 * One page of an invoice's lines, read through the same streaming reader the CSV uses. Lines before the page
 * are read and skipped: invoices hold one line per billed product of each customer, so even deep pages cost
 * little, and the API's reader stays the only one.
 */
async function linesPage(lines: AsyncIterable<InvoiceLine>, offset: number, size: number): Promise<InvoiceLine[]> {
  const out: InvoiceLine[] = [];
  let i = 0;
  for await (const l of lines) {
    if (i++ < offset) continue;
    out.push(l);
    if (out.length === size) break;
  }
  return out;
}

export const invoiceRoutes = [
  route<PanelUser, { params: AccountParams; querystring: typeof PageQuery }>({
    method: 'GET',
    url: '/accounts/:n/invoices',
    operationId: 'ListInvoices',
    schema: { params: AccountParams, querystring: PageQuery },
    handler: async ({ actor: user, params, query, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      const page = await listInvoices(domain, user.actor, { guid: frame.account.guid }, { size: PAGE_SIZE, offset: query.offset ?? 0 });
      return sendPage(reply, 200, InvoicesPage({ ...frame, page }));
    },
  }),
  route<PanelUser, { params: ItemParams; querystring: typeof PageQuery }>({
    method: 'GET',
    url: '/accounts/:n/invoices/:id',
    operationId: 'ShowInvoice',
    schema: { params: ItemParams, querystring: PageQuery },
    handler: async ({ actor: user, params, query, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      const offset = query.offset ?? 0;
      const { invoice, lines } = await invoiceLineItems(domain, user.actor, { guid: frame.account.guid }, params.id, { pageSize: LINES_PER_PAGE + offset });
      const page = await linesPage(lines, offset, LINES_PER_PAGE);
      return sendPage(reply, 200, InvoicePage({ ...frame, invoice, lines: page, offset, size: LINES_PER_PAGE }));
    },
  }),
  route<PanelUser, { params: ItemParams }>({
    method: 'GET',
    url: '/accounts/:n/invoices/:id/csv',
    operationId: 'DownloadInvoiceCsv',
    schema: { params: ItemParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      // The same reader and writer as the API's CSV route, so the file is byte for byte the API's.
      const { invoice, lines } = await invoiceLineItems(domain, user.actor, { guid: frame.account.guid }, params.id);
      return reply
        .code(200)
        .headers({
          'content-type': INVOICE_CSV_CONTENT_TYPE,
          'content-disposition': `attachment; filename="invoice-${invoice.id}.csv"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        })
        .send(invoiceCsvStream(lines));
    },
  }),
];
