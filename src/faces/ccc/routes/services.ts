/** SearchServices, CreateService and GetService: /api/services and /api/services/{ServiceGuid}. */
import { createService, getAccountOfKind, searchServices, type NewService } from '../../../domain/customer-directory.js';
import { CreateService, SearchServices, Service, ServiceGuidParams, ServicesResponse, responses } from '../schemas.js';
import { serviceDto } from '../dto.js';
import { ccc, cccRoute, pageBody, paging } from './declare.js';

export const serviceRoutes = [
  cccRoute({
    method: 'GET',
    url: '',
    operationId: 'SearchServices',
    summary: 'Searches the services (customer accounts) the key can see',
    config: ccc('ServicesResponse'),
    schema: { querystring: SearchServices, response: responses(ServicesResponse) },
    async handler({ actor, query: q, domain }) {
      const p = paging(q);
      const page = await searchServices(domain, actor, {
        domainContains: q.Domain,
        nameContains: q.Name,
        code: q.Code,
        createdFrom: q.CreatedAfterDateTime,
        createdBefore: q.CreatedBeforeDateTime,
        limit: p.limit,
        offset: p.offset,
      });
      return pageBody(p, page.total, page.items.map((s) => serviceDto(s.account, s)));
    },
  }),
  cccRoute({
    method: 'POST',
    url: '',
    operationId: 'CreateService',
    summary: 'Creates a service below a reseller',
    config: ccc('Service', { notFoundAs: 'Reseller', requires: 'account.create' }),
    schema: { body: CreateService, response: responses(Service) },
    async handler({ actor, body: b, domain }) {
      const c = b.Contact;
      const co = b.Company;
      const input: NewService = {
        resellerGuid: b.ResellerGuid,
        primaryDomain: b.PrimaryDomain,
        name: b.ServiceName,
        referenceNumber: b.ReferenceId,
        contact: c ? { name: c.Name, email: c.Email, phone: c.PhoneNumber } : null,
        company: co
          ? { name: co.Name, address: co.Address, city: co.City, state: co.StateProvince, postalCode: co.PostalCode, country: co.Country, website: co.Website }
          : null,
        userCount: b.TotalUserCount,
      };
      const made = await createService(domain, actor, input);
      return serviceDto(made.account, made);
    },
  }),
  cccRoute({
    method: 'GET',
    url: '/:ServiceGuid',
    operationId: 'GetService',
    summary: 'Shows one service',
    config: ccc('Service', { notFoundAs: 'Service' }),
    schema: { params: ServiceGuidParams, response: responses(Service) },
    async handler({ actor, params, domain }) {
      const s = await getAccountOfKind(domain, actor, params.ServiceGuid, 'customer');
      return serviceDto(s.account, s);
    },
  }),
];
