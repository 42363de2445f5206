import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/principal.js';
import type { DomainContext } from '../../domain/context.js';
import { createAccount, deleteAccount, findAccount, listAccounts, updateAccount, type Account, type AccountFields } from '../../domain/account.js';
import { disableAccount, enableAccount } from '../../domain/suspension.js';
import { createLoginToken } from '../../domain/login-token.js';
import { findSubAccountByReference } from '../../domain/sub-accounts.js';
import { DomainError, ErrorCode } from '../../domain/errors.js';
import { CONTENT_TYPE, dotNetDate, negotiate, xmlDocument, type Negotiated, type XmlElement } from './codec.js';
import { badRequest, customerNotFound, NOT_AUTHORIZED, RackspaceFault, unauthorized } from './faults.js';
import { bodyFields, flagField, queryValue, textFields, V0_FIELDS, V1_FIELDS } from './input.js';

export type Version = 'v0' | 'v1';

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 250;

declare module 'fastify' {
  interface FastifyRequest {
    /** The principal a valid X-Api-Signature named; set by the face's authentication hook. */
    rackspaceActor: Actor | null;
  }
}

function actorOf(request: FastifyRequest): Actor {
  if (!request.rackspaceActor) throw unauthorized();
  return request.rackspaceActor;
}

/** Index entries and v0 shows carry these three; v1 shows add the address and contact fields. */
function customerElements(a: Account, detail: 'summary' | 'full'): XmlElement[] {
  const out: XmlElement[] = [
    ['name', a.name],
    ['accountNumber', a.accountNumber],
    ['referenceNumber', a.referenceNumber],
  ];
  if (detail === 'full') {
    out.push(
      ['addressLine1', a.addressLine1],
      ['addressLine2', a.addressLine2],
      ['city', a.city],
      ['state', a.state],
      ['zip', a.zip],
      ['country', a.country],
      ['phone', a.phone],
      ['email', a.email],
    );
  }
  return out;
}

/** JSON mirrors the XML element for element; account numbers stay strings. */
function asJson(elements: XmlElement[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, content] of elements) out[name] = Array.isArray(content) ? content.map(([, c]) => asJson(c as XmlElement[])) : content;
  return out;
}

function sendDocument(reply: FastifyReply, neg: Negotiated, root: string, elements: XmlElement[], json: unknown = asJson(elements)): FastifyReply {
  reply.code(200).header('content-type', CONTENT_TYPE[neg.format]);
  return reply.send(neg.format === 'json' ? JSON.stringify(json) : xmlDocument(root, elements));
}

/** `me` is the caller's own account; anything else must be an account number the caller can see. */
async function resolveCustomer(ctx: DomainContext, actor: Actor, id: string): Promise<Account> {
  if (id === 'me') return findAccount(ctx, actor, { guid: actor.accountGuid });
  if (!/^\d{1,20}$/.test(id)) throw customerNotFound();
  return findAccount(ctx, actor, { accountNumber: id });
}

function wholeNumber(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d{1,9}$/.test(raw.trim())) throw badRequest(`Invalid ${name}: must be a whole number of 0 or more`);
  return Number(raw.trim());
}

/** Empty optional fields mean "none"; an empty name is kept so validation can name the problem. */
function accountFields(fields: Partial<Record<string, string | null>>): AccountFields {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out[k] = k !== 'name' && v === '' ? null : v;
  }
  return out as AccountFields;
}

/** Enable/disable answer "Not authorized" both for strangers' customers and for callers without the role. */
function asNotAuthorized(e: unknown): unknown {
  if (e instanceof DomainError && (e.code === ErrorCode.NotFound || e.code === ErrorCode.Forbidden)) return unauthorized(NOT_AUTHORIZED);
  if (e instanceof RackspaceFault && e.status === 404) return unauthorized(NOT_AUTHORIZED);
  return e;
}

/**
 * The customer operations of one API version. `base` is where `/customers` sits inside the registering
 * context; `publicPrefix` is the version prefix as clients see it (for Location headers).
 */
export function registerCustomerRoutes(app: FastifyInstance, version: Version, base: string, publicPrefix: string): void {
  const fields = version === 'v0' ? V0_FIELDS : V1_FIELDS;
  const showDetail = version === 'v0' ? 'summary' : 'full';
  type Params = { accountNumber: string };

  app.get(`${base}`, async (request, reply) => {
    const ctx = request.server.domain;
    const actor = actorOf(request);
    const neg = negotiate(request.headers.accept);
    const q = request.query;
    const reference = queryValue(q, 'referenceNumber');
    if (reference !== undefined) {
      const account =
        version === 'v1' ? await findSubAccountByReference(ctx, actor, reference) : await findAccount(ctx, actor, { referenceNumber: reference });
      return sendDocument(reply, neg, 'customer', customerElements(account, showDetail));
    }
    const sizeRaw = queryValue(q, 'size');
    const size = Math.min(wholeNumber(sizeRaw, 'size', PAGE_SIZE_DEFAULT), PAGE_SIZE_MAX);
    if (size < 1) throw badRequest('Invalid size: must be from 1 to 250');
    const offset = wholeNumber(queryValue(q, 'offset'), 'offset', 0);
    const startswith = queryValue(q, 'startswith') || undefined;
    const contains = queryValue(q, 'contains') || undefined;
    if (startswith !== undefined && contains !== undefined) throw badRequest('Cannot search with both startswith and contains');
    const page = await listAccounts(ctx, actor, {
      childrenOf: actor.accountGuid,
      startsWith: startswith === '0-9' ? { digit: true } : startswith,
      contains,
      limit: size,
      offset,
    });
    const customers: XmlElement[] = page.items.map((a) => ['customer', customerElements(a, 'summary')]);
    const elements: XmlElement[] = [
      ['offset', String(offset)],
      ['size', String(size)],
      ['total', String(page.total)],
      ['customers', customers],
    ];
    return sendDocument(reply, neg, 'customerList', elements, {
      offset,
      size,
      total: page.total,
      customers: page.items.map((a) => asJson(customerElements(a, 'summary'))),
    });
  });

  app.get<{ Params: Params }>(`${base}/:accountNumber`, async (request, reply) => {
    const account = await resolveCustomer(request.server.domain, actorOf(request), request.params.accountNumber);
    return sendDocument(reply, negotiate(request.headers.accept), 'customer', customerElements(account, showDetail));
  });

  app.post(`${base}`, async (request, reply) => {
    const ctx = request.server.domain;
    const actor = actorOf(request);
    const input = accountFields(textFields(bodyFields(request.body), fields));
    const account = await createAccount(ctx, actor, { ...input, parentGuid: actor.accountGuid, kind: 'customer' });
    // The account number exists only now: Location always carries it, and a body does when Accept names a format.
    reply.header('location', `${publicPrefix}/customers/${account.accountNumber}`);
    const neg = negotiate(request.headers.accept);
    if (neg.explicit) return sendDocument(reply, neg, 'customer', customerElements(account, showDetail));
    return reply.code(200).send();
  });

  app.put<{ Params: Params }>(`${base}/:accountNumber`, async (request, reply) => {
    const ctx = request.server.domain;
    const actor = actorOf(request);
    const input = accountFields(textFields(bodyFields(request.body), fields));
    const account = await resolveCustomer(ctx, actor, request.params.accountNumber);
    await updateAccount(ctx, actor, account.guid, input);
    return reply.code(200).send();
  });

  app.delete<{ Params: Params }>(`${base}/:accountNumber`, async (request, reply) => {
    const ctx = request.server.domain;
    const actor = actorOf(request);
    const account = await resolveCustomer(ctx, actor, request.params.accountNumber);
    await deleteAccount(ctx, actor, account.guid);
    return reply.code(200).send();
  });

  for (const [action, run] of [
    ['enable', enableAccount],
    ['disable', disableAccount],
  ] as const) {
    app.post<{ Params: Params }>(`${base}/:accountNumber/${action}`, async (request, reply) => {
      const ctx = request.server.domain;
      const actor = actorOf(request);
      try {
        const account = await resolveCustomer(ctx, actor, request.params.accountNumber);
        await run(ctx, actor, account.guid);
      } catch (e) {
        throw asNotAuthorized(e);
      }
      return reply.code(200).send();
    });
  }

  app.post<{ Params: Params }>(`${base}/:accountNumber/loginToken`, async (request, reply) => {
    const ctx = request.server.domain;
    const actor = actorOf(request);
    const body = bodyFields(request.body);
    const { userName } = textFields(body, ['userName'] as const);
    const virtualUser = flagField(body, 'virtualUser');
    const account = await resolveCustomer(ctx, actor, request.params.accountNumber);
    const issued = await createLoginToken(ctx, actor, account.guid, { userName, virtualUser });
    return sendDocument(reply, negotiate(request.headers.accept), 'loginToken', [
      ['user', issued.user],
      ['token', issued.token],
      ['dateCreated', dotNetDate(new Date(issued.createdAt))],
    ]);
  });
}
