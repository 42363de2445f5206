import { Type } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import { addFaultRule, clearFaultRules, FAULT_FACES, listFaultRules, removeFaultRule, type FaultRuleInput } from '../../../operator/fault-rules.js';
import type { Operator } from '../auth.js';

/** Fault rules: `GET|POST|DELETE /faults`, `DELETE /faults/:guid`. */
// One object, not a union: Fastify's Ajv removes additional properties while it tries each branch of a union.
const Action = Type.Object({
  kind: Type.Union([Type.Literal('throttle'), Type.Literal('error'), Type.Literal('latency'), Type.Literal('drop')]),
  retryAfterMs: Type.Optional(Type.Integer({ minimum: 0, description: 'throttle: when the answer says to try again' })),
  status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599, description: 'error: the status' })),
  message: Type.Optional(Type.String({ maxLength: 500, description: 'error: the message' })),
  ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000, description: 'latency: how much later' })),
});
const NewRule = Type.Object(
  {
    face: Type.Optional(Type.Union(FAULT_FACES.map((f) => Type.Literal(f)))),
    method: Type.Optional(Type.String({ pattern: '^[A-Za-z]+$' })),
    path: Type.Optional(Type.String({ pattern: '^/', maxLength: 500, description: 'a glob (`*` one segment, `**` any) or a route pattern (`/v1/customers/:accountNumber/disable`)' })),
    principal: Type.Optional(Type.String({ maxLength: 320, description: "the principal's guid or e-mail" })),
    action: Action,
    times: Type.Optional(Type.Integer({ minimum: 1, description: 'only the next N matching requests' })),
    probability: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    seed: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
const Rule = Type.Object({
  guid: Type.String(),
  face: Type.Union([Type.String(), Type.Null()]),
  method: Type.Union([Type.String(), Type.Null()]),
  path: Type.Union([Type.String(), Type.Null()]),
  principal: Type.Union([Type.String(), Type.Null()]),
  action: Action,
  remaining: Type.Union([Type.Integer(), Type.Null()]),
  probability: Type.Union([Type.Number(), Type.Null()]),
  seed: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const RuleList = Type.Array(Rule);
const Cleared = Type.Object({ removed: Type.Integer() });
const GuidParams = Type.Object({ guid: Type.String({ pattern: '^[0-9a-f]{32}$' }) });

export const faultRoutes = [
  route<Operator, { response: { 200: typeof RuleList } }>({
    method: 'GET',
    url: '/faults',
    operationId: 'ListFaults',
    summary: 'the fault rules, oldest first (a used-up rule shows 0 remaining)',
    schema: { response: { 200: RuleList } },
    handler: ({ domain }) => listFaultRules(domain.db),
  }),
  route<Operator, { body: typeof NewRule; response: { 201: typeof Rule } }>({
    method: 'POST',
    url: '/faults',
    operationId: 'AddFault',
    summary: 'make matching requests fail: the vendor’s throttling answer, any status, latency or a dropped connection',
    schema: { body: NewRule, response: { 201: Rule } },
    handler: async ({ domain, body, reply }) => {
      const rule = await addFaultRule(domain.db, body as FaultRuleInput, domain.clock.now());
      return reply.code(201).send(rule);
    },
  }),
  route<Operator, { response: { 200: typeof Cleared } }>({
    method: 'DELETE',
    url: '/faults',
    operationId: 'ClearFaults',
    summary: 'remove every fault rule',
    schema: { response: { 200: Cleared } },
    handler: async ({ domain }) => ({ removed: await clearFaultRules(domain.db) }),
  }),
  route<Operator, { params: typeof GuidParams; response: { 204: ReturnType<typeof Type.Null> } }>({
    method: 'DELETE',
    url: '/faults/:guid',
    operationId: 'RemoveFault',
    summary: 'remove one fault rule',
    schema: { params: GuidParams, response: { 204: Type.Null() } },
    handler: async ({ domain, params, reply }) => {
      await removeFaultRule(domain.db, params.guid);
      return reply.code(204).send();
    },
  }),
];
