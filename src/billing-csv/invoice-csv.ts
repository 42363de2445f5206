import { Readable } from 'node:stream';
import { stringify, type CastingContext } from 'csv-stringify';
import type { InvoiceLine } from '../domain/billing.js';

/**
 * The invoice line-item CSV of Rackspace's v2 API (seed 002), kept out of the domain (which yields
 * wire-neutral lines) and out of any one face so the route, the CLI and tests share it.
 *
 * Exactly as the vendor prints it: this header; text columns (Reference No, Domain, Product) always quoted,
 * even when empty (""); Account No, Type, dates and numbers bare; dates as M/D/YYYY h:mm:ss AM/PM in UTC;
 * numbers without trailing zeros ("1", "0.81", "7", "140", "11.34"). Records end with CRLF (RFC 4180, and
 * what the vendor's .NET service writes); the seed's flattened sample cannot show which, and every CSV
 * reader accepts CRLF. csv-stringify does the quoting and escaping; per-column quoting goes through its
 * cast hook, which is why the columns are written as strings.
 */
export const INVOICE_CSV_HEADER = [
  'Account No',
  'Reference No',
  'Domain',
  'Product',
  'Type',
  'Service Start',
  'Service End',
  'Term Committed Usage',
  'Current Usage',
  'Usage Change',
  'Months',
  'Rate',
  'Charge',
] as const;

/** Columns the vendor always quotes. */
const QUOTED_COLUMNS = new Set([1, 2, 3]);

export const INVOICE_CSV_CONTENT_TYPE = 'text/csv';

/** "2017-11-06T19:54:44.000Z" → "11/6/2017 7:54:44 PM" (UTC). */
export function formatServiceTime(isoTime: string): string {
  const d = new Date(isoTime);
  const h24 = d.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h24 < 12 ? 'AM' : 'PM'}`;
}

/** "140.00" → "140", "0.80" → "0.8", "11.34" → "11.34". */
export function plainNumber(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/0+$/, '').replace(/\.$/, '') : decimal;
}

export function invoiceCsvRecord(l: InvoiceLine): string[] {
  return [
    l.accountNumber,
    l.referenceNumber ?? '',
    l.domain,
    l.product,
    l.type,
    formatServiceTime(l.serviceStart),
    formatServiceTime(l.serviceEnd),
    String(l.committedUsage),
    String(l.currentUsage),
    String(l.usageChange),
    plainNumber(l.months),
    plainNumber(l.rate),
    plainNumber(l.charge),
  ];
}

function castString(value: string, context: CastingContext) {
  if (!context.header && typeof context.column === 'number' && QUOTED_COLUMNS.has(context.column)) {
    return { value, quoted: true, quoted_empty: true };
  }
  return value;
}

/**
 * A readable byte stream of the CSV: header first, then one record per line as the iterable yields them.
 * Back-pressure flows to the iterable, so only a page of lines is in memory at a time. A face sends it as
 * the body with content type INVOICE_CSV_CONTENT_TYPE.
 */
export function invoiceCsvStream(lines: AsyncIterable<InvoiceLine>): Readable {
  const stringifier = stringify({
    header: true,
    columns: INVOICE_CSV_HEADER.map((h) => ({ key: h, header: h })) as any,
    record_delimiter: '\r\n',
    cast: { string: castString },
  });
  // Records are arrays, so `columns` only supplies the header; positions match INVOICE_CSV_HEADER.
  const source = Readable.from(
    (async function* () {
      for await (const l of lines) yield invoiceCsvRecord(l);
    })(),
  );
  source.on('error', (e) => stringifier.destroy(e));
  return source.pipe(stringifier);
}
