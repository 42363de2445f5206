#!/usr/bin/env node
import { Command } from 'commander';
import { registerCommands } from './commands.js';
import { reportError } from './context.js';
import { packageInfo } from '../package-info.js';

const program = new Command();
program
  .name('partnerhub')
  .description('Partner account-management server: Mimecast API 1.0, Rackspace Email & Apps and DeliverySlip CCC over one domain and one store')
  .version(packageInfo().version)
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const code = (e as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0);
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit(2);
  process.exit(reportError(e));
}

