import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { createAccount, updateAccount, type Account } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { listInvoices, markInvoicePaid, purgeInvoiceLines, runBilling } from '../../../src/domain/billing.js';
import * as invoicesRepo from '../../../src/store/repositories/invoices.js';
import { assertV2Fault, rawCall } from './v2-helpers.js';

const system = systemActor('test');
const NF = 'Make sure the URL is correct.';
const HEADER = 'Account No,Reference No,Domain,Product,Type,Service Start,Service End,Term Committed Usage,Current Usage,Usage Change,Months,Rate,Charge';

for (const kind of STORE_KINDS) {
  describe(`Rackspace v2 invoices on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let c1: Account;
    let c2: Account;
    /** Invoice ids of reseller A by period, and reseller B's April invoice. */
    const ids: Record<string, number> = {};
    let otherResellers = 0;

    before(async () => {
      // The clock starts 2026-03-02T10:00Z. Products: 1039 at 3.50, 1050 and 1053 at 7.00 per user per month.
      t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 });
      fx = await buildFixture(t.ctx);
      const paid = { kind: 'customer' as const, status: 'CertifiedSecure' as const };
      c1 = await createAccount(t.ctx, system, { ...paid, parentGuid: fx.resellerA.guid, name: 'Other Domain Co', primaryDomain: 'MyOtherDomain', userCount: 29, productIds: [1053] });
      // No primary domain: the line's Domain is the name, whose comma and quotes need CSV quoting, as does the reference.
      c2 = await createAccount(t.ctx, system, { ...paid, parentGuid: fx.resellerA.guid, name: 'Acme, "Best" Dental', referenceNumber: 'R"1,2', userCount: 20, productIds: [1039, 1050] });
      await createAccount(t.ctx, system, { ...paid, parentGuid: fx.resellerB.guid, name: 'B Paid', primaryDomain: 'b.example', userCount: 5, productIds: [1050] });
      t.clock.set('2026-04-06T19:54:44Z');
      await updateAccount(t.ctx, system, c1.guid, { userCount: 31 });
      t.clock.set('2026-06-01T01:00:00Z');
      // Billed out of order, so newest-first cannot come from the ids alone.
      for (const period of ['2026-04', '2026-05', '2026-03']) {
        const run = await runBilling(t.ctx, system, period);
        assert.deepEqual(run.failed, []);
        for (const i of run.issued) {
          if (i.accountNumber === fx.resellerA.accountNumber) ids[period] = i.invoiceId;
          else if (i.accountNumber === fx.resellerB.accountNumber) {
            if (period === '2026-04') ids.b = i.invoiceId;
          } else otherResellers++;
        }
      }
      assert.equal(otherResellers, 0);
    });
    after(async () => t?.close());

    const invoicesOf = (a: Account | string) => `/v2/customers/${typeof a === 'string' ? a : a.accountNumber}/invoices`;
    const get = (path: string, who = fx.resellerAdminA, accept: string | undefined = 'application/json') => rawCall(t, who, { method: 'GET', path, accept });

    it('lists invoices newest first, typed as the seed shows them, with paging', async () => {
      const res = await get(invoicesOf(fx.resellerA));
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /^application\/json/);
      const doc = res.json as { Size: number; Offset: number; Total: number; Items: Record<string, unknown>[] };
      assert.deepEqual([doc.Size, doc.Offset, doc.Total], [50, 0, 3]);
      assert.deepEqual(
        doc.Items.map((i) => [i.InvoiceId, i.InvoiceDate]),
        [
          [String(ids['2026-05']), '2026-06-01T00:00:00'],
          [String(ids['2026-04']), '2026-05-01T00:00:00'],
          [String(ids['2026-03']), '2026-04-01T00:00:00'],
        ],
      );
      // April by hand: 7×29 = 203, the upgrade 11.34 (see the CSV test), 3.50×20 = 70, 7×20 = 140.
      assert.equal(
        JSON.stringify(doc.Items[1]),
        JSON.stringify({ InvoiceId: String(ids['2026-04']), InvoiceDate: '2026-05-01T00:00:00', InvoiceType: 'Billing', TotalDue: '424.34', IsPaid: false, CsvAvailable: true }),
      );
      for (const i of doc.Items) {
        assert.equal(typeof i.TotalDue, 'string');
        assert.match(i.TotalDue as string, /^\d+\.\d{2}$/);
      }

      const paged = await get(`${invoicesOf(fx.resellerA)}?size=1&offset=1`);
      const p = paged.json as typeof doc;
      assert.deepEqual([p.Size, p.Offset, p.Total], [1, 1, 3]);
      assert.deepEqual(p.Items.map((i) => i.InvoiceId), [String(ids['2026-04'])]);
      assert.deepEqual((await get(`${invoicesOf(fx.resellerA)}?offset=3`)).json, { Size: 50, Offset: 3, Total: 3, Items: [] });
      assert.deepEqual((await get('/v2/customers/me/invoices')).json, doc, '`me` is the caller’s own account');

      // A customer billed through its reseller has no invoices of its own.
      assert.deepEqual((await get(invoicesOf(c1))).json, { Size: 50, Offset: 0, Total: 0, Items: [] });
      // JSON whatever the Accept header says.
      const xml = await get(invoicesOf(fx.resellerA), fx.resellerAdminA, 'text/xml');
      assert.match(xml.headers['content-type'], /^application\/json/);
      assert.deepEqual(JSON.parse(xml.body), doc);
      assertV2Fault(await get(`${invoicesOf(fx.resellerA)}?size=-1`), 400, 'size must be a whole number from 0 to 1000');
    });

    it('serves the line items as text/csv byte for byte, for an invoice made by a billing run', async () => {
      // The upgrade 29 → 31 at 4/6/2026 7:54:44 PM runs to the end of April: 24 d 4 h 5 min 16 s of 30 days.
      const upgradeSeconds = 24 * 86_400 + 4 * 3_600 + 5 * 60 + 16;
      const months = Math.round((upgradeSeconds / (30 * 86_400)) * 100) / 100;
      assert.equal(months, 0.81);
      assert.equal((7 * 2 * months).toFixed(2), '11.34');
      const a = c1.accountNumber;
      const b = c2.accountNumber;
      assert.ok(Number(a) < Number(b), 'lines come in account-number order');
      const expected =
        [
          HEADER,
          `${a},"","MyOtherDomain","Office 365 Business Essentials",Renewal,4/1/2026 12:00:00 AM,4/30/2026 11:59:59 PM,29,29,29,1,7,203`,
          `${a},"","MyOtherDomain","Office 365 Business Essentials",Upgrade,4/6/2026 7:54:44 PM,4/30/2026 11:59:59 PM,29,31,2,0.81,7,11.34`,
          `${b},"R""1,2","Acme, ""Best"" Dental","Secure Email Gateway (Site)",Renewal,4/1/2026 12:00:00 AM,4/30/2026 11:59:59 PM,20,20,20,1,3.5,70`,
          `${b},"R""1,2","Acme, ""Best"" Dental","Hosted Exchange",Renewal,4/1/2026 12:00:00 AM,4/30/2026 11:59:59 PM,20,20,20,1,7,140`,
        ].join('\r\n') + '\r\n';
      for (const accept of ['application/json', 'text/xml', undefined]) {
        const res = await get(`${invoicesOf(fx.resellerA)}/${ids['2026-04']}`, fx.resellerAdminA, accept);
        assert.equal(res.status, 200, res.body);
        assert.equal(res.headers['content-type'], 'text/csv', `content type with Accept ${accept}`);
        assert.equal(res.body, expected);
      }
    });

    it('answers 404 for unknown, foreign and purged invoices, and 403 without the right', async () => {
      assertV2Fault(await get(`${invoicesOf(fx.resellerA)}/999999`), 404, NF, 'unknown invoice');
      assertV2Fault(await get(`${invoicesOf(fx.resellerA)}/abc`), 404, NF, 'non-numeric id');
      assertV2Fault(await get(`${invoicesOf(fx.resellerA)}/${ids.b}`), 404, NF, 'another account’s invoice under mine');
      assertV2Fault(await get(`${invoicesOf(fx.resellerB)}/${ids.b}`), 404, NF, 'another reseller’s invoice');
      assertV2Fault(await get(invoicesOf(fx.resellerB)), 404, NF, 'another reseller’s list');
      assertV2Fault(await get(`${invoicesOf(c1)}/${ids['2026-04']}`), 404, NF, 'my invoice under my customer');
      assertV2Fault(await get(invoicesOf(fx.resellerA), fx.provisioning), 403, 'Unauthorized.', 'no invoice.read');
      assertV2Fault(await get(`${invoicesOf(fx.resellerA)}/${ids['2026-04']}`, fx.provisioning), 403, 'Unauthorized.', 'no invoice.read, CSV');
      assert.equal((await get(invoicesOf(fx.resellerA), fx.reader)).status, 200, 'an account reader may read invoices');
      assert.equal((await get(`${invoicesOf(fx.resellerB)}/${ids.b}`, fx.resellerAdminB)).status, 200, 'its own reseller reads it');
      assertV2Fault(await rawCall(t, fx.resellerAdminA, { method: 'DELETE', path: `${invoicesOf(fx.resellerA)}/${ids['2026-04']}` }), 404, NF, 'wrong verb');
    });

    it('shows payment, and 404s the CSV of an invoice whose line items were purged', async () => {
      await markInvoicePaid(t.ctx, system, ids['2026-03']);
      assert.equal(await purgeInvoiceLines(t.ctx, system, '2026-04'), 2, 'March of both resellers');
      const doc = (await get(invoicesOf(fx.resellerA))).json as { Items: { InvoiceId: string; IsPaid: boolean; CsvAvailable: boolean }[] };
      assert.deepEqual(
        doc.Items.map((i) => [i.InvoiceId, i.IsPaid, i.CsvAvailable]),
        [
          [String(ids['2026-05']), false, true],
          [String(ids['2026-04']), false, true],
          [String(ids['2026-03']), true, false],
        ],
      );
      assertV2Fault(await get(`${invoicesOf(fx.resellerA)}/${ids['2026-03']}`, fx.resellerAdminA, 'text/csv'), 404, NF, 'CSV not available');
      assert.equal((await get(`${invoicesOf(fx.resellerA)}/${ids['2026-05']}`)).status, 200, 'newer invoices keep theirs');
    });

    it('streams a large invoice complete', async () => {
      // Written straight to the store: a billing run producing thousands of lines would only slow the test down.
      const LINES = 4321;
      const invoiceId = await invoicesRepo.insertInvoice(t.ctx.db, {
        billingAccountGuid: fx.resellerA.guid,
        period: '2025-01',
        invoiceType: 'Billing',
        invoiceDate: '2025-02-01T00:00:00.000Z',
        createdAt: t.clock.now().toISOString(),
      });
      const lines: invoicesRepo.NewInvoiceLine[] = [];
      for (let n = 1; n <= LINES; n++) {
        lines.push({
          invoice_id: invoiceId,
          line_no: n,
          account_guid: c1.guid,
          account_number: c1.accountNumber,
          reference_number: null,
          domain: `d${n}.example`,
          product_id: 1053,
          product_name: 'Office 365 Business Essentials',
          line_type: 'Renewal',
          service_start: '2025-01-01T00:00:00.000Z',
          service_end: '2025-01-31T23:59:59.000Z',
          committed_usage: n,
          current_usage: n,
          usage_change: n,
          months_hundredths: 100,
          rate: '7.00',
          charge_cents: n * 700,
        });
      }
      await invoicesRepo.insertLines(t.ctx.db, lines);
      await invoicesRepo.finishInvoice(t.ctx.db, invoiceId, BigInt(700 * ((LINES * (LINES + 1)) / 2)), LINES);

      const listed = await listInvoices(t.ctx, system, { accountNumber: fx.resellerA.accountNumber });
      assert.equal(listed.items.at(-1)!.id, invoiceId, 'the oldest invoice lists last');

      const res = await get(`${invoicesOf(fx.resellerA)}/${invoiceId}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'text/csv');
      assert.equal(res.headers['content-length'], undefined, 'sent as a stream, not a buffered body');
      const records = res.body.split('\r\n');
      assert.equal(records.pop(), '', 'ends with a record separator');
      assert.equal(records.length, LINES + 1);
      assert.equal(records[0], HEADER);
      for (let n = 1; n <= LINES; n++) {
        const expected = `${c1.accountNumber},"","d${n}.example","Office 365 Business Essentials",Renewal,1/1/2025 12:00:00 AM,1/31/2025 11:59:59 PM,${n},${n},${n},1,7,${n * 7}`;
        if (records[n] !== expected) assert.fail(`line ${n}: ${records[n]} ≠ ${expected}`);
      }
    });
  });
}
