/** Ping and GetPublicService: the routes anyone may call, without a key. */
import { publicService } from '../../../domain/customer-directory.js';
import { GetPublicService, PingResponse, PublicService, responses } from '../schemas.js';
import { publicServiceDto } from '../dto.js';
import { ccc, cccRoute } from './declare.js';

export const pingRoutes = [
  cccRoute({
    method: 'GET',
    url: '',
    operationId: 'Ping',
    summary: 'Answers Pong and the server time (no key needed)',
    auth: false,
    config: ccc('PingResponse'),
    schema: { response: responses(PingResponse) },
    handler: ({ domain }) => ({ result: 'Pong', serverTime: domain.clock.now().toISOString().replace(/\.000Z$/, 'Z') }),
  }),
];

export const publicRoutes = [
  cccRoute({
    method: 'GET',
    url: '/services/single',
    operationId: 'GetPublicService',
    summary: 'A service’s public facts by its code (no key needed)',
    auth: false,
    config: ccc('PublicService', { notFoundAs: 'Service' }),
    schema: { querystring: GetPublicService, response: responses(PublicService) },
    async handler({ query, domain }) {
      return publicServiceDto(await publicService(domain, query.ServiceCode.trim()));
    },
  }),
];
