import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../store/connect.js';
import type { Config } from '../config.js';
import { FaultBook } from './fault-injector.js';
import { RequestJournal } from './journal.js';
import { SubscriberWatch } from '../domain/webhook-events.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The request journal, when the sandbox is on and `journalSize` is not 0. */
    journal: RequestJournal | null;
  }
}

/** Requests the journal leaves out: the operator API's own, and the health checks. */
function notJournaled(request: FastifyRequest): boolean {
  const url = request.url;
  return url.startsWith('/_partnerhub/') || url === '/healthz' || url === '/readyz' || request.routeOptions.config?.face === 'operator';
}

/**
 * The sandbox's request-pipeline tools (faults and the request journal), installed by buildApp before the
 * faces when the sandbox is on (off, none of it exists: no hook runs and no table is read), and the
 * webhook subscribers' watch, which the domain asks before it writes an event.
 */
export async function installSandboxTools(app: FastifyInstance, store: Store, config: Config): Promise<void> {
  app.decorate('journal', null);
  // Webhook events are written only while someone may be subscribed: known in this process, told of changes.
  const watch = new SubscriberWatch(store.changes);
  app.domain.webhooks = watch;
  // PostgreSQL: the first subscriber starts the listener, whose start announces "anything may have changed";
  // wait for it so the answer read at onReady is not forgotten at once.
  await store.changes.ready();
  app.addHook('onReady', async () => void (await watch.mayHaveSubscribers(store.db)));
  app.addHook('onClose', async () => watch.close());
  if (!config.sandbox) return;
  const faults = new FaultBook(store.db, store.changes);
  app.faultInjector = faults;
  // Read the rules once before the first request, so no request pays for it.
  app.addHook('onReady', async () => void (await faults.rules()));
  app.addHook('onClose', async () => faults.close());
  if (config.journalSize > 0) {
    const journal = new RequestJournal(store.db, app.domain.clock, config.journalSize, (e) => app.log.error({ err: e }, 'request journal write failed'));
    app.journal = journal;
    journal.install(app, notJournaled);
    app.addHook('onClose', async () => journal.flush());
  }
}
