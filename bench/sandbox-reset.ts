/**
 * How long `sandbox reset` takes at demo size, on SQLite and PostgreSQL: `node --import tsx bench/sandbox-reset.ts`
 * (PostgreSQL at PARTNERHUB_TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test, in a throw-away schema).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../src/store/connect.js';
import { systemClock } from '../src/domain/clock.js';
import { SecretBox } from '../src/domain/secrets.js';
import { seedDemo } from '../src/demo/seed.js';
import { resetStore, saveBaseline, saveSnapshot, restoreSnapshot } from '../src/operator/snapshots.js';

const PG = process.env.PARTNERHUB_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function measure(url: string, label: string): Promise<void> {
  const store = await openStore(url);
  try {
    const ctx = { db: store.db, dialect: store.dialect, clock: systemClock, secrets: new SecretBox(SecretBox.generateKey()) };
    await seedDemo(ctx, 'http://127.0.0.1:8080');
    const base = await saveBaseline(ctx);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await resetStore(ctx, store.changes)).ms);
    await saveSnapshot(ctx, 'bench');
    const restore = (await restoreSnapshot(ctx, store.changes, 'bench')).ms;
    times.sort((a, b) => a - b);
    console.log(`${label}: ${base.rowCount} rows; reset median ${times[2]} ms (min ${times[0]}, max ${times[4]}); snapshot restore ${restore} ms`);
  } finally {
    await store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'partnerhub-bench-'));
try {
  await measure(join(dir, 'bench.db'), 'SQLite');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const schema = `bench_${randomBytes(4).toString('hex')}`;
try {
  await measure(`${PG}${PG.includes('?') ? '&' : '?'}schema=${schema}`, 'PostgreSQL');
} finally {
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  await c.query(`drop schema if exists ${schema} cascade`);
  await c.end();
}
