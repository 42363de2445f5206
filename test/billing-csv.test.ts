import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { invoiceCsvStream, formatServiceTime, plainNumber } from '../src/billing-csv/invoice-csv.js';
import type { InvoiceLine } from '../src/domain/billing.js';

async function csv(lines: InvoiceLine[]): Promise<string> {
  async function* gen() {
    for (const l of lines) yield l;
  }
  let out = '';
  for await (const chunk of invoiceCsvStream(gen())) out += chunk.toString();
  return out;
}

const base: InvoiceLine = {
  lineNo: 1,
  accountGuid: 'a'.repeat(32),
  accountNumber: '1386010',
  referenceNumber: null,
  domain: 'MyOtherDomain',
  productId: 1053,
  product: 'Office 365 Business Essentials',
  type: 'Renewal',
  serviceStart: '2017-12-01T00:00:00.000Z',
  serviceEnd: '2017-12-31T23:59:59.000Z',
  committedUsage: 31,
  currentUsage: 31,
  usageChange: 31,
  months: '1.00',
  rate: '7.00',
  charge: '217.00',
};

describe('invoice CSV', () => {
  it("writes the seed's header and rows byte for byte", async () => {
    const text = await csv([
      base,
      { ...base, lineNo: 2, type: 'Upgrade', serviceStart: '2017-11-06T19:54:44.000Z', serviceEnd: '2017-11-30T23:59:59.000Z', committedUsage: 29, currentUsage: 31, usageChange: 2, months: '0.81', charge: '11.34' },
    ]);
    assert.equal(
      text,
      'Account No,Reference No,Domain,Product,Type,Service Start,Service End,Term Committed Usage,Current Usage,Usage Change,Months,Rate,Charge\r\n' +
        '1386010,"","MyOtherDomain","Office 365 Business Essentials",Renewal,12/1/2017 12:00:00 AM,12/31/2017 11:59:59 PM,31,31,31,1,7,217\r\n' +
        '1386010,"","MyOtherDomain","Office 365 Business Essentials",Upgrade,11/6/2017 7:54:44 PM,11/30/2017 11:59:59 PM,29,31,2,0.81,7,11.34\r\n',
    );
  });
  it('writes only the header for an invoice without lines', async () => {
    assert.equal((await csv([])).split('\r\n')[0], 'Account No,Reference No,Domain,Product,Type,Service Start,Service End,Term Committed Usage,Current Usage,Usage Change,Months,Rate,Charge');
  });
  it('escapes quotes and separators inside text columns', async () => {
    const text = await csv([{ ...base, referenceNumber: 'PO "7", east', domain: 'a,b.example', product: 'Line\r\nBreak' }]);
    assert.equal(text.split('\r\n').slice(1).join('\r\n').startsWith('1386010,"PO ""7"", east","a,b.example","Line\r\nBreak",Renewal,'), true);
  });
  it('prints times in 12-hour UTC and numbers without trailing zeros', () => {
    assert.equal(formatServiceTime('2026-04-01T00:00:00.000Z'), '4/1/2026 12:00:00 AM');
    assert.equal(formatServiceTime('2026-04-01T12:05:09.000Z'), '4/1/2026 12:05:09 PM');
    assert.equal(formatServiceTime('2026-10-31T23:59:59.000Z'), '10/31/2026 11:59:59 PM');
    assert.equal(plainNumber('140.00'), '140');
    assert.equal(plainNumber('3.50'), '3.5');
    assert.equal(plainNumber('0.00'), '0');
    assert.equal(plainNumber('11.34'), '11.34');
    assert.equal(plainNumber('10'), '10');
  });
});
