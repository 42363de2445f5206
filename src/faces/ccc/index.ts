/**
 * The DeliverySlip Cloud Command Center face (ServiceStack conventions). It owns only its prefixes —
 * /api/services, /api/resellers, /api/partners, /api/ping and /api/public — each with its own
 * not-found handling, so other faces can share /api.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/principal.js';
import type { Account } from '../../domain/account.js';
import { DomainError, ErrorCode } from '../../domain/errors.js';
import { searchStatusChanges } from '../../domain/status-search.js';
import {
  createService,
  getAccountOfKind,
  publicService,
  relativesOf,
  resellersOfPartner,
  searchServices,
  servicesOfReseller,
  type NewService,
} from '../../domain/service.js';
import { searchUsage, serviceUsage, usagePeriod } from '../../domain/service-usage.js';
import { normalizeGuid } from '../../domain/ids.js';
import { stripSuffix, type Dto } from './codec.js';
import { bag, date, guid, int, merge, object, oneOf, str, type Bag } from './binding.js';
import { CccError, invalidValue, responseError, toResponseStatus, validationFailed } from './errors.js';
import { authenticate, cccState, sendDto, sendError } from './http.js';
import { publicServiceDto, resellerDto, serviceDto, serviceUsageDto, statusChangeDto } from './dto.js';
import { setScopeErrorHandler } from '../../http/framework-errors.js';

export const DEFAULT_PAGE_SIZE = 25;
/** Larger PageSize values are served as this many per page (the response's pageSize says so). */
export const MAX_PAGE_SIZE = 500;

interface Call {
  request: FastifyRequest;
  actor: Actor;
  input: Bag;
  params: Record<string, string>;
}

interface Operation {
  /** The request DTO's name, for 405 messages. */
  request: string;
  /** The response DTO's name: the XML root, also of its errors. */
  response: string;
  auth: boolean;
  run(call: Call): Promise<Dto>;
}

type Method = 'GET' | 'POST';
interface RouteDef {
  path: string;
  ops: Partial<Record<Method, Operation>>;
}

const ALL_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

// ---- paging ----

interface Paging {
  page: number;
  size: number;
  limit: number;
  offset: number;
}

function paging(input: Bag): Paging {
  const page = int(input, 'Page');
  const size = int(input, 'PageSize');
  const errors = [];
  if (page !== undefined && page < 0) {
    errors.push({ errorCode: 'GreaterThanOrEqual', fieldName: 'Page', message: "'Page' must be greater than or equal to '0'.", meta: { PropertyName: 'Page', ComparisonValue: '0' } });
  }
  if (size !== undefined && size < 0) {
    errors.push({ errorCode: 'GreaterThanOrEqual', fieldName: 'PageSize', message: "'Page Size' must be greater than or equal to '0'.", meta: { PropertyName: 'PageSize', ComparisonValue: '0' } });
  }
  if (errors.length) throw validationFailed(errors);
  // An int DTO property cannot tell 0 from absent, so 0 means the default, as it does for the vendor.
  const p = page || 1;
  const s = Math.min(size || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  return { page: p, size: s, limit: s, offset: (p - 1) * s };
}

function pageBody(p: Paging, total: number, results: unknown[]) {
  return { pageSize: p.size, totalPages: Math.ceil(total / p.size), totalItems: total, currentPage: p.page, results };
}

function iso(d: Date | undefined): string | undefined {
  return d?.toISOString();
}

/** Runs a look-up, reporting any not-found in CCC's words for what was looked up. */
async function lookup<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof DomainError && e.code === ErrorCode.NotFound) throw new CccError(404, 'NotFound', `${what} not found`);
    throw e;
  }
}

function pathGuid(params: Record<string, string>, name: string): string {
  const raw = stripSuffix(params[name] ?? '');
  const g = normalizeGuid(raw);
  if (!g) throw invalidValue(name, raw);
  return g;
}

async function servicesPage(ctx: FastifyInstance['domain'], p: Paging, page: { total: number; items: Account[] }): Promise<Dto> {
  const rel = await relativesOf(ctx, page.items);
  return {
    type: 'ServicesResponse',
    body: pageBody(p, page.total, page.items.map((a) => serviceDto(a, rel.get(a.guid)!))),
    listItems: { results: 'Service' },
  };
}

/** The XML root element of a request body names the request DTO; its children are the properties. */
function bodyBag(request: FastifyRequest, dtoName: string): Bag {
  let body = request.body as unknown;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const keys = Object.keys(body as object).filter((k) => !k.startsWith('?'));
    const root = keys.length === 1 ? keys[0].replace(/^.*:/, '') : '';
    const inner = keys.length === 1 ? (body as Record<string, unknown>)[keys[0]] : undefined;
    if (root.toLowerCase() === dtoName.toLowerCase() && inner && typeof inner === 'object') body = inner;
  }
  return bag(body);
}

function routes(app: FastifyInstance) {
  const ctx = app.domain;

  const services: RouteDef[] = [
    {
      path: '',
      ops: {
        GET: {
          request: 'SearchServices',
          response: 'ServicesResponse',
          auth: true,
          async run({ actor, input }) {
            const domain = str(input, 'Domain');
            const name = str(input, 'Name');
            const code = str(input, 'Code');
            const createdFrom = date(input, 'CreatedAfterDateTime');
            const createdBefore = date(input, 'CreatedBeforeDateTime');
            const p = paging(input);
            const page = await searchServices(ctx, actor, {
              domainContains: domain,
              nameContains: name,
              code,
              createdFrom: iso(createdFrom),
              createdBefore: iso(createdBefore),
              limit: p.limit,
              offset: p.offset,
            });
            return servicesPage(ctx, p, page);
          },
        },
        POST: {
          request: 'CreateService',
          response: 'Service',
          auth: true,
          async run({ actor, input }) {
            const contact = object(input, 'Contact', 'ContactInfo');
            const company = object(input, 'Company', 'CompanyInfo');
            const resellerRaw = str(input, 'ResellerGuid');
            const resellerGuid = resellerRaw === undefined ? null : normalizeGuid(resellerRaw);
            if (resellerRaw !== undefined && !resellerGuid) throw invalidValue('ResellerGuid', resellerRaw);
            const newService: NewService = {
              resellerGuid,
              primaryDomain: str(input, 'PrimaryDomain') ?? null,
              name: str(input, 'ServiceName', 'Name'),
              referenceNumber: str(input, 'ReferenceId'),
              contact: contact ? { name: str(contact, 'Name'), email: str(contact, 'Email'), phone: str(contact, 'PhoneNumber', 'Phone') } : null,
              company: company
                ? {
                    name: str(company, 'Name'),
                    address: str(company, 'Address'),
                    city: str(company, 'City'),
                    state: str(company, 'StateProvince', 'State'),
                    postalCode: str(company, 'PostalCode'),
                    country: str(company, 'Country'),
                    website: str(company, 'Website'),
                  }
                : null,
              userCount: int(input, 'TotalUserCount'),
            };
            let account: Account;
            try {
              account = await createService(ctx, actor, newService);
            } catch (e) {
              if (e instanceof DomainError && e.code === ErrorCode.Validation && e.details.fields?.length) {
                const values: Record<string, unknown> = {
                  primaryDomain: newService.primaryDomain,
                  name: newService.name,
                  referenceNumber: newService.referenceNumber,
                  contactName: newService.contact?.name,
                  contactEmail: newService.contact?.email,
                  telephone: newService.contact?.phone,
                };
                throw validationFailed(e.details.fields.map((f) => responseError(f, (field) => values[field])));
              }
              throw e;
            }
            const rel = await relativesOf(ctx, [account]);
            return { type: 'Service', body: serviceDto(account, rel.get(account.guid)!) };
          },
        },
      },
    },
    {
      path: '/status',
      ops: {
        GET: {
          request: 'SearchServiceStatusChanges',
          response: 'ServiceStatusChangesResponse',
          auth: true,
          async run({ actor, input }) {
            const accountGuid = guid(input, 'ServiceGuid');
            const resellerGuid = guid(input, 'ResellerGuid');
            const partnerGuid = guid(input, 'PartnerGuid');
            const changedByGuid = guid(input, 'ChangedByUserGuid');
            const changedByEmail = str(input, 'ChangedByUserEmail')?.trim();
            const changedFrom = date(input, 'ChangedAfterDateTime');
            const changedBefore = date(input, 'ChangedBeforeDateTime');
            const p = paging(input);
            const page = await searchStatusChanges(ctx, actor, {
              accountGuid,
              resellerGuid,
              partnerGuid,
              changedByGuid,
              changedByEmail,
              changedFrom: iso(changedFrom),
              changedBefore: iso(changedBefore),
              limit: p.limit,
              offset: p.offset,
            });
            return {
              type: 'ServiceStatusChangesResponse',
              body: pageBody(p, page.total, page.items.map(statusChangeDto)),
              listItems: { results: 'ServiceStatusChange' },
            };
          },
        },
      },
    },
    {
      path: '/usage',
      ops: {
        GET: {
          request: 'SearchServiceUsage',
          response: 'ServiceUsageResponse',
          auth: true,
          async run({ actor, input }) {
            const partnerGuid = guid(input, 'PartnerGuid');
            const resellerGuid = guid(input, 'ResellerGuid');
            const accountGuid = guid(input, 'ServiceGuid');
            const kind = oneOf(input, 'PeriodType', ['Daily', 'Monthly'] as const) ?? 'Daily';
            const at = date(input, 'Period') ?? ctx.clock.now();
            const p = paging(input);
            const period = usagePeriod(kind === 'Daily' ? 'daily' : 'monthly', at);
            const page = await searchUsage(ctx, actor, { partnerGuid, resellerGuid, accountGuid, period, limit: p.limit, offset: p.offset });
            const rel = await relativesOf(ctx, page.items.map((v) => v.account));
            return {
              type: 'ServiceUsageResponse',
              body: pageBody(p, page.total, page.items.map((v) => serviceUsageDto(v, rel.get(v.account.guid)!))),
              listItems: { results: 'ServiceUsage' },
            };
          },
        },
      },
    },
    {
      path: '/:ServiceGuid',
      ops: {
        GET: {
          request: 'GetService',
          response: 'Service',
          auth: true,
          async run({ actor, params }) {
            const g = pathGuid(params, 'ServiceGuid');
            const account = await lookup('Service', () => getAccountOfKind(ctx, actor, g, 'customer'));
            const rel = await relativesOf(ctx, [account]);
            return { type: 'Service', body: serviceDto(account, rel.get(account.guid)!) };
          },
        },
      },
    },
    {
      path: '/:ServiceGuid/serviceusage',
      ops: {
        GET: {
          request: 'GetServiceUsage',
          response: 'ServiceUsage',
          auth: true,
          async run({ actor, input, params }) {
            const g = pathGuid(params, 'ServiceGuid');
            const kind = oneOf(input, 'PeriodType', ['Daily', 'Monthly'] as const) ?? 'Daily';
            const at = date(input, 'Period') ?? ctx.clock.now();
            const account = await lookup('Service', () => getAccountOfKind(ctx, actor, g, 'customer'));
            const view = await serviceUsage(ctx, actor, account.guid, usagePeriod(kind === 'Daily' ? 'daily' : 'monthly', at));
            const rel = await relativesOf(ctx, [account]);
            return { type: 'ServiceUsage', body: serviceUsageDto(view, rel.get(account.guid)!) };
          },
        },
      },
    },
  ];

  const resellers: RouteDef[] = [
    {
      path: '/:ResellerGuid',
      ops: {
        GET: {
          request: 'GetReseller',
          response: 'Reseller',
          auth: true,
          async run({ actor, params }) {
            const g = pathGuid(params, 'ResellerGuid');
            const reseller = await lookup('Reseller', () => getAccountOfKind(ctx, actor, g, 'reseller'));
            const rel = await relativesOf(ctx, [reseller]);
            return { type: 'Reseller', body: resellerDto(reseller, rel.get(reseller.guid)!.partner) };
          },
        },
      },
    },
    {
      path: '/:ResellerGuid/services',
      ops: {
        GET: {
          request: 'GetResellerServices',
          response: 'ServicesResponse',
          auth: true,
          async run({ actor, input, params }) {
            const g = pathGuid(params, 'ResellerGuid');
            const p = paging(input);
            const page = await lookup('Reseller', () => servicesOfReseller(ctx, actor, g, { limit: p.limit, offset: p.offset }));
            return servicesPage(ctx, p, page);
          },
        },
      },
    },
  ];

  const partners: RouteDef[] = [
    {
      path: '/:PartnerGuid/resellers',
      ops: {
        GET: {
          request: 'GetPartnerResellers',
          response: 'ResellersResponse',
          auth: true,
          async run({ actor, input, params }) {
            const g = pathGuid(params, 'PartnerGuid');
            const p = paging(input);
            const page = await lookup('Partner', () => resellersOfPartner(ctx, actor, g, { limit: p.limit, offset: p.offset }));
            const rel = await relativesOf(ctx, page.items);
            return {
              type: 'ResellersResponse',
              body: pageBody(p, page.total, page.items.map((r) => resellerDto(r, rel.get(r.guid)!.partner))),
              listItems: { results: 'Reseller' },
            };
          },
        },
      },
    },
  ];

  const ping: RouteDef[] = [
    {
      path: '',
      ops: {
        GET: {
          request: 'Ping',
          response: 'PingResponse',
          auth: false,
          async run() {
            return { type: 'PingResponse', body: { result: 'Pong', serverTime: ctx.clock.now().toISOString().replace(/\.000Z$/, 'Z') } };
          },
        },
      },
    },
  ];

  const publicRoutes: RouteDef[] = [
    {
      path: '/services/single',
      ops: {
        GET: {
          request: 'GetPublicService',
          response: 'PublicService',
          auth: false,
          async run({ input }) {
            const code = str(input, 'ServiceCode')?.trim();
            if (!code) {
              throw validationFailed([{ errorCode: 'NotEmpty', fieldName: 'ServiceCode', message: "'Service Code' must not be empty.", meta: { PropertyName: 'ServiceCode' } }]);
            }
            const account = await lookup('Service', () => publicService(ctx, code));
            return { type: 'PublicService', body: publicServiceDto(account) };
          },
        },
      },
    },
  ];

  return { '/api/services': services, '/api/resellers': resellers, '/api/partners': partners, '/api/ping': ping, '/api/public': publicRoutes };
}

function handlerFor(app: FastifyInstance, op: Operation) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const state = cccState(request);
    state.responseType = op.response;
    if (state.refusedCallback !== null) {
      const message = `'${state.refusedCallback}' is an Invalid value for 'callback'`;
      throw new CccError(400, 'ArgumentException', message, [{ errorCode: 'ArgumentException', fieldName: 'callback', message }]);
    }
    const actor = op.auth ? await authenticate(app.domain, request) : (null as unknown as Actor);
    const params = (request.params ?? {}) as Record<string, string>;
    const input = request.method === 'GET' ? bag(request.query) : merge(bag(request.query), bodyBag(request, op.request));
    const dto = await op.run({ request, actor, input, params });
    return sendDto(request, reply, 200, dto);
  };
}

function notImplemented(op: Operation, allowed: string[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const method = request.method.charAt(0) + request.method.slice(1).toLowerCase();
    reply.header('allow', allowed.join(', '));
    throw new CccError(405, 'NotImplementedException', `Could not find method named ${method}(${op.request}) or Any(${op.request}) on Service CccService`);
  };
}

/** Path variants: every static path also answers with a .json/.xml/.csv suffix; a trailing {param} strips its own. */
function variants(path: string): string[] {
  const last = path.split('/').pop() ?? '';
  if (last.startsWith(':')) return [path];
  return [path, `${path}.json`, `${path}.xml`, `${path}.csv`];
}

export default async function cccFace(app: FastifyInstance): Promise<void> {
  const onError = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, responseStatus } = toResponseStatus(error);
    if (status >= 500) request.log.error({ err: error }, 'CCC request failed');
    return sendError(request, reply, status, responseStatus);
  };
  app.setErrorHandler(onError);
  for (const [prefix, defs] of Object.entries(routes(app))) {
    await app.register(
      async (scope) => {
        const notFound = (request: FastifyRequest, reply: FastifyReply) => {
          const path = request.url.split('?')[0];
          return sendError(request, reply, 404, { errorCode: 'NotFound', message: `Handler for Request not found: ${request.method} ${path}`, errors: [] });
        };
        scope.setNotFoundHandler(notFound);
        setScopeErrorHandler(scope, onError);
        // The not-found handler only covers `prefix` and `prefix/…`; a prefix that is itself a route also
        // owns its unknown suffixes (/api/ping.json.json, /api/services.txt), which would reach the app's 404.
        if (defs.some((d) => d.path === '')) scope.route({ method: [...ALL_METHODS, 'OPTIONS'], url: '.*', handler: notFound });
        for (const def of defs) {
          const defined = Object.keys(def.ops) as Method[];
          const others = ALL_METHODS.filter((m) => !defined.includes(m as Method));
          const any = def.ops[defined[0]]!;
          for (const url of variants(def.path)) {
            for (const m of defined) scope.route({ method: m, url, handler: handlerFor(app, def.ops[m]!) });
            scope.route({ method: others as unknown as string[], url, handler: notImplemented(any, defined) } as never);
          }
        }
      },
      { prefix },
    );
  }
}
