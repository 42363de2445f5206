import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/connect.js';

export type StoreKind = 'sqlite' | 'postgres';

/** The PostgreSQL server the storage tests use; the machine's default is trust auth on database `test`. */
export const PG_URL = process.env.PARTNERHUB_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgProblem = await probePostgres();
if (pgProblem && process.env.CI === 'true') {
  // Under CI the PostgreSQL suites must run: fail loudly rather than skip.
  throw new Error(`PostgreSQL is required under CI=true but ${PG_URL} is not reachable: ${pgProblem}`);
}

/**
 * Options for a describe() per store kind. PostgreSQL suites are skipped, with the reason, only on a
 * developer machine without a reachable server; under CI=true they always run.
 */
export function storeSuiteOptions(kind: StoreKind): { skip?: string } {
  if (kind === 'postgres' && pgProblem) {
    return { skip: `PostgreSQL not reachable at ${PG_URL} (${pgProblem}); set PARTNERHUB_TEST_DATABASE_URL to run these tests` };
  }
  return {};
}

export const STORE_KINDS: StoreKind[] = ['sqlite', 'postgres'];

export interface TestStore {
  store: Store;
  url: string;
  /** Closes the store and removes its data (the SQLite directory or the PostgreSQL schema). */
  destroy(): Promise<void>;
}

/** A store nobody else uses: a fresh SQLite file in a temp directory, or a fresh PostgreSQL schema. */
export async function freshStoreUrl(kind: StoreKind): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'partnerhub-test-'));
    return { url: join(dir, 'partnerhub.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const sep = PG_URL.includes('?') ? '&' : '?';
  return {
    url: `${PG_URL}${sep}schema=${schema}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  const { url, drop } = await freshStoreUrl(kind);
  const store = await openStore(url, { poolSize: 5 });
  return {
    store,
    url,
    async destroy() {
      await store.close();
      await drop();
    },
  };
}
