/**
 * The CCC operation table: every operation the face declares, read from its route declarations (the
 * custom routes), as ServiceStack's metadata sees them. An operation is named by its request DTO; its
 * request DTO is the route's path, query and body schemas together; its response DTO is the route's
 * success schema. The pre-defined routes, the metadata pages and the DTO sources are all made from it.
 */
import type { TSchema } from '@sinclair/typebox';
import type { Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';

export interface OperationProperty {
  name: string;
  /** Where the custom route reads it from (seed 004's "Parameter" column). */
  in: 'path' | 'query' | 'body';
  required: boolean;
  schema: SchemaNode;
}

export interface SchemaNode {
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  enum?: string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  patternProperties?: Record<string, SchemaNode>;
  /** The .NET type a string or number stands for, where the JSON type cannot say (Guid, DateTime, Int64). */
  dotnet?: string;
}

export interface CccOperation {
  /** The request DTO's name: the operation's name in ServiceStack. */
  name: string;
  /** The custom route's verbs and path in ServiceStack's form (/api/services/{ServiceGuid}). */
  verbs: string[];
  path: string;
  summary?: string;
  auth: boolean;
  properties: OperationProperty[];
  response: { name: string; schema: SchemaNode };
  /** The declared route it comes from (its config and handler serve the pre-defined routes too). */
  route: Route<Actor, any>;
}

export interface DeclaredScope {
  prefix: string;
  routes: Route<Actor, any>[];
}

function propertiesOf(schema: TSchema | undefined, where: OperationProperty['in']): OperationProperty[] {
  const node = schema as SchemaNode | undefined;
  const required = new Set(node?.required ?? []);
  return Object.entries(node?.properties ?? {}).map(([name, s]) => ({ name, in: where, required: required.has(name) || where === 'path', schema: s }));
}

/** The operations of the face's declared scopes, in declaration order. */
export function operationTable(scopes: DeclaredScope[]): CccOperation[] {
  const out: CccOperation[] = [];
  for (const scope of scopes) {
    for (const route of scope.routes) {
      const s = route.schema ?? {};
      const urls = Array.isArray(route.url) ? route.url : [route.url];
      const path = (scope.prefix + urls[0]).replace(/:(\w+)/g, '{$1}');
      const config = (route.config ?? {}) as { response?: string };
      out.push({
        name: route.operationId,
        verbs: Array.isArray(route.method) ? [...route.method] : [route.method],
        path,
        summary: route.summary,
        auth: route.auth !== false,
        properties: [...propertiesOf(s.params, 'path'), ...propertiesOf(s.querystring, 'query'), ...propertiesOf(s.body, 'body')],
        response: { name: config.response ?? `${route.operationId}Response`, schema: (s.response?.[200] ?? {}) as SchemaNode },
        route,
      });
    }
  }
  return out;
}

/** A read operation (its custom route is GET): served by any verb, as a ServiceStack Any() implementation is. */
export const isQuery = (op: CccOperation) => op.verbs.every((v) => v === 'GET');
