import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { STORE_KINDS, storeSuiteOptions, freshStoreUrl } from '../helpers/stores.js';
import { openStore, migrate, parseDatabaseUrl, StoreConfigError } from '../../src/store/connect.js';
import { migrations } from '../../src/store/migrations/index.js';
import { createPartner, findAccountUnscoped } from '../../src/domain/account.js';
import { systemActor } from '../../src/domain/principal.js';
import { ManualClock } from '../../src/domain/clock.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { hitRateLimit } from '../../src/domain/limits.js';
import { runExclusive } from '../../src/domain/jobs.js';
import type { DomainContext } from '../../src/domain/context.js';

describe('database URL parsing', () => {
  it('chooses the dialect from the URL', () => {
    assert.equal(parseDatabaseUrl('postgres://u@h:5432/db').dialect, 'postgres');
    assert.equal(parseDatabaseUrl('postgresql://u@h/db?schema=abc').schema, 'abc');
    assert.deepEqual(parseDatabaseUrl('./data/x.db'), { dialect: 'sqlite', target: './data/x.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:/tmp/x.db'), { dialect: 'sqlite', target: '/tmp/x.db' });
  });
  it('refuses what it cannot use, naming the problem', () => {
    assert.throws(() => parseDatabaseUrl('mysql://root@localhost/db'), (e: Error) => e instanceof StoreConfigError && /unsupported database URL scheme/.test(e.message));
    assert.throws(() => parseDatabaseUrl(''), StoreConfigError);
    assert.throws(() => parseDatabaseUrl('postgres://u@h/db?schema=Bad-Name'), /schema/);
    // A password never appears in the message.
    assert.throws(() => parseDatabaseUrl('mysql://root:hunter2@localhost/db'), (e: Error) => !e.message.includes('hunter2'));
  });
});

for (const kind of STORE_KINDS) {
  describe(`store on ${kind}`, storeSuiteOptions(kind), () => {
    it('applies every migration once; running again is a no-op', async () => {
      const { url, drop } = await freshStoreUrl(kind);
      try {
        const store = await openStore(url, { migrate: false });
        const first = await migrate(store);
        assert.deepEqual(first, Object.keys(migrations));
        assert.deepEqual(await migrate(store), []);
        await store.close();
        // A second process opening the same database migrates nothing and works.
        const again = await openStore(url);
        assert.deepEqual(await migrate(again), []);
        await sql`select count(*) from accounts`.execute(again.db);
        await again.close();
      } finally {
        await drop();
      }
    });

    it('keeps data across a restart', async () => {
      const { url, drop } = await freshStoreUrl(kind);
      const secrets = new SecretBox(SecretBox.generateKey());
      try {
        const s1 = await openStore(url);
        const ctx1: DomainContext = { db: s1.db, dialect: s1.dialect, clock: new ManualClock(), secrets };
        const made = await createPartner(ctx1, systemActor('test'), { name: 'Survivor' });
        await s1.close();
        const s2 = await openStore(url);
        const ctx2: DomainContext = { ...ctx1, db: s2.db };
        const found = await findAccountUnscoped(ctx2, { accountNumber: made.accountNumber });
        assert.equal(found?.name, 'Survivor');
        assert.equal(found?.guid, made.guid);
        await s2.close();
      } finally {
        await drop();
      }
    });

    it('counts a sliding window across concurrent callers exactly', async () => {
      const { url, drop } = await freshStoreUrl(kind);
      const store = await openStore(url);
      const clock = new ManualClock('2026-01-01T00:00:00Z');
      const ctx: DomainContext = { db: store.db, dialect: store.dialect, clock, secrets: new SecretBox(SecretBox.generateKey()) };
      try {
        const results = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(ctx, 'k', 5, 60_000)));
        assert.equal(results.filter((r) => r.allowed).length, 5);
        assert.equal(results.filter((r) => !r.allowed).length, 7);
        clock.advance(30_000);
        assert.equal((await hitRateLimit(ctx, 'k', 5, 60_000)).allowed, false);
        clock.advance(30_001);
        const later = await hitRateLimit(ctx, 'k', 5, 60_000);
        assert.equal(later.allowed, true);
        assert.equal(later.remaining, 4);
        // Refused calls may be counted (Rackspace counts throttled calls against the limit).
        const k2 = await Promise.all([hitRateLimit(ctx, 'k2', 1, 60_000, { countRefused: true }), hitRateLimit(ctx, 'k2', 1, 60_000, { countRefused: true })]);
        assert.equal(k2.filter((r) => r.allowed).length, 1);
        clock.advance(59_000);
        assert.equal((await hitRateLimit(ctx, 'k2', 1, 60_000, { countRefused: true })).allowed, false);
      } finally {
        await store.close();
        await drop();
      }
    });

    it('lets exactly one of several racing runners take a job lease', async () => {
      const { url, drop } = await freshStoreUrl(kind);
      // Two stores = two "processes" sharing one database.
      const s1 = await openStore(url);
      const s2 = await openStore(url);
      const clock = new ManualClock('2026-01-01T00:00:00Z');
      const secrets = new SecretBox(SecretBox.generateKey());
      let runs = 0;
      const job = {
        name: 'race',
        leaseMs: 60_000,
        run: async () => {
          runs++;
          await new Promise((r) => setTimeout(r, 50));
        },
      };
      try {
        const ran = await Promise.all([
          runExclusive({ db: s1.db, dialect: s1.dialect, clock, secrets }, job),
          runExclusive({ db: s2.db, dialect: s2.dialect, clock, secrets }, job),
          runExclusive({ db: s1.db, dialect: s1.dialect, clock, secrets }, job),
        ]);
        assert.equal(ran.filter(Boolean).length, 1);
        assert.equal(runs, 1);
        // Once released, the next tick runs it again.
        assert.equal(await runExclusive({ db: s2.db, dialect: s2.dialect, clock, secrets }, job), true);
        assert.equal(runs, 2);
      } finally {
        await s1.close();
        await s2.close();
        await drop();
      }
    });
  });
}
