import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore } from '../helpers/stores.js';
import { MemoryWindows } from '../../src/store/memory-windows.js';
import * as rateRepo from '../../src/store/repositories/rate.js';

/** A small deterministic generator (mulberry32), so a failure names a reproducible sequence. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The memory a sole SQLite server keeps its windows in must decide exactly as the store's upsert does:
 * the same sequence of hits (keys, limits, windows, counted refusals, time moving on) gives the same
 * verdicts and the same counted hits on both.
 */
describe('rate windows in memory decide as the store does', () => {
  it('on 2,000 random hits over a few keys', async () => {
    const ts = await openTestStore('sqlite');
    try {
      const memory = new MemoryWindows();
      const next = random(14);
      let now = Date.parse('2026-01-01T00:00:00Z');
      const kinds = [
        { key: 'a', limit: 3, windowMs: 10_000, countRefused: false },
        { key: 'b', limit: 5, windowMs: 60_000, countRefused: true },
        { key: 'once:c', limit: 1, windowMs: 30_000, countRefused: false },
        { key: 'd', limit: 2, windowMs: 1_000, countRefused: true },
      ];
      for (let i = 0; i < 2000; i++) {
        // Whole half-seconds, so hits fall exactly on window edges (and several at one instant).
        now += 500 * Math.floor(next() * next() * 8);
        const hit = { ...kinds[Math.floor(next() * kinds.length)], now };
        const stored = await rateRepo.hit(ts.store.db, 'sqlite', hit);
        const kept = memory.hit(hit);
        assert.deepEqual(kept, stored, `hit ${i} on ${hit.key} at +${now - Date.parse('2026-01-01T00:00:00Z')} ms`);
        assert.deepEqual(memory.peek(hit.key), await rateRepo.peek(ts.store.db, hit.key));
      }
    } finally {
      await ts.destroy();
    }
  });

  it('saves what it counted and loads it back, the later hit winning over a newer store row', async () => {
    const ts = await openTestStore('sqlite');
    try {
      const t0 = Date.parse('2026-01-01T00:00:00Z');
      const memory = new MemoryWindows();
      memory.hit({ key: 'k', now: t0, windowMs: 60_000, limit: 2, countRefused: false });
      memory.hit({ key: 'k', now: t0 + 1000, windowMs: 60_000, limit: 2, countRefused: false });
      memory.hit({ key: 'old', now: t0 - 120_000, windowMs: 60_000, limit: 2, countRefused: false });
      // Counted in the store meanwhile, later than anything in memory: the store's row stays.
      await rateRepo.hit(ts.store.db, 'sqlite', { key: 'state', now: t0 + 5000, windowMs: 60_000, limit: 1, countRefused: false });
      const stale = new MemoryWindows();
      stale.hit({ key: 'state', now: t0, windowMs: 60_000, limit: 1, countRefused: false });
      const saved = [...memory.changed(t0 + 2000), ...stale.changed(t0 + 2000)];
      assert.deepEqual(saved.map((w) => w.key).sort(), ['k', 'state'], 'a window that is over is not saved');
      await rateRepo.saveWindows(ts.store.db, 'sqlite', saved);
      assert.deepEqual(await rateRepo.peek(ts.store.db, 'k'), { times: [t0, t0 + 1000], allowed: true });
      assert.deepEqual(await rateRepo.peek(ts.store.db, 'state'), { times: [t0 + 5000], allowed: true });

      const restored = new MemoryWindows();
      restored.load(await rateRepo.loadWindows(ts.store.db, t0 - 60_000), 60_000);
      assert.deepEqual(restored.hit({ key: 'k', now: t0 + 2000, windowMs: 60_000, limit: 2, countRefused: false }), { times: [t0, t0 + 1000], allowed: false });
      assert.deepEqual(restored.changed(t0 + 2000).map((w) => w.key), ['k'], 'only what this run hit is saved again');
    } finally {
      await ts.destroy();
    }
  });
});
