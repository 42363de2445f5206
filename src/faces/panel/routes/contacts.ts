import { Type, type Static } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import { addContact, deleteContact, getContact, listContacts, updateContact, type Contact, type ContactInput } from '../../../domain/contact.js';
import { ErrorCode, isDomainError } from '../../../domain/errors.js';
import type { PanelUser } from '../session.js';
import { sendPage, seeOther } from '../reply.js';
import { ContactFormPage, ContactsPage, DeleteContactPage } from '../views/contacts.js';
import { emptyForm, type FormState } from '../views/forms.js';
import { accountUrl } from '../views/layout.js';
import { AccountParams, CsrfForm, ItemParams, PageQuery, text, tick } from './schemas.js';
import { accountFrame, formRefusal } from './frame.js';

const PAGE_SIZE = 20;
const FIELDS = ['name', 'email', 'phone', 'securityQuestion', 'securityAnswer', 'receivesAlerts', 'receivesBilling', 'receivesUpdates'] as const;

const ContactForm = Type.Intersect([
  CsrfForm,
  Type.Object({
    name: text(),
    email: text(),
    phone: text(),
    securityQuestion: text(),
    securityAnswer: text(),
    receivesAlerts: tick(),
    receivesBilling: tick(),
    receivesUpdates: tick(),
  }),
]);
type ContactForm = Static<typeof ContactForm>;

const ListQuery = Type.Intersect([PageQuery, Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) })]);
const NOTICES: Record<string, string> = { added: 'Contact added.', saved: 'Contact saved.', deleted: 'Contact deleted.' };

/**
 * The form's fields for the domain, which judges them exactly as it judges the API's: an unticked box is
 * false, and on an edit an empty security answer keeps the stored one.
 */
function contactInput(body: ContactForm, editing: boolean): ContactInput {
  const input: ContactInput = {
    name: body.name ?? '',
    email: body.email ?? '',
    phone: body.phone ?? '',
    securityQuestion: body.securityQuestion ?? '',
    receivesAlerts: body.receivesAlerts === 'true',
    receivesBilling: body.receivesBilling === 'true',
    receivesUpdates: body.receivesUpdates === 'true',
  };
  if (!editing || (body.securityAnswer ?? '').trim() !== '') input.securityAnswer = body.securityAnswer ?? '';
  return input;
}

/** What the form shows again: everything but the security answer, which is never echoed into a page. */
function formValues(body: ContactForm): FormState['values'] {
  const { _csrf, securityAnswer: _answer, ...rest } = body;
  return rest;
}

function contactValues(c: Contact): FormState['values'] {
  const flag = (b: boolean) => (b ? 'true' : undefined);
  return { name: c.name, email: c.email, phone: c.phone, securityQuestion: c.securityQuestion, receivesAlerts: flag(c.receivesAlerts), receivesBilling: flag(c.receivesBilling), receivesUpdates: flag(c.receivesUpdates) };
}

export const contactRoutes = [
  route<PanelUser, { params: AccountParams; querystring: typeof ListQuery }>({
    method: 'GET',
    url: '/accounts/:n/contacts',
    operationId: 'ListContacts',
    schema: { params: AccountParams, querystring: ListQuery },
    handler: async ({ actor: user, params, query, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      const page = await listContacts(domain, user.actor, { guid: frame.account.guid }, { size: PAGE_SIZE, offset: query.offset ?? 0 });
      return sendPage(reply, 200, ContactsPage({ ...frame, page, notice: NOTICES[query.notice ?? ''] }));
    },
  }),
  route<PanelUser, { params: AccountParams }>({
    method: 'GET',
    url: '/accounts/:n/contacts/new',
    operationId: 'NewContactForm',
    schema: { params: AccountParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      return sendPage(reply, 200, ContactFormPage({ ...frame, form: emptyForm() }));
    },
  }),
  route<PanelUser, { params: AccountParams; body: typeof ContactForm }>({
    method: 'POST',
    url: '/accounts/:n/contacts',
    operationId: 'AddContact',
    schema: { params: AccountParams, body: ContactForm },
    handler: async ({ actor: user, params, body, domain, request, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      try {
        await addContact(domain, user.actor, { guid: frame.account.guid }, contactInput(body, false), { contactLimit: request.server.config.contactLimit });
      } catch (e) {
        return sendPage(reply, 400, ContactFormPage({ ...frame, form: formRefusal(e, formValues(body), FIELDS) }));
      }
      return seeOther(reply, accountUrl(params.n, '/contacts?notice=added'));
    },
  }),
  route<PanelUser, { params: ItemParams }>({
    method: 'GET',
    url: '/accounts/:n/contacts/:id',
    operationId: 'EditContactForm',
    schema: { params: ItemParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      const contact = await getContact(domain, user.actor, { guid: frame.account.guid }, params.id);
      return sendPage(reply, 200, ContactFormPage({ ...frame, contact, form: emptyForm(contactValues(contact)) }));
    },
  }),
  route<PanelUser, { params: ItemParams; body: typeof ContactForm }>({
    method: 'POST',
    url: '/accounts/:n/contacts/:id',
    operationId: 'UpdateContact',
    schema: { params: ItemParams, body: ContactForm },
    handler: async ({ actor: user, params, body, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      const key = { guid: frame.account.guid };
      try {
        await updateContact(domain, user.actor, key, params.id, contactInput(body, true));
      } catch (e) {
        const form = formRefusal(e, formValues(body), FIELDS);
        return sendPage(reply, 400, ContactFormPage({ ...frame, form, contact: await getContact(domain, user.actor, key, params.id) }));
      }
      return seeOther(reply, accountUrl(params.n, '/contacts?notice=saved'));
    },
  }),
  route<PanelUser, { params: ItemParams }>({
    method: 'GET',
    url: '/accounts/:n/contacts/:id/delete',
    operationId: 'ConfirmDeleteContact',
    schema: { params: ItemParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      const contact = await getContact(domain, user.actor, { guid: frame.account.guid }, params.id);
      return sendPage(reply, 200, DeleteContactPage({ ...frame, contact }));
    },
  }),
  route<PanelUser, { params: ItemParams; body: typeof CsrfForm }>({
    method: 'POST',
    url: '/accounts/:n/contacts/:id/delete',
    operationId: 'DeleteContact',
    schema: { params: ItemParams, body: CsrfForm },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      const key = { guid: frame.account.guid };
      try {
        await deleteContact(domain, user.actor, key, params.id);
      } catch (e) {
        // The billing/primary invariant: the API's own message, shown where the person asked to delete.
        if (!isDomainError(e, ErrorCode.Validation)) throw e;
        return sendPage(reply, 400, DeleteContactPage({ ...frame, contact: await getContact(domain, user.actor, key, params.id), error: e.message }));
      }
      return seeOther(reply, accountUrl(params.n, '/contacts?notice=deleted'));
    },
  }),
];
