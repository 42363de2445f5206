import type { FastifyInstance } from 'fastify';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildApp } from '../../../src/app.js';
import { openStore } from '../../../src/store/connect.js';
import type { ChangeFeed } from '../../../src/store/changes.js';
import type { StoreKind } from '../../helpers/stores.js';
import type { Config } from '../../../src/config.js';
import { setUpOperatorToken } from '../../../src/operator/token.js';
import { OPERATOR_PREFIX } from '../../../src/client/operator.js';

export const TOKEN = 'test-operator-token-0123456789';

/** An app with the sandbox on and a known operator token. */
export async function makeSandboxApp(kind: StoreKind, overrides: Partial<Config> = {}): Promise<TestApp> {
  const t = await makeTestApp(kind, { sandbox: true, ...overrides });
  await setUpOperatorToken(t.ctx.db, TOKEN, t.clock.now().toISOString());
  return t;
}

/** One operator API call through app.inject(). */
export async function op(t: { app: FastifyInstance }, method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await t.app.inject({ method: method as any, url: OPERATOR_PREFIX + path, headers, payload: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

/**
 * A second app over the same store, as a second server process would have it: its own connection (so its
 * own change feed), the same real time (the test's manual clock), the sandbox on.
 */
export interface Instance {
  app: FastifyInstance;
  /** Resolves when this instance has heard "anything may have changed" (PostgreSQL: the NOTIFY arrived). */
  heardEverything(): Promise<void>;
  close(): Promise<void>;
}

export async function makeSecondInstance(t: TestApp): Promise<Instance> {
  const store = await openStore(t.ts.url, { poolSize: 3, migrate: false });
  const app = await buildApp(t.config, { store, clock: t.clock, secrets: t.secrets, authCache: true }, { logger: false });
  await app.ready();
  return {
    app,
    heardEverything: () => heardEverything(store.changes),
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** Resolves on the next "anything may have changed" the feed delivers (subscribe before causing it). */
export function heardEverything(changes: ChangeFeed): Promise<void> {
  return new Promise((resolve) => {
    const off = changes.subscribe((c) => {
      if (c.table !== 'all') return;
      off();
      resolve();
    });
  });
}
