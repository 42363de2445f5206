import { route, type Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { changeLockedAccount, lockVisibleAccount, visibleAccountBy } from '../../domain/account.js';
import { addContactTo, changeContact, contactOf, contactsOf, removeContact } from '../../domain/contact.js';
import { transaction } from '../../domain/transaction.js';
import { ContactBody, ContactDocument, ContactList, ContactParams, CustomerParams, PageQuery, customerKey, responses } from './schemas.js';
import { contactDocument, contactInput, v2List } from './views.js';

/**
 * v2 company contacts (seed 002, "v2 - Current"): JSON only. Changes lock the customer's account as they read
 * it, so the contact limit and the billing/primary invariant hold until they commit.
 */
export function contactRoutes(): Route<Actor, any>[] {
  const list = '/customers/:accountNumber/contacts';
  const one = `${list}/:contactId`;
  const listSchema = { params: CustomerParams, querystring: PageQuery, response: responses(ContactList) };
  const showSchema = { params: ContactParams, response: responses(ContactDocument) };
  const addSchema = { params: CustomerParams, body: ContactBody, response: responses(ContactDocument) };
  const editSchema = { params: ContactParams, body: ContactBody, response: responses(ContactDocument) };
  const deleteSchema = { params: ContactParams, response: responses() };
  return [
    route<Actor, typeof listSchema>({
      method: 'GET',
      url: list,
      operationId: 'ListContacts',
      summary: 'Lists a customer’s company contacts, in pages',
      schema: listSchema,
      async handler({ actor, params, query, domain }) {
        const account = await visibleAccountBy(domain, actor, customerKey(actor, params.accountNumber));
        return v2List(await contactsOf(domain, actor, account, query), contactDocument);
      },
    }),
    route<Actor, typeof showSchema>({
      method: 'GET',
      url: one,
      operationId: 'ShowContact',
      summary: 'Shows one company contact',
      schema: showSchema,
      async handler({ actor, params, domain }) {
        const account = await visibleAccountBy(domain, actor, customerKey(actor, params.accountNumber));
        return contactDocument(await contactOf(domain, actor, account, params.contactId));
      },
    }),
    route<Actor, typeof addSchema>({
      method: 'POST',
      url: list,
      operationId: 'AddContact',
      summary: 'Adds a company contact (every field required)',
      schema: addSchema,
      async handler({ request, reply, actor, params, body, domain }) {
        const contact = await transaction(domain, async (tx) => {
          const account = await lockVisibleAccount(tx, actor, customerKey(actor, params.accountNumber));
          return addContactTo(tx, actor, account, contactInput(body), { contactLimit: request.server.config.contactLimit });
        });
        // The id exists only now: Location names the new contact, and the body is the contact itself.
        reply.header('location', `/v2/customers/${contact.accountNumber}/contacts/${contact.id}`);
        return contactDocument(contact);
      },
    }),
    route<Actor, typeof editSchema>({
      method: 'PUT',
      url: one,
      operationId: 'EditContact',
      summary: 'Changes a company contact',
      schema: editSchema,
      async handler({ actor, params, body, domain }) {
        const contact = await transaction(domain, async (tx) => {
          const account = await lockVisibleAccount(tx, actor, customerKey(actor, params.accountNumber));
          return changeContact(tx, actor, account, params.contactId, contactInput(body));
        });
        return contactDocument(contact);
      },
    }),
    route<Actor, typeof deleteSchema>({
      method: 'DELETE',
      url: one,
      operationId: 'DeleteContact',
      summary: 'Removes a company contact (one billing and one primary contact must remain)',
      schema: deleteSchema,
      async handler({ reply, actor, params, domain }) {
        await changeLockedAccount(domain, actor, customerKey(actor, params.accountNumber), (tx, account) => removeContact(tx, actor, account, params.contactId));
        return reply.code(200).send();
      },
    }),
  ];
}
