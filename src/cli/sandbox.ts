/**
 * `partnerhub sandbox …`: the operator API from the command line, one subcommand per operation, each a
 * request to a running server (so every server process sharing the store sees the effect). A subcommand is
 * a declaration (OperatorCommand); each area of control keeps its own list, and a new area is one more
 * entry in COMMAND_SETS.
 */
import { Command, Option } from 'commander';
import { OperatorApiError, OperatorClient } from '../client/operator.js';
import { CliError, out } from './context.js';
import { sandboxBasics } from './sandbox-basics.js';
import { sandboxClockCommands } from './sandbox-clock.js';
import { sandboxSnapshotCommands } from './sandbox-snapshots.js';
import { registerFixtureFileCommands, sandboxFixtureCommands } from './sandbox-fixtures.js';
import { sandboxFaultCommands } from './sandbox-faults.js';
import { sandboxJournalCommands } from './sandbox-journal.js';
import { sandboxWebhookCommands } from './sandbox-webhooks.js';

export interface OperatorFlags {
  url?: string;
  token?: string;
  json?: boolean;
  [option: string]: unknown;
}

/** One `partnerhub sandbox …` subcommand: the words that name it, and the request it sends. */
export interface OperatorCommand {
  /** The words after `sandbox`, e.g. ['clock', 'advance']; groups are created as needed. */
  words: string[];
  description: string;
  /** commander argument specs, e.g. ['<duration>']. */
  args?: string[];
  options?: Option[];
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path below `/_partnerhub/v1`, from the arguments and options. */
  path: string | ((args: string[], flags: OperatorFlags) => string);
  body?: (args: string[], flags: OperatorFlags) => unknown;
  /** The answer for people (`--json` prints it as JSON). */
  print?: (answer: any) => string;
}

/** Every area's subcommands (exported for the test that every operator route has its command). */
export const COMMAND_SETS: OperatorCommand[][] = [sandboxBasics, sandboxClockCommands, sandboxSnapshotCommands, sandboxFixtureCommands, sandboxFaultCommands, sandboxJournalCommands, sandboxWebhookCommands];

/** The server and token: --url / PARTNERHUB_URL (default http://127.0.0.1:8080), --token / PARTNERHUB_OPERATOR_TOKEN. */
export function operatorClient(flags: OperatorFlags, env: NodeJS.ProcessEnv = process.env): OperatorClient {
  const token = flags.token ?? env.PARTNERHUB_OPERATOR_TOKEN;
  if (!token) throw new CliError('missing operator token: give --token or PARTNERHUB_OPERATOR_TOKEN (serve prints it on its first start)');
  const baseUrl = flags.url ?? env.PARTNERHUB_URL ?? 'http://127.0.0.1:8080';
  return new OperatorClient({ baseUrl, token });
}

async function send(client: OperatorClient, spec: OperatorCommand, path: string, body: unknown): Promise<unknown> {
  try {
    return await client.request(spec.method, path, body);
  } catch (e) {
    if (e instanceof OperatorApiError) throw new CliError(e.message);
    if (e instanceof TypeError) throw new CliError(`cannot reach the server: ${(e.cause as Error | undefined)?.message ?? e.message}`);
    throw e;
  }
}

function group(parent: Command, words: string[]): Command {
  let cmd = parent;
  for (const w of words) cmd = cmd.commands.find((c) => c.name() === w) ?? cmd.command(w).description(`sandbox ${w} controls`);
  return cmd;
}

function addOperatorCommand(sandbox: Command, spec: OperatorCommand): void {
  const parent = group(sandbox, spec.words.slice(0, -1));
  const cmd = parent.command(spec.words[spec.words.length - 1]).description(spec.description);
  for (const a of spec.args ?? []) cmd.argument(a);
  for (const o of spec.options ?? []) cmd.addOption(o);
  cmd
    .option('--url <url>', 'the server (env PARTNERHUB_URL, default http://127.0.0.1:8080)')
    .option('--token <token>', 'operator token (env PARTNERHUB_OPERATOR_TOKEN)')
    .option('--json', 'print JSON for scripts')
    .action(async (...received: unknown[]) => {
      const args = received.slice(0, spec.args?.length ?? 0) as string[];
      const flags = received[spec.args?.length ?? 0] as OperatorFlags;
      const path = typeof spec.path === 'function' ? spec.path(args, flags) : spec.path;
      const answer = await send(operatorClient(flags), spec, path, spec.body?.(args, flags));
      out(flags, answer, () => (spec.print ? spec.print(answer) : JSON.stringify(answer, null, 2)));
    });
}

export function registerSandboxCommands(program: Command): void {
  const sandbox = program.command('sandbox').description('sandbox controls of a running server through its operator API (/_partnerhub/v1)');
  for (const spec of COMMAND_SETS.flat()) addOperatorCommand(sandbox, spec);
  registerFixtureFileCommands(sandbox);
}
