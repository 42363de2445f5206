import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { ANY_CHANGE } from '../store/changes.js';
import { DomainError, ErrorCode } from '../domain/errors.js';
import { readFixtureText, type FixtureSource } from './fixture-file.js';
import { loadFixtures, type LoadSummary } from './fixture-loader.js';
import { hasBaseline, resetStore, saveBaseline } from './snapshots.js';

/** Reads a fixture file from disk; any problem is a configuration error naming the file (and the line). */
export function readFixtureFile(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read fixtures ${file}: ${(e as Error).message}`);
  }
  return readFixtureText(text, file);
}

/** Loads fixtures into a running app's store, makes them the baseline `reset` returns to, and tells every cache. */
export async function applyFixtures(app: FastifyInstance, source: FixtureSource): Promise<LoadSummary> {
  let summary: LoadSummary;
  try {
    summary = await loadFixtures(app.domain, source, { contactLimit: app.config.contactLimit, wallNow: app.domain.clock.wall?.() ?? new Date() });
  } catch (e) {
    // A file refused half-way leaves no half-loaded store behind: back to the last baseline, if there is one.
    if (await hasBaseline(app.domain)) await resetStore(app.domain, app.sandbox.changes);
    throw e;
  }
  await saveBaseline(app.domain);
  app.sandbox.changes.emit(ANY_CHANGE);
  await app.domain.clock.refresh?.();
  return summary;
}

export function describeLoad(file: string, s: LoadSummary): string {
  return `Fixtures ${file}: ${s.accounts} accounts, ${s.principals} principals with ${s.credentials} fixed keys, ${s.contacts} contacts, ${s.statusChanges} status changes, ${s.invoices} invoices.`;
}

/**
 * At start-up with the sandbox on: `--fixtures` replaces the store's data with the file's and makes it the
 * baseline; otherwise the first start's state (the demo, or whatever the store holds) becomes the baseline.
 */
export async function prepareSandbox(app: FastifyInstance, config: Config, print: (line: string) => void): Promise<void> {
  if (config.fixtures) {
    const summary = await applyFixtures(app, readFixtureFile(config.fixtures));
    print(describeLoad(config.fixtures, summary));
  } else if (!(await hasBaseline(app.domain))) {
    try {
      await saveBaseline(app.domain);
    } catch (e) {
      // A store too large to snapshot still serves; only `sandbox reset` has nothing to return to.
      if (!(e instanceof DomainError && e.code === ErrorCode.LimitReached)) throw e;
      print(`No sandbox baseline: ${e.message}; \`sandbox reset\` is off for this store.`);
    }
  }
}
