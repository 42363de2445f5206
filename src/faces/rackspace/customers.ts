import { Type, type Static } from '@sinclair/typebox';
import type { DomainContext } from '../../domain/context.js';
import { route, type Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { closeAccount, createAccount, editAccount, findAccount, listAccounts, changeLockedAccount } from '../../domain/account.js';
import { findSubAccountByReference } from '../../domain/child-accounts.js';
import { namesFormat, sendDocument } from './codec.js';
import { CUSTOMER_FIELDS, CustomerBody, CustomerDetail, CustomerIndexQuery, CustomerList, CustomerParams, CustomerSummary, customerKey, responses } from './schemas.js';
import { accountFields, customerDocument, customerSummary, type Version } from './views.js';

/**
 * The customer operations of the v0 and v1 pages (seeds 002, 003): index and search, show, add, edit and
 * delete. `base` is where `/customers` sits inside the scope; `publicPath` is the collection's URL as
 * clients see it, for Location headers.
 */

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 250;

type Response = ReturnType<typeof responses>;

const whole = (raw: string | undefined, fallback: number) => (raw === undefined || raw.trim() === '' ? fallback : Number(raw.trim()));

/** One page of the index: the caller's sub-accounts, searched by name start or content. */
async function indexPage(domain: DomainContext, actor: Actor, query: Static<typeof CustomerIndexQuery>) {
  const size = Math.min(whole(query.size, PAGE_SIZE_DEFAULT), PAGE_SIZE_MAX);
  const offset = whole(query.offset, 0);
  const startswith = query.startswith || undefined;
  const page = await listAccounts(domain, actor, {
    childrenOf: actor.accountGuid,
    startsWith: startswith === '0-9' ? { digit: true } : startswith,
    contains: query.contains || undefined,
    limit: size,
    offset,
  });
  return { offset, size, total: page.total, customers: page.items.map(customerSummary) };
}

export function customerRoutes(version: Version, base: string, publicPath: string): Route<Actor, any>[] {
  const Body = CustomerBody[version];
  const fields = CUSTOMER_FIELDS[version];
  const Shown = version === 'v0' ? CustomerSummary : CustomerDetail;
  const params = { params: CustomerParams };
  return [
    route<Actor, { querystring: typeof CustomerIndexQuery; response: Response }>({
      method: 'GET',
      url: base,
      operationId: 'ListCustomers',
      summary: 'Lists the caller’s sub-accounts, or shows the one with ?referenceNumber=',
      schema: { querystring: CustomerIndexQuery, response: responses(Type.Union([CustomerList, Shown])) },
      async handler({ request, reply, actor, query, domain }) {
        if (query.referenceNumber !== undefined) {
          // v1 documents sub-accounts only; v0 finds the reference number anywhere below the caller.
          const account =
            version === 'v1' ? await findSubAccountByReference(domain, actor, query.referenceNumber) : await findAccount(domain, actor, { referenceNumber: query.referenceNumber });
          return sendDocument(request, reply, 'customer', customerDocument(account, version));
        }
        return sendDocument(request, reply, 'customerList', await indexPage(domain, actor, query), { customers: 'customer' });
      },
    }),
    route<Actor, typeof params & { response: Response }>({
      method: 'GET',
      url: `${base}/:accountNumber`,
      operationId: 'ShowCustomer',
      summary: 'Shows a customer (`me`: the caller’s own account)',
      schema: { ...params, response: responses(Shown) },
      async handler({ request, reply, actor, params: p, domain }) {
        const account = await findAccount(domain, actor, customerKey(actor, p.accountNumber));
        return sendDocument(request, reply, 'customer', customerDocument(account, version));
      },
    }),
    route<Actor, { body: typeof Body; response: Response }>({
      method: 'POST',
      url: base,
      operationId: 'AddCustomer',
      summary: 'Adds a sub-account below the caller’s account',
      schema: { body: Body, response: responses(Shown) },
      async handler({ request, reply, actor, body, domain }) {
        const account = await createAccount(domain, actor, { ...accountFields(body, fields), parentGuid: actor.accountGuid, kind: 'customer' });
        // The account number exists only now: Location always carries it, and a body does when Accept names a format.
        reply.header('location', `${publicPath}/${account.accountNumber}`);
        if (!namesFormat(request)) return reply.code(200).send();
        return sendDocument(request, reply, 'customer', customerDocument(account, version));
      },
    }),
    route<Actor, typeof params & { body: typeof Body; response: Response }>({
      method: 'PUT',
      url: `${base}/:accountNumber`,
      operationId: 'EditCustomer',
      summary: 'Changes a customer’s fields',
      schema: { ...params, body: Body, response: responses() },
      async handler({ reply, actor, params: p, body, domain }) {
        await changeLockedAccount(domain, actor, customerKey(actor, p.accountNumber), (tx, account) => editAccount(tx, actor, account, accountFields(body, fields)));
        return reply.code(200).send();
      },
    }),
    route<Actor, typeof params & { response: Response }>({
      method: 'DELETE',
      url: `${base}/:accountNumber`,
      operationId: 'DeleteCustomer',
      summary: 'Deletes a customer (closes the account)',
      schema: { ...params, response: responses() },
      async handler({ reply, actor, params: p, domain }) {
        await changeLockedAccount(domain, actor, customerKey(actor, p.accountNumber), (tx, account) => closeAccount(tx, actor, account));
        return reply.code(200).send();
      },
    }),
  ];
}
