import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { parseDatabaseUrl, StoreConfigError } from './store/connect.js';

/**
 * What every setting declares besides its JSON Schema keywords (type, default, minimum, maximum, enum,
 * pattern, description). Loading, validation messages, `serve --help` and the README's configuration
 * table are all read from these entries, so a new setting is one entry in SETTINGS.
 */
export interface SettingMeta {
  /** Environment variable. */
  env: string;
  /** Command-line flag of `serve` as commander spells it (`--port <port>`), if any; store commands share database and data-dir. */
  flag?: string;
  /** The default as documentation shows it, when it is not a plain value (computed, or generated). */
  defaultText?: string;
  /** What a bad value is told, when a pattern or a check (not a bound) rejects it; `{name}` is the setting's name. */
  invalid?: string;
  /** A check beyond the keywords; returns the message for a bad value (it names the setting via `name`). */
  check?: (value: string, name: string) => string | undefined;
  /** The name a message uses whatever the source, where scripts already match it. */
  messageName?: string;
}

type Options<T> = SettingMeta & { description: string; default?: T };

const integer = (o: Options<number> & { minimum: number; maximum: number }) => Type.Integer(o);
const boolean = (o: Options<boolean>) => Type.Boolean(o);
const text = (o: Options<string> & { pattern?: string; enum?: readonly string[] }) => Type.String(o);
const optionalText = (o: Options<string> & { pattern?: string }) => Type.Union([Type.String(o), Type.Undefined()], o);

function secretKeyCheck(value: string, name: string): string | undefined {
  if (Buffer.from(value, 'base64').length !== 32) return `${name} must be base64 of exactly 32 bytes (openssl rand -base64 32)`;
  return undefined;
}

function databaseCheck(value: string, name: string): string | undefined {
  try {
    parseDatabaseUrl(value);
    return undefined;
  } catch (e) {
    if (e instanceof StoreConfigError) return `${name}: ${e.message}`;
    throw e;
  }
}

/** Every setting of the server, in the order documentation lists them. */
export const SETTINGS = Type.Object({
  host: text({ env: 'PARTNERHUB_HOST', flag: '--host <host>', default: '127.0.0.1', pattern: '^[A-Za-z0-9.:\\-\\[\\]]+$', invalid: '{name} must be a host name or IP address', description: 'address to listen on' }),
  port: integer({ env: 'PARTNERHUB_PORT', flag: '--port <port>', default: 8080, minimum: 0, maximum: 65535, description: 'TCP port (0 picks a free one)' }),
  dataDir: text({ env: 'PARTNERHUB_DATA_DIR', flag: '--data-dir <dir>', default: './data', description: 'holds the generated secret key and the demo credentials' }),
  databaseUrl: text({
    env: 'PARTNERHUB_DATABASE_URL',
    flag: '--database <url>',
    default: '<data-dir>/partnerhub.db',
    check: databaseCheck,
    description: 'SQLite file path (`sqlite:PATH`, `:memory:`) or `postgres://user[:pass]@host:port/db[?schema=name]`',
  }),
  secretKey: optionalText({
    env: 'PARTNERHUB_SECRET_KEY',
    defaultText: 'generated',
    check: secretKeyCheck,
    description: 'base64 of 32 bytes sealing stored secrets (AES-256-GCM). Without it, `<data-dir>/secret.key` is generated (mode 0600) on first start. Set it when several machines share one PostgreSQL',
  }),
  migrateOnStart: boolean({ env: 'PARTNERHUB_MIGRATE', flag: '--no-migrate', default: true, description: 'run pending migrations at start-up' }),
  logLevel: text({
    env: 'PARTNERHUB_LOG_LEVEL',
    flag: '--log-level <level>',
    default: 'info',
    enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    messageName: '--log-level',
    description: 'how much the server logs',
  }),
  bodyLimit: integer({ env: 'PARTNERHUB_BODY_LIMIT', default: 1_048_576, minimum: 1024, maximum: 1024 * 1024 * 1024, description: "largest request body in bytes (larger: 413 in the face's error shape)" }),
  // --- connections and TLS (docs: README "Running with TLS" and "Timeouts") ---
  headersTimeoutMs: integer({
    env: 'PARTNERHUB_HEADERS_TIMEOUT_MS',
    default: 10_000,
    minimum: 100,
    maximum: 600_000,
    description: 'how long a client may take to send the request line and headers (ms; at most the request timeout); then 408 and the connection is closed',
  }),
  requestTimeoutMs: integer({
    env: 'PARTNERHUB_REQUEST_TIMEOUT_MS',
    default: 30_000,
    minimum: 100,
    maximum: 3_600_000,
    description: 'how long a client may take to send a whole request, headers and body, from its first byte (ms); then 408 and the connection is closed, however steadily a slow client sends',
  }),
  keepAliveTimeoutMs: integer({
    env: 'PARTNERHUB_KEEP_ALIVE_TIMEOUT_MS',
    default: 5_000,
    minimum: 100,
    maximum: 600_000,
    description: 'how long an idle keep-alive connection stays open for a next request (ms); behind a load balancer, set it above the balancer\'s idle timeout',
  }),
  tlsCert: optionalText({ env: 'PARTNERHUB_TLS_CERT', flag: '--tls-cert <file>', defaultText: 'none', description: 'PEM certificate chain for HTTPS (with --tls-key)' }),
  tlsKey: optionalText({ env: 'PARTNERHUB_TLS_KEY', flag: '--tls-key <file>', defaultText: 'none', description: 'PEM private key for HTTPS (with --tls-cert)' }),
  tlsSelfSigned: boolean({
    env: 'PARTNERHUB_TLS_SELF_SIGNED',
    flag: '--tls-self-signed',
    default: false,
    description: 'serve HTTPS with a local CA and a certificate for localhost, 127.0.0.1 and ::1, generated once into `<data-dir>/tls/` (sandbox use); prints how Java, Python, Node and curl trust the CA',
  }),
  tlsPort: integer({ env: 'PARTNERHUB_TLS_PORT', flag: '--tls-port <port>', default: 8443, minimum: 0, maximum: 65535, description: 'HTTPS port when TLS is on (plain HTTP stays on --port; 0 picks a free one)' }),
  demoOut: text({ env: 'PARTNERHUB_DEMO_OUT', flag: '--out <file>', default: '<data-dir>/demo-credentials.json', description: 'where demo credentials are written' }),
  publicUrl: optionalText({ env: 'PARTNERHUB_PUBLIC_URL', defaultText: 'http://host:port', pattern: '^https?://\\S+$', invalid: '{name} must be an http(s) URL', description: 'base URL printed with the demo credentials' }),
  shutdownGraceMs: integer({ env: 'PARTNERHUB_SHUTDOWN_GRACE_MS', default: 10_000, minimum: 0, maximum: 600_000, description: 'how long in-flight requests may finish after SIGTERM/SIGINT (ms)' }),
  schedulerIntervalMs: integer({
    env: 'PARTNERHUB_SCHEDULER_INTERVAL_MS',
    default: 60_000,
    minimum: 0,
    maximum: 86_400_000,
    description: 'how often scheduled jobs run (trial expiry and 90-day cancellation, the monthly billing run, forgetting old rate windows and Mimecast request ids), in ms; `0` turns them off',
  }),
  metrics: boolean({ env: 'PARTNERHUB_METRICS', default: true, description: 'serve Prometheus metrics at `/metrics` (requests, refusals, scheduled jobs, store connections, the process); `false` turns them off' }),
  // --- sandbox (operator API under /_partnerhub/v1) ---
  sandbox: boolean({
    env: 'PARTNERHUB_SANDBOX',
    flag: '--sandbox',
    default: false,
    description: 'turn on the operator API (`/_partnerhub/v1/…`: test clock, reset, snapshots, fixtures) and `partnerhub sandbox …`; `serve --demo` turns it on. Off, its URLs answer 404',
  }),
  operatorToken: optionalText({
    env: 'PARTNERHUB_OPERATOR_TOKEN',
    flag: '--operator-token <token>',
    defaultText: 'generated',
    pattern: '^\\S{16,}$',
    invalid: '{name} must be at least 16 characters without spaces',
    description: 'bearer token of the operator API; the store keeps only its SHA-256. Without it, one is generated and printed on the first start with the sandbox on',
  }),
  fixtures: optionalText({
    env: 'PARTNERHUB_FIXTURES',
    flag: '--fixtures <file>',
    defaultText: 'none',
    description: 'sandbox: YAML or JSON file of partners, resellers, customers, principals with fixed keys … loaded into the store at start (replacing its data); `sandbox reset` returns to it',
  }),
  journalSize: integer({
    env: 'PARTNERHUB_JOURNAL_SIZE',
    default: 1000,
    minimum: 0,
    maximum: 1_000_000,
    description: 'sandbox: how many of the latest requests and responses the request journal keeps (secrets replaced); `0` turns it off',
  }),
  webhookTimeoutMs: integer({
    env: 'PARTNERHUB_WEBHOOK_TIMEOUT_MS',
    default: 10_000,
    minimum: 100,
    maximum: 120_000,
    description: 'webhooks: how long one delivery waits for the receiver to answer (ms) before it counts as failed and is retried',
  }),
  webhookIntervalMs: integer({
    env: 'PARTNERHUB_WEBHOOK_INTERVAL_MS',
    default: 1000,
    minimum: 0,
    maximum: 3_600_000,
    description: 'webhooks: how often `serve` delivers pending events (ms); `0` leaves delivery to the scheduled jobs',
  }),
  // --- billing (contacts, invoices) ---
  contactLimit: integer({ env: 'PARTNERHUB_CONTACT_LIMIT', default: 10, minimum: 1, maximum: 1000, description: 'most company contacts one account may have (Rackspace v2 "Contact/Administrator limit reached.")' }),
  // --- Rackspace face ---
  rackspaceSignatureMaxAgeSeconds: integer({
    env: 'PARTNERHUB_RACKSPACE_SIGNATURE_MAX_AGE',
    default: 86_400,
    minimum: 0,
    maximum: 31 * 86_400,
    description: 'Rackspace: seconds one `X-Api-Signature` stays valid after its timestamp (real clients reuse one signature for a session)',
  }),
  rackspaceSignatureAnyZone: boolean({ env: 'PARTNERHUB_RACKSPACE_SIGNATURE_ANY_ZONE', default: true, description: "Rackspace: accept signature timestamps in the client's local time (UTC−12 … UTC+14), not only UTC" }),
  rackspaceReadsPerMinute: integer({ env: 'PARTNERHUB_RACKSPACE_READS_PER_MINUTE', default: 60, minimum: 0, maximum: 1_000_000, description: 'Rackspace: GET requests per user per minute; `0` turns throttling off (sandbox)' }),
  rackspaceWritesPerMinute: integer({ env: 'PARTNERHUB_RACKSPACE_WRITES_PER_MINUTE', default: 30, minimum: 0, maximum: 1_000_000, description: 'Rackspace: POST/PUT/DELETE requests per user per minute; `0` turns throttling off' }),
  // --- Mimecast face ---
  mimecastDateWindowMs: integer({
    env: 'PARTNERHUB_MIMECAST_DATE_WINDOW_MS',
    default: 900_000,
    minimum: 1000,
    maximum: 86_400_000,
    description: "Mimecast: how far `x-mc-date` may be from the server's time (ms, either way); request ids are remembered for twice this (replays are refused)",
  }),
  mimecastRateLimit: integer({ env: 'PARTNERHUB_MIMECAST_RATE_LIMIT', default: 300, minimum: 1, maximum: 1_000_000, description: 'Mimecast: requests per user (all of its keys) per rate window' }),
  mimecastRateWindowMs: integer({ env: 'PARTNERHUB_MIMECAST_RATE_WINDOW_MS', default: 60_000, minimum: 1000, maximum: 86_400_000, description: 'Mimecast: length of the sliding rate-limit window (ms)' }),
  mimecastTokenLifetimeMinutes: integer({
    env: 'PARTNERHUB_MIMECAST_TOKEN_LIFETIME_MINUTES',
    default: 30,
    minimum: 1,
    maximum: 1440,
    description: 'Mimecast API 2.0: minutes a bearer token from `POST /oauth/token` lasts (`expires_in`), on the business clock',
  }),
  // --- control panel ---
  panelSessionIdleMinutes: integer({ env: 'PARTNERHUB_PANEL_SESSION_IDLE_MINUTES', default: 30, minimum: 1, maximum: 1440, description: 'control panel: minutes a signed-in session may go unused before it ends' }),
  panelSessionLifetimeHours: integer({ env: 'PARTNERHUB_PANEL_SESSION_LIFETIME_HOURS', default: 12, minimum: 1, maximum: 720, description: 'control panel: hours a session lasts after sign-in, however busy' }),
});

/** The server's settings, as loadConfig returns them. */
export type Config = Static<typeof SETTINGS>;
export type SettingKey = keyof Config;

/** One setting's schema with its metadata. */
export type SettingSchema = TSchema & SettingMeta & { description: string; default?: unknown; minimum?: number; maximum?: number; enum?: string[]; pattern?: string };

export function settingEntries(): [SettingKey, SettingSchema][] {
  return Object.entries(SETTINGS.properties) as unknown as [SettingKey, SettingSchema][];
}
