import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { initialSchema } from './0001_initial.js';
import { jobLeases } from './0002_jobs.js';
import { loginTokens } from './0003_rackspace.js';
import { serviceUsage } from './0005_ccc.js';
import { billingSchema } from './0006_billing.js';
import { rateWindows } from './0007_rate_windows.js';
import { panelSessions } from './0008_panel_sessions.js';
import { changeNotices } from './0009_change_notices.js';
import { emailDomains } from './0010_domains.js';
import { mimecastOauth } from './0011_mimecast_oauth.js';
import { sandboxTables } from './0012_sandbox.js';
import { faultsJournalWebhooks } from './0013_faults_journal_webhooks.js';
import { accountSearch } from './0014_search.js';
import { spamFiltering } from './0015_spam.js';
import { deferredIndexes } from './0016_deferred_indexes.js';
import { statusCounts } from './0017_status_counts.js';
import { searchScopes } from './0018_search_scopes.js';
import { billingOrder } from './0019_billing_order.js';

export type Dialect = 'sqlite' | 'postgres';

/** A migration that receives the SQL dialect, for the few places where the two must differ. */
export interface DialectMigration {
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/** The one migration set, in order. Names sort; never rename or reorder one that has shipped. */
export const migrations: Record<string, DialectMigration> = {
  '0001_initial': initialSchema,
  '0002_jobs': jobLeases,
  '0003_rackspace': loginTokens,
  '0005_ccc': serviceUsage,
  '0006_billing': billingSchema,
  '0007_rate_windows': rateWindows,
  '0008_panel_sessions': panelSessions,
  '0009_change_notices': changeNotices,
  '0010_domains': emailDomains,
  '0011_mimecast_oauth': mimecastOauth,
  '0012_sandbox': sandboxTables,
  '0013_faults_journal_webhooks': faultsJournalWebhooks,
  '0014_search': accountSearch,
  '0015_spam': spamFiltering,
  '0016_deferred_indexes': deferredIndexes,
  '0017_status_counts': statusCounts,
  '0018_search_scopes': searchScopes,
  '0019_billing_order': billingOrder,
};

export class PartnerhubMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(migrations)) {
      out[name] = { up: (db) => m.up(db, this.dialect) };
    }
    return out;
  }
}
