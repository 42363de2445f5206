import { resolve } from 'node:path';
import { baseUrl } from '../config.js';
import { writeDemoCredentials } from '../server.js';
import { seedDemo } from '../demo/seed.js';
import { scaleDemo, NoDemoTreeError } from '../demo/scale.js';
import * as accountsRepo from '../store/repositories/accounts.js';
import { CliError, out, withDomain, type StoreFlags } from './context.js';
import { parseDatabaseUrl } from '../store/connect.js';
import { claimSqliteServe } from '../store/serve-lock.js';
import type { DomainContext } from '../domain/context.js';
import type { Config } from '../config.js';
import { startProgress } from './progress.js';

export interface ScaleFlags extends StoreFlags {
  out?: string;
  scale: string;
  batch?: string;
}

function count(value: string, flag: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1 || n > 100_000_000) throw new CliError(`${flag} takes a whole number from 1 to 100000000, got "${value}"`);
  return n;
}

/**
 * `demo --scale N`: seeds the demo on an empty store, then fills its resellers up to N customers, with its
 * progress on stderr (a bar on a terminal, plain lines otherwise) and the rate at the end.
 */
export async function demoScale(flags: ScaleFlags): Promise<void> {
  const customers = count(flags.scale, '--scale');
  const batchSize = flags.batch === undefined ? undefined : count(flags.batch, '--batch');
  await withDomain(flags, async (ctx, config) => {
    // A SQLite load drops indexes and the history's count triggers until it ends: no server may write
    // meanwhile, so it takes the serve lock a server holds (and is refused while one serves the file).
    const { dialect, target } = parseDatabaseUrl(config.databaseUrl);
    const lock = dialect === 'sqlite' && target !== ':memory:' ? claimSqliteServe(target) : null;
    try {
      await fill(flags, ctx, config, customers, batchSize);
    } finally {
      lock?.release();
    }
  });
}

async function fill(flags: ScaleFlags, ctx: DomainContext, config: Config, customers: number, batchSize: number | undefined): Promise<void> {
  if ((await accountsRepo.countAll(ctx.db)) === 0) {
    writeDemoCredentials(config.demoOut, await seedDemo(ctx, baseUrl(config)));
    process.stderr.write(`Seeded the demo; credentials in ${resolve(config.demoOut)}\n`);
  }
  const progress = startProgress('customers');
  try {
    const result = await scaleDemo(ctx, { customers, batchSize, onProgress: (added, toAdd) => progress.update(added, toAdd) });
    progress.stop();
    out(flags, result, () =>
      result.added
        ? `Added ${result.added} customers (${result.before} → ${result.customers}) with ${result.statusChanges} status changes and ${result.contacts} contacts ` +
          `in ${result.seconds.toFixed(1)} s: ${Math.round(result.rate)} customers/s` +
          (result.indexesDeferred ? ` (${result.indexesDeferred} indexes and triggers put back after the load, ${result.indexSeconds.toFixed(1)} s of it)` : '')
        : `The demo resellers already hold ${result.before} customers; nothing to add`,
    );
  } catch (e) {
    progress.stop();
    if (e instanceof NoDemoTreeError) throw new CliError(e.message);
    throw e;
  }
}
