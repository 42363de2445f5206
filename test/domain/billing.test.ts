import { describe, it, before, after } from 'node:test';
import { CompiledQuery } from 'kysely';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { buildFixture, withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import { createAccount, deleteAccount, updateAccount, type Account, type NewAccount } from '../../src/domain/account.js';
import { systemActor } from '../../src/domain/principal.js';
import { changeStatus, type ServiceStatus } from '../../src/domain/status.js';
import { inTransaction } from '../../src/domain/context.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { upsertProduct } from '../../src/domain/product.js';
import { adjustUserCount, setUserCount, userCountAt } from '../../src/domain/usage.js';
import { runExclusive } from '../../src/domain/jobs.js';
import {
  billingJob,
  billingRunCompleted,
  getInvoice,
  invoiceLineItems,
  listInvoices,
  markInvoicePaid,
  purgeInvoiceLines,
  runBilling,
  type InvoiceLine,
} from '../../src/domain/billing.js';
import { invoiceCsvStream } from '../../src/billing-csv/invoice-csv.js';
import * as accountsRepo from '../../src/store/repositories/accounts.js';
import { tallyStatements } from '../../src/store/tally.js';

const rejects = (code: ErrorCode, resource?: string) => (e: unknown) => {
  assert.ok(e instanceof DomainError, `expected a DomainError, got ${e}`);
  assert.equal(e.code, code);
  if (resource !== undefined) assert.equal(e.details.resource, resource);
  return true;
};

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function csvOf(lines: AsyncIterable<InvoiceLine>): Promise<string> {
  let s = '';
  for await (const chunk of invoiceCsvStream(lines)) s += chunk.toString();
  return s;
}

const system = systemActor('test');

async function setStatus(env: TestEnv, guid: string, to: ServiceStatus): Promise<void> {
  await inTransaction(env.ctx, async (trx) => {
    const account = (await accountsRepo.findByGuid(trx, guid))!;
    await changeStatus(trx, env.ctx, system, account, to);
  });
}

async function lineCount(env: TestEnv): Promise<number> {
  const r = await env.ctx.db.selectFrom('invoice_lines').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

const customer = (parent: Account, name: string, over: Partial<NewAccount>): NewAccount => ({ parentGuid: parent.guid, kind: 'customer', name, ...over });

for (const kind of STORE_KINDS) {
  describe(`billing run on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    let c1: Account, c2: Account, c4: Account, d: Account;
    const resellerKey = () => ({ accountNumber: fx.resellerA.accountNumber });

    before(async () => {
      // Starts 2026-03-02T10:00Z. Products: 1039 at 3.50, 1050 and 1053 at 7.00 per user per month.
      env = await makeTestEnv(kind);
      fx = await buildFixture(env.ctx);
      const paid = { status: 'CertifiedSecure' as const };
      c1 = await createAccount(env.ctx, system, customer(fx.resellerA, 'Billing One', { ...paid, referenceNumber: 'C1', primaryDomain: 'one.example', userCount: 29, productIds: [1039, 1050] }));
      c2 = await createAccount(env.ctx, system, customer(fx.resellerA, 'Billing Two', { ...paid, primaryDomain: 'two.example', userCount: 10, productIds: [1053] }));
      // A trial is never billed.
      await createAccount(env.ctx, system, customer(fx.resellerA, 'Billing Trial', { primaryDomain: 'three.example', userCount: 50, productIds: [1050] }));
      c4 = await createAccount(env.ctx, system, customer(fx.resellerA, 'Billing Four', { ...paid, primaryDomain: 'four.example', userCount: 4, productIds: [1050] }));
      d = await createAccount(env.ctx, system, customer(fx.partner, 'Direct', { ...paid, primaryDomain: 'direct.example', userCount: 10, productIds: [1039] }));

      env.clock.set('2026-04-06T19:54:44Z');
      await updateAccount(env.ctx, system, c1.guid, { userCount: 31 });
      env.clock.set('2026-04-11T00:00:00Z');
      await setStatus(env, c2.guid, 'AccountSuspended');
      env.clock.set('2026-04-16T00:00:00Z');
      await deleteAccount(env.ctx, system, c4.guid);
      env.clock.set('2026-04-20T00:00:00Z');
      await setUserCount(env.ctx, system, c1.guid, 30);
      env.clock.set('2026-04-21T00:00:00Z');
      await setStatus(env, c2.guid, 'CertifiedSecure');
      env.clock.set('2026-04-22T00:00:00Z');
      await setUserCount(env.ctx, system, c1.guid, 31);
      env.clock.set('2026-04-25T00:00:00Z');
      await setUserCount(env.ctx, system, c1.guid, 33);
      env.clock.set('2026-05-01T01:00:00Z');
    });
    after(async () => env?.close());

    it('records every user-count change with its time', async () => {
      const account = (await accountsRepo.findByGuid(env.ctx.db, c1.guid))!;
      assert.equal(account.userCount, 33);
      assert.equal(await userCountAt(env.ctx.db, account, '2026-04-01T00:00:00.000Z'), 29);
      assert.equal(await userCountAt(env.ctx.db, account, '2026-04-06T19:54:44.000Z'), 31);
      assert.equal(await userCountAt(env.ctx.db, account, '2026-04-20T12:00:00.000Z'), 30);
      assert.equal(await userCountAt(env.ctx.db, account, '2026-04-30T00:00:00.000Z'), 33);
    });

    it('refuses a period that is malformed or not over, and anyone but an operator', async () => {
      await assert.rejects(runBilling(env.ctx, system, '2026-05'), rejects(ErrorCode.Validation));
      await assert.rejects(runBilling(env.ctx, system, '2026-4'), rejects(ErrorCode.Validation));
      await assert.rejects(runBilling(env.ctx, fx.resellerAdminA.actor, '2026-03'), rejects(ErrorCode.Forbidden));
      assert.equal(await lineCount(env), 0);
    });

    it('issues each invoice once when two runs of a period race', async () => {
      const [x, y] = await Promise.all([runBilling(env.ctx, system, '2026-03'), runBilling(env.ctx, system, '2026-03')]);
      assert.deepEqual([...x.failed, ...y.failed], []);
      const issued = [...x.issued, ...y.issued].map((i) => i.accountNumber).sort();
      assert.deepEqual(issued, [fx.resellerA.accountNumber, d.accountNumber].sort());
      assert.equal(x.alreadyIssued + y.alreadyIssued, 2);
      // March from 3/2 10:00: 29 days 14 h of 31 = 0.95 of the month.
      // c1: 3.50×29×0.95 = 96.425 → 96.43, 7×29×0.95 = 192.85; c2: 7×10×0.95 = 66.50; c4: 7×4×0.95 = 26.60
      const a = [...x.issued, ...y.issued].find((i) => i.accountNumber === fx.resellerA.accountNumber)!;
      assert.equal(a.totalDue, '382.38');
      assert.equal(a.lineCount, 4);
      assert.equal([...x.issued, ...y.issued].find((i) => i.accountNumber === d.accountNumber)!.totalDue, '33.25');
    });

    it('bills the previous month from the scheduler, with prorated upgrades and active days only', async () => {
      assert.equal(await billingRunCompleted(env.ctx, '2026-04'), false);
      assert.equal(await runExclusive(env.ctx, billingJob), true);
      assert.equal(await billingRunCompleted(env.ctx, '2026-04'), true);
      const page = await listInvoices(env.ctx, fx.resellerAdminA.actor, resellerKey());
      const april = page.items[0];
      assert.equal(april.period, '2026-04');
      assert.equal(april.invoiceDate, '2026-05-01T00:00:00.000Z');
      assert.equal(april.invoiceType, 'Billing');
      assert.equal(april.csvAvailable, true);
      assert.equal(april.isPaid, false);
      // By hand (April has 30 days):
      //   c1 SEG 1039 at 3.50: Renewal 29 × 1 = 101.50; Upgrade 29→31 on 4/6 19:54:44, 24 d 4 h 5 min 16 s = 0.81 → 3.5×2×0.81 = 5.67;
      //     the drop to 30 on 4/20 and the return to 31 on 4/22 add nothing; Upgrade 31→33 on 4/25, 6 days = 0.20 → 1.40
      //   c1 HE 1050 at 7.00: 203.00 + 7×2×0.81 = 11.34 + 7×2×0.20 = 2.80
      //   c2 1053 at 7.00, suspended 4/11–4/21: two Renewals of 10 days = 0.33 → 7×10×0.33 = 23.10 each
      //   c4 1050 at 7.00, deleted (cancelled) 4/16: 15 days = 0.50 → 7×4×0.5 = 14.00
      //   101.50 + 5.67 + 1.40 + 203.00 + 11.34 + 2.80 + 23.10 + 23.10 + 14.00 = 385.91
      assert.equal(april.totalDue, '385.91');
      assert.equal(april.totalDueCents, 38591);
      assert.equal(april.lineCount, 9);
      const direct = await listInvoices(env.ctx, system, { accountNumber: d.accountNumber });
      assert.equal(direct.items[0].totalDue, '35.00');
      // Reseller B's only customer is a trial: nothing to bill, no invoice.
      assert.equal((await listInvoices(env.ctx, system, { accountNumber: fx.resellerB.accountNumber })).total, 0);
    });

    it('streams the line items as the seed CSV, byte for byte', async () => {
      const [april] = (await listInvoices(env.ctx, system, resellerKey())).items;
      const { invoice, lines } = await invoiceLineItems(env.ctx, fx.reader.actor, resellerKey(), String(april.id), { pageSize: 2 });
      assert.equal(invoice.id, april.id);
      const one = `${c1.accountNumber},"C1","one.example"`;
      const end = '4/30/2026 11:59:59 PM';
      assert.equal(
        await csvOf(lines),
        [
          'Account No,Reference No,Domain,Product,Type,Service Start,Service End,Term Committed Usage,Current Usage,Usage Change,Months,Rate,Charge',
          `${one},"Secure Email Gateway (Site)",Renewal,4/1/2026 12:00:00 AM,${end},29,29,29,1,3.5,101.5`,
          `${one},"Secure Email Gateway (Site)",Upgrade,4/6/2026 7:54:44 PM,${end},29,31,2,0.81,3.5,5.67`,
          `${one},"Secure Email Gateway (Site)",Upgrade,4/25/2026 12:00:00 AM,${end},31,33,2,0.2,3.5,1.4`,
          `${one},"Hosted Exchange",Renewal,4/1/2026 12:00:00 AM,${end},29,29,29,1,7,203`,
          `${one},"Hosted Exchange",Upgrade,4/6/2026 7:54:44 PM,${end},29,31,2,0.81,7,11.34`,
          `${one},"Hosted Exchange",Upgrade,4/25/2026 12:00:00 AM,${end},31,33,2,0.2,7,2.8`,
          `${c2.accountNumber},"","two.example","Office 365 Business Essentials",Renewal,4/1/2026 12:00:00 AM,4/10/2026 11:59:59 PM,10,10,10,0.33,7,23.1`,
          `${c2.accountNumber},"","two.example","Office 365 Business Essentials",Renewal,4/21/2026 12:00:00 AM,${end},10,10,10,0.33,7,23.1`,
          `${c4.accountNumber},"","four.example","Hosted Exchange",Renewal,4/1/2026 12:00:00 AM,4/15/2026 11:59:59 PM,4,4,4,0.5,7,14`,
          '',
        ].join('\r\n'),
      );
      // The line iterator pages through the store: the same lines in order whatever the page size.
      const again = await collect((await invoiceLineItems(env.ctx, system, resellerKey(), april.id, { pageSize: 1000 })).lines);
      assert.deepEqual(again.map((l) => l.lineNo), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const sum = again.reduce((s, l) => s + Math.round(Number(l.charge) * 100), 0);
      assert.equal(sum, april.totalDueCents);
    });

    it('lists invoices newest first, with size and offset', async () => {
      const all = await listInvoices(env.ctx, system, resellerKey());
      assert.deepEqual([all.size, all.offset, all.total], [50, 0, 2]);
      assert.deepEqual(all.items.map((i) => i.period), ['2026-04', '2026-03']);
      const second = await listInvoices(env.ctx, system, resellerKey(), { size: '1', offset: '1' });
      assert.deepEqual([second.size, second.offset, second.total], [1, 1, 2]);
      assert.deepEqual(second.items.map((i) => i.period), ['2026-03']);
      // Customers billed through their reseller have no invoices of their own.
      assert.equal((await listInvoices(env.ctx, system, { accountNumber: c1.accountNumber })).total, 0);
    });

    it('changes nothing when a period is run again, even after usage changed', async () => {
      const before = await listInvoices(env.ctx, system, resellerKey());
      const linesBefore = await lineCount(env);
      await setUserCount(env.ctx, system, c1.guid, 80);
      const reports: [number, number][] = [];
      const again = await runBilling(env.ctx, system, '2026-04', { onProgress: (done, total) => reports.push([done, total]) });
      // Progress: one report per billing account from 0, then the whole count.
      const accounts = again.issued.length + again.alreadyIssued + again.nothingToBill + again.failed.length;
      assert.deepEqual(reports, Array.from({ length: accounts + 1 }, (_, i) => [i, accounts]));
      assert.deepEqual(again.issued, []);
      assert.equal(again.alreadyIssued, 2);
      assert.deepEqual(again.failed, []);
      assert.deepEqual(await listInvoices(env.ctx, system, resellerKey()), before);
      assert.equal(await lineCount(env), linesBefore);
      // A later scheduler tick does nothing either.
      assert.equal(await runExclusive(env.ctx, billingJob), true);
      assert.equal(await lineCount(env), linesBefore);
    });

    it('lets only readers of the billing account see its invoices', async () => {
      await assert.rejects(listInvoices(env.ctx, fx.resellerAdminB.actor, resellerKey()), rejects(ErrorCode.NotFound, 'account'));
      await assert.rejects(listInvoices(env.ctx, fx.customerAdminA1.actor, resellerKey()), rejects(ErrorCode.NotFound, 'account'));
      await assert.rejects(listInvoices(env.ctx, fx.provisioning.actor, resellerKey()), rejects(ErrorCode.Forbidden));
      assert.equal((await listInvoices(env.ctx, fx.reader.actor, resellerKey())).total, 2);
    });

    it('reports unknown invoices, invoices of another account and purged line items as not found', async () => {
      const [april] = (await listInvoices(env.ctx, system, resellerKey())).items;
      const directKey = { accountNumber: d.accountNumber };
      for (const id of [String(april.id), '999999', 'abc', '']) {
        await assert.rejects(invoiceLineItems(env.ctx, system, directKey, id), rejects(ErrorCode.NotFound, 'invoice'));
        await assert.rejects(getInvoice(env.ctx, system, directKey, id), rejects(ErrorCode.NotFound, 'invoice'));
      }
      assert.equal(await purgeInvoiceLines(env.ctx, system, '2026-04'), 2);
      const march = (await listInvoices(env.ctx, system, resellerKey())).items[1];
      assert.equal(march.csvAvailable, false);
      assert.equal(march.totalDue, '382.38');
      await assert.rejects(invoiceLineItems(env.ctx, system, resellerKey(), march.id), rejects(ErrorCode.NotFound, 'invoice_csv'));
      // April kept its lines.
      assert.equal((await collect((await invoiceLineItems(env.ctx, system, resellerKey(), april.id)).lines)).length, 9);
      await assert.rejects(purgeInvoiceLines(env.ctx, fx.resellerAdminA.actor, '2026-04'), rejects(ErrorCode.Forbidden));
    });

    it('marks an invoice paid, once, by an operator', async () => {
      const [april] = (await listInvoices(env.ctx, system, resellerKey())).items;
      await assert.rejects(markInvoicePaid(env.ctx, fx.resellerAdminA.actor, april.id), rejects(ErrorCode.Forbidden));
      await assert.rejects(markInvoicePaid(env.ctx, system, '424242'), rejects(ErrorCode.NotFound, 'invoice'));
      const paid = await markInvoicePaid(env.ctx, system, String(april.id));
      assert.equal(paid.isPaid, true);
      assert.equal(paid.paidAt, env.clock.now().toISOString());
      env.clock.advance(60_000);
      assert.equal((await markInvoicePaid(env.ctx, system, april.id)).paidAt, paid.paidAt);
      assert.equal((await getInvoice(env.ctx, system, resellerKey(), april.id)).isPaid, true);
    });
  });

  describe(`interrupted billing run on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it('leaves no partial invoice behind, and a re-run completes it', async () => {
      // A catalog entry whose rate cannot be read (written behind the domain's back) makes the second
      // customer of reseller B fail after the first one's lines were already written.
      await env.ctx.db.insertInto('products').values({ id: 9999, name: 'Broken', package_label: 'Broken', monthly_rate: 'n/a' }).execute();
      const paid = { status: 'CertifiedSecure' as const };
      await createAccount(env.ctx, system, customer(fx.resellerB, 'Good', { ...paid, userCount: 5, productIds: [1050] }));
      await createAccount(env.ctx, system, customer(fx.resellerB, 'Bad', { ...paid, userCount: 3, productIds: [9999] }));
      const direct = await createAccount(env.ctx, system, customer(fx.partner, 'Direct', { ...paid, userCount: 2, productIds: [1039] }));
      env.clock.set('2026-05-01T00:00:00Z');

      const first = await runBilling(env.ctx, system, '2026-04', { lineBatch: 1 });
      assert.deepEqual(first.failed.map((f) => f.accountNumber), [fx.resellerB.accountNumber]);
      assert.deepEqual(first.issued.map((i) => i.accountNumber), [direct.accountNumber]);
      assert.equal((await listInvoices(env.ctx, system, { accountNumber: fx.resellerB.accountNumber })).total, 0);
      assert.equal(await lineCount(env), 1, 'only the direct customer’s line exists');
      assert.equal(await billingRunCompleted(env.ctx, '2026-04'), false);
      // The scheduler reports the failure rather than calling the month done.
      await assert.rejects(billingJob.run(env.ctx), rejects(ErrorCode.Internal));

      await upsertProduct(env.ctx, system, { id: 9999, name: 'Fixed', packageLabel: 'Fixed', monthlyRate: '1.25' });
      const second = await runBilling(env.ctx, system, '2026-04', { lineBatch: 1 });
      assert.deepEqual(second.failed, []);
      assert.equal(second.alreadyIssued, 1);
      // 7 × 5 + 1.25 × 3 = 38.75
      assert.deepEqual(second.issued.map((i) => [i.accountNumber, i.totalDue, i.lineCount]), [[fx.resellerB.accountNumber, '38.75', 2]]);
      assert.equal(await lineCount(env), 3);
      assert.equal(await billingRunCompleted(env.ctx, '2026-04'), true);
    });
  });

  describe(`billing run in pages on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it('reads a reseller’s customers a page at a time, in the order of their numbers as numbers', async () => {
      const reseller = await createAccount(env.ctx, system, { parentGuid: fx.partner.guid, kind: 'reseller', name: 'Paged Reseller', status: 'CertifiedSecure' });
      const make = async (n: number, tag: string) => {
        const made: Account[] = [];
        for (let i = 0; i < n; i++) made.push(await createAccount(env.ctx, system, customer(reseller, `${tag} ${i}`, { status: 'CertifiedSecure', userCount: 1 + i, productIds: [1050] })));
        return made;
      };
      const march = await make(4, 'March');
      // Numbers of other lengths (an imported account keeps its own): shorter numbers come first.
      await env.ctx.db.updateTable('accounts').set({ account_number: '1000000' }).where('guid', '=', march[0].guid).execute();
      await env.ctx.db.updateTable('accounts').set({ account_number: '99999' }).where('guid', '=', march[3].guid).execute();
      env.clock.set('2026-04-02T00:00:00Z');
      await make(8, 'April');
      env.clock.set('2026-05-01T00:00:00Z');

      const run = (period: string) => tallyStatements(() => runBilling(env.ctx, system, period, { customerPage: 2 }));
      const march4 = await run('2026-03');
      const april12 = await run('2026-04');
      assert.equal(march4.result.issued.length, 1);
      assert.equal(april12.result.issued.length, 1);
      // Four customers are three page reads (2, 2, none), twelve are seven; each customer-holding page reads
      // history, products, the count at the start and the count changes once for all of its customers. The
      // rest of the run (the billing accounts, the other resellers, the invoice's own writes) is the same.
      const reads = (customers: number) => Math.floor(customers / 2) + 1 + 4 * Math.ceil(customers / 2);
      assert.equal(april12.tally.statements - march4.tally.statements, reads(12) - reads(4), april12.tally.sql.join('\n'));
      assert.equal(april12.tally.transactions, march4.tally.transactions);

      const numbers = (await collect((await invoiceLineItems(env.ctx, system, { guid: reseller.guid }, april12.result.issued[0].invoiceId)).lines)).map((l) => l.accountNumber);
      const expected = [...numbers].sort((x, y) => x.length - y.length || (x < y ? -1 : x > y ? 1 : 0));
      assert.equal(numbers.length, 12);
      assert.deepEqual(numbers, expected);
      assert.equal(numbers[0], '99999');
      assert.equal(numbers[11], '1000000');

      if (kind === 'sqlite') {
        // A page is a range of one index, in its order: no page re-reads or sorts the reseller's other customers.
        const page = april12.tally.sql.find((q) => q.includes('union all'));
        assert.ok(page, april12.tally.sql.join('\n'));
        const params = Array.from(page.matchAll(/\?/g), () => 1);
        const plan = await env.ctx.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${page}`, params));
        const details = plan.rows.map((r) => r.detail);
        assert.deepEqual(
          details.filter((d) => /accounts/.test(d)),
          [
            'SEARCH accounts USING INDEX accounts_parent_number_length (parent_guid=? AND <expr>=? AND account_number>?)',
            'SEARCH accounts USING INDEX accounts_parent_number_length (parent_guid=? AND <expr>>?)',
          ],
          details.join('; '),
        );
      }
    });
  });

  describe(`user counts on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it('loses no concurrent adjustment and records each one', async () => {
      const start = (await accountsRepo.findByGuid(env.ctx.db, fx.a2.guid))!.userCount;
      await Promise.all(
        Array.from({ length: 6 }, () =>
          inTransaction(env.ctx, async (trx) => {
            const account = (await accountsRepo.findByGuid(trx, fx.a2.guid))!;
            await adjustUserCount(trx, env.ctx, system, account, 1);
          }),
        ),
      );
      assert.equal((await accountsRepo.findByGuid(env.ctx.db, fx.a2.guid))!.userCount, start + 6);
      const rows = await env.ctx.db.selectFrom('user_count_changes').selectAll().where('account_guid', '=', fx.a2.guid).orderBy('seq').execute();
      assert.deepEqual(rows.map((r) => [Number(r.old_count), Number(r.new_count)]), [0, 1, 2, 3, 4, 5].map((i) => [start + i, start + i + 1]));
    });

    it('refuses counts below zero or not whole, and records nothing for an unchanged count', async () => {
      await assert.rejects(setUserCount(env.ctx, system, fx.b1.guid, -1), rejects(ErrorCode.Validation));
      await assert.rejects(updateAccount(env.ctx, system, fx.b1.guid, { userCount: 2.5 }), rejects(ErrorCode.Validation));
      await assert.rejects(
        inTransaction(env.ctx, async (trx) => adjustUserCount(trx, env.ctx, system, (await accountsRepo.findByGuid(trx, fx.b1.guid))!, -1000)),
        rejects(ErrorCode.Validation),
      );
      await updateAccount(env.ctx, system, fx.b1.guid, { userCount: 20, name: 'Other Customer Renamed' });
      const rows = await env.ctx.db.selectFrom('user_count_changes').selectAll().where('account_guid', '=', fx.b1.guid).execute();
      assert.equal(rows.length, 0);
      assert.equal((await accountsRepo.findByGuid(env.ctx.db, fx.b1.guid))!.name, 'Other Customer Renamed');
    });
  });
}
