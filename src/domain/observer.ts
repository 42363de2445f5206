/**
 * What the domain tells whoever watches it (the server's metrics), without knowing who watches or how it
 * is counted: refusals by a rate window or a replayed request id, and scheduled job runs. Every name handed
 * over is a kind of thing (a window's kind, a job's name), never an account, a user or a key.
 */
export interface DomainObserver {
  /** A rate window refused a hit, or a request id was used again within its window. */
  refused?(reason: 'rate_limit' | 'replay', window: string): void;
  /** A scheduled job finished: it ran, another process held its lease (skipped), or it threw. */
  jobFinished?(job: string, outcome: 'ran' | 'skipped' | 'failed', seconds: number): void;
}

/** A window key's kind: its first part (`rackspace:read:GUID` → `rackspace`), which names no one. */
export function windowKind(key: string): string {
  const kind = key.split(':', 1)[0];
  return /^[a-z][a-z0-9-]{0,30}$/.test(kind) ? kind : 'other';
}
