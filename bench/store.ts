/**
 * Store-level benchmark (`npm run bench -- --suite store`): domain functions called in-process, reported as
 * ratios measured in one run: how look-ups scale with the number of accounts and what the store-held rate
 * window costs per request.
 */
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/domain/clock.js';
import { SecretBox } from '../src/domain/secrets.js';
import type { DomainContext } from '../src/domain/context.js';
import { createAccount, createPartner, listAccounts, findAccount } from '../src/domain/account.js';
import { systemActor } from '../src/domain/principal.js';
import { hitRateLimit } from '../src/domain/limits.js';
import { openTestStore } from '../test/helpers/stores.js';

async function time(label: string, n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await fn(i); // warm caches and prepared plans before timing
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const perOp = (performance.now() - start) / n;
  console.log(`  ${label.padEnd(48)} ${perOp.toFixed(3)} ms/op`);
  return perOp;
}

export async function benchStore(kind: 'sqlite' | 'postgres') {
  const ts = await openTestStore(kind);
  const ctx: DomainContext = { db: ts.store.db, dialect: ts.store.dialect, clock: new ManualClock(), secrets: new SecretBox(SecretBox.generateKey()) };
  const system = systemActor('bench');
  try {
    const partner = await createPartner(ctx, system, { name: 'Bench Partner' });
    const reseller = await createAccount(ctx, system, { parentGuid: partner.guid, kind: 'reseller', name: 'Bench Reseller' });
    const results: Record<number, { search: number; show: number }> = {};
    let made = 0;
    for (const size of [1_000, 10_000]) {
      const start = performance.now();
      while (made < size) {
        await createAccount(ctx, system, { parentGuid: reseller.guid, kind: 'customer', name: `Customer ${String(made).padStart(6, '0')}`, referenceNumber: `R${made}` });
        made++;
      }
      console.log(`${kind}: ${size} customers (created in ${((performance.now() - start) / 1000).toFixed(1)} s)`);
      const search = await time(`index page, name prefix search (${size})`, 50, (i) =>
        listAccounts(ctx, system, { childrenOf: reseller.guid, startsWith: `customer 000${i % 10}`, limit: 50, offset: 0 }),
      );
      const show = await time(`show by account number (${size})`, 200, (i) =>
        findAccount(ctx, system, { accountNumber: String(460103 + ((i * 37) % size)) }),
      );
      results[size] = { search, show };
    }
    console.log(`  ratio 10k/1k: search ${(results[10_000].search / results[1_000].search).toFixed(2)}x, show ${(results[10_000].show / results[1_000].show).toFixed(2)}x`);
    const baseline = await time('rate window hit (store-held sliding window)', 300, (i) => hitRateLimit(ctx, `bench:${i % 3}`, 1_000_000, 60_000));
    console.log(`  rate window hit vs show: ${(baseline / results[10_000].show).toFixed(2)}x`);
  } finally {
    await ts.destroy();
  }
}
