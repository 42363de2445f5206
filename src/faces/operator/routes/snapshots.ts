import { Type } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import { deleteSnapshot, listSnapshots, resetStore, restoreSnapshot, saveSnapshot } from '../../../operator/snapshots.js';
import type { Operator } from '../auth.js';

/** Reset and snapshots: `POST /reset`, `GET /snapshots`, `PUT|DELETE /snapshots/:name`, `POST /snapshots/:name/restore`. */
const Info = Type.Object({ name: Type.String(), createdAt: Type.String(), rowCount: Type.Integer() });
const Restored = Type.Object({ name: Type.String(), rowCount: Type.Integer(), ms: Type.Integer() });
const InfoList = Type.Array(Info);
const NameParams = Type.Object({ name: Type.String({ maxLength: 64 }) });

export const snapshotRoutes = [
  route<Operator, { response: { 200: typeof Restored } }>({
    method: 'POST',
    url: '/reset',
    operationId: 'Reset',
    summary: 'return the store to the loaded fixtures (or the demo): every process sees it at once',
    schema: { response: { 200: Restored } },
    handler: ({ domain, request }) => resetStore(domain, request.server.sandbox.changes),
  }),
  route<Operator, { response: { 200: typeof InfoList } }>({
    method: 'GET',
    url: '/snapshots',
    operationId: 'ListSnapshots',
    summary: 'the saved snapshots (`@baseline` is what reset returns to)',
    schema: { response: { 200: InfoList } },
    handler: ({ domain }) => listSnapshots(domain),
  }),
  route<Operator, { params: typeof NameParams; response: { 200: typeof Info } }>({
    method: 'PUT',
    url: '/snapshots/:name',
    operationId: 'SaveSnapshot',
    summary: 'save the whole store (credentials and the test clock included) under a name, replacing one of that name',
    schema: { params: NameParams, response: { 200: Info } },
    handler: ({ domain, params }) => saveSnapshot(domain, params.name),
  }),
  route<Operator, { params: typeof NameParams; response: { 200: typeof Restored } }>({
    method: 'POST',
    url: '/snapshots/:name/restore',
    operationId: 'RestoreSnapshot',
    summary: 'replace the whole store with a snapshot',
    schema: { params: NameParams, response: { 200: Restored } },
    handler: ({ domain, params, request }) => restoreSnapshot(domain, request.server.sandbox.changes, params.name),
  }),
  route<Operator, { params: typeof NameParams; response: { 204: ReturnType<typeof Type.Null> } }>({
    method: 'DELETE',
    url: '/snapshots/:name',
    operationId: 'DeleteSnapshot',
    summary: 'forget a snapshot',
    schema: { params: NameParams, response: { 204: Type.Null() } },
    handler: async ({ domain, params, reply }) => {
      await deleteSnapshot(domain, params.name);
      return reply.code(204).send();
    },
  }),
];
