import { inTransaction, type DomainContext } from './context.js';

/**
 * A change runs in one transaction that its caller owns. The work gets one handle: a domain context whose
 * `db` is that transaction, so a service cannot mix the transaction with the pool by mistake, and whatever
 * the caller loaded inside it (the account a route names) is passed on rather than read again. Inside a
 * transaction already, the work joins it.
 */
export function transaction<T>(ctx: DomainContext, work: (tx: DomainContext) => Promise<T>): Promise<T> {
  return inTransaction(ctx, (trx) => work(trx === ctx.db ? ctx : { ...ctx, db: trx }));
}
