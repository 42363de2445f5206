import type { DomainContext } from './context.js';
import { DomainError, ErrorCode } from './errors.js';

/**
 * A change runs in one transaction that its caller owns. The work gets one handle: a domain context whose
 * `db` is that transaction, so a service cannot mix the transaction with the pool by mistake, and whatever
 * the caller loaded inside it (the account a route names) is passed on rather than read again.
 */
export function transaction<T>(ctx: DomainContext, work: (tx: DomainContext) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute((trx) => work({ ...ctx, db: trx }));
}

/** Services that write call this first: their writes belong to the caller's transaction, never to one of their own. */
export function assertTransaction(tx: DomainContext): void {
  if (!tx.db.isTransaction) throw new DomainError(ErrorCode.Internal, 'a change must run inside its caller’s transaction');
}
