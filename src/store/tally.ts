import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogEvent } from 'kysely';

/**
 * Counts the statements and transactions the store runs inside one piece of work (one request, in tests),
 * so a new round trip on a hot route fails a test. Round trips are deterministic where timings are not.
 * Kysely logs every statement a connection runs, `begin` and `commit` included.
 */
export interface StatementTally {
  /** Statements other than transaction control. */
  statements: number;
  /** Transactions begun. */
  transactions: number;
  /** Statements that write (insert, update, delete, upsert), inside a transaction or not. */
  writes: number;
  /** Every SQL text in order, for the message of a failing count. */
  sql: string[];
}

const current = new AsyncLocalStorage<StatementTally>();

/** The Kysely `log` hook; costs one AsyncLocalStorage read per statement when nothing is being tallied. */
export function tallyLog(event: LogEvent): void {
  const tally = current.getStore();
  if (!tally) return;
  const text = event.query.sql.trim();
  const head = text.slice(0, 12).toLowerCase();
  if (head.startsWith('begin') || head.startsWith('start transaction')) {
    tally.transactions++;
    return;
  }
  if (head.startsWith('commit') || head.startsWith('rollback')) return;
  // Savepoints are part of the enclosing transaction, not statements of their own.
  if (head.startsWith('savepoint') || head.startsWith('release')) return;
  tally.statements++;
  if (/^(insert|update|delete|replace)\b/.test(head) || /^with\b[\s\S]*\b(insert|update|delete)\b/i.test(text)) tally.writes++;
  tally.sql.push(text);
}

/** Runs work and returns what the store did while it ran. */
export async function tallyStatements<T>(work: () => Promise<T>): Promise<{ result: T; tally: StatementTally }> {
  const tally: StatementTally = { statements: 0, transactions: 0, writes: 0, sql: [] };
  // Awaited inside the context: a thenable (light-my-request's inject chain) runs its work when it is
  // awaited, and awaiting it outside would run the whole request outside the tally.
  const result = await current.run(tally, async () => await work());
  return { result, tally };
}
