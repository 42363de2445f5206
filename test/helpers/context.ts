import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/domain/clock.js';
import { SecretBox } from '../../src/domain/secrets.js';
import type { DomainContext } from '../../src/domain/context.js';
import { buildApp, type AppDeps } from '../../src/app.js';
import { MemoryWindows } from '../../src/store/memory-windows.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openTestStore, type StoreKind, type TestStore } from './stores.js';

export const TEST_START = '2026-03-02T10:00:00.000Z';

export interface TestEnv {
  kind: StoreKind;
  ts: TestStore;
  ctx: DomainContext;
  clock: ManualClock;
  secrets: SecretBox;
  close(): Promise<void>;
}

/** A domain context over a fresh store, with a clock that only moves when the test moves it. */
export async function makeTestEnv(kind: StoreKind, start = TEST_START): Promise<TestEnv> {
  const ts = await openTestStore(kind);
  const clock = new ManualClock(start);
  const secrets = new SecretBox(SecretBox.generateKey());
  const ctx: DomainContext = { db: ts.store.db, dialect: ts.store.dialect, clock, secrets };
  return { kind, ts, ctx, clock, secrets, close: () => ts.destroy() };
}

export interface TestApp extends TestEnv {
  app: FastifyInstance;
  config: Config;
}

/**
 * The whole HTTP app over a fresh store, for app.inject() tests. Authentication is read from the store on
 * every request (no per-process cache), so a route's statement count does not depend on which requests
 * came before it; `makeServedTestApp` builds the app as `serve` runs it.
 */
export async function makeTestApp(
  kind: StoreKind,
  overrides: Partial<Config> = {},
  env: NodeJS.ProcessEnv = {},
  /** Runs before the app is ready, e.g. to add routes that exercise the app's shared handlers. */
  setup?: (app: FastifyInstance) => void | Promise<void>,
  deps: Pick<AppDeps, 'authCache' | 'rateWindows'> = { authCache: false },
): Promise<TestApp> {
  const base = await makeTestEnv(kind);
  const config = { ...loadConfig({ database: base.ts.url, logLevel: 'silent' }, env), ...overrides };
  const app = await buildApp(config, { store: base.ts.store, clock: base.clock, secrets: base.secrets, ...deps }, { logger: false });
  await setup?.(app);
  await app.ready();
  return {
    ...base,
    app,
    config,
    async close() {
      await app.close();
      await base.close();
    },
  };
}

/**
 * The app as `partnerhub serve` runs it: authentication cached in the process and, on SQLite (one server per
 * file), rate windows and replay ids in its memory.
 */
export function makeServedTestApp(kind: StoreKind, overrides: Partial<Config> = {}): Promise<TestApp> {
  return makeTestApp(kind, overrides, {}, undefined, { authCache: true, rateWindows: kind === 'sqlite' ? new MemoryWindows() : undefined });
}
