import { Type } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import { FixtureFile } from '../../../operator/fixture-schema.js';
import { FixtureError } from '../../../operator/fixture-file.js';
import { readFixtureText } from '../../../operator/fixture-file.js';
import { applyFixtures } from '../../../operator/start.js';
import type { Operator } from '../auth.js';
import { OperatorError } from '../errors.js';

/** Fixtures: `GET /fixtures/schema` (the published JSON Schema) and `POST /fixtures` (load a file's text, making it the baseline). */
const LoadBody = Type.Object({ text: Type.String({ description: 'the fixture file: YAML or JSON' }), file: Type.Optional(Type.String({ description: 'its name, for messages' })) });
const Summary = Type.Object({
  accounts: Type.Integer(),
  principals: Type.Integer(),
  credentials: Type.Integer(),
  contacts: Type.Integer(),
  statusChanges: Type.Integer(),
  invoices: Type.Integer(),
});

export const fixtureRoutes = [
  route<Operator, object>({
    method: 'GET',
    url: '/fixtures/schema',
    operationId: 'FixtureSchema',
    summary: 'the JSON Schema of fixture files (no token needed)',
    auth: false,
    handler: ({ reply }) => reply.type('application/schema+json').send(JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...FixtureFile })),
  }),
  route<Operator, { body: typeof LoadBody; response: { 200: typeof Summary } }>({
    method: 'POST',
    url: '/fixtures',
    operationId: 'LoadFixtures',
    summary: "replace the store's data with a fixture file's and make it what reset returns to",
    schema: { body: LoadBody, response: { 200: Summary } },
    handler: async ({ body, request }) => {
      try {
        return await applyFixtures(request.server, readFixtureText(body.text, body.file ?? 'fixtures'));
      } catch (e) {
        if (e instanceof FixtureError) throw new OperatorError(400, 'invalid_fixtures', e.message, e.problems);
        throw e;
      }
    },
  }),
];
