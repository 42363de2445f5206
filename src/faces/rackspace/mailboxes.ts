import { route, type Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { addMailboxTo, changeMailbox, listMailboxes, mailboxOf, removeMailbox } from '../../domain/mailbox.js';
import { validationError } from '../../domain/errors.js';
import { sendDocument } from './codec.js';
import { responses } from './schemas.js';
import { DomainParams, MailboxBody, MailboxDocument, MailboxIndexQuery, MailboxList, MailboxParams } from './domain-schemas.js';
import { changeCustomer, customerOf } from './url-customer.js';
import { MAILBOX_LIST_FIELDS, XML_ITEMS, mailboxDocument, mailboxInput, mailboxSummary, type MailboxListField } from './domain-views.js';
import { indexPage } from './domains.js';

/**
 * The Rackspace Mailbox resource (wiki page "Rackspace Mailbox (Rest API)"): index with `?enabled=` and
 * `?fields=`, show, add, edit (including enable/disable and password resets) and delete. The password is
 * taken, checked and hashed by the domain; no answer ever carries it.
 */

function listFields(raw: string | undefined): Set<MailboxListField> {
  const asked = (raw ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = asked.filter((f) => !(MAILBOX_LIST_FIELDS as readonly string[]).includes(f));
  if (unknown.length) {
    throw validationError([{ field: 'fields', problem: 'invalid', message: `Invalid fields: ${unknown.join(', ')}. Use ${MAILBOX_LIST_FIELDS.join(', ')}.` }]);
  }
  return new Set(asked as MailboxListField[]);
}

export function mailboxRoutes(base: string): Route<Actor, any>[] {
  const list = `${base}/:accountNumber/domains/:domain/rs/mailboxes`;
  const one = `${list}/:mailbox`;
  const indexSchema = { params: DomainParams, querystring: MailboxIndexQuery, response: responses(MailboxList) };
  const showSchema = { params: MailboxParams, response: responses(MailboxDocument) };
  const changeSchema = { params: MailboxParams, body: MailboxBody, response: responses() };
  const deleteSchema = { params: MailboxParams, response: responses() };
  return [
    route<Actor, typeof indexSchema>({
      method: 'GET',
      url: list,
      operationId: 'ListMailboxes',
      schema: indexSchema,
      async handler({ request, reply, actor, params, query, domain }) {
        const page = indexPage(query);
        const fields = listFields(query.fields);
        const enabled = query.enabled === undefined ? undefined : query.enabled.trim().toLowerCase() === 'true';
        const account = await customerOf(domain, actor, params.accountNumber);
        const result = await listMailboxes(domain, actor, account, params.domain, { ...page, enabled });
        const doc = { offset: page.offset, size: page.size, total: result.total, rsMailboxes: result.items.map((m) => mailboxSummary(m, fields)) };
        return sendDocument(request, reply, 'rsMailboxList', doc, XML_ITEMS);
      },
    }),
    route<Actor, typeof showSchema>({
      method: 'GET',
      url: one,
      operationId: 'ShowMailbox',
      schema: showSchema,
      async handler({ request, reply, actor, params, domain }) {
        const account = await customerOf(domain, actor, params.accountNumber);
        return sendDocument(request, reply, 'rsMailbox', mailboxDocument(await mailboxOf(domain, actor, account, params.domain, params.mailbox)), XML_ITEMS);
      },
    }),
    route<Actor, typeof changeSchema>({
      method: 'POST',
      url: one,
      operationId: 'AddMailbox',
      schema: changeSchema,
      async handler({ reply, actor, params, body, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => addMailboxTo(tx, actor, account, params.domain, params.mailbox, mailboxInput(body)));
        return reply.code(200).send();
      },
    }),
    route<Actor, typeof changeSchema>({
      method: 'PUT',
      url: one,
      operationId: 'EditMailbox',
      schema: changeSchema,
      async handler({ reply, actor, params, body, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => changeMailbox(tx, actor, account, params.domain, params.mailbox, mailboxInput(body)));
        return reply.code(200).send();
      },
    }),
    route<Actor, typeof deleteSchema>({
      method: 'DELETE',
      url: one,
      operationId: 'DeleteMailbox',
      schema: deleteSchema,
      async handler({ reply, actor, params, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => removeMailbox(tx, actor, account, params.domain, params.mailbox));
        return reply.code(200).send();
      },
    }),
  ];
}
