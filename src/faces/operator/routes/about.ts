import { Type } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import type { Operator } from '../auth.js';

const About = Type.Object({
  sandbox: Type.Boolean(),
  operations: Type.Array(Type.Object({ method: Type.String(), url: Type.String(), operationId: Type.String() })),
});

/** `GET /_partnerhub/v1/`: that the operator API is on and the token works, with the operations it offers. */
export const aboutRoutes = [
  route<Operator, { response: { 200: typeof About } }>({
    method: 'GET',
    url: '/',
    operationId: 'About',
    summary: 'the operator API is on and the token is right; lists its operations',
    schema: { response: { 200: About } },
    handler: ({ request }) => ({
      sandbox: true,
      operations: request.server.faceRoutes.filter((r) => r.face === 'operator').map((r) => ({ method: r.method, url: r.url, operationId: r.operationId })),
    }),
  }),
];
