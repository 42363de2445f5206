import { route, type Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { visibleAccountBy } from '../../domain/account.js';
import { invoiceLinesOf, invoicesOf } from '../../domain/invoice.js';
import { INVOICE_CSV_CONTENT_TYPE, invoiceCsvStream } from '../../billing-csv/invoice-csv.js';
import { CustomerParams, InvoiceCsv, InvoiceList, InvoiceParams, PageQuery, customerKey, responses } from './schemas.js';
import { invoiceDocument, v2List } from './views.js';

/** v2 invoices (seed 002): a billing account's invoices as JSON, and one invoice's line items as text/csv. */
export function invoiceRoutes(): Route<Actor, any>[] {
  const list = '/customers/:accountNumber/invoices';
  const listSchema = { params: CustomerParams, querystring: PageQuery, response: responses(InvoiceList) };
  const csvSchema = { params: InvoiceParams, response: responses(InvoiceCsv) };
  return [
    route<Actor, typeof listSchema>({
      method: 'GET',
      url: list,
      operationId: 'ListInvoices',
      summary: 'Lists a customer’s invoices, most recent first',
      schema: listSchema,
      async handler({ actor, params, query, domain }) {
        const account = await visibleAccountBy(domain, actor, customerKey(actor, params.accountNumber));
        return v2List(await invoicesOf(domain, actor, account, query), invoiceDocument);
      },
    }),
    route<Actor, typeof csvSchema>({
      method: 'GET',
      url: `${list}/:invoiceId`,
      operationId: 'ShowInvoice',
      summary: 'The line items of one invoice, as text/csv',
      schema: csvSchema,
      async handler({ reply, actor, params, domain }) {
        const account = await visibleAccountBy(domain, actor, customerKey(actor, params.accountNumber));
        // Every 404 is decided here, before the first byte; the lines are then streamed from the store page by page.
        const { lines } = await invoiceLinesOf(domain, actor, account, params.invoiceId);
        return reply.code(200).header('content-type', INVOICE_CSV_CONTENT_TYPE).send(invoiceCsvStream(lines));
      },
    }),
  ];
}
