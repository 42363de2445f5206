import { Command } from 'commander';
import { MimecastClient, requestMimecastToken, type MimecastClientOptions, type MimecastCredentials } from '../client/mimecast.js';
import { CliError } from './context.js';
import { demoPrincipal } from './credentials-file.js';

interface CallFlags {
  url?: string;
  accessKey?: string;
  secretKey?: string;
  appId?: string;
  appKey?: string;
  credentials?: string;
  role: string;
  data?: string;
  verbose?: boolean;
  oauth?: boolean;
}

/** Credentials from flags, then environment, then a demo-credentials.json file (the principal of --role). */
function resolveCredentials(flags: CallFlags, env: NodeJS.ProcessEnv): { credentials: MimecastCredentials; baseUrl?: string } {
  // The credentials file is read only when a flag or variable leaves something out.
  let file: ReturnType<typeof demoPrincipal> | undefined;
  const fromFile = () => (file ??= demoPrincipal(flags, env, 'partner_provisioning'))?.principal.mimecast;
  const pick = (flag: string | undefined, envName: string, fileValue: () => string | undefined, name: string): string => {
    const v = flag ?? env[envName] ?? fileValue();
    if (!v) throw new CliError(`missing ${name}: give --${name}, ${envName} or --credentials <file>`);
    return v;
  };
  const accessKey = pick(flags.accessKey, 'PARTNERHUB_MIMECAST_ACCESS_KEY', () => fromFile()?.accessKey, 'access-key');
  const secretKey = pick(flags.secretKey, 'PARTNERHUB_MIMECAST_SECRET_KEY', () => fromFile()?.secretKey, 'secret-key');
  // API 2.0 needs only the client id and secret (the access key and secret key); signing needs the application too.
  const appId = flags.oauth ? '' : pick(flags.appId, 'PARTNERHUB_MIMECAST_APP_ID', () => fromFile()?.appId, 'app-id');
  const appKey = flags.oauth ? '' : pick(flags.appKey, 'PARTNERHUB_MIMECAST_APP_KEY', () => fromFile()?.appKey, 'app-key');
  return { credentials: { accessKey, secretKey, appId, appKey }, baseUrl: file?.baseUrl };
}

/** How the client authenticates: signing (API 1.0), or with --oauth a bearer token fetched first (API 2.0). */
async function authOptions(baseUrl: string, credentials: MimecastCredentials, flags: CallFlags): Promise<Pick<MimecastClientOptions, 'credentials' | 'bearerToken'>> {
  if (!flags.oauth) return { credentials };
  let token;
  try {
    token = await requestMimecastToken(baseUrl, { clientId: credentials.accessKey, clientSecret: credentials.secretKey });
  } catch (e) {
    throw new CliError(`cannot reach ${baseUrl}: ${(e as Error).message}`);
  }
  if (!token.ok) throw new CliError(`POST /oauth/token: HTTP ${token.status} ${token.error}: ${token.description}`);
  if (flags.verbose) process.stderr.write(`bearer token from /oauth/token, expires in ${token.expiresIn} s\n`);
  return { bearerToken: token.accessToken };
}

/** `partnerhub call mimecast <path>`: signs one request as Mimecast's clients do and prints the envelope. */
export function registerMimecastCall(program: Command): void {
  const call = program.commands.find((c) => c.name() === 'call');
  if (!call) throw new Error('the call command must be registered first');
  call
    .command('mimecast')
    .description('sign and send one Mimecast API 1.0 request, or with --oauth an API 2.0 one (e.g. /api/account/get-account)')
    .argument('<path>', 'endpoint path, e.g. /api/account/get-support-info')
    .option('--url <url>', 'server base URL (env PARTNERHUB_URL; default the credentials file baseUrl or http://127.0.0.1:8080)')
    .option('--access-key <key>', 'access key (env PARTNERHUB_MIMECAST_ACCESS_KEY)')
    .option('--secret-key <key>', 'base64 secret key (env PARTNERHUB_MIMECAST_SECRET_KEY)')
    .option('--app-id <id>', 'application id (env PARTNERHUB_MIMECAST_APP_ID)')
    .option('--app-key <key>', 'application key (env PARTNERHUB_MIMECAST_APP_KEY)')
    .option('--credentials <file>', 'demo-credentials.json written by `partnerhub demo` or `serve --demo`')
    .option('--role <role>', 'whose credentials to use from --credentials', 'partner_provisioning')
    .option('--data <json>', 'request body, e.g. \'{"data":[{"accountCode":"CUSA35A404","numberOfUsers":5}]}\'', '{"data":[]}')
    .option('--oauth', 'API 2.0: get a bearer token from /oauth/token with the access key and secret key, and send it instead of signing')
    .option('--verbose', 'print the HTTP status and rate-limit headers to stderr')
    .action(async (path: string, flags: CallFlags) => {
      if (!path.startsWith('/')) throw new CliError(`the path must start with /, got "${path}"`);
      const { credentials, baseUrl: fileUrl } = resolveCredentials(flags, process.env);
      const baseUrl = flags.url ?? process.env.PARTNERHUB_URL ?? fileUrl ?? 'http://127.0.0.1:8080';
      let body: unknown;
      try {
        body = JSON.parse(flags.data ?? '{"data":[]}');
      } catch (e) {
        throw new CliError(`--data is not JSON: ${(e as Error).message}`);
      }
      const client = new MimecastClient({ baseUrl, ...(await authOptions(baseUrl, credentials, flags)) });
      let res;
      try {
        res = await client.call(path, body);
      } catch (e) {
        throw new CliError(`cannot reach ${baseUrl}: ${(e as Error).message}`);
      }
      if (flags.verbose) {
        const h = res.headers;
        process.stderr.write(
          `HTTP ${res.status}; X-RateLimit-Limit ${h['x-ratelimit-limit'] ?? '-'}, Remaining ${h['x-ratelimit-remaining'] ?? '-'}, Reset ${h['x-ratelimit-reset'] ?? '-'} ms\n`,
        );
      }
      process.stdout.write((res.body ? JSON.stringify(res.body, null, 2) : res.text) + '\n');
      if (res.status >= 400 || (res.body?.fail?.length ?? 0) > 0) process.exitCode = 1;
    });
}
