import type { ChangeFeed } from '../store/changes.js';

/**
 * What the operator API needs of the running app beyond the domain context (app.ts decorates the app with
 * it when the sandbox is on): the store's change feed, to tell this process's caches at once.
 */
export interface SandboxControls {
  changes: ChangeFeed;
}

declare module 'fastify' {
  interface FastifyInstance {
    sandbox: SandboxControls;
  }
}
