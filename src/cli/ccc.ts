/**
 * CCC's command-line pieces: `call ccc` sends one request with an API key, `accounts set-status` moves a
 * service through its life cycle, and `usage import` loads daily usage from CSV or JSON.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Command, Option } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { CccClient } from '../client/ccc.js';
import { systemActor } from '../domain/principal.js';
import { setServiceStatus } from '../domain/lifecycle.js';
import { SERVICE_STATUSES } from '../domain/status.js';
import { importDailyUsage, USAGE_COUNTERS, type UsageCounters, type UsageRecordInput } from '../domain/service-usage.js';
import { CliError, out, resolveAccount, withDomain, type StoreFlags } from './context.js';
import { demoPrincipal } from './credentials-file.js';
import { startProgress } from './progress.js';

function withStoreOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--database <url>', 'SQLite file path or postgres:// URL (env PARTNERHUB_DATABASE_URL)'))
    .addOption(new Option('--data-dir <dir>', 'data directory holding the secret key (env PARTNERHUB_DATA_DIR)'))
    .addOption(new Option('--json', 'print JSON for scripts'));
}

interface CallFlags {
  url?: string;
  apiKey?: string;
  credentials?: string;
  role: string;
  data?: string;
  accept?: string;
  basic?: boolean;
  verbose?: boolean;
}

/** The API key from --api-key, then PARTNERHUB_CCC_API_KEY, then the --role principal of a demo-credentials file. */
export function resolveApiKey(flags: CallFlags, env: NodeJS.ProcessEnv): { apiKey: string; baseUrl?: string } {
  const file = flags.apiKey ?? env.PARTNERHUB_CCC_API_KEY ? null : demoPrincipal(flags, env, 'account_read');
  const apiKey = flags.apiKey ?? env.PARTNERHUB_CCC_API_KEY ?? file?.principal.ccc?.apiKey;
  if (!apiKey) throw new CliError('missing API key: give --api-key, PARTNERHUB_CCC_API_KEY or --credentials <file> [--role <role>]');
  return { apiKey, baseUrl: file?.baseUrl };
}

const ALIASES: Record<string, keyof UsageCounters | 'account' | 'day'> = {};
for (const k of USAGE_COUNTERS) ALIASES[k.toLowerCase()] = k;
Object.assign(ALIASES, {
  account: 'account',
  serviceguid: 'account',
  accountguid: 'account',
  accountnumber: 'account',
  accountcode: 'account',
  servicecode: 'account',
  day: 'day',
  date: 'day',
  period: 'day',
  totalusercount: 'totalUsers',
  prousercount: 'proUsers',
  guestusercount: 'guestUsers',
  disabledusercount: 'disabledUsers',
  unregisteredusercount: 'unregisteredUsers',
  featureusagesecuremessaginggateway: 'secureMessagingGateway',
  featureusagesecuremessagingplus: 'secureMessagingPlus',
  featureusagedataleakprevention: 'dataLeakPrevention',
  featureusagesecurelargefiles: 'secureLargeFiles',
  featureusagesecureforms: 'secureForms',
  totalmessagecount: 'messages',
  totalattachmentcount: 'attachments',
  attachmentstorageusage: 'attachmentStorageBytes',
});

/**
 * Reads a usage file: CSV with a header row, or JSON (an array of objects, or {"records": [...]}).
 * Column and property names are the domain's (totalUsers) or CCC's (TotalUserCount), in any case;
 * the account is a GUID, account number or account code. Unknown columns are refused.
 */
export function parseUsageFile(text: string, format: 'csv' | 'json'): UsageRecordInput[] {
  let rows: Record<string, unknown>[];
  if (format === 'json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new CliError(`usage file is not JSON: ${(e as Error).message}`);
    }
    const list = Array.isArray(doc) ? doc : (doc as { records?: unknown })?.records;
    if (!Array.isArray(list)) throw new CliError('a JSON usage file is an array of records or {"records": [...]}');
    rows = list as Record<string, unknown>[];
  } else {
    try {
      rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
    } catch (e) {
      throw new CliError(`usage file is not CSV: ${(e as Error).message}`);
    }
  }
  return rows.map((row, i) => {
    if (!row || typeof row !== 'object') throw new CliError(`record ${i + 1} is not an object`);
    const rec: UsageRecordInput = { account: '', day: '', counters: {} };
    for (const [k, v] of Object.entries(row)) {
      const target = ALIASES[k.toLowerCase().replace(/[\s_-]/g, '')];
      if (!target) throw new CliError(`record ${i + 1}: unknown column "${k}" (expected account, day and ${USAGE_COUNTERS.join(', ')})`);
      if (target === 'account' || target === 'day') rec[target] = String(v ?? '');
      else rec.counters[target] = v;
    }
    if (!rec.account) throw new CliError(`record ${i + 1}: no account (a GUID, account number or account code)`);
    return rec;
  });
}

/** CCC's commands: `call ccc`, `accounts set-status` and `usage import` (after `call` and `accounts` exist). */
export function registerCcc(program: Command): void {
  registerCccCall(program);
  registerSetStatusCommand(program);
  registerUsageCommands(program);
}

function registerCccCall(program: Command): void {
  const call = program.commands.find((c) => c.name() === 'call');
  if (!call) throw new Error('the call command must be registered first');
  call
    .command('ccc')
    .description('send one DeliverySlip CCC request with an API key (e.g. GET /api/services/status?PageSize=5)')
    .argument('<method>', 'HTTP method: GET or POST')
    .argument('<path>', 'path and query, e.g. /api/services/status?PageSize=5')
    .option('--url <url>', 'server base URL (env PARTNERHUB_URL; default the credentials file baseUrl or http://127.0.0.1:8080)')
    .option('--api-key <key>', 'API key (env PARTNERHUB_CCC_API_KEY)')
    .option('--credentials <file>', 'demo-credentials.json written by `partnerhub demo` or `serve --demo`')
    .option('--role <role>', 'whose key to use from --credentials', 'account_read')
    .option('--data <json>', 'request body for POST, e.g. \'{"PrimaryDomain":"x.example","ResellerGuid":"..."}\'')
    .option('--accept <type>', 'Accept header (application/json, application/xml, text/csv)', 'application/json')
    .option('--basic', 'send the key as the Basic-auth user name instead of a Bearer token')
    .option('--verbose', 'print the HTTP status to stderr')
    .action(async (method: string, path: string, flags: CallFlags) => {
      if (!path.startsWith('/')) throw new CliError(`the path must start with /, got "${path}"`);
      const m = method.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].includes(m)) throw new CliError(`unknown HTTP method "${method}"`);
      const { apiKey, baseUrl: fileUrl } = resolveApiKey(flags, process.env);
      const baseUrl = flags.url ?? process.env.PARTNERHUB_URL ?? fileUrl ?? 'http://127.0.0.1:8080';
      let body: unknown;
      if (flags.data !== undefined) {
        try {
          body = JSON.parse(flags.data);
        } catch (e) {
          throw new CliError(`--data is not JSON: ${(e as Error).message}`);
        }
      }
      const client = new CccClient({ baseUrl, apiKey, auth: flags.basic ? 'basic' : 'bearer' });
      let res;
      try {
        res = await client.request(m, path, { body, headers: { accept: flags.accept ?? 'application/json' } });
      } catch (e) {
        throw new CliError(`cannot reach ${baseUrl}: ${(e as Error).message}`);
      }
      if (flags.verbose) process.stderr.write(`HTTP ${res.status} ${res.headers['content-type'] ?? ''}\n`);
      let text = res.body;
      if (/json/.test(res.headers['content-type'] ?? '')) {
        try {
          text = JSON.stringify(JSON.parse(res.body), null, 2);
        } catch {
          // Not JSON after all: print as received.
        }
      }
      process.stdout.write(text + (text.endsWith('\n') ? '' : '\n'));
      if (res.status >= 400) process.exitCode = 1;
    });
}

function registerSetStatusCommand(program: Command): void {
  const accounts = program.commands.find((c) => c.name() === 'accounts');
  if (!accounts) throw new Error('the accounts command must be registered first');
  withStoreOptions(
    accounts
      .command('set-status')
      .description(`move a service to another status as an operator (${SERVICE_STATUSES.join(', ')}); forbidden transitions are refused`)
      .argument('<id>', 'account: GUID, account number or account code')
      .argument('<status>', 'the new status'),
  )
    .option('--reason <text>', 'why, recorded in the history and audit log')
    .action(async (id: string, status: string, flags: StoreFlags & { reason?: string }) => {
      await withDomain(flags, async (ctx) => {
        const account = await resolveAccount(ctx, id);
        const change = await setServiceStatus(ctx, systemActor('cli'), account.guid, status, { reason: flags.reason });
        out(flags, change, () => `${account.name} (${account.accountNumber}): ${change.oldStatus} -> ${change.newStatus} at ${change.changedAt}`);
      });
    });
}

function registerUsageCommands(program: Command): void {
  const usage = program.command('usage').description('service usage (what CCC reports per day and month)');
  withStoreOptions(usage.command('import').description('load daily usage per account from a CSV or JSON file; a re-imported day replaces the old one').argument('<file>', 'CSV (header row) or JSON file'))
    .addOption(new Option('--format <format>', 'file format (default from the file extension)').choices(['csv', 'json']))
    .action(async (file: string, flags: StoreFlags & { format?: 'csv' | 'json' }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
      }
      const format = flags.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
      const records = parseUsageFile(text, format);
      await withDomain(flags, async (ctx) => {
        const progress = startProgress('usage records');
        const result = await importDailyUsage(ctx, systemActor('cli'), records, (done, total) => progress.update(done, total)).finally(() => progress.stop());
        out(flags, result, () => `Imported ${result.imported} day(s) of usage for ${result.accounts} account(s)`);
      });
    });
}
