/**
 * AddRemoveServiceDomain (POST|DELETE /api/services/{ServiceGuid}/domains/{Domain}) and UpdateServiceDomain
 * (PUT …?NewDomain=&SetAsPrimaryDomain=): the service's e-mail domains, the same domains the Rackspace face
 * lists and Mimecast's get-account shows. A service's first domain becomes its primary domain; a domain
 * name is unique across the system. Each answers with the Service, whose primaryDomain is the account's.
 */
import { Type } from '@sinclair/typebox';
import { lockVisibleAccount } from '../../../domain/account.js';
import { addDomainTo, removeDomain, renameDomain } from '../../../domain/email-domain.js';
import { getAccountOfKind } from '../../../domain/customer-directory.js';
import { notFound } from '../../../domain/errors.js';
import { transaction } from '../../../domain/transaction.js';
import type { Actor } from '../../../domain/principal.js';
import type { DomainContext } from '../../../domain/context.js';
import { Guid, Service, Text, responses } from '../schemas.js';
import { serviceDto } from '../dto.js';
import { ccc, cccRoute } from './declare.js';

const Params = Type.Object({ ServiceGuid: Guid(), Domain: Text({ minLength: 1 }) });
const Flag = Type.String({ pattern: '^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\\s*$' });
const UpdateQuery = Type.Object({ NewDomain: Type.Optional(Text()), SetAsPrimaryDomain: Type.Optional(Flag) });

/** Runs a domain change on the service (a customer account) in one transaction, then answers with the service. */
async function onService(domain: DomainContext, actor: Actor, serviceGuid: string, change: (tx: DomainContext, account: Awaited<ReturnType<typeof lockVisibleAccount>>) => Promise<unknown>) {
  await transaction(domain, async (tx) => {
    const account = await lockVisibleAccount(tx, actor, { guid: serviceGuid });
    if (account.kind !== 'customer') throw notFound('service', 'Service not found');
    await change(tx, account);
  });
  const s = await getAccountOfKind(domain, actor, serviceGuid, 'customer');
  return serviceDto(s.account, s);
}

const config = ccc('Service', { notFoundAs: 'Service', requires: 'domain.manage' });

export const domainRoutes = [
  // One operation, as ServiceStack declares it: [Route("/api/services/{ServiceGuid}/domains/{Domain}", "POST,DELETE")],
  // its Post adding the domain and its Delete removing it (so /api/AddRemoveServiceDomain follows the verb too).
  cccRoute({
    method: ['POST', 'DELETE'],
    url: '/:ServiceGuid/domains/:Domain',
    operationId: 'AddRemoveServiceDomain',
    config,
    schema: { params: Params, response: responses(Service) },
    handler: ({ actor, params, domain, request }) =>
      onService(domain, actor, params.ServiceGuid, (tx, a) =>
        request.method === 'DELETE' ? removeDomain(tx, actor, a, params.Domain) : addDomainTo(tx, actor, a, params.Domain),
      ),
  }),
  cccRoute({
    method: 'PUT',
    url: '/:ServiceGuid/domains/:Domain',
    operationId: 'UpdateServiceDomain',
    config,
    schema: { params: Params, querystring: UpdateQuery, response: responses(Service) },
    handler: ({ actor, params, query, domain }) =>
      onService(domain, actor, params.ServiceGuid, (tx, a) =>
        renameDomain(tx, actor, a, params.Domain, {
          newName: query.NewDomain || undefined,
          primary: query.SetAsPrimaryDomain === undefined ? undefined : query.SetAsPrimaryDomain.trim().toLowerCase() === 'true',
        }),
      ),
  }),
];
