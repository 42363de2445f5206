import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { flagHelp, renderSettingsTable, withSettingsTable } from '../config.js';
import { SETTINGS, settingEntries, type SettingKey, type SettingSchema } from '../settings.js';

/** The command-line option of a setting, its help line written from the setting's schema. */
export function settingOption(key: SettingKey): Option {
  const s = SETTINGS.properties[key] as unknown as SettingSchema;
  if (!s.flag) throw new Error(`setting ${key} has no flag`);
  return new Option(s.flag, flagHelp(s));
}

/** Every setting that has a flag, as options (what `serve` accepts). */
export function settingOptions(): Option[] {
  return settingEntries()
    .filter(([, s]) => s.flag)
    .map(([key]) => settingOption(key));
}

/** `partnerhub settings`: prints the configuration table, or writes it into a README. */
export function registerSettingsCommand(program: Command): void {
  program
    .command('settings')
    .description('print every setting (flag, environment variable, default, allowed values) as a Markdown table')
    .option('--readme <file>', "replace the configuration table in this README with the generated one")
    .action((flags: { readme?: string }) => {
      if (!flags.readme) {
        process.stdout.write(renderSettingsTable() + '\n');
        return;
      }
      writeFileSync(flags.readme, withSettingsTable(readFileSync(flags.readme, 'utf8')));
    });
}
