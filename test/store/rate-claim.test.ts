import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions, freshStoreUrl, type StoreKind } from '../helpers/stores.js';
import { openStore } from '../../src/store/connect.js';
import { ManualClock } from '../../src/domain/clock.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { sql } from 'kysely';
import { hitRateLimit, hitRateLimitAndClaim, hitRateLimitIn } from '../../src/domain/limits.js';
import { MemoryWindows } from '../../src/store/memory-windows.js';
import { tallyStatements } from '../../src/store/tally.js';
import type { DomainContext } from '../../src/domain/context.js';

async function twoProcesses(kind: StoreKind) {
  const { url, drop } = await freshStoreUrl(kind);
  const s1 = await openStore(url, { poolSize: 10 });
  const s2 = await openStore(url, { poolSize: 10 });
  const clock = new ManualClock('2026-01-01T00:00:07Z');
  const secrets = new SecretBox(SecretBox.generateKey());
  return {
    ctx1: { db: s1.db, dialect: s1.dialect, clock, secrets } as DomainContext,
    ctx2: { db: s2.db, dialect: s2.dialect, clock, secrets } as DomainContext,
    clock,
    async close() {
      await s1.close();
      await s2.close();
      await drop();
    },
  };
}

const RATE = { key: 'user', limit: 2, windowMs: 60_000 };
const claim = (ctx: DomainContext, id: string, limit = RATE.limit) => hitRateLimitAndClaim(ctx, { ...RATE, limit }, { key: id, windowMs: 120_000 });

/** A rate window's hit and a request id's claim together: the Mimecast hot path's two writes in one statement on PostgreSQL. */
for (const kind of STORE_KINDS) {
  describe(`rate hit and request-id claim together on ${kind}`, storeSuiteOptions(kind), () => {
    it('decides as a hit followed (only when allowed) by a claim', async () => {
      const env = await twoProcesses(kind);
      try {
        assert.deepEqual(await claim(env.ctx1, 'id-1'), { rate: { allowed: true, limit: 2, remaining: 1, resetMs: 60_000 }, firstUse: true });
        // A replay spends budget (it was a genuine, fresh request) but is no first use.
        assert.deepEqual(await claim(env.ctx2, 'id-1'), { rate: { allowed: true, limit: 2, remaining: 0, resetMs: 60_000 }, firstUse: false });
        // Over the limit: refused, and its id is not claimed, so it may be sent again later.
        assert.deepEqual(await claim(env.ctx1, 'id-2'), { rate: { allowed: false, limit: 2, remaining: 0, resetMs: 60_000 }, firstUse: false });
        env.clock.advance(60_001);
        assert.equal((await claim(env.ctx2, 'id-2')).firstUse, true);
        assert.equal((await claim(env.ctx1, 'id-1')).firstUse, false, 'still within the id window');
      } finally {
        await env.close();
      }
    });

    it(`costs ${kind === 'postgres' ? 'one statement' : 'two statements'} and no transaction`, async () => {
      const env = await twoProcesses(kind);
      try {
        for (const id of ['a', 'a', 'b']) {
          const { tally } = await tallyStatements(() => claim(env.ctx1, id, 10));
          assert.equal(tally.statements, kind === 'postgres' ? 1 : 2, tally.sql.join('\n'));
          assert.equal(tally.transactions, 0);
        }
      } finally {
        await env.close();
      }
    });

    it('two processes at 200 concurrent requests: never more than the limit, never an id claimed twice', async () => {
      const env = await twoProcesses(kind);
      try {
        const results = await Promise.all(Array.from({ length: 200 }, (_, i) => claim(i % 2 ? env.ctx1 : env.ctx2, `id-${i % 40}`, 100)));
        assert.equal(results.filter((r) => r.rate.allowed).length, 100);
        const firsts = results.map((r, i) => (r.firstUse ? i % 40 : -1)).filter((n) => n >= 0);
        assert.equal(new Set(firsts).size, firsts.length, 'an id claimed twice');
        assert.ok(results.every((r) => r.rate.allowed || !r.firstUse), 'a refused request claimed its id');
        // Every id among the allowed requests was claimed exactly once.
        const allowedIds = new Set(results.map((r, i) => (r.rate.allowed ? i % 40 : -1)).filter((n) => n >= 0));
        assert.deepEqual([...new Set(firsts)].sort((a, b) => a - b), [...allowedIds].sort((a, b) => a - b));
      } finally {
        await env.close();
      }
    });
  });
}

describe('rate hit and request-id claim in memory (the one server of a SQLite file)', () => {
  it('writes nothing and decides the same', async () => {
    const env = await twoProcesses('sqlite');
    try {
      const ctx = { ...env.ctx1, rateWindows: new MemoryWindows() };
      const { result, tally } = await tallyStatements(async () => [await claim(ctx, 'x'), await claim(ctx, 'x'), await claim(ctx, 'y')]);
      assert.deepEqual(result.map((r) => [r.rate.allowed, r.firstUse]), [[true, true], [true, false], [false, false]]);
      assert.equal(tally.statements, 0);
    } finally {
      await env.close();
    }
  });
});

describe('rate hits on PostgreSQL and the WAL', storeSuiteOptions('postgres'), () => {
  it('a hit of its own commits without waiting for the disk; a hit inside a change leaves the change durable', async () => {
    const env = await twoProcesses('postgres');
    try {
      for (const send of [() => hitRateLimit(env.ctx1, 'k', 5, 60_000), () => claim(env.ctx1, 'id')] as (() => Promise<unknown>)[]) {
        const { tally } = await tallyStatements(send);
        assert.match(tally.sql.join('\n'), /set_config\('synchronous_commit', 'off', true\)/);
      }
      const setting = await env.ctx1.db.transaction().execute(async (trx) => {
        await hitRateLimitIn(trx, env.ctx1, 'state', 1, 60_000);
        return (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(trx)).rows[0].synchronous_commit;
      });
      assert.equal(setting, 'on');
    } finally {
      await env.close();
    }
  });
});
