/** SearchServiceUsage and GetServiceUsage: /api/services/usage and /api/services/{ServiceGuid}/serviceusage. */
import { searchUsage, serviceUsage, usagePeriod } from '../../../domain/service-usage.js';
import { GetServiceUsage, SearchServiceUsage, ServiceGuidParams, ServiceUsage, ServiceUsageResponse, responses } from '../schemas.js';
import { serviceUsageDto } from '../dto.js';
import { ccc, cccRoute, pageBody, paging } from './declare.js';

/** The day or month asked for; a Daily report of today when the client names neither. */
function period(q: { PeriodType?: 'Daily' | 'Monthly'; Period?: string }, now: Date) {
  return usagePeriod(q.PeriodType === 'Monthly' ? 'monthly' : 'daily', q.Period ? new Date(q.Period) : now);
}

export const usageRoutes = [
  cccRoute({
    method: 'GET',
    url: '/usage',
    operationId: 'SearchServiceUsage',
    summary: 'Searches daily or monthly service usage',
    config: ccc('ServiceUsageResponse'),
    schema: { querystring: SearchServiceUsage, response: responses(ServiceUsageResponse) },
    async handler({ actor, query: q, domain }) {
      const p = paging(q);
      const page = await searchUsage(domain, actor, {
        partnerGuid: q.PartnerGuid,
        resellerGuid: q.ResellerGuid,
        accountGuid: q.ServiceGuid,
        period: period(q, domain.clock.now()),
        limit: p.limit,
        offset: p.offset,
      });
      return pageBody(p, page.total, page.items.map((v) => serviceUsageDto(v, v)));
    },
  }),
  cccRoute({
    method: 'GET',
    url: '/:ServiceGuid/serviceusage',
    operationId: 'GetServiceUsage',
    summary: 'One service’s usage',
    config: ccc('ServiceUsage', { notFoundAs: 'Service' }),
    schema: { params: ServiceGuidParams, querystring: GetServiceUsage, response: responses(ServiceUsage) },
    async handler({ actor, params, query: q, domain }) {
      const view = await serviceUsage(domain, actor, params.ServiceGuid, period(q, domain.clock.now()));
      return serviceUsageDto(view, view);
    },
  }),
];
