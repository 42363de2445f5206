import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { baseUrl, loadSecretBox, type Config } from './config.js';
import { openStore, type Store } from './store/connect.js';
import { systemClock, type Clock } from './domain/clock.js';
import type { DomainContext } from './domain/context.js';
import { seedDemo } from './demo/seed.js';
import { parseDemoCredentials, type DemoCredentials } from './demo/credentials.js';
import * as accountsRepo from './store/repositories/accounts.js';
import { startScheduler } from './scheduler.js';
import { describeDemoPanelLink } from './panel-links.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
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

/** The demo's panel sign-in link; a store whose demo admin is gone says so rather than failing the start. */
async function demoPanelLink(app: FastifyInstance, creds: DemoCredentials, url: string): Promise<string> {
  try {
    return await describeDemoPanelLink(app.domain, creds, url);
  } catch (e) {
    return `Control panel: no sign-in link for the demo reseller admin (${(e as Error).message}); see partnerhub panel-link --help.`;
  }
}

/** Opens the store, seeds the demo if asked and the store is empty, and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const clock = options.clock ?? systemClock;
  const secrets = loadSecretBox(config);
  const store = await openStore(config.databaseUrl, { migrate: config.migrateOnStart });
  let app: FastifyInstance;
  let demo: DemoCredentials | null = null;
  try {
    if (options.demo) {
      const ctx: DomainContext = { db: store.db, dialect: store.dialect, clock, secrets };
      if ((await accountsRepo.countAll(store.db)) === 0) {
        const creds = await seedDemo(ctx, baseUrl(config));
        writeDemoCredentials(config.demoOut, creds);
        print(describeDemo(creds, config.demoOut));
        demo = creds;
      } else if (existsSync(config.demoOut)) {
        const creds = parseDemoCredentials(readFileSync(config.demoOut, 'utf8'));
        print('The store already holds data; not seeding again.');
        print(describeDemo(creds, config.demoOut));
        demo = creds;
      } else {
        print(`The store already holds data and ${config.demoOut} is missing; start with an empty --database to get fresh demo credentials.`);
      }
    }
    app = await buildApp(config, { store, clock, secrets });
    const scheduler = startScheduler(app.domain, {
      intervalMs: config.schedulerIntervalMs,
      onError: (job, e) => app.log.error({ err: e, job: job.name }, 'scheduled job failed'),
    });
    app.addHook('onClose', async () => {
      await scheduler.stop();
      await store.close();
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = baseUrl(config, port);
  print(`partnerhub listening on ${url} (store: ${store.description})`);
  if (demo) print(await demoPanelLink(app, demo, url));

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // Stop accepting, let in-flight requests finish up to the grace period, then close the store.
      const timer = setTimeout(() => app.server.closeAllConnections?.(), config.shutdownGraceMs);
      timer.unref();
      await app.close();
      clearTimeout(timer);
    })();
    return closing;
  };
  if (options.handleSignals) {
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
  return { app, store, url, close };
}
