import { Command, Option } from 'commander';
import { callRackspace, fetchTransport, type CallOptions, type RackspaceResponse, type RackspaceTransport } from '../client/rackspace.js';
import { CliError } from './context.js';
import { demoPrincipal } from './credentials-file.js';

export interface RackspaceCallFlags {
  url?: string;
  userKey?: string;
  secretKey?: string;
  credentials?: string;
  role?: string;
  data?: string[];
  jsonBody?: boolean;
  format?: 'json' | 'xml';
  userAgent?: string;
  localTime?: boolean;
}

interface ResolvedKeys {
  userKey: string;
  secretKey: string;
  baseUrl: string;
}

/** Keys from flags, then PARTNERHUB_RACKSPACE_USER_KEY/SECRET_KEY, then a demo credentials file and a role. */
export function resolveRackspaceKeys(flags: RackspaceCallFlags, env: NodeJS.ProcessEnv = process.env): ResolvedKeys {
  let userKey = flags.userKey ?? env.PARTNERHUB_RACKSPACE_USER_KEY;
  let secretKey = flags.secretKey ?? env.PARTNERHUB_RACKSPACE_SECRET_KEY;
  let baseUrl = flags.url ?? env.PARTNERHUB_URL;
  const fromFile = !userKey || !secretKey ? demoPrincipal(flags, env, 'reseller_admin') : null;
  if (fromFile) {
    userKey ??= fromFile.principal.rackspace?.userKey;
    secretKey ??= fromFile.principal.rackspace?.secretKey;
    baseUrl ??= fromFile.baseUrl;
  }
  if (!userKey || !secretKey) {
    throw new CliError('no Rackspace keys: give --user-key and --secret-key, set PARTNERHUB_RACKSPACE_USER_KEY and PARTNERHUB_RACKSPACE_SECRET_KEY, or --credentials demo-credentials.json --role <role>');
  }
  return { userKey, secretKey, baseUrl: baseUrl ?? 'http://127.0.0.1:8080' };
}

/** Parses repeated `--data key=value` into fields. */
function dataFields(data: string[] | undefined): Record<string, string> | undefined {
  if (!data?.length) return undefined;
  const out: Record<string, string> = {};
  for (const item of data) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new CliError(`--data needs key=value, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;

/** Signs and sends one request; returns the response (the command prints it). */
export async function runRackspaceCall(
  method: string,
  target: string,
  flags: RackspaceCallFlags,
  options: { env?: NodeJS.ProcessEnv; transport?: RackspaceTransport; now?: Date } = {},
): Promise<RackspaceResponse> {
  const m = method.toUpperCase();
  if (!(METHODS as readonly string[]).includes(m)) throw new CliError(`method must be one of ${METHODS.join(', ')}, got "${method}"`);
  if (!target.startsWith('/')) throw new CliError(`path must start with /, e.g. /v1/customers (got "${target}")`);
  const keys = resolveRackspaceKeys(flags, options.env);
  const [path, qs] = target.split('?', 2);
  const query = qs ? Object.fromEntries(new URLSearchParams(qs)) : undefined;
  const call: CallOptions = {
    method: m as CallOptions['method'],
    path,
    query,
    fields: dataFields(flags.data),
    bodyType: flags.jsonBody ? 'json' : 'form',
    format: flags.format ?? 'json',
  };
  return callRackspace(
    options.transport ?? fetchTransport(keys.baseUrl),
    { userKey: keys.userKey, secretKey: keys.secretKey, userAgent: flags.userAgent ?? 'partnerhub-cli', at: options.now ?? new Date(), zone: flags.localTime ? 'local' : 'utc' },
    call,
  );
}

export function formatResponse(res: RackspaceResponse): string {
  const lines = [`HTTP ${res.status}`];
  for (const h of ['location', 'x-error-message', 'content-type']) if (res.headers[h]) lines.push(`${h}: ${res.headers[h]}`);
  lines.push('');
  lines.push(res.json !== undefined ? JSON.stringify(res.json, null, 2) : res.body);
  return lines.join('\n');
}

/** `partnerhub call rackspace <method> <path>`: one signed request, printed with its status and headers. */
export function registerRackspaceCall(program: Command): void {
  const parent = program.commands.find((c) => c.name() === 'call');
  if (!parent) throw new Error('the "call" command must be registered first');
  parent
    .command('rackspace')
    .description('sign (X-Api-Signature) and send one Rackspace Email & Apps request, e.g. GET /v1/customers')
    .argument('<method>', 'GET, POST, PUT or DELETE')
    .argument('<path>', 'path with optional query, e.g. "/v1/customers?size=10"')
    .option('--url <url>', 'server base URL (env PARTNERHUB_URL; default: the credentials file baseUrl or http://127.0.0.1:8080)')
    .option('--user-key <key>', 'Rackspace user key (env PARTNERHUB_RACKSPACE_USER_KEY)')
    .option('--secret-key <key>', 'Rackspace secret key (env PARTNERHUB_RACKSPACE_SECRET_KEY)')
    .option('--credentials <file>', 'demo credentials file (default <data-dir>/demo-credentials.json when it exists)')
    .option('--role <role>', 'which principal of the credentials file', 'reseller_admin')
    .option('--data <key=value...>', 'body fields (form-encoded unless --json-body)')
    .option('--json-body', 'send the fields as JSON')
    .addOption(new Option('--format <format>', 'response format (Accept)').choices(['json', 'xml']).default('json'))
    .option('--user-agent <ua>', 'User-Agent to send and sign', 'partnerhub-cli')
    .option('--local-time', 'sign with a local-time timestamp, as Ruby/PHP/Python clients do')
    .action(async (method: string, path: string, flags: RackspaceCallFlags) => {
      const res = await runRackspaceCall(method, path, flags);
      process.stdout.write(formatResponse(res) + '\n');
      if (res.status >= 400) process.exitCode = 1;
    });
}
