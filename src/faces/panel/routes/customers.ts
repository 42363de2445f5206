import { Type, type Static } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import { createAccount, listAccounts, type AccountFields } from '../../../domain/account.js';
import { DomainError, ErrorCode } from '../../../domain/errors.js';
import type { PanelUser } from '../session.js';
import { sendPage, seeOther } from '../reply.js';
import { CustomersPage, NewCustomerPage, type CustomerSearch } from '../views/customers.js';
import { emptyForm } from '../views/forms.js';
import { accountUrl } from '../views/layout.js';
import { AccountParams, CsrfForm, PageQuery, text } from './schemas.js';
import { accountFrame, formRefusal } from './frame.js';

const PAGE_SIZE = 20;
const TEXT_FIELDS = ['name', 'referenceNumber', 'email', 'phone', 'addressLine1', 'addressLine2', 'city', 'state', 'zip', 'country', 'primaryDomain'] as const;
const FIELDS = [...TEXT_FIELDS, 'userCount'];

const SearchQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    q: Type.Optional(Type.String({ maxLength: 100 })),
    match: Type.Optional(Type.Union([Type.Literal('startswith'), Type.Literal('contains')])),
    notice: Type.Optional(Type.String({ maxLength: 20 })),
  }),
]);

const CustomerForm = Type.Intersect([CsrfForm, Type.Object({ ...Object.fromEntries(FIELDS.map((f) => [f, text()])) })]);
type CustomerForm = Static<typeof CustomerForm> & Record<string, string | undefined>;

const NOTICES: Record<string, string> = { created: 'Customer created.', deleted: 'The account was deleted.' };

/** Empty optional fields mean "none", as on the API; the user count is a number the domain judges. */
function newCustomerFields(body: CustomerForm): AccountFields & { name: string } {
  const fields: Record<string, unknown> = { name: body.name ?? '' };
  for (const f of TEXT_FIELDS) if (f !== 'name' && body[f]?.trim()) fields[f] = body[f]!.trim();
  if (body.userCount?.trim()) fields.userCount = /^\d+$/.test(body.userCount.trim()) ? Number(body.userCount.trim()) : Number.NaN;
  return fields as AccountFields & { name: string };
}

export const customerRoutes = [
  route<PanelUser, { params: AccountParams; querystring: typeof SearchQuery }>({
    method: 'GET',
    url: '/accounts/:n/customers',
    operationId: 'ListCustomers',
    schema: { params: AccountParams, querystring: SearchQuery },
    handler: async ({ actor: user, params, query, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      if (!frame.may.listCustomers) throw new DomainError(ErrorCode.NotFound, 'no customers here');
      const search: CustomerSearch = { q: query.q?.trim() ?? '', match: query.match ?? 'startswith', offset: query.offset ?? 0, size: PAGE_SIZE };
      // As the API's startswith and contains: "0-9" as a prefix means "starts with a digit".
      const startsWith = search.match === 'startswith' && search.q ? (search.q === '0-9' ? { digit: true as const } : search.q) : undefined;
      const contains = search.match === 'contains' && search.q ? search.q : undefined;
      const page = await listAccounts(domain, user.actor, { childrenOf: frame.account.guid, startsWith, contains, limit: PAGE_SIZE, offset: search.offset });
      return sendPage(reply, 200, CustomersPage({ ...frame, search, page, notice: NOTICES[query.notice ?? ''] }));
    },
  }),
  route<PanelUser, { params: AccountParams }>({
    method: 'GET',
    url: '/accounts/:n/customers/new',
    operationId: 'NewCustomerForm',
    schema: { params: AccountParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      if (!frame.may.createCustomer) throw new DomainError(ErrorCode.Forbidden, 'creating customers is not allowed');
      return sendPage(reply, 200, NewCustomerPage({ ...frame, form: emptyForm() }));
    },
  }),
  route<PanelUser, { params: AccountParams; body: typeof CustomerForm }>({
    method: 'POST',
    url: '/accounts/:n/customers',
    operationId: 'CreateCustomer',
    schema: { params: AccountParams, body: CustomerForm },
    handler: async ({ actor: user, params, body, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      const form = body as CustomerForm;
      try {
        const created = await createAccount(domain, user.actor, { ...newCustomerFields(form), parentGuid: frame.account.guid, kind: 'customer' });
        return seeOther(reply, accountUrl(created.accountNumber));
      } catch (e) {
        const { _csrf, ...values } = form;
        return sendPage(reply, 400, NewCustomerPage({ ...frame, form: formRefusal(e, values, FIELDS) }));
      }
    },
  }),
];
