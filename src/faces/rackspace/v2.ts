import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/principal.js';
import type { AccountKey } from '../../domain/account.js';
import { DomainError, ErrorCode } from '../../domain/errors.js';
import { addContact, deleteContact, getContact, listContacts, updateContact, type Contact, type ContactInput } from '../../domain/contact.js';
import { invoiceLineItems, listInvoices, type InvoiceSummary } from '../../domain/billing.js';
import { INVOICE_CSV_CONTENT_TYPE, invoiceCsvStream } from '../../billing-csv/invoice-csv.js';
import { CONTENT_TYPE } from './codec.js';
import { RackspaceFault, sendFault, toFault, unauthorized } from './faults.js';
import { hasNul, queryValue } from './input.js';
import { setScopeErrorHandler } from '../../http/framework-errors.js';

/**
 * Rackspace v2 (seed 002, "v2 - Current"): company contacts and invoices. v2 is a JSON API: every answer is
 * JSON (faults too) whatever Accept says, except an invoice's line items, which are always text/csv.
 */

export const V2_MESSAGES = {
  notFound: 'Make sure the URL is correct.',
  unauthorized: 'Unauthorized.',
  emptyPayload: 'Payload must be a valid JSON object. Make sure the POST body contains content.',
  wrongContentType: 'Payload must be a valid JSON object. Verify that the content type is application/json .',
  notAnObject: 'Payload must be a valid JSON object.',
} as const;

const notFoundFault = () => new RackspaceFault(404, 'itemNotFoundFault', V2_MESSAGES.notFound);
const payloadFault = (message: string) => new RackspaceFault(400, 'badRequestFault', message);

/**
 * v2's own reading of domain errors: every missing thing (account, contact, invoice, CSV) is the vendor's one
 * "Make sure the URL is correct." 404, and a missing role is "Unauthorized."; authentication and throttling
 * answer as in v1.
 */
export function toV2Fault(error: unknown): RackspaceFault {
  if (error instanceof DomainError) {
    switch (error.code) {
      case ErrorCode.NotFound:
        return notFoundFault();
      case ErrorCode.Forbidden:
        return unauthorized(V2_MESSAGES.unauthorized);
      case ErrorCode.Validation: {
        const field = error.details.fields?.[0]?.field;
        return new RackspaceFault(400, field === 'size' || field === 'offset' ? 'badRequestFault' : 'validationFault', error.message);
      }
      case ErrorCode.LimitReached:
        return new RackspaceFault(400, 'badRequestFault', error.message);
    }
  }
  const code = (error as FastifyError | undefined)?.code;
  // A Content-Type header that is not even a media type is a wrong content type, not a server fault.
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return payloadFault(V2_MESSAGES.wrongContentType);
  return toFault(error);
}

export function sendV2Fault(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  return sendFault(request, reply, error, { map: toV2Fault, format: 'json' });
}

/**
 * The body exactly as it arrived, whatever its content type: the route decides what is wrong with it, so an
 * empty body, a form post and malformed JSON each get the vendor's own message. Nothing here logs it, since
 * contact bodies carry security answers.
 */
class RawPayload {
  constructor(
    readonly text: string,
    readonly contentType: string | undefined,
  ) {}
}

function installRawBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    done(null, new RawPayload(String(body), request.headers['content-type']));
  });
}

function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type === 'text/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** The request's JSON object, or the vendor's 400: empty body first, then content type, then the JSON itself. */
function jsonObject(body: unknown): Record<string, unknown> {
  const raw = body instanceof RawPayload ? body : null;
  if (!raw || raw.text.trim() === '') throw payloadFault(V2_MESSAGES.emptyPayload);
  if (!isJsonType(raw.contentType)) throw payloadFault(V2_MESSAGES.wrongContentType);
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch {
    throw payloadFault(V2_MESSAGES.notAnObject);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw payloadFault(V2_MESSAGES.notAnObject);
  return value as Record<string, unknown>;
}

/** A field by its wire name, ignoring case (clients send `name` as well as `Name`); absent is undefined. */
function field(body: Record<string, unknown>, name: string): unknown {
  const key = Object.prototype.hasOwnProperty.call(body, name) ? name : Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : body[key];
  if (hasNul(value)) throw new RackspaceFault(400, 'badRequestFault', `${name} cannot contain NUL characters.`);
  return value;
}

/** Wire names to the domain's; values pass through as sent, so the domain reports what is missing or wrong. */
function contactInput(body: Record<string, unknown>): ContactInput {
  return {
    name: field(body, 'Name'),
    email: field(body, 'Email'),
    phone: field(body, 'Phone'),
    receivesAlerts: field(body, 'ReceivesAlerts'),
    receivesBilling: field(body, 'ReceivesBilling'),
    receivesUpdates: field(body, 'ReceivesUpdates'),
    securityQuestion: field(body, 'SecurityQuestion'),
    securityAnswer: field(body, 'SecurityAnswer'),
  };
}

/** The seed's contact document: PascalCase, the customer number and id as strings, the flags as booleans. */
function contactJson(c: Contact) {
  return {
    CustomerNumber: c.accountNumber,
    Email: c.email,
    Id: String(c.id),
    Name: c.name,
    Phone: c.phone,
    ReceivesAlerts: c.receivesAlerts,
    ReceivesBilling: c.receivesBilling,
    ReceivesUpdates: c.receivesUpdates,
    SecurityAnswer: c.securityAnswer,
    SecurityQuestion: c.securityQuestion,
  };
}

/** The seed's invoice summary: id and amount as strings, the date without zone or fraction. */
function invoiceJson(i: InvoiceSummary) {
  return {
    InvoiceId: String(i.id),
    InvoiceDate: i.invoiceDate.slice(0, 19),
    InvoiceType: i.invoiceType,
    TotalDue: i.totalDue,
    IsPaid: i.isPaid,
    CsvAvailable: i.csvAvailable,
  };
}

function actorOf(request: FastifyRequest): Actor {
  if (!request.rackspaceActor) throw unauthorized();
  return request.rackspaceActor;
}

/** `me` is the caller's own account, as in v1; anything but an account number names no customer. */
function accountKey(actor: Actor, n: string): AccountKey {
  if (n === 'me') return { guid: actor.accountGuid };
  if (!/^\d{1,20}$/.test(n)) throw notFoundFault();
  return { accountNumber: n };
}

function page(request: FastifyRequest) {
  return { size: queryValue(request.query, 'size'), offset: queryValue(request.query, 'offset') };
}

function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).header('content-type', CONTENT_TYPE.json).send(JSON.stringify(body));
}

type AccountParams = { n: string };
type ItemParams = { n: string; id: string };

function registerV2Routes(app: FastifyInstance): void {
  const contacts = '/customers/:n/contacts';
  const invoices = '/customers/:n/invoices';

  app.get<{ Params: AccountParams }>(contacts, async (request, reply) => {
    const actor = actorOf(request);
    const result = await listContacts(request.server.domain, actor, accountKey(actor, request.params.n), page(request));
    return sendJson(reply, { Size: result.size, Offset: result.offset, Total: result.total, Items: result.items.map(contactJson) });
  });

  app.get<{ Params: ItemParams }>(`${contacts}/:id`, async (request, reply) => {
    const actor = actorOf(request);
    return sendJson(reply, contactJson(await getContact(request.server.domain, actor, accountKey(actor, request.params.n), request.params.id)));
  });

  app.post<{ Params: AccountParams }>(contacts, async (request, reply) => {
    const actor = actorOf(request);
    const key = accountKey(actor, request.params.n);
    const input = contactInput(jsonObject(request.body));
    const contact = await addContact(request.server.domain, actor, key, input, { contactLimit: request.server.config.contactLimit });
    // The id exists only now: Location names the new contact, and the body is the contact itself.
    reply.header('location', `/v2/customers/${contact.accountNumber}/contacts/${contact.id}`);
    return sendJson(reply, contactJson(contact));
  });

  app.put<{ Params: ItemParams }>(`${contacts}/:id`, async (request, reply) => {
    const actor = actorOf(request);
    const key = accountKey(actor, request.params.n);
    const input = contactInput(jsonObject(request.body));
    return sendJson(reply, contactJson(await updateContact(request.server.domain, actor, key, request.params.id, input)));
  });

  app.delete<{ Params: ItemParams }>(`${contacts}/:id`, async (request, reply) => {
    const actor = actorOf(request);
    await deleteContact(request.server.domain, actor, accountKey(actor, request.params.n), request.params.id);
    return reply.code(200).send();
  });

  app.get<{ Params: AccountParams }>(invoices, async (request, reply) => {
    const actor = actorOf(request);
    const result = await listInvoices(request.server.domain, actor, accountKey(actor, request.params.n), page(request));
    return sendJson(reply, { Size: result.size, Offset: result.offset, Total: result.total, Items: result.items.map(invoiceJson) });
  });

  app.get<{ Params: ItemParams }>(`${invoices}/:id`, async (request, reply) => {
    const actor = actorOf(request);
    // Every 404 is decided here, before the first byte; the lines are then streamed from the store page by page.
    const { lines } = await invoiceLineItems(request.server.domain, actor, accountKey(actor, request.params.n), request.params.id);
    return reply.code(200).header('content-type', INVOICE_CSV_CONTENT_TYPE).send(invoiceCsvStream(lines));
  });
}

/**
 * The /v2 context: the face's authentication and throttling (`guard`, the same hook v0 and v1 run), v2's
 * JSON faults for errors and unknown URLs, and the raw body reader the contact routes judge themselves.
 */
export function v2Context(guard: (request: FastifyRequest) => Promise<void>): FastifyPluginAsync {
  return async (app) => {
    installRawBodyParser(app);
    app.addHook('onRequest', guard);
    setScopeErrorHandler(app, (error, request, reply) => sendV2Fault(request, reply, error));
    app.setNotFoundHandler((request, reply) => sendV2Fault(request, reply, notFoundFault()));
    registerV2Routes(app);
  };
}
