import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { systemActor } from '../domain/principal.js';
import { findInvoiceUnscoped, invoiceLineItems, listInvoices, markInvoicePaid, purgeInvoiceLines, runBilling } from '../domain/billing.js';
import { invoiceCsvStream } from '../billing-csv/invoice-csv.js';
import { CliError, out, resolveAccount, withDomain, type StoreFlags } from './context.js';
import { startProgress } from './progress.js';

function storeCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .addOption(new Option('--database <url>', 'SQLite file path or postgres:// URL (env PARTNERHUB_DATABASE_URL)'))
    .addOption(new Option('--data-dir <dir>', 'data directory holding the secret key (env PARTNERHUB_DATA_DIR)'))
    .addOption(new Option('--json', 'print JSON for scripts'));
}

/** `partnerhub billing …`: the monthly run, invoices and payments, for operators. */
export function registerBillingCommands(program: Command): void {
  const billing = program.command('billing').description('invoices: run a billing period, list invoices, mark them paid');

  storeCommand(billing, 'run', 'issue the invoices of one month (safe to run again: existing invoices are left alone)')
    .requiredOption('--period <YYYY-MM>', 'the month to bill; it must be over')
    .action(async (flags: StoreFlags & { period: string }) => {
      await withDomain(flags, async (ctx) => {
        const progress = startProgress('billing accounts');
        const result = await runBilling(ctx, systemActor('cli'), flags.period, { onProgress: (done, total) => progress.update(done, total) }).finally(() => progress.stop());
        out(flags, result, () =>
          [
            `Billing ${result.period}: ${result.issued.length} invoice(s) issued, ${result.alreadyIssued} already issued, ${result.nothingToBill} with nothing to bill, ${result.failed.length} failed.`,
            ...result.issued.map((i) => `  invoice ${i.invoiceId} for account ${i.accountNumber}: ${i.totalDue} (${i.lineCount} lines)`),
            ...result.failed.map((f) => `  FAILED for account ${f.accountNumber}: ${f.error} (nothing written; run again once fixed)`),
          ].join('\n'),
        );
        if (result.failed.length) process.exitCode = 1;
      });
    });

  storeCommand(billing, 'list', "list an account's invoices, newest first")
    .requiredOption('--account <id>', 'billing account: GUID, account number or account code')
    .option('--limit <n>', 'how many', '50')
    .option('--offset <n>', 'skip this many', '0')
    .action(async (flags: StoreFlags & { account: string; limit: string; offset: string }) => {
      await withDomain(flags, async (ctx) => {
        const account = await resolveAccount(ctx, flags.account);
        const page = await listInvoices(ctx, systemActor('cli'), { guid: account.guid }, { size: flags.limit, offset: flags.offset });
        out(flags, page, () =>
          [
            `${page.total} invoice(s) for ${account.name} (${account.accountNumber})`,
            ...page.items.map((i) => `${String(i.id).padEnd(8)} ${i.period} ${i.invoiceDate.slice(0, 10)} ${i.totalDue.padStart(12)} ${i.isPaid ? 'paid  ' : 'unpaid'} ${i.csvAvailable ? `${i.lineCount} lines` : 'no CSV'}`),
          ].join('\n'),
        );
      });
    });

  storeCommand(billing, 'mark-paid', 'mark an invoice paid')
    .argument('<invoice>', 'invoice id')
    .action(async (invoice: string, flags: StoreFlags) => {
      await withDomain(flags, async (ctx) => {
        const paid = await markInvoicePaid(ctx, systemActor('cli'), invoice);
        out(flags, paid, () => `Invoice ${paid.id} (${paid.period}, ${paid.totalDue}) is paid (${paid.paidAt}).`);
      });
    });

  storeCommand(billing, 'csv', "write an invoice's line items as CSV to standard output")
    .argument('<invoice>', 'invoice id')
    .action(async (invoice: string, flags: StoreFlags) => {
      await withDomain(flags, async (ctx) => {
        const found = await findInvoiceUnscoped(ctx, invoice);
        if (!found) throw new CliError(`no invoice "${invoice}"`);
        const { lines } = await invoiceLineItems(ctx, systemActor('cli'), { guid: found.billingAccountGuid }, found.id);
        try {
          await pipeline(invoiceCsvStream(lines), process.stdout, { end: false });
        } catch (e) {
          // The reader went away (`| head`): not an error of ours.
          if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
        }
        // One pass over the invoice's lines, each read once: SQLite's default 64 MiB cache would only fill
        // with pages never read again (a million-line invoice is 130 MB of them) and count in the peak RSS.
      }, { sqliteCacheMiB: 4 });
    });

  storeCommand(billing, 'purge-lines', 'drop the line items of invoices before a month (their CSV becomes unavailable)')
    .requiredOption('--before <YYYY-MM>', 'first month whose line items are kept')
    .action(async (flags: StoreFlags & { before: string }) => {
      await withDomain(flags, async (ctx) => {
        const n = await purgeInvoiceLines(ctx, systemActor('cli'), flags.before);
        out(flags, { invoices: n }, () => `Dropped the line items of ${n} invoice(s) before ${flags.before}.`);
      });
    });
}
