import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions, freshStoreUrl } from '../helpers/stores.js';
import { openStore } from '../../src/store/connect.js';
import { ManualClock } from '../../src/domain/clock.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { claimOnce, hitRateLimit, hitRateLimitIn, peekRateLimit } from '../../src/domain/limits.js';
import { forgetOldRequestIds } from '../../src/domain/request-ids.js';
import { tallyStatements } from '../../src/store/tally.js';
import type { DomainContext } from '../../src/domain/context.js';

async function twoProcesses(kind: 'sqlite' | 'postgres') {
  const { url, drop } = await freshStoreUrl(kind);
  // Two stores on one database stand for two server processes sharing it.
  const s1 = await openStore(url, { poolSize: 10 });
  const s2 = await openStore(url, { poolSize: 10 });
  const clock = new ManualClock('2026-01-01T00:00:07Z');
  const secrets = new SecretBox(SecretBox.generateKey());
  const ctx1: DomainContext = { db: s1.db, dialect: s1.dialect, clock, secrets };
  const ctx2: DomainContext = { db: s2.db, dialect: s2.dialect, clock, secrets };
  return {
    ctx1,
    ctx2,
    clock,
    async close() {
      await s1.close();
      await s2.close();
      await drop();
    },
  };
}

for (const kind of STORE_KINDS) {
  describe(`rate windows and replay ids on ${kind}`, storeSuiteOptions(kind), () => {
    it('a hit and a replay claim are one statement each, with no transaction', async () => {
      const env = await twoProcesses(kind);
      try {
        for (let i = 0; i < 3; i++) {
          const { result, tally } = await tallyStatements(() => hitRateLimit(env.ctx1, 'one', 2, 60_000));
          assert.equal(result.allowed, i < 2);
          assert.equal(tally.statements, 1, tally.sql.join('\n'));
          assert.equal(tally.transactions, 0);
          assert.equal(tally.writes, 1);
        }
        for (const expected of [true, false]) {
          const { result, tally } = await tallyStatements(() => claimOnce(env.ctx1, 'req-1', 60_000));
          assert.equal(result, expected);
          assert.equal(tally.statements, 1, tally.sql.join('\n'));
          assert.equal(tally.transactions, 0);
        }
        const { tally } = await tallyStatements(() => peekRateLimit(env.ctx1, 'one', 2, 60_000));
        assert.equal(tally.statements, 1);
        assert.equal(tally.writes, 0);
      } finally {
        await env.close();
      }
    });

    it('two processes at 200 concurrent hits never admit more than the limit, nor a replayed id twice', async () => {
      const env = await twoProcesses(kind);
      try {
        const hits = await Promise.all(Array.from({ length: 200 }, (_, i) => hitRateLimit(i % 2 ? env.ctx1 : env.ctx2, 'shared', 37, 60_000)));
        assert.equal(hits.filter((d) => d.allowed).length, 37);
        // Every allowed hit saw a distinct remaining count: no two were counted as the same hit.
        assert.deepEqual(hits.filter((d) => d.allowed).map((d) => d.remaining).sort((a, b) => a - b), Array.from({ length: 37 }, (_, i) => i));
        const claims = await Promise.all(Array.from({ length: 200 }, (_, i) => claimOnce(i % 2 ? env.ctx1 : env.ctx2, `id-${i % 20}`, 60_000)));
        assert.equal(claims.filter(Boolean).length, 20);
        for (let n = 0; n < 20; n++) assert.equal(claims.filter((ok, i) => ok && i % 20 === n).length, 1, `id-${n}`);
      } finally {
        await env.close();
      }
    });

    it('reports limit, remaining and the time until a slot frees up, and frees slots as the window slides', async () => {
      const env = await twoProcesses(kind);
      try {
        assert.deepEqual(await hitRateLimit(env.ctx1, 'k', 2, 60_000), { allowed: true, limit: 2, remaining: 1, resetMs: 60_000 });
        env.clock.advance(10_000);
        assert.deepEqual(await hitRateLimit(env.ctx2, 'k', 2, 60_000), { allowed: true, limit: 2, remaining: 0, resetMs: 50_000 });
        assert.deepEqual(await hitRateLimit(env.ctx1, 'k', 2, 60_000), { allowed: false, limit: 2, remaining: 0, resetMs: 50_000 });
        assert.deepEqual(await peekRateLimit(env.ctx2, 'k', 2, 60_000), { allowed: false, limit: 2, remaining: 0, resetMs: 50_000 });
        env.clock.advance(50_000);
        // The first hit has left the window, the second has 10 s to go.
        assert.deepEqual(await peekRateLimit(env.ctx2, 'k', 2, 60_000), { allowed: true, limit: 2, remaining: 1, resetMs: 10_000 });
        assert.deepEqual(await hitRateLimit(env.ctx1, 'k', 2, 60_000), { allowed: true, limit: 2, remaining: 0, resetMs: 10_000 });
        assert.equal((await hitRateLimit(env.ctx2, 'k', 2, 60_000)).allowed, false);
        // Refused hits are counted only when asked: a caller that keeps knocking stays out.
        assert.equal((await hitRateLimit(env.ctx1, 'r', 1, 60_000, { countRefused: true })).allowed, true);
        env.clock.advance(59_000);
        assert.equal((await hitRateLimit(env.ctx1, 'r', 1, 60_000, { countRefused: true })).allowed, false);
        env.clock.advance(2_000);
        assert.equal((await hitRateLimit(env.ctx1, 'r', 1, 60_000, { countRefused: true })).allowed, false);
        env.clock.advance(60_000);
        assert.equal((await hitRateLimit(env.ctx1, 'r', 1, 60_000)).allowed, true);
      } finally {
        await env.close();
      }
    });

    it("a hit inside the caller's transaction is kept only if it commits", async () => {
      const env = await twoProcesses(kind);
      try {
        await assert.rejects(
          env.ctx1.db.transaction().execute(async (trx) => {
            assert.equal((await hitRateLimitIn(trx, env.ctx1, 'state', 1, 300_000)).allowed, true);
            throw new Error('the change failed');
          }),
          /the change failed/,
        );
        await env.ctx1.db.transaction().execute(async (trx) => {
          assert.equal((await hitRateLimitIn(trx, env.ctx1, 'state', 1, 300_000)).allowed, true);
        });
        assert.equal((await hitRateLimit(env.ctx2, 'state', 1, 300_000)).allowed, false);
      } finally {
        await env.close();
      }
    });

    it('the scheduled job forgets only windows old enough that no decision depends on them', async () => {
      const env = await twoProcesses(kind);
      try {
        await hitRateLimit(env.ctx1, 'old', 5, 60_000);
        env.clock.advance(3 * 24 * 3_600_000);
        await claimOnce(env.ctx1, 'recent', 60_000);
        assert.equal(await forgetOldRequestIds(env.ctx2), 1);
        const keys = await env.ctx1.db.selectFrom('rate_keys').select('key').execute();
        assert.deepEqual(keys.map((r) => r.key), ['once:recent']);
        assert.equal(await claimOnce(env.ctx1, 'recent', 60_000), false);
      } finally {
        await env.close();
      }
    });
  });
}
