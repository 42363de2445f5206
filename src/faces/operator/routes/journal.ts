import { Type } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import type { FastifyRequest } from 'fastify';
import type { RequestJournal } from '../../../operator/journal.js';
import type { Operator } from '../auth.js';
import { OperatorError } from '../errors.js';

/** The request journal: `GET /journal`, `GET /journal/count`, `DELETE /journal`. */
const Filter = Type.Object(
  {
    face: Type.Optional(Type.String()),
    principal: Type.Optional(Type.String({ description: "the principal's guid" })),
    method: Type.Optional(Type.String()),
    path: Type.Optional(Type.String({ description: 'an exact path, or with `*` for any run of characters' })),
    operation: Type.Optional(Type.String({ description: 'the operation id, e.g. DisableCustomer' })),
    status: Type.Optional(Type.String({ pattern: '^([1-5]xx|[1-5][0-9][0-9])$' })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Composite([Filter, Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) })], { additionalProperties: false });
const Exchange = Type.Object({ headers: Type.Record(Type.String(), Type.Unknown()), body: Type.Unknown() });
const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  requestId: Type.String(),
  face: Type.Union([Type.String(), Type.Null()]),
  principal: Type.Union([Type.String(), Type.Null()]),
  method: Type.String(),
  path: Type.String(),
  query: Type.Union([Type.String(), Type.Null()]),
  operation: Type.Union([Type.String(), Type.Null()]),
  status: Type.Integer(),
  durationMs: Type.Integer(),
  request: Exchange,
  response: Exchange,
});
const EntryList = Type.Array(Entry);
const Count = Type.Object({ count: Type.Integer() });
const Cleared = Type.Object({ removed: Type.Integer() });

function journalOf(request: FastifyRequest): RequestJournal {
  const journal = request.server.journal;
  if (!journal) throw new OperatorError(409, 'journal_off', 'the request journal is off (journalSize is 0)');
  return journal;
}

export const journalRoutes = [
  route<Operator, { querystring: typeof ListQuery; response: { 200: typeof EntryList } }>({
    method: 'GET',
    url: '/journal',
    operationId: 'ListJournal',
    summary: 'the latest requests and responses (newest first, secrets replaced), filtered',
    schema: { querystring: ListQuery, response: { 200: EntryList } },
    handler: ({ request, query }) => journalOf(request).list(query),
  }),
  route<Operator, { querystring: typeof Filter; response: { 200: typeof Count } }>({
    method: 'GET',
    url: '/journal/count',
    operationId: 'CountJournal',
    summary: 'how many journaled requests match the filter ("how many disable calls did my client make?")',
    schema: { querystring: Filter, response: { 200: Count } },
    handler: async ({ request, query }) => ({ count: await journalOf(request).count(query) }),
  }),
  route<Operator, { response: { 200: typeof Cleared } }>({
    method: 'DELETE',
    url: '/journal',
    operationId: 'ClearJournal',
    summary: 'forget every journaled request',
    schema: { response: { 200: Cleared } },
    handler: async ({ request }) => ({ removed: await journalOf(request).clear() }),
  }),
];
