import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SecretBox } from './domain/secrets.js';
import { parseDatabaseUrl, StoreConfigError } from './store/connect.js';

/** A setting that cannot be used: the message names it, the CLI exits non-zero. */
export class ConfigError extends Error {}

export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  dataDir: string;
  /** Base64 of 32 bytes; when absent, a key file in dataDir is used (and created on first start). */
  secretKey: string | undefined;
  migrateOnStart: boolean;
  logLevel: string;
  bodyLimit: number;
  /** Where `--demo` and `demo` write the demo credentials. */
  demoOut: string;
  /** Public base URL printed with the demo credentials. */
  publicUrl: string | undefined;
  shutdownGraceMs: number;
  /** How often scheduled jobs (trial expiry, billing …) are checked; 0 turns the scheduler off. */
  schedulerIntervalMs: number;
  // --- billing (contacts, invoices) ---
  /** Most company contacts one account may have (Rackspace v2 "Contact/Administrator limit reached."). */
  contactLimit: number;
  // --- Rackspace face ---
  /** How long one X-Api-Signature stays usable after its timestamp (clients reuse one per session), in seconds. */
  rackspaceSignatureMaxAgeSeconds: number;
  /** Accept timestamps written in the client's local time (any zone from UTC-12 to UTC+14), not only UTC. */
  rackspaceSignatureAnyZone: boolean;
  /** Requests per principal per minute; 0 turns the limit off (sandbox use). */
  rackspaceReadsPerMinute: number;
  rackspaceWritesPerMinute: number;
  // --- Mimecast face ---
  /** How far x-mc-date may be from the server's time, either way; request ids are remembered for twice this. */
  mimecastDateWindowMs: number;
  /** Requests one principal may make through the Mimecast face (all its keys together) per rate window. */
  mimecastRateLimit: number;
  mimecastRateWindowMs: number;
}

/** Every setting: CLI flag, environment variable, default. The README's table is generated from the same words. */
export const SETTINGS = [
  { key: 'host', flag: '--host', env: 'PARTNERHUB_HOST', default: '127.0.0.1', help: 'address to listen on' },
  { key: 'port', flag: '--port', env: 'PARTNERHUB_PORT', default: '8080', help: 'TCP port to listen on (0 picks a free one)' },
  { key: 'databaseUrl', flag: '--database', env: 'PARTNERHUB_DATABASE_URL', default: './data/partnerhub.db', help: 'SQLite file path (or sqlite:PATH, :memory:) or postgres://user@host:port/db[?schema=name]' },
  { key: 'dataDir', flag: '--data-dir', env: 'PARTNERHUB_DATA_DIR', default: './data', help: 'directory for the generated secret key and demo credentials' },
  { key: 'secretKey', flag: undefined, env: 'PARTNERHUB_SECRET_KEY', default: undefined, help: 'base64 of 32 random bytes that seals stored secrets; required to share one PostgreSQL between machines' },
  { key: 'migrateOnStart', flag: '--no-migrate', env: 'PARTNERHUB_MIGRATE', default: 'true', help: 'run pending migrations when the server starts (true/false)' },
  { key: 'logLevel', flag: '--log-level', env: 'PARTNERHUB_LOG_LEVEL', default: 'info', help: 'fatal, error, warn, info, debug, trace or silent' },
  { key: 'bodyLimit', flag: undefined, env: 'PARTNERHUB_BODY_LIMIT', default: '1048576', help: 'largest request body in bytes; larger bodies are refused with 413' },
  { key: 'demoOut', flag: '--out', env: 'PARTNERHUB_DEMO_OUT', default: '<data-dir>/demo-credentials.json', help: 'where the demo credentials are written' },
  { key: 'publicUrl', flag: undefined, env: 'PARTNERHUB_PUBLIC_URL', default: undefined, help: 'base URL clients use, when not http://host:port' },
  { key: 'shutdownGraceMs', flag: undefined, env: 'PARTNERHUB_SHUTDOWN_GRACE_MS', default: '10000', help: 'how long in-flight requests may run after SIGTERM/SIGINT' },
  { key: 'schedulerIntervalMs', flag: undefined, env: 'PARTNERHUB_SCHEDULER_INTERVAL_MS', default: '60000', help: 'how often scheduled jobs run (trial expiry, billing); 0 turns them off' },
  // --- billing (contacts, invoices) ---
  { key: 'contactLimit', flag: undefined, env: 'PARTNERHUB_CONTACT_LIMIT', default: '10', help: 'most company contacts one account may have (1 to 1000)' },
  // --- Rackspace face ---
  { key: 'rackspaceSignatureMaxAgeSeconds', flag: undefined, env: 'PARTNERHUB_RACKSPACE_SIGNATURE_MAX_AGE', default: '86400', help: 'Rackspace: seconds one X-Api-Signature stays valid after its timestamp (clients reuse one per session)' },
  { key: 'rackspaceSignatureAnyZone', flag: undefined, env: 'PARTNERHUB_RACKSPACE_SIGNATURE_ANY_ZONE', default: 'true', help: 'Rackspace: accept signature timestamps in any local zone (UTC-12..UTC+14), not only UTC (true/false)' },
  { key: 'rackspaceReadsPerMinute', flag: undefined, env: 'PARTNERHUB_RACKSPACE_READS_PER_MINUTE', default: '60', help: 'Rackspace: GET requests per principal per minute; 0 turns the limit off' },
  { key: 'rackspaceWritesPerMinute', flag: undefined, env: 'PARTNERHUB_RACKSPACE_WRITES_PER_MINUTE', default: '30', help: 'Rackspace: POST/PUT/DELETE requests per principal per minute; 0 turns the limit off' },
  // --- Mimecast face ---
  { key: 'mimecastDateWindowMs', flag: undefined, env: 'PARTNERHUB_MIMECAST_DATE_WINDOW_MS', default: '900000', help: 'Mimecast: how far x-mc-date may differ from server time (ms, either way); request ids are remembered for twice this' },
  { key: 'mimecastRateLimit', flag: undefined, env: 'PARTNERHUB_MIMECAST_RATE_LIMIT', default: '300', help: 'Mimecast: requests per user (all of its keys) per rate window' },
  { key: 'mimecastRateWindowMs', flag: undefined, env: 'PARTNERHUB_MIMECAST_RATE_WINDOW_MS', default: '60000', help: 'Mimecast: length of the sliding rate-limit window (ms)' },
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseInteger(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function parseBool(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export interface ConfigFlags {
  host?: string;
  port?: string | number;
  database?: string;
  dataDir?: string;
  migrate?: boolean;
  logLevel?: string;
  out?: string;
}

/** Reads flags (first), then environment, then defaults; throws ConfigError naming the first bad setting. */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const pick = (flag: string | number | undefined, envName: string, def: string): [string, string] =>
    flag !== undefined ? [String(flag), 'flag'] : env[envName] !== undefined && env[envName] !== '' ? [env[envName]!, envName] : [def, 'default'];

  const [portRaw, portFrom] = pick(flags.port, 'PARTNERHUB_PORT', '8080');
  const port = parseInteger(portFrom === 'flag' ? '--port' : 'PARTNERHUB_PORT', portRaw, 0, 65535);
  const [host] = pick(flags.host, 'PARTNERHUB_HOST', '127.0.0.1');
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) throw new ConfigError(`--host must be a host name or IP address, got "${host}"`);
  const [dataDir] = pick(flags.dataDir, 'PARTNERHUB_DATA_DIR', './data');
  const [databaseUrl, dbFrom] = pick(flags.database, 'PARTNERHUB_DATABASE_URL', join(dataDir, 'partnerhub.db'));
  try {
    parseDatabaseUrl(databaseUrl);
  } catch (e) {
    if (e instanceof StoreConfigError) throw new ConfigError(`${dbFrom === 'flag' ? '--database' : 'PARTNERHUB_DATABASE_URL'}: ${e.message}`);
    throw e;
  }
  const secretKey = env.PARTNERHUB_SECRET_KEY || undefined;
  if (secretKey !== undefined) {
    const buf = Buffer.from(secretKey, 'base64');
    if (buf.length !== 32) throw new ConfigError('PARTNERHUB_SECRET_KEY must be base64 of exactly 32 bytes (openssl rand -base64 32)');
  }
  const migrateOnStart =
    flags.migrate === false ? false : env.PARTNERHUB_MIGRATE ? parseBool('PARTNERHUB_MIGRATE', env.PARTNERHUB_MIGRATE) : true;
  const [logLevel] = pick(flags.logLevel, 'PARTNERHUB_LOG_LEVEL', 'info');
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const bodyLimit = parseInteger('PARTNERHUB_BODY_LIMIT', env.PARTNERHUB_BODY_LIMIT ?? '1048576', 1024, 1024 * 1024 * 1024);
  const [demoOut] = pick(flags.out, 'PARTNERHUB_DEMO_OUT', join(dataDir, 'demo-credentials.json'));
  const publicUrl = env.PARTNERHUB_PUBLIC_URL || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/\S+$/.test(publicUrl)) throw new ConfigError(`PARTNERHUB_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  const shutdownGraceMs = parseInteger('PARTNERHUB_SHUTDOWN_GRACE_MS', env.PARTNERHUB_SHUTDOWN_GRACE_MS ?? '10000', 0, 600_000);
  const schedulerIntervalMs = parseInteger('PARTNERHUB_SCHEDULER_INTERVAL_MS', env.PARTNERHUB_SCHEDULER_INTERVAL_MS ?? '60000', 0, 86_400_000);
  // --- billing (contacts, invoices) ---
  const contactLimit = parseInteger('PARTNERHUB_CONTACT_LIMIT', env.PARTNERHUB_CONTACT_LIMIT ?? '10', 1, 1000);
  // --- Rackspace face ---
  const rackspaceSignatureMaxAgeSeconds = parseInteger('PARTNERHUB_RACKSPACE_SIGNATURE_MAX_AGE', env.PARTNERHUB_RACKSPACE_SIGNATURE_MAX_AGE || '86400', 0, 31 * 86_400);
  const rackspaceSignatureAnyZone = parseBool('PARTNERHUB_RACKSPACE_SIGNATURE_ANY_ZONE', env.PARTNERHUB_RACKSPACE_SIGNATURE_ANY_ZONE || 'true');
  const rackspaceReadsPerMinute = parseInteger('PARTNERHUB_RACKSPACE_READS_PER_MINUTE', env.PARTNERHUB_RACKSPACE_READS_PER_MINUTE || '60', 0, 1_000_000);
  const rackspaceWritesPerMinute = parseInteger('PARTNERHUB_RACKSPACE_WRITES_PER_MINUTE', env.PARTNERHUB_RACKSPACE_WRITES_PER_MINUTE || '30', 0, 1_000_000);
  // --- Mimecast face ---
  const mimecastDateWindowMs = parseInteger('PARTNERHUB_MIMECAST_DATE_WINDOW_MS', env.PARTNERHUB_MIMECAST_DATE_WINDOW_MS ?? '900000', 1000, 86_400_000);
  const mimecastRateLimit = parseInteger('PARTNERHUB_MIMECAST_RATE_LIMIT', env.PARTNERHUB_MIMECAST_RATE_LIMIT ?? '300', 1, 1_000_000);
  const mimecastRateWindowMs = parseInteger('PARTNERHUB_MIMECAST_RATE_WINDOW_MS', env.PARTNERHUB_MIMECAST_RATE_WINDOW_MS ?? '60000', 1000, 86_400_000);
  return {
    host, port, databaseUrl, dataDir, secretKey, migrateOnStart, logLevel, bodyLimit, demoOut, publicUrl, shutdownGraceMs, schedulerIntervalMs,
    contactLimit,
    rackspaceSignatureMaxAgeSeconds, rackspaceSignatureAnyZone, rackspaceReadsPerMinute, rackspaceWritesPerMinute,
    mimecastDateWindowMs, mimecastRateLimit, mimecastRateWindowMs,
  };
}

/**
 * The key that seals stored secrets: from PARTNERHUB_SECRET_KEY, or a key file in the data directory,
 * generated with owner-only permissions on first use.
 */
export function loadSecretBox(config: Pick<Config, 'secretKey' | 'dataDir'>): SecretBox {
  if (config.secretKey) return new SecretBox(Buffer.from(config.secretKey, 'base64'));
  const dir = resolve(config.dataDir);
  const file = join(dir, 'secret.key');
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new ConfigError(`${file} does not hold base64 of 32 bytes`);
    return new SecretBox(key);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, SecretBox.generateKey().toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError(`cannot write secret key file ${file}: ${(e as Error).message}`);
  }
  return loadSecretBox(config);
}

export function baseUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>, actualPort?: number): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return `http://${host}:${actualPort ?? config.port}`;
}
