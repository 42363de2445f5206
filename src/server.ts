import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { baseUrl, loadSecretBox, type Config } from './config.js';
import { openStore, parseDatabaseUrl, type Store } from './store/connect.js';
import { claimSqliteServe, type ServeLock } from './store/serve-lock.js';
import { MemoryWindows } from './store/memory-windows.js';
import { MINUTE, systemClock, type Clock } from './domain/clock.js';
import { restoreRateWindows, saveRateWindows } from './domain/limits.js';
import type { DomainContext } from './domain/context.js';
import { seedDemo } from './demo/seed.js';
import { parseDemoCredentials, type DemoCredentials } from './demo/credentials.js';
import * as accountsRepo from './store/repositories/accounts.js';
import { startScheduler } from './scheduler.js';
import { startWebhookDelivery } from './operator/webhook-loop.js';
import { describeDemoPanelLink } from './panel-links.js';
import { loadTls, trustInstructions, type TlsMaterial } from './tls.js';
import { httpsListener, type HttpsListener } from './http/https-listener.js';
import { describeOperatorToken, setUpOperatorToken, type TokenSetup } from './operator/token.js';
import { prepareSandbox } from './operator/start.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** The HTTPS base URL when TLS is on. */
  httpsUrl?: string;
  /** The TLS material served (with the generated CA's file in self-signed mode). */
  tls?: TlsMaterial;
  close(): Promise<void>;
}

export interface StartOptions {
  demo?: boolean;
  clock?: Clock;
  print?: (line: string) => void;
  /** Install SIGTERM/SIGINT handlers (the CLI does; tests do not). */
  handleSignals?: boolean;
}

/** Writes the demo credentials with owner-only permissions: they are live keys. */
export function writeDemoCredentials(file: string, creds: DemoCredentials): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function describeDemo(creds: DemoCredentials, file: string): string {
  const lines = [
    `Demo data: partner "${creds.partner.name}", ${creds.resellers.length} resellers, ${creds.customerCount} customers.`,
    `Demo credentials (also in ${resolve(file)}):`,
  ];
  for (const [role, p] of Object.entries(creds.principals)) {
    lines.push(
      `  ${role} — ${p.email} on ${p.account.kind} "${p.account.name}" (account ${p.account.accountNumber}, ${p.account.accountCode})`,
      `    rackspace  userKey=${p.rackspace.userKey} secretKey=${p.rackspace.secretKey}`,
      `    mimecast   accessKey=${p.mimecast.accessKey}`,
      `               secretKey=${p.mimecast.secretKey}`,
      `               appId=${p.mimecast.appId} appKey=${p.mimecast.appKey}`,
      `    ccc        apiKey=${p.ccc.apiKey}`,
    );
  }
  return lines.join('\n');
}

interface ServedStore {
  store: Store;
  /** SQLite: this process is the file's only server, so rate windows and replay ids live in its memory. */
  windows?: MemoryWindows;
  lock: ServeLock | null;
}

/**
 * Opens the store to serve it. A SQLite file is served by one process at a time (src/store/serve-lock.ts):
 * a second `serve` refuses to start, before it migrates or seeds anything.
 */
async function openServedStore(config: Config): Promise<ServedStore> {
  const { dialect, target } = parseDatabaseUrl(config.databaseUrl);
  const lock = dialect === 'sqlite' && target !== ':memory:' ? claimSqliteServe(target) : null;
  try {
    const store = await openStore(config.databaseUrl, { migrate: config.migrateOnStart });
    return { store, lock, windows: dialect === 'sqlite' ? new MemoryWindows() : undefined };
  } catch (e) {
    lock?.release();
    throw e;
  }
}

/** How long a remembered window can matter: the longest rate window, or twice the Mimecast date window for request ids. */
function windowHorizonMs(config: Config): number {
  return Math.max(2 * config.mimecastDateWindowMs, config.mimecastRateWindowMs, MINUTE);
}

/** The demo's panel sign-in link; a store whose demo admin is gone says so rather than failing the start. */
async function demoPanelLink(app: FastifyInstance, creds: DemoCredentials, url: string): Promise<string> {
  try {
    return await describeDemoPanelLink(app.domain, creds, url);
  } catch (e) {
    return `Control panel: no sign-in link for the demo reseller admin (${(e as Error).message}); see partnerhub panel-link --help.`;
  }
}

/** Seeds the demo into an empty store, or reads the credentials of an earlier seed; prints them. */
async function seedOrReadDemo(ctx: DomainContext, config: Config, print: (line: string) => void): Promise<DemoCredentials | null> {
  if ((await accountsRepo.countAll(ctx.db)) === 0) {
    const creds = await seedDemo(ctx, baseUrl(config));
    writeDemoCredentials(config.demoOut, creds);
    print(describeDemo(creds, config.demoOut));
    return creds;
  }
  if (existsSync(config.demoOut)) {
    const creds = parseDemoCredentials(readFileSync(config.demoOut, 'utf8'));
    print('The store already holds data; not seeding again.');
    print(describeDemo(creds, config.demoOut));
    return creds;
  }
  print(`The store already holds data and ${config.demoOut} is missing; start with an empty --database to get fresh demo credentials.`);
  return null;
}

/** The HTTPS base URL, printed with how clients trust a generated CA. */
function describeHttps(config: Config, tls: TlsMaterial, port: number, print: (line: string) => void): string {
  const url = baseUrl({ ...config, publicUrl: undefined }, port).replace(/^http:/, 'https:');
  print(`partnerhub listening on ${url} (TLS${tls.caFile ? (tls.generated ? ', certificate generated' : ', certificate reused') : ''})`);
  if (tls.caFile) for (const line of trustInstructions(tls.caFile, url)) print(line);
  return url;
}

function closeOnSignals(app: FastifyInstance, close: () => Promise<void>): void {
  const onSignal = (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (e) => {
        app.log.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}

/** Opens the store, seeds the demo if asked and the store is empty, and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const clock = options.clock ?? systemClock;
  const secrets = loadSecretBox(config);
  // Certificates first: a bad --tls-cert stops the start before the store is opened.
  const tls = await loadTls(config, clock.now());
  const { store, windows, lock } = await openServedStore(config);
  let app: FastifyInstance;
  let https: HttpsListener | undefined;
  let httpsPort = 0;
  let demo: DemoCredentials | null = null;
  let operatorToken: TokenSetup | null = null;
  try {
    const ctx: DomainContext = { db: store.db, dialect: store.dialect, clock, secrets };
    if (options.demo && !config.fixtures) demo = await seedOrReadDemo(ctx, config, print);
    if (config.sandbox) operatorToken = await setUpOperatorToken(store.db, config.operatorToken, clock.now().toISOString());
    if (windows) await restoreRateWindows(ctx, windows, windowHorizonMs(config));
    app = await buildApp(config, { store, clock, secrets, rateWindows: windows, demoCredentialsFile: demo ? config.demoOut : undefined });
    if (tls) https = httpsListener(app, tls, config);
    if (config.sandbox) await prepareSandbox(app, config, print);
    const scheduler = startScheduler(app.domain, {
      intervalMs: config.schedulerIntervalMs,
      onError: (job, e) => app.log.error({ err: e, job: job.name }, 'scheduled job failed'),
    });
    const webhooks = startWebhookDelivery(app.domain, config, (e) => app.log.error({ err: e }, 'webhook delivery failed'));
    app.addHook('onClose', async () => {
      await webhooks.stop();
      await scheduler.stop();
      if (windows) await saveRateWindows(ctx, windows).catch((e) => app.log.error({ err: e }, 'saving rate windows failed'));
      await store.close();
      lock?.release();
    });
    await app.listen({ port: config.port, host: config.host });
    if (https) httpsPort = await https.listen(config.tlsPort, config.host).catch(async (e) => {
      // The TLS port is taken: stop the HTTP listener too rather than serve half of what was asked.
      await app.close();
      throw e;
    });
  } catch (e) {
    await store.close().catch(() => undefined);
    lock?.release();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = baseUrl(config, port);
  print(`partnerhub listening on ${url} (store: ${store.description})`);
  const httpsUrl = tls ? describeHttps(config, tls, httpsPort, print) : undefined;
  if (demo) print(await demoPanelLink(app, demo, url));
  if (operatorToken) print(describeOperatorToken(operatorToken, url));

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // Stop accepting, let in-flight requests finish up to the grace period, then close the store.
      const timer = setTimeout(() => {
        app.server.closeAllConnections?.();
        https?.server.closeAllConnections();
      }, config.shutdownGraceMs);
      timer.unref();
      await app.close();
      clearTimeout(timer);
    })();
    return closing;
  };
  if (options.handleSignals) closeOnSignals(app, close);
  return { app, store, url, httpsUrl, tls: tls ?? undefined, close };
}
