import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from './context.js';
import type { OperatorCommand } from './sandbox.js';
import { fixtureJsonSchema } from '../operator/fixture-schema.js';
import { readFixtureText } from '../operator/fixture-file.js';

function fileText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

interface Summary {
  accounts: number;
  principals: number;
  credentials: number;
  contacts: number;
  statusChanges: number;
  invoices: number;
}

/** `sandbox fixtures load FILE` (over HTTP, like every operator command). */
export const sandboxFixtureCommands: OperatorCommand[] = [
  {
    words: ['fixtures', 'load'],
    description: "replace the running server's data with a fixture file's (YAML or JSON) and make it what reset returns to",
    args: ['<file>'],
    method: 'POST',
    path: '/fixtures',
    body: ([file]) => ({ text: fileText(file), file }),
    print: (s: Summary) => `Loaded ${s.accounts} accounts, ${s.principals} principals with ${s.credentials} fixed keys, ${s.contacts} contacts, ${s.statusChanges} status changes, ${s.invoices} invoices.`,
  },
];

/** Offline helpers that need no server: print the schema (as GET /fixtures/schema serves it), check a file. */
export function registerFixtureFileCommands(sandbox: Command): void {
  const fixtures = sandbox.commands.find((c) => c.name() === 'fixtures') ?? sandbox.command('fixtures');
  fixtures
    .command('schema')
    .description('print the JSON Schema of fixture files (docs/fixtures.schema.json); needs no server')
    .action(() => void process.stdout.write(fixtureJsonSchema()));
  fixtures
    .command('check')
    .description('check a fixture file against the schema, naming the line of each problem; needs no server')
    .argument('<file>')
    .action((file: string) => {
      readFixtureText(fileText(file), file);
      process.stdout.write(`${file} matches the fixture schema\n`);
    });
}
