import { registerCcc } from './ccc.js';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { startServer, writeDemoCredentials, describeDemo } from '../server.js';
import { migrate as runMigrations, openStore } from '../store/connect.js';
import { seedDemo } from '../demo/seed.js';
import { baseUrl } from '../config.js';
import { createAccount, createPartner, listAccounts, accountProducts, type AccountKind, type Account } from '../domain/account.js';
import { createPrincipal, listPrincipals, findPrincipalByEmail, getPrincipal, systemActor, ROLES } from '../domain/principal.js';
import { issueCredential, listCredentials, revokeCredential, CREDENTIAL_KINDS, type CredentialKind } from '../domain/credential.js';
import { queryAudit } from '../domain/audit.js';
import { statusHistory } from '../domain/status.js';
import { normalizeGuid } from '../domain/ids.js';
import { CliError, out, resolveAccount, withDomain, type StoreFlags } from './context.js';
import { registerBillingCommands } from './billing.js';
import { registerRackspaceCall } from './rackspace.js';
import { registerMimecastCall } from './mimecast.js';
import { registerMimecastCommands } from './mimecast-notifications.js';
import { registerSettingsCommand, settingOption, settingOptions } from './settings.js';
import { registerPanelCommands } from './panel.js';
import { registerSandboxCommands } from './sandbox.js';

const databaseOption = () => settingOption('databaseUrl');
const dataDirOption = () => settingOption('dataDir');
const jsonOption = () => new Option('--json', 'print JSON for scripts');

/** Adds the options every store-touching command shares. */
function storeCommand(parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description).addOption(databaseOption()).addOption(dataDirOption()).addOption(jsonOption());
}

function accountView(a: Account) {
  return {
    guid: a.guid,
    kind: a.kind,
    name: a.name,
    accountNumber: a.accountNumber,
    accountCode: a.accountCode,
    mimecastId: a.mimecastId,
    referenceNumber: a.referenceNumber,
    parentGuid: a.parentGuid,
    status: a.status,
    userCount: a.userCount,
    primaryDomain: a.primaryDomain,
    temporaryDomain: a.temporaryDomain,
    email: a.email,
    createdAt: a.createdAt,
  };
}

/** Every `partnerhub` command, in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerDemoCommand(program);
  registerAccountCommands(program);
  registerPrincipalCommands(program);
  registerCredentialCommands(program);
  registerCallCommands(program);
  registerBillingCommands(program);
  registerMimecastCall(program);
  registerMimecastCommands(program);
  registerAuditCommand(program);
  registerCcc(program);
  registerSettingsCommand(program);
  registerPanelCommands(program);
  registerSandboxCommands(program);
}

function registerServeCommand(program: Command): void {
  const serve = program.command('serve').description('start the HTTP server (settings without a flag: see `partnerhub settings`)');
  for (const option of settingOptions()) serve.addOption(option);
  serve
    .option('--demo', 'seed demo data into an empty store and print its credentials (to --out); turns the sandbox on')
    .action(async (flags) => {
      const config = loadConfig(flags);
      // The demo is a sandbox: its operator API (clock, reset, snapshots) is on.
      if (flags.demo) config.sandbox = true;
      await startServer(config, { demo: !!flags.demo, handleSignals: true });
    });
}

function registerMigrateCommand(program: Command): void {
  storeCommand(program, 'migrate', 'apply pending database migrations (safe to run again)').action(async (flags: StoreFlags) => {
    const config = loadConfig(flags);
    const store = await openStore(config.databaseUrl, { migrate: false });
    try {
      const applied = await runMigrations(store);
      out(flags, { store: store.description, applied }, () =>
        applied.length ? `Applied ${applied.join(', ')} to ${store.description}` : `${store.description} is up to date`,
      );
    } finally {
      await store.close();
    }
  });
}

function registerDemoCommand(program: Command): void {
  storeCommand(program, 'demo', 'seed an empty store with demo data and write the demo credentials as JSON')
    .option('--out <file>', 'credentials file (default <data-dir>/demo-credentials.json)')
    .option('--scale <n>', 'then fill the demo resellers up to N customers, each with products, a contact and ten status changes')
    .option('--batch <n>', 'with --scale: customers per transaction (default 2000)')
    .action(async (flags: StoreFlags & { out?: string; scale?: string; batch?: string }) => {
      // Loaded only for --scale: the generator is not needed by any other command (nor by `serve`'s start).
      if (flags.scale !== undefined) return (await import('./scale.js')).demoScale({ ...flags, scale: flags.scale });
      await withDomain(flags, async (ctx, config) => {
        const creds = await seedDemo(ctx, baseUrl(config));
        writeDemoCredentials(config.demoOut, creds);
        out(flags, { file: resolve(config.demoOut), ...creds }, () => describeDemo(creds, config.demoOut) + `\nWrote ${resolve(config.demoOut)}`);
      });
    });
}

function registerAccountCommands(program: Command): void {
  const accounts = program.command('accounts').description('create, list and show accounts');
  storeCommand(accounts, 'create', 'create an account (a partner needs no --parent)')
    .requiredOption('--name <name>', 'display name (100 characters or fewer)')
    .addOption(new Option('--kind <kind>', 'account kind').choices(['partner', 'reseller', 'customer']).makeOptionMandatory())
    .option('--parent <id>', 'parent account: GUID, account number or account code')
    .option('--reference <ref>', 'reference number (20 characters or fewer)')
    .option('--email <email>', 'account e-mail')
    .option('--domain <domain>', 'primary domain')
    .option('--users <n>', 'number of users')
    .option('--products <ids>', 'comma-separated product ids')
    .action(async (flags) => {
      await withDomain(flags, async (ctx) => {
        const system = systemActor('cli');
        const fields = {
          name: flags.name,
          referenceNumber: flags.reference,
          email: flags.email,
          primaryDomain: flags.domain,
          userCount: flags.users === undefined ? undefined : Number(flags.users),
          productIds: flags.products ? String(flags.products).split(',').map((s) => Number(s.trim())) : undefined,
        };
        let account: Account;
        if (flags.kind === 'partner') {
          if (flags.parent) throw new CliError('a partner has no parent');
          account = await createPartner(ctx, system, fields);
        } else {
          if (!flags.parent) throw new CliError(`a ${flags.kind} needs --parent`);
          const parent = await resolveAccount(ctx, flags.parent);
          account = await createAccount(ctx, system, { ...fields, parentGuid: parent.guid, kind: flags.kind as AccountKind });
        }
        out(flags, accountView(account), () => `Created ${account.kind} "${account.name}": guid ${account.guid}, account number ${account.accountNumber}, code ${account.accountCode}`);
      });
    });
  storeCommand(accounts, 'list', 'list live accounts')
    .option('--parent <id>', 'only the children of this account')
    .option('--search <text>', 'name, account number or reference number contains')
    .option('--limit <n>', 'how many', '100')
    .option('--offset <n>', 'skip this many', '0')
    .action(async (flags) => {
      await withDomain(flags, async (ctx) => {
        const parent = flags.parent ? await resolveAccount(ctx, flags.parent) : undefined;
        const page = await listAccounts(ctx, systemActor('cli'), {
          childrenOf: parent?.guid,
          contains: flags.search,
          limit: Math.min(Number(flags.limit) || 100, 10_000),
          offset: Number(flags.offset) || 0,
        });
        out(flags, { total: page.total, items: page.items.map(accountView) }, () =>
          [`${page.total} account(s)`, ...page.items.map((a) => `${a.accountNumber.padEnd(8)} ${a.accountCode.padEnd(12)} ${a.kind.padEnd(8)} ${a.status.padEnd(16)} ${a.name}`)].join('\n'),
        );
      });
    });
  storeCommand(accounts, 'show', 'show one account with its products and status history')
    .argument('<id>', 'GUID, account number or account code')
    .action(async (id: string, flags) => {
      await withDomain(flags, async (ctx) => {
        const account = await resolveAccount(ctx, id);
        const products = await accountProducts(ctx, account.guid);
        const history = await statusHistory(ctx, account.guid);
        out(flags, { ...account, products, history }, () =>
          [
            ...Object.entries(accountView(account)).map(([k, v]) => `${k.padEnd(16)} ${v ?? ''}`),
            `products         ${products.map((p) => `${p.name} [${p.id}]`).join(', ')}`,
            'history:',
            ...history.map((h) => `  ${h.changedAt} ${h.oldStatus ?? '-'} -> ${h.newStatus} by ${h.changedByEmail}`),
          ].join('\n'),
        );
      });
    });
}

function registerPrincipalCommands(program: Command): void {
  const principals = program.command('principals').description('admin users who act through the APIs');
  storeCommand(principals, 'create', 'create an admin user on an account')
    .requiredOption('--account <id>', 'account: GUID, account number or account code')
    .requiredOption('--email <email>', 'e-mail address (unique)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--roles <roles>', `comma-separated: ${ROLES.join(', ')}`)
    .action(async (flags) => {
      await withDomain(flags, async (ctx) => {
        const account = await resolveAccount(ctx, flags.account);
        const p = await createPrincipal(ctx, systemActor('cli'), {
          accountGuid: account.guid,
          email: flags.email,
          name: flags.name,
          roles: String(flags.roles).split(',').map((s) => s.trim()).filter(Boolean),
        });
        out(flags, p, () => `Created principal ${p.email} (${p.guid}) on "${account.name}" with roles ${p.roles.join(', ')}`);
      });
    });
  storeCommand(principals, 'list', 'list admin users')
    .option('--account <id>', 'only this account')
    .action(async (flags) => {
      await withDomain(flags, async (ctx) => {
        const account = flags.account ? await resolveAccount(ctx, flags.account) : undefined;
        const list = await listPrincipals(ctx, systemActor('cli'), account?.guid);
        out(flags, list, () => list.map((p) => `${p.guid} ${p.email.padEnd(36)} ${p.roles.join(',')}`).join('\n') || 'no principals');
      });
    });
}

function registerCredentialCommands(program: Command): void {
  const credentials = program.command('credentials').description('API credentials of a principal');
  storeCommand(credentials, 'create', 'issue a credential; its secrets are printed once and never again')
    .requiredOption('--principal <id>', 'principal GUID or e-mail')
    .addOption(new Option('--kind <kind>', 'which face it is for').choices([...CREDENTIAL_KINDS]).makeOptionMandatory())
    .option('--expires <iso>', 'expiry time (ISO 8601)')
    .action(async (flags) => {
      await withDomain(flags, async (ctx) => {
        const principal = await resolvePrincipal(ctx, flags.principal);
        let expiresAt: string | undefined;
        if (flags.expires) {
          const d = new Date(flags.expires);
          if (Number.isNaN(d.getTime())) throw new CliError(`--expires is not a date: ${flags.expires}`);
          expiresAt = d.toISOString();
        }
        const issued = await issueCredential(ctx, systemActor('cli'), principal.guid, flags.kind as CredentialKind, { expiresAt });
        out(flags, issued, () =>
          [`Issued ${flags.kind} credential ${issued.guid} for ${principal.email}. Store these now; they are not shown again:`,
            ...Object.entries(issued.secrets).filter(([k]) => k !== 'kind').map(([k, v]) => `  ${k}: ${v}`)].join('\n'),
        );
      });
    });
  storeCommand(credentials, 'revoke', 'revoke a credential')
    .argument('<guid>', 'credential GUID')
    .action(async (guid: string, flags) => {
      await withDomain(flags, async (ctx) => {
        const g = normalizeGuid(guid);
        if (!g) throw new CliError(`not a GUID: ${guid}`);
        await revokeCredential(ctx, systemActor('cli'), g);
        out(flags, { revoked: g }, () => `Revoked ${g}`);
      });
    });
  storeCommand(credentials, 'list', 'list credentials (public ids only, never secrets)')
    .option('--principal <id>', 'principal GUID or e-mail')
    .action(async (flags) => {
      await withDomain(flags, async (ctx) => {
        const principal = flags.principal ? await resolvePrincipal(ctx, flags.principal) : undefined;
        const list = (await listCredentials(ctx, principal?.guid)).map((c) => ({
          guid: c.guid,
          principalGuid: c.principalGuid,
          kind: c.kind,
          publicId: c.publicId,
          appId: c.appId,
          createdAt: c.createdAt,
          expiresAt: c.expiresAt,
          revokedAt: c.revokedAt,
        }));
        out(flags, list, () => list.map((c) => `${c.guid} ${c.kind.padEnd(9)} ${c.revokedAt ? 'revoked' : 'active '} ${c.publicId ?? ''}`).join('\n') || 'no credentials');
      });
    });
}

/** `partnerhub call <face> …` signs and sends one request with stored or given credentials; each face adds its subcommand. */
function registerCallCommands(program: Command): void {
  program.command('call').description('sign and send one API request to a running server and print the response');
  registerRackspaceCall(program);
}

function registerAuditCommand(program: Command): void {
  storeCommand(program, 'audit', 'show the audit log of mutations, oldest first')
    .option('--account <id>', 'only this account')
    .option('--since <time>', 'only entries at or after this ISO 8601 time')
    .option('--limit <n>', 'at most this many entries', '1000')
    .action(async (flags) => {
      await withDomain(flags, async (ctx) => {
        const account = flags.account ? await resolveAccount(ctx, flags.account) : undefined;
        let since: string | undefined;
        if (flags.since) {
          const d = new Date(flags.since);
          if (Number.isNaN(d.getTime())) throw new CliError(`--since is not a date: ${flags.since}`);
          since = d.toISOString();
        }
        const entries = await queryAudit(ctx, { accountGuid: account?.guid, since, limit: Number(flags.limit) || 1000 });
        out(flags, entries, () =>
          entries.map((e) => `${e.at} ${e.actorEmail} ${e.action} ${e.entityType}:${e.entityGuid} ${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)}`).join('\n') || 'no entries',
        );
      });
    });
}

async function resolvePrincipal(ctx: Parameters<typeof getPrincipal>[0], id: string) {
  const guid = normalizeGuid(id);
  const p = (guid && (await getPrincipal(ctx, guid))) || (await findPrincipalByEmail(ctx, id));
  if (!p) throw new CliError(`no principal "${id}"`);
  return p;
}
