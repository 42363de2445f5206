import type { ChangeFeed, StoreChange } from '../store/changes.js';
import type { CredentialHolder } from '../store/repositories/credentials.js';

export type { ChangeFeed, StoreChange } from '../store/changes.js';

/**
 * This process's memory of who holds each presented credential: the credential, its principal and the
 * principal's account as one read returned them, keyed by the face's name for the credential (kind and
 * public id, or the hash of a CCC key). Only what the store said is kept, never a verdict: expiry is
 * judged against the clock on every use, revocation and every other change arrive through the store's
 * change feed, which every process sharing the store hears (PostgreSQL LISTEN/NOTIFY; on SQLite this
 * process's own commits and `PRAGMA data_version`).
 *
 * A read that began before a change was announced must not put its (possibly older) row back: callers take
 * a ticket before reading and `fill` refuses a ticket older than the last change. While the feed is not
 * live (its connection is being re-established) the cache is neither read nor filled.
 */
export class AuthCache {
  readonly #holders = new Map<string, CredentialHolder>();
  readonly #appIds = new Set<string>();
  readonly #unsubscribe: () => void;
  #generation = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly max = 10_000,
  ) {
    this.#unsubscribe = feed.subscribe((change) => this.#forget(change));
  }

  /** The cached holder, or undefined when there is none or the cache cannot be trusted right now. */
  get(key: string): CredentialHolder | undefined {
    this.feed.sync();
    if (!this.feed.live) return undefined;
    const found = this.#holders.get(key);
    if (found) {
      // Re-inserting keeps the Map's order least recently used first.
      this.#holders.delete(key);
      this.#holders.set(key, found);
    }
    return found;
  }

  /** Taken before reading the store; `fill` with it keeps the row only if nothing changed meanwhile. */
  ticket(): number {
    return this.#generation;
  }

  fill(key: string, ticket: number, holder: CredentialHolder): void {
    if (ticket !== this.#generation || !this.feed.live) return;
    this.#holders.set(key, holder);
    if (this.#holders.size > this.max) this.#holders.delete(this.#holders.keys().next().value as string);
  }

  /** Application ids only ever become registered (credentials are revoked, never deleted), so a yes is kept. */
  hasAppId(appId: string): boolean {
    this.feed.sync();
    return this.feed.live && this.#appIds.has(appId);
  }

  addAppId(appId: string, ticket: number): void {
    if (ticket !== this.#generation || !this.feed.live) return;
    if (this.#appIds.size >= this.max) this.#appIds.clear();
    this.#appIds.add(appId);
  }

  get size(): number {
    return this.#holders.size;
  }

  close(): void {
    this.#unsubscribe();
    this.#holders.clear();
  }

  #forget(change: StoreChange): void {
    // Tables authentication never reads (the sandbox's fault rules, webhook subscriptions) leave it right.
    if (change.table !== 'all' && change.table !== 'auth' && !('guid' in change)) return;
    this.#generation++;
    if (!('guid' in change)) {
      this.#holders.clear();
      this.#appIds.clear();
      return;
    }
    for (const [key, h] of this.#holders) {
      const hit =
        change.table === 'credentials'
          ? h.credential.guid === change.guid
          : change.table === 'principals'
            ? h.holder?.principal.guid === change.guid
            : h.holder?.account?.guid === change.guid;
      if (hit) this.#holders.delete(key);
    }
  }
}
