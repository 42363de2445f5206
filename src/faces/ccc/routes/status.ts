/** SearchServiceStatusChanges: /api/services/status (seed 004). */
import { searchStatusChanges } from '../../../domain/status-search.js';
import { SearchServiceStatusChanges, ServiceStatusChangesResponse, responses } from '../schemas.js';
import { statusChangeDto } from '../dto.js';
import { ccc, cccRoute, pageBody, paging } from './declare.js';

export const statusRoutes = [
  cccRoute({
    method: 'GET',
    url: '/status',
    operationId: 'SearchServiceStatusChanges',
    summary: 'Searches the status history of services',
    config: ccc('ServiceStatusChangesResponse'),
    schema: { querystring: SearchServiceStatusChanges, response: responses(ServiceStatusChangesResponse) },
    async handler({ actor, query: q, domain }) {
      const p = paging(q);
      const page = await searchStatusChanges(domain, actor, {
        accountGuid: q.ServiceGuid,
        resellerGuid: q.ResellerGuid,
        partnerGuid: q.PartnerGuid,
        changedByGuid: q.ChangedByUserGuid,
        changedByEmail: q.ChangedByUserEmail?.trim(),
        changedFrom: q.ChangedAfterDateTime,
        changedBefore: q.ChangedBeforeDateTime,
        limit: p.limit,
        offset: p.offset,
      });
      return pageBody(p, page.total, page.items.map(statusChangeDto));
    },
  }),
];
