/**
 * ServiceStack's MetadataTypes (what /types/metadata answers, and what the DTO sources are written from),
 * made from the CCC operation table: the request DTOs from the routes' request schemas, the response DTOs
 * and the types they use from the response schemas. Property names are the .NET ones (PascalCase).
 */
import type { CccOperation, SchemaNode } from '../operations.js';

export const DTO_NAMESPACE = 'DeliverySlip.Ccc.ServiceModel';
export const SERVICE_NAME = 'CCC API';
export const API_VERSION = '8.4.0.0';
/** The ServiceStack version the sources say they were written by (their `Version:` header line). */
export const SERVICESTACK_VERSION = '8.40';

export interface TypeRef {
  name: string;
  namespace?: string;
  genericArgs?: string[];
}

export interface MetadataProperty {
  name: string;
  type: string;
  namespace?: string;
  genericArgs?: string[];
  isValueType?: boolean;
  isEnum?: boolean;
  isRequired?: boolean;
  paramType?: string;
  description?: string;
  allowableValues?: string[];
}

export interface MetadataType {
  name: string;
  namespace: string;
  inherits?: TypeRef;
  implements?: TypeRef[];
  isEnum?: boolean;
  enumNames?: string[];
  enumValues?: string[];
  properties?: MetadataProperty[];
  description?: string;
}

export interface MetadataRoute {
  path: string;
  verbs: string;
  summary?: string;
}

export interface MetadataOperation {
  request: MetadataType & { routes: MetadataRoute[] };
  response: MetadataType;
  actions: string[];
  method: string;
  returnsVoid: boolean;
  requiresAuth: boolean;
  routes: MetadataRoute[];
}

export interface MetadataTypes {
  config: Record<string, unknown>;
  namespaces: string[];
  types: MetadataType[];
  operations: MetadataOperation[];
}

const pascal = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
const VALUE_TYPES = new Set(['Guid', 'DateTime', 'Int32', 'Int64', 'Double', 'Boolean']);

/** ServiceStack's own types every DTO source carries (AddServiceStackTypes). */
export const SERVICESTACK_TYPES: MetadataType[] = [
  {
    name: 'ResponseError',
    namespace: 'ServiceStack',
    properties: [
      { name: 'ErrorCode', type: 'String', namespace: 'System' },
      { name: 'FieldName', type: 'String', namespace: 'System' },
      { name: 'Message', type: 'String', namespace: 'System' },
      { name: 'Meta', type: 'Dictionary`2', namespace: 'System.Collections.Generic', genericArgs: ['String', 'String'] },
    ],
  },
  {
    name: 'ResponseStatus',
    namespace: 'ServiceStack',
    properties: [
      { name: 'ErrorCode', type: 'String', namespace: 'System' },
      { name: 'Message', type: 'String', namespace: 'System' },
      { name: 'StackTrace', type: 'String', namespace: 'System' },
      { name: 'Errors', type: 'List`1', namespace: 'System.Collections.Generic', genericArgs: ['ResponseError'] },
      { name: 'Meta', type: 'Dictionary`2', namespace: 'System.Collections.Generic', genericArgs: ['String', 'String'] },
    ],
  },
];

/** The base of CCC's *Response DTOs (seed 004: "BaseResponse Parameters: ResponseStatus"). */
const BASE_RESPONSE: MetadataType = {
  name: 'BaseResponse',
  namespace: DTO_NAMESPACE,
  properties: [{ name: 'ResponseStatus', type: 'ResponseStatus', namespace: 'ServiceStack' }],
};

/** Collects the named types (objects and enums with a title) a schema uses. */
class TypeCollector {
  readonly types = new Map<string, MetadataType>();

  /** The .NET type of a schema; `nullable` wraps value types in Nullable`1 (an optional request property). */
  typeOf(s: SchemaNode, nullable: boolean): Omit<MetadataProperty, 'name'> {
    const t = this.baseType(s);
    if (nullable && t.isValueType) return { type: 'Nullable`1', namespace: 'System', genericArgs: [t.type], isValueType: true, isEnum: t.isEnum };
    return t;
  }

  private baseType(s: SchemaNode): Omit<MetadataProperty, 'name'> {
    if (s.dotnet) return { type: s.dotnet, namespace: 'System', isValueType: VALUE_TYPES.has(s.dotnet) };
    if (s.format === 'ccc-guid') return { type: 'Guid', namespace: 'System', isValueType: true };
    if (s.format === 'ccc-datetime') return { type: 'DateTime', namespace: 'System', isValueType: true };
    if (s.enum && s.title) {
      this.addEnum(s.title, s.enum);
      return { type: s.title, namespace: DTO_NAMESPACE, isValueType: true, isEnum: true, allowableValues: s.enum };
    }
    if (s.type === 'integer') return { type: 'Int32', namespace: 'System', isValueType: true };
    if (s.type === 'number') return { type: 'Double', namespace: 'System', isValueType: true };
    if (s.type === 'boolean') return { type: 'Boolean', namespace: 'System', isValueType: true };
    if (s.type === 'array' && s.items) {
      return { type: 'List`1', namespace: 'System.Collections.Generic', genericArgs: [this.baseType(s.items).type] };
    }
    if (s.type === 'object' && s.title && s.properties) {
      this.addObject(s.title, s);
      return { type: s.title, namespace: DTO_NAMESPACE };
    }
    if (s.type === 'object') return { type: 'Dictionary`2', namespace: 'System.Collections.Generic', genericArgs: ['String', 'String'] };
    return { type: 'String', namespace: 'System' };
  }

  private addEnum(name: string, values: string[]) {
    if (!this.types.has(name)) this.types.set(name, { name, namespace: DTO_NAMESPACE, isEnum: true, enumNames: [...values] });
  }

  /** A type named twice (ContactInfo in a request and in a response) is the first one seen. */
  addObject(name: string, s: SchemaNode, extra: Partial<MetadataType> = {}): MetadataType {
    const known = this.types.get(name);
    if (known) return known;
    const t: MetadataType = { name, namespace: DTO_NAMESPACE, ...extra, properties: [] };
    this.types.set(name, t);
    const required = new Set(s.required ?? []);
    t.properties = Object.entries(s.properties ?? {}).map(([k, p]) => ({
      name: pascal(k),
      ...this.typeOf(p, false),
      ...(required.has(k) ? { isRequired: true } : {}),
      ...(p.description ? { description: p.description } : {}),
    }));
    return t;
  }
}

function requestType(op: CccOperation, types: TypeCollector): MetadataType {
  return {
    name: op.name,
    namespace: DTO_NAMESPACE,
    implements: [{ name: 'IReturn`1', namespace: 'ServiceStack', genericArgs: [op.response.name] }, ...(op.verbs.length === 1 ? [{ name: `I${pascal(op.verbs[0].toLowerCase())}`, namespace: 'ServiceStack' }] : [])],
    ...(op.summary ? { description: op.summary } : {}),
    properties: op.properties.map((p) => ({
      name: p.name,
      ...types.typeOf(p.schema, !p.required),
      ...(p.required ? { isRequired: true } : {}),
      paramType: p.in,
      ...(p.schema.description ? { description: p.schema.description } : {}),
    })),
  };
}

/** The MetadataTypes of the CCC operations, for a host at `baseUrl`. */
export function metadataTypes(operations: CccOperation[], baseUrl: string): MetadataTypes {
  const types = new TypeCollector();
  // Requests first: a type both use (ContactInfo) is described as a request declares it, with its required properties.
  const requests = operations.map((op) => requestType(op, types));
  const ops = operations.map((op, i): MetadataOperation => {
    const request = requests[i];
    const isResponse = op.response.name.endsWith('Response');
    const response = types.addObject(op.response.name, op.response.schema, isResponse ? { inherits: { name: 'BaseResponse', namespace: DTO_NAMESPACE } } : {});
    const routes = [{ path: op.path, verbs: op.verbs.join(','), ...(op.summary ? { summary: op.summary } : {}) }];
    const method = op.verbs.length === 1 ? op.verbs[0] : 'POST';
    return { request: { ...request, routes }, response, actions: op.verbs.length === 1 && op.verbs[0] === 'GET' ? ['ANY'] : [...op.verbs], method, returnsVoid: false, requiresAuth: op.auth, routes };
  });
  const responses = new Set(ops.map((o) => o.response.name));
  const inherited = ops.some((o) => o.response.inherits) ? [BASE_RESPONSE] : [];
  return {
    config: { baseUrl, usePath: null, makePartial: true, makeVirtual: true, addReturnMarker: true, addDescriptionAsComments: true, addServiceStackTypes: true, globalNamespace: DTO_NAMESPACE, makePropertiesOptional: true },
    namespaces: ['System', 'System.Collections.Generic', 'ServiceStack', DTO_NAMESPACE],
    types: [...SERVICESTACK_TYPES, ...inherited, ...[...types.types.values()].filter((t) => !responses.has(t.name))],
    operations: ops,
  };
}
