import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Named (server-side prepared) statements for the pool's connections. Kysely sends every query with
 * parameters through the extended protocol unnamed, so PostgreSQL parses, analyses and plans it on every
 * execution; a named statement is parsed once per connection and, after a few runs, may keep a generic
 * plan. Kysely has no switch for this, so the pool's Client class names the statements it sends.
 *
 * Only texts with parameters (one statement each, by the protocol) that have been sent twice get a name,
 * and at most `MAX_NAMES` texts in all, so one-off texts (an `in (…)` list of a new length) do not fill
 * every connection with statements nobody runs again.
 */
const MAX_NAMES = 300;
const SIGHTINGS_TO_NAME = 2;
const names = new Map<string, string>();
const sightings = new Map<string, number>();

function nameFor(text: string): string | null {
  const known = names.get(text);
  if (known) return known;
  if (names.size >= MAX_NAMES) return null;
  const seen = (sightings.get(text) ?? 0) + 1;
  if (seen < SIGHTINGS_TO_NAME) {
    if (sightings.size > 10 * MAX_NAMES) sightings.clear();
    sightings.set(text, seen);
    return null;
  }
  sightings.delete(text);
  const name = `ph_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  names.set(text, name);
  return name;
}

/**
 * A prepared statement that can no longer run as prepared: its result's shape changed under it (another
 * process migrated the schema: "cached plan must not change result type"), or the server no longer has it.
 */
function stalePrepared(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === '26000' || (code === '0A000' && /cached plan/i.test((e as Error).message));
}

/** The pool's Client: statements with parameters run as named statements (see above). */
export class NamedStatementClient extends pg.Client {
  /** Per text, how many of its names this connection has given up on (see stalePrepared). */
  readonly #retired = new Map<string, number>();

  override query(...args: any[]): any {
    const [text, values] = args;
    if (args.length !== 2 || typeof text !== 'string' || !Array.isArray(values) || values.length === 0) {
      return (super.query as (...a: any[]) => any)(...args);
    }
    const name = nameFor(text);
    if (!name) return super.query(text, values);
    return this.#runNamed(name, text, values);
  }

  async #runNamed(base: string, text: string, values: unknown[]): Promise<pg.QueryResult> {
    const retired = this.#retired.get(text);
    const name = retired ? `${base}_${retired}` : base;
    try {
      return await super.query({ name, text, values });
    } catch (e) {
      if (!stalePrepared(e)) throw e;
      // The next run prepares the text afresh under a new name (the old one stays until the connection ends).
      this.#retired.set(text, (retired ?? 0) + 1);
      // Outside a transaction the statement can simply run again; inside one, the transaction has failed.
      if (this.getTransactionStatus() !== 'I') throw e;
      return super.query(text, values);
    }
  }
}
