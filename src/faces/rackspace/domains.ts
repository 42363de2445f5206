import { route, type Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { addDomainTo, changeDomain, domainOf, listDomains, removeDomain, type DomainListScope } from '../../domain/email-domain.js';
import { parsePage } from '../../domain/paging.js';
import type { DomainContext } from '../../domain/context.js';
import { sendDocument } from './codec.js';
import { responses } from './schemas.js';
import { DomainBody, DomainCustomerParams, DomainDocument, DomainIndexQuery, DomainList, DomainParams } from './domain-schemas.js';
import { changeCustomer, customerOf } from './url-customer.js';
import { XML_ITEMS, domainDocument, domainSettings, domainSummary } from './domain-views.js';
import type { Version } from './views.js';

/**
 * The Domain resource (wiki page "Domain (Rest API)"): index (a customer's, `me`, `all`, or the caller's own at
 * `/domains`), show, add, edit and delete. Add, edit and delete are reseller operations (domain.manage).
 */

const PAGE_MAX = 250;

/** Index paging: size (default 50, at most 250) and offset, judged by the domain with its messages. */
export function indexPage(query: { size?: string; offset?: string }) {
  const { size, offset } = parsePage({ size: query.size?.trim(), offset: query.offset?.trim() });
  return { size: Math.min(size, PAGE_MAX), offset };
}

async function listScope(domain: DomainContext, actor: Actor, accountNumber: string | undefined): Promise<DomainListScope> {
  if (accountNumber === 'all') return { subtree: true };
  return { account: await customerOf(domain, actor, accountNumber ?? 'me') };
}

export function domainRoutes(version: Version, base: string): Route<Actor, any>[] {
  const one = `${base}/:accountNumber/domains/:domain`;
  const indexSchema = { params: DomainCustomerParams, querystring: DomainIndexQuery, response: responses(DomainList) };
  const showSchema = { params: DomainParams, response: responses(DomainDocument) };
  const changeSchema = { params: DomainParams, body: DomainBody, response: responses() };
  const deleteSchema = { params: DomainParams, response: responses() };
  return [
    route<Actor, typeof indexSchema>({
      method: 'GET',
      // `/domains` alone is the caller's own list, as `/customers/me/domains`.
      url: [`${base}/:accountNumber/domains`, ...(base ? ['/domains'] : [])],
      operationId: 'ListDomains',
      schema: indexSchema,
      async handler({ request, reply, actor, params, query, domain }) {
        const page = indexPage(query);
        const names = query.domainNames === undefined ? undefined : query.domainNames.split(',');
        const result = await listDomains(domain, actor, await listScope(domain, actor, params.accountNumber), { ...page, names });
        const doc = { offset: page.offset, size: page.size, total: result.total, domains: result.items.map((d) => domainSummary(d, version)) };
        return sendDocument(request, reply, 'domainList', doc, XML_ITEMS);
      },
    }),
    route<Actor, typeof showSchema>({
      method: 'GET',
      url: one,
      operationId: 'ShowDomain',
      schema: showSchema,
      async handler({ request, reply, actor, params, domain }) {
        const account = await customerOf(domain, actor, params.accountNumber);
        return sendDocument(request, reply, 'domain', domainDocument(await domainOf(domain, actor, account, params.domain)), XML_ITEMS);
      },
    }),
    route<Actor, typeof changeSchema>({
      method: 'POST',
      url: one,
      operationId: 'AddDomain',
      schema: changeSchema,
      async handler({ reply, actor, params, body, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => addDomainTo(tx, actor, account, params.domain, domainSettings(body)));
        return reply.code(200).send();
      },
    }),
    route<Actor, typeof changeSchema>({
      method: 'PUT',
      url: one,
      operationId: 'EditDomain',
      schema: changeSchema,
      async handler({ reply, actor, params, body, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => changeDomain(tx, actor, account, params.domain, domainSettings(body)));
        return reply.code(200).send();
      },
    }),
    route<Actor, typeof deleteSchema>({
      method: 'DELETE',
      url: one,
      operationId: 'DeleteDomain',
      schema: deleteSchema,
      async handler({ reply, actor, params, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => removeDomain(tx, actor, account, params.domain));
        return reply.code(200).send();
      },
    }),
  ];
}
