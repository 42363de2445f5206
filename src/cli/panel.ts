import type { Command } from 'commander';
import { Option } from 'commander';
import { baseUrl } from '../config.js';
import { issuePanelLink, panelSignInUrl } from '../panel-links.js';
import { settingOption } from './settings.js';
import { out, resolveAccount, withDomain, type StoreFlags } from './context.js';

export function registerPanelCommands(program: Command): void {
  program
    .command('panel-link')
    .description('print a one-time control panel sign-in link (a fresh login token, valid for 10 minutes)')
    .requiredOption('--account <id>', 'account: GUID, account number or account code')
    .requiredOption('--user <name>', 'an admin user of the account (e-mail, or its part before @); with --virtual, any name')
    .option('--virtual', 'sign in as a virtual user <name>_<accountNumber>_vu with the administrator rights of a customer')
    .addOption(settingOption('databaseUrl'))
    .addOption(settingOption('dataDir'))
    .addOption(new Option('--json', 'print JSON for scripts'))
    .action(async (flags: StoreFlags & { account: string; user: string; virtual?: boolean }) => {
      await withDomain(flags, async (ctx, config) => {
        const account = await resolveAccount(ctx, flags.account);
        const issued = await issuePanelLink(ctx, account.guid, flags.user, !!flags.virtual);
        const url = panelSignInUrl(baseUrl(config), issued.token);
        out(flags, { url, user: issued.user, account: account.accountNumber, expiresAt: issued.expiresAt }, () =>
          [`Sign in to the control panel of "${account.name}" as ${issued.user} (once, until ${issued.expiresAt}):`, url].join('\n'),
        );
      });
    });
}
