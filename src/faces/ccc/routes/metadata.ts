/**
 * The host's self-description, as a ServiceStack host serves it: /metadata and /json/metadata?op={Name}
 * (HTML), /types/metadata (MetadataTypes JSON), /types/typescript and /types/csharp (the DTO sources
 * @servicestack/cli's typescript-ref and csharp-ref save). All are generated from the operation table,
 * so from the same schemas that serve the routes; none needs a key, as on a default ServiceStack host.
 */
import type { FastifyRequest } from 'fastify';
import type { CccOperation } from '../operations.js';
import { metadataTypes } from '../metadata/types.js';
import { typescriptSource } from '../metadata/typescript.js';
import { csharpSource } from '../metadata/csharp.js';
import { sourceOptions } from '../metadata/options.js';
import { metadataIndexPage, operationPage } from '../metadata/html.js';
import { NotFoundRoute } from '../../../http/route.js';
import { cccRoute } from './declare.js';

const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
const describes = { describes: true };

export function metadataRoutes(operations: CccOperation[]) {
  const meta = (request: FastifyRequest) => metadataTypes(operations, baseUrl(request));
  const options = (request: FastifyRequest) => sourceOptions((request.query ?? {}) as Record<string, unknown>, request.server.domain.clock.now());
  return [
    cccRoute({
      method: 'GET',
      url: '/metadata',
      operationId: 'Metadata',
      auth: false,
      hidden: true,
      config: describes,
      handler: ({ request, reply }) => reply.type('text/html; charset=utf-8').send(metadataIndexPage(meta(request))),
    }),
    cccRoute({
      method: 'GET',
      url: '/json/metadata',
      operationId: 'OperationMetadata',
      auth: false,
      hidden: true,
      config: describes,
      handler: ({ request, reply }) => {
        const m = meta(request);
        const name = String((request.query as { op?: string }).op ?? '');
        if (!name) return reply.type('text/html; charset=utf-8').send(metadataIndexPage(m));
        const op = m.operations.find((o) => o.request.name.toLowerCase() === name.toLowerCase());
        if (!op) throw new NotFoundRoute(`/json/metadata?op=${name}`);
        return reply.type('text/html; charset=utf-8').send(operationPage(m, op, request.host));
      },
    }),
    cccRoute({
      method: 'GET',
      url: '/types/metadata',
      operationId: 'MetadataTypes',
      auth: false,
      hidden: true,
      config: describes,
      handler: ({ request }) => meta(request),
    }),
    cccRoute({
      method: 'GET',
      url: '/types/typescript',
      operationId: 'TypeScriptDtos',
      auth: false,
      hidden: true,
      config: describes,
      handler: ({ request, reply }) => reply.type('text/plain; charset=utf-8').send(typescriptSource(meta(request), options(request))),
    }),
    cccRoute({
      method: 'GET',
      url: '/types/csharp',
      operationId: 'CSharpDtos',
      auth: false,
      hidden: true,
      config: describes,
      handler: ({ request, reply }) => reply.type('text/plain; charset=utf-8').send(csharpSource(meta(request), options(request))),
    }),
  ];
}
