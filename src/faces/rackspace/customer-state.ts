import { route, type Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { visibleAccountBy } from '../../domain/account.js';
import { liftSuspension, suspendAccountTree } from '../../domain/suspension.js';
import { transaction } from '../../domain/transaction.js';
import { CustomerParams, customerKey, responses } from './schemas.js';

/**
 * Enable and disable (seed 002): a suspension of the customer's service tree and its lifting, once per
 * customer per 5 minutes. Both answer "Not authorized" for customers the caller cannot see as for callers
 * without the role, which the error map reads from `unknownCustomer`.
 */
export function customerStateRoutes(base: string): Route<Actor, any>[] {
  const schema = { params: CustomerParams, response: responses() };
  const config = { unknownCustomer: 'notAuthorized' };
  return [
    route<Actor, typeof schema>({
      method: 'POST',
      url: `${base}/:accountNumber/disable`,
      operationId: 'DisableCustomer',
      summary: 'Suspends a customer and its services (once per 5 minutes)',
      schema,
      config,
      async handler({ reply, actor, params, domain }) {
        await transaction(domain, async (tx) => suspendAccountTree(tx, actor, await visibleAccountBy(tx, actor, customerKey(actor, params.accountNumber))));
        return reply.code(200).send();
      },
    }),
    route<Actor, typeof schema>({
      method: 'POST',
      url: `${base}/:accountNumber/enable`,
      operationId: 'EnableCustomer',
      summary: 'Re-enables a suspended customer (once per 5 minutes)',
      schema,
      config,
      async handler({ reply, actor, params, domain }) {
        await transaction(domain, async (tx) => liftSuspension(tx, actor, await visibleAccountBy(tx, actor, customerKey(actor, params.accountNumber))));
        return reply.code(200).send();
      },
    }),
  ];
}
