import type { FaceName } from './route.js';
import type { Example, FaceOpenApi } from './face-openapi.js';

/**
 * The finishing of the generated document: the faces' tags and security schemes, their error statuses with
 * what each means, the examples from the seeds, and the one-face documents cut from the whole one.
 */

export const VENDOR_FACES: readonly FaceName[] = ['rackspace', 'mimecast', 'ccc'];

type Json = Record<string, any>;

export interface OpenApiDocument {
  openapi: string;
  info: Json;
  tags?: Json[];
  servers?: Json[];
  paths: Record<string, Record<string, Json>>;
  components: Json & { securitySchemes?: Record<string, Json> };
}

/** Document operation id → the face and the route's own operation id (several URLs may serve one). */
export type Operations = Map<string, { face: FaceName; operationId: string }>;

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const TAG_NAMES: Record<string, string> = { rackspace: 'Rackspace Email & Apps', mimecast: 'Mimecast API 1.0', ccc: 'DeliverySlip CCC' };

export function* operationsOf(doc: OpenApiDocument): Generator<[string, string, Json]> {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) if (HTTP_METHODS.has(method)) yield [path, method, op];
  }
}

function namedExamples(list: Example[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  list.forEach((e, i) => {
    const key = e.summary.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || `example-${i + 1}`;
    out[out[key] ? `${key}-${i + 1}` : key] = { summary: e.summary, ...(e.source ? { description: `From ${e.source}.` } : {}), value: e.value };
  });
  return out;
}

/** Adds examples to the JSON media type of a request body or response, where it has one. */
function addExamples(target: Json | undefined, list: Example[] | undefined): void {
  const media = target?.content?.['application/json'];
  if (!media || !list?.length) return;
  media.examples = { ...(media.examples ?? {}), ...namedExamples(list) };
}

const RANGE_DESCRIPTIONS: Record<string, string> = {
  '4XX': 'Refused: the face’s error document. The statuses listed say which refusal is which.',
  '5XX': 'Server error, in the face’s error document; it never carries internals.',
};

/** The face's error statuses as responses of their own (sharing the 4XX/5XX schema), each saying what it means. */
function declareErrors(op: Json, facts: FaceOpenApi): void {
  const responses = op.responses as Record<string, Json>;
  for (const [range, description] of Object.entries(RANGE_DESCRIPTIONS)) {
    if (responses[range]?.description === 'Default Response') responses[range].description = description;
  }
  if (responses['200']?.description === 'Default Response') responses['200'].description = 'OK';
  // Routes that answer a bare 200 declare no success schema; the document still says what success is.
  if (!Object.keys(responses).some((s) => s.startsWith('2'))) responses['200'] = { description: 'OK, with an empty body' };
  const open = Array.isArray(op.security) && op.security.length === 0;
  for (const [status, description] of Object.entries(facts.errors)) {
    if (open && facts.authStatuses?.includes(status)) continue;
    const existing = responses[status];
    if (existing) {
      existing.description = `${existing.description}\n\n${description}`;
      continue;
    }
    const range = responses[`${status[0]}XX`];
    if (range) responses[status] = { description, ...(range.content ? { content: structuredClone(range.content) } : {}) };
  }
}

/** Error responses refer to the face's error document in components/schemas instead of repeating it. */
function shareErrorSchemas(doc: OpenApiDocument, op: Json, facts: FaceOpenApi): void {
  const schemas = (doc.components.schemas ??= {}) as Record<string, Json>;
  for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
    if (!/^[45]/.test(status)) continue;
    for (const media of Object.values((response.content ?? {}) as Record<string, Json>)) {
      if (!media.schema || media.schema.$ref) continue;
      const text = JSON.stringify(media.schema);
      let name = facts.errorSchemaName;
      for (let n = 2; schemas[name] && JSON.stringify(schemas[name]) !== text; n++) name = `${facts.errorSchemaName}${n}`;
      schemas[name] = media.schema;
      media.schema = { $ref: `#/components/schemas/${name}` };
    }
  }
}

function completeOperation(doc: OpenApiDocument, op: Json, facts: FaceOpenApi, operationId: string): void {
  declareErrors(op, facts);
  shareErrorSchemas(doc, op, facts);
  // Examples of one URL's operation (ListCustomersV1) or of every URL serving the route (getAccount).
  const examples = facts.examples[op.operationId] ?? facts.examples[operationId];
  addExamples(op.requestBody, examples?.request);
  for (const [status, list] of Object.entries({ ...facts.errorExamples, ...examples?.responses })) addExamples(op.responses[status], list);
}

/** Face-internal schema annotations (the CCC binder's `aliases`) are no part of the published schema. */
function stripInternal(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(stripInternal);
  if (!value || typeof value !== 'object') return;
  const o = value as Json;
  if (Array.isArray(o.aliases) && (o.type === 'string' || o.type === 'integer' || o.type === 'object')) delete o.aliases;
  for (const v of Object.values(o)) stripInternal(v);
}

/** The generated document with everything the faces say about themselves. Works on a copy. */
export function completeDocument(generated: OpenApiDocument, faceDocs: Record<string, FaceOpenApi>, operations: Operations): OpenApiDocument {
  const doc = structuredClone(generated);
  const faces = VENDOR_FACES.filter((f) => faceDocs[f]);
  doc.tags = faces.map((f) => ({ name: f, 'x-displayName': TAG_NAMES[f], description: faceDocs[f].description }));
  doc.components.securitySchemes = Object.fromEntries(faces.map((f) => [faceDocs[f].securitySchemeName, faceDocs[f].securityScheme]));
  for (const [, , op] of operationsOf(doc)) {
    const known = operations.get(op.operationId);
    if (known) completeOperation(doc, op, faceDocs[known.face], known.operationId);
  }
  stripInternal(doc.paths);
  for (const [, , op] of operationsOf(doc)) {
    const known = operations.get(op.operationId);
    if (known) shareErrorResponses(doc, op, faceDocs[known.face]);
  }
  return doc;
}

/**
 * An error response every operation of a face repeats word for word (its description, schema and examples)
 * is written once in components/responses and referred to: the document shrinks by more than half (2.5 MB
 * to 1 MB with the spam resources), which every tool that loads it, and the /docs page, is quicker for.
 */
function shareErrorResponses(doc: OpenApiDocument, op: Json, facts: FaceOpenApi): void {
  const shared = (doc.components.responses ??= {}) as Record<string, Json>;
  const byText = sharedByText.get(doc) ?? new Map<string, string>();
  sharedByText.set(doc, byText);
  for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
    if (!/^[45]/.test(status) || response.$ref) continue;
    const text = JSON.stringify(response);
    let name = byText.get(text);
    if (!name) {
      name = `${facts.errorSchemaName}${status}`;
      for (let n = 2; shared[name]; n++) name = `${facts.errorSchemaName}${status}_${n}`;
      shared[name] = response;
      byText.set(text, name);
    }
    op.responses[status] = { $ref: `#/components/responses/${name}` };
  }
}
const sharedByText = new WeakMap<OpenApiDocument, Map<string, string>>();

/** One face's document: its operations, its tag and its security scheme. */
export function faceDocument(all: OpenApiDocument, face: FaceName): OpenApiDocument {
  const doc = structuredClone(all);
  const schemes = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      if (!op.tags?.includes(face)) delete item[method];
      else for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) schemes.add(name);
    }
    if (!Object.keys(item).some((k) => HTTP_METHODS.has(k))) delete doc.paths[path];
  }
  doc.info = { ...doc.info, title: `partnerhub: ${TAG_NAMES[face] ?? face}` };
  doc.tags = (doc.tags ?? []).filter((t) => t.name === face);
  doc.components.securitySchemes = Object.fromEntries(Object.entries(doc.components.securitySchemes ?? {}).filter(([name]) => schemes.has(name)));
  // Only the shared responses this face's operations refer to.
  const used = JSON.stringify(doc.paths);
  if (doc.components.responses) doc.components.responses = Object.fromEntries(Object.entries(doc.components.responses as Json).filter(([name]) => used.includes(`"#/components/responses/${name}"`)));
  return doc;
}
