/** GetReseller, GetResellerServices (/api/resellers/…) and GetPartnerResellers (/api/partners/…). */
import { getAccountOfKind, resellersOfPartner, servicesOfReseller } from '../../../domain/customer-directory.js';
import { PagingQuery, PartnerGuidParams, Reseller, ResellerGuidParams, ResellersResponse, ServicesResponse, responses } from '../schemas.js';
import { resellerDto, serviceDto } from '../dto.js';
import { ccc, cccRoute, pageBody, paging } from './declare.js';

export const resellerRoutes = [
  cccRoute({
    method: 'GET',
    url: '/:ResellerGuid',
    operationId: 'GetReseller',
    summary: 'Shows one reseller',
    config: ccc('Reseller', { notFoundAs: 'Reseller' }),
    schema: { params: ResellerGuidParams, response: responses(Reseller) },
    async handler({ actor, params, domain }) {
      const r = await getAccountOfKind(domain, actor, params.ResellerGuid, 'reseller');
      return resellerDto(r.account, r.partner);
    },
  }),
  cccRoute({
    method: 'GET',
    url: '/:ResellerGuid/services',
    operationId: 'GetResellerServices',
    summary: 'Lists a reseller’s services',
    config: ccc('ServicesResponse', { notFoundAs: 'Reseller' }),
    schema: { params: ResellerGuidParams, querystring: PagingQuery, response: responses(ServicesResponse) },
    async handler({ actor, params, query, domain }) {
      const p = paging(query);
      const page = await servicesOfReseller(domain, actor, params.ResellerGuid, { limit: p.limit, offset: p.offset });
      return pageBody(p, page.total, page.items.map((s) => serviceDto(s.account, s)));
    },
  }),
];

export const partnerRoutes = [
  cccRoute({
    method: 'GET',
    url: '/:PartnerGuid/resellers',
    operationId: 'GetPartnerResellers',
    summary: 'Lists a partner’s resellers',
    config: ccc('ResellersResponse', { notFoundAs: 'Partner' }),
    schema: { params: PartnerGuidParams, querystring: PagingQuery, response: responses(ResellersResponse) },
    async handler({ actor, params, query, domain }) {
      const p = paging(query);
      const page = await resellersOfPartner(domain, actor, params.PartnerGuid, { limit: p.limit, offset: p.offset });
      return pageBody(p, page.total, page.items.map((r) => resellerDto(r.account, r.partner)));
    },
  }),
];
