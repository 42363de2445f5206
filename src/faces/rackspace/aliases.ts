import { route, type Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { addAliasTo, aliasOf, changeAlias, listAliases, removeAlias } from '../../domain/alias.js';
import { sendDocument } from './codec.js';
import { responses } from './schemas.js';
import { AliasBody, AliasDocument, AliasIndexQuery, AliasList, AliasParams, DomainParams } from './domain-schemas.js';
import { changeCustomer, customerOf } from './url-customer.js';
import { XML_ITEMS, aliasDocument, aliasList } from './domain-views.js';
import { indexPage } from './domains.js';

/**
 * The Rackspace Alias resource (wiki page "Rackspace Alias(Rest API)"): index, show, add, edit (replaces the
 * address list: the wiki's "bulk modify") and delete; `aliasEmails` is a comma-separated list.
 */
export function aliasRoutes(base: string): Route<Actor, any>[] {
  const list = `${base}/:accountNumber/domains/:domain/rs/aliases`;
  const one = `${list}/:alias`;
  const indexSchema = { params: DomainParams, querystring: AliasIndexQuery, response: responses(AliasList) };
  const showSchema = { params: AliasParams, response: responses(AliasDocument) };
  const changeSchema = { params: AliasParams, body: AliasBody, response: responses() };
  const deleteSchema = { params: AliasParams, response: responses() };
  return [
    route<Actor, typeof indexSchema>({
      method: 'GET',
      url: list,
      operationId: 'ListAliases',
      schema: indexSchema,
      async handler({ request, reply, actor, params, query, domain }) {
        const account = await customerOf(domain, actor, params.accountNumber);
        const result = await listAliases(domain, actor, account, params.domain, indexPage(query));
        return sendDocument(request, reply, 'aliasList', aliasList(result.items), XML_ITEMS);
      },
    }),
    route<Actor, typeof showSchema>({
      method: 'GET',
      url: one,
      operationId: 'ShowAlias',
      schema: showSchema,
      async handler({ request, reply, actor, params, domain }) {
        const account = await customerOf(domain, actor, params.accountNumber);
        return sendDocument(request, reply, 'alias', aliasDocument(await aliasOf(domain, actor, account, params.domain, params.alias)), XML_ITEMS);
      },
    }),
    route<Actor, typeof changeSchema>({
      method: 'POST',
      url: one,
      operationId: 'AddAlias',
      schema: changeSchema,
      async handler({ reply, actor, params, body, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => addAliasTo(tx, actor, account, params.domain, params.alias, body.aliasEmails));
        return reply.code(200).send();
      },
    }),
    route<Actor, typeof changeSchema>({
      method: 'PUT',
      url: one,
      operationId: 'EditAlias',
      schema: changeSchema,
      async handler({ reply, actor, params, body, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => changeAlias(tx, actor, account, params.domain, params.alias, body.aliasEmails));
        return reply.code(200).send();
      },
    }),
    route<Actor, typeof deleteSchema>({
      method: 'DELETE',
      url: one,
      operationId: 'DeleteAlias',
      schema: deleteSchema,
      async handler({ reply, actor, params, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => removeAlias(tx, actor, account, params.domain, params.alias));
        return reply.code(200).send();
      },
    }),
  ];
}
