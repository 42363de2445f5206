import { loadConfig, loadSecretBox, ConfigError, type Config, type ConfigFlags } from '../config.js';
import { openStore, StoreConfigError, type OpenOptions, type Store } from '../store/connect.js';
import { systemClock } from '../domain/clock.js';
import { SandboxClock } from '../operator/clock.js';
import type { DomainContext } from '../domain/context.js';
import { DomainError } from '../domain/errors.js';
import { findAccountUnscoped, type Account } from '../domain/account.js';
import { normalizeGuid } from '../domain/ids.js';

/** Options every store-touching command accepts. */
export interface StoreFlags extends ConfigFlags {
  json?: boolean;
}

/** Opens the store and a domain context for one command, and always closes it. */
export async function withDomain<T>(
  flags: StoreFlags,
  work: (ctx: DomainContext, config: Config, store: Store) => Promise<T>,
  open: Pick<OpenOptions, 'sqliteCacheMiB'> = {},
): Promise<T> {
  const config = loadConfig(flags);
  const secrets = loadSecretBox(config);
  const store = await openStore(config.databaseUrl, { ...open, migrate: config.migrateOnStart });
  // With the sandbox on, a command acts at the sandbox's business time (the test clock in the store).
  const clock = config.sandbox ? new SandboxClock(systemClock, store.db, store.changes) : systemClock;
  try {
    await clock.refresh?.();
    return await work({ db: store.db, dialect: store.dialect, clock, secrets }, config, store);
  } finally {
    if (clock instanceof SandboxClock) clock.close();
    await store.close();
  }
}

export function out(flags: { json?: boolean }, value: unknown, text: () => string): void {
  process.stdout.write((flags.json ? JSON.stringify(value, null, 2) : text()) + '\n');
}

/** Accepts an account GUID (any form), Rackspace account number or Mimecast account code. */
export async function resolveAccount(ctx: DomainContext, id: string): Promise<Account> {
  const guid = normalizeGuid(id);
  const account =
    (guid && (await findAccountUnscoped(ctx, { guid }))) ||
    (/^\d+$/.test(id) && (await findAccountUnscoped(ctx, { accountNumber: id }))) ||
    (await findAccountUnscoped(ctx, { accountCode: id.toUpperCase() }));
  if (!account) throw new CliError(`no account "${id}" (give a GUID, account number or account code)`);
  return account;
}

/** A usage problem the user can fix: printed without a stack trace. */
export class CliError extends Error {}

/** Prints an error the way a person needs it and returns the exit code. */
export function reportError(e: unknown): number {
  if (e instanceof ConfigError || e instanceof StoreConfigError) {
    process.stderr.write(`partnerhub: configuration error: ${e.message}\n`);
    return 2;
  }
  if (e instanceof CliError) {
    process.stderr.write(`partnerhub: ${e.message}\n`);
    return 2;
  }
  if (e instanceof DomainError) {
    const fields = e.details.fields?.map((f) => `\n  ${f.field}: ${f.message}`).join('') ?? '';
    process.stderr.write(`partnerhub: ${e.message}${fields}\n`);
    return 1;
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE' || err?.code === 'EACCES' || err?.code === 'EADDRNOTAVAIL') {
    process.stderr.write(`partnerhub: cannot listen: ${err.message}\n`);
    return 2;
  }
  process.stderr.write(`partnerhub: ${err?.stack ?? String(e)}\n`);
  return 1;
}
