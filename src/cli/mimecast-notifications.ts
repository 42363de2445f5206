import { Command, Option } from 'commander';
import { systemActor } from '../domain/principal.js';
import {
  addDashboardNotification,
  listDashboardNotifications,
  NOTICE_TYPES,
  removeDashboardNotification,
  WARNING_LEVELS,
  type DashboardNotification,
} from '../domain/dashboard-notification.js';
import { normalizeGuid } from '../domain/ids.js';
import { CliError, out, resolveAccount, withDomain, type StoreFlags } from './context.js';
import { settingOption } from './settings.js';

/**
 * `partnerhub mimecast notifications add|list|remove`: the notices an operator puts on an account's
 * dashboard, which Mimecast's get-dashboard-notifications answers with.
 */

function storeCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .addOption(settingOption('databaseUrl'))
    .addOption(settingOption('dataDir'))
    .addOption(new Option('--json', 'print JSON for scripts'));
}

const line = (n: DashboardNotification) =>
  `${n.guid} ${n.visibleFrom} ${n.noticeType}/${n.warningLevel}${n.enabled ? '' : ' (disabled)'} ${JSON.stringify(n.title)}`;

function guidArgument(id: string): string {
  const guid = normalizeGuid(id);
  if (!guid) throw new CliError(`not a GUID: ${id}`);
  return guid;
}

interface AddFlags extends StoreFlags {
  title: string;
  message: string;
  type: string;
  level: string;
  visibleFrom?: string;
  disabled?: boolean;
}

export function registerMimecastCommands(program: Command): void {
  const mimecast = program.command('mimecast').description('Mimecast face data operators manage');
  const notifications = mimecast.command('notifications').description("dashboard notifications (get-dashboard-notifications)");
  storeCommand(notifications, 'add', "put a notification on an account's dashboard")
    .argument('<account>', 'account: GUID, account number or account code')
    .requiredOption('--title <text>', 'title')
    .requiredOption('--message <text>', 'the message shown (displayMessage)')
    .addOption(new Option('--type <type>', 'noticeType').choices([...NOTICE_TYPES]).default('service_notification'))
    .addOption(new Option('--level <level>', 'warningLevel').choices([...WARNING_LEVELS]).default('info'))
    .option('--visible-from <iso>', 'when it starts to show (ISO 8601; default now)')
    .option('--disabled', 'add it switched off (enabled: false)')
    .action(async (id: string, flags: AddFlags) => {
      await withDomain(flags, async (ctx) => {
        const account = await resolveAccount(ctx, id);
        const n = await addDashboardNotification(ctx, systemActor('cli'), {
          accountGuid: account.guid,
          title: flags.title,
          message: flags.message,
          noticeType: flags.type,
          warningLevel: flags.level,
          visibleFrom: flags.visibleFrom,
          enabled: !flags.disabled,
        });
        out(flags, n, () => `Added notification ${n.guid} to ${account.accountCode} ("${account.name}")`);
      });
    });
  storeCommand(notifications, 'list', 'list notifications, visible yet or not')
    .argument('[account]', 'only this account: GUID, account number or account code')
    .action(async (id: string | undefined, flags: StoreFlags) => {
      await withDomain(flags, async (ctx) => {
        const account = id ? await resolveAccount(ctx, id) : undefined;
        const list = await listDashboardNotifications(ctx, account?.guid);
        out(flags, list, () => list.map(line).join('\n') || 'no notifications');
      });
    });
  storeCommand(notifications, 'remove', "take a notification off its account's dashboard")
    .argument('<id>', 'notification GUID (from list)')
    .action(async (id: string, flags: StoreFlags) => {
      const guid = guidArgument(id);
      await withDomain(flags, async (ctx) => {
        await removeDashboardNotification(ctx, systemActor('cli'), guid);
        out(flags, { removed: guid }, () => `Removed notification ${guid}`);
      });
    });
}
