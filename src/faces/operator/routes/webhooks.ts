import { Type } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import { listSubscriptions, subscribe, unsubscribe } from '../../../domain/webhooks.js';
import { WEBHOOK_EVENTS } from '../../../domain/webhook-events.js';
import { deliverWebhooks, deliveryLog, replayDelivery } from '../../../domain/webhook-delivery.js';
import type { Operator } from '../auth.js';

/**
 * Webhooks: subscriptions (`GET|POST /webhooks`, `DELETE /webhooks/:guid`), the delivery log
 * (`GET /webhooks/deliveries`), replay (`POST /webhooks/deliveries/:guid/replay`) and a delivery run now
 * (`POST /webhooks/deliver`).
 */
const NewSubscription = Type.Object(
  {
    principal: Type.String({ minLength: 1, maxLength: 320, description: "the subscribing principal's guid or e-mail: it receives the events of its subtree" }),
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    events: Type.Optional(Type.Array(Type.String(), { description: `any of ${WEBHOOK_EVENTS.join(', ')}; omitted or "*": all` })),
  },
  { additionalProperties: false },
);
const Subscription = Type.Object({
  guid: Type.String(),
  principalGuid: Type.String(),
  accountGuid: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdAt: Type.String(),
});
const Created = Type.Composite([Subscription, Type.Object({ secret: Type.String({ description: 'the signing secret, shown only now' }) })]);
const SubscriptionList = Type.Array(Subscription);
const GuidParams = Type.Object({ guid: Type.String({ pattern: '^[0-9a-f]{32}$' }) });
const LogQuery = Type.Object(
  {
    subscription: Type.Optional(Type.String()),
    event: Type.Optional(Type.String()),
    state: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const Attempt = Type.Object({
  attempt: Type.Integer(),
  at: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  responseBody: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
});
const Delivery = Type.Object({
  guid: Type.String(),
  eventGuid: Type.Union([Type.String(), Type.Null()]),
  eventType: Type.Union([Type.String(), Type.Null()]),
  subscriptionGuid: Type.String(),
  accountGuid: Type.String(),
  state: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  log: Type.Array(Attempt),
});
const DeliveryList = Type.Array(Delivery);
const Replayed = Type.Object({ guid: Type.String() });
const Run = Type.Object({ ran: Type.Boolean(), delivered: Type.Integer(), retrying: Type.Integer(), failed: Type.Integer() });

export const webhookRoutes = [
  route<Operator, { response: { 200: typeof SubscriptionList } }>({
    method: 'GET',
    url: '/webhooks',
    operationId: 'ListWebhooks',
    summary: 'the webhook subscriptions',
    schema: { response: { 200: SubscriptionList } },
    handler: ({ domain }) => listSubscriptions(domain),
  }),
  route<Operator, { body: typeof NewSubscription; response: { 201: typeof Created } }>({
    method: 'POST',
    url: '/webhooks',
    operationId: 'Subscribe',
    summary: "subscribe a URL to the events of a principal's subtree; the answer holds the signing secret",
    schema: { body: NewSubscription, response: { 201: Created } },
    handler: async ({ domain, body, reply }) => reply.code(201).send(await subscribe(domain, body)),
  }),
  route<Operator, { params: typeof GuidParams; response: { 204: ReturnType<typeof Type.Null> } }>({
    method: 'DELETE',
    url: '/webhooks/:guid',
    operationId: 'Unsubscribe',
    summary: 'remove a subscription (its pending deliveries are dropped)',
    schema: { params: GuidParams, response: { 204: Type.Null() } },
    handler: async ({ domain, params, reply }) => {
      await unsubscribe(domain, params.guid);
      return reply.code(204).send();
    },
  }),
  route<Operator, { querystring: typeof LogQuery; response: { 200: typeof DeliveryList } }>({
    method: 'GET',
    url: '/webhooks/deliveries',
    operationId: 'ListWebhookDeliveries',
    summary: 'the delivery log: deliveries newest first, each with its attempts and the answers they got',
    schema: { querystring: LogQuery, response: { 200: DeliveryList } },
    handler: ({ domain, query }) => deliveryLog(domain, { subscriptionGuid: query.subscription, eventGuid: query.event, state: query.state, limit: query.limit }),
  }),
  route<Operator, { params: typeof GuidParams; response: { 201: typeof Replayed } }>({
    method: 'POST',
    url: '/webhooks/deliveries/:guid/replay',
    operationId: 'ReplayWebhookDelivery',
    summary: "send a delivery's event again (a new delivery, due now)",
    schema: { params: GuidParams, response: { 201: Replayed } },
    handler: async ({ domain, params, reply }) => reply.code(201).send({ guid: await replayDelivery(domain, params.guid) }),
  }),
  route<Operator, { response: { 200: typeof Run } }>({
    method: 'POST',
    url: '/webhooks/deliver',
    operationId: 'DeliverWebhooks',
    summary: 'deliver what is due now (serve also does it on a timer)',
    schema: { response: { 200: Run } },
    handler: ({ domain, request }) => deliverWebhooks(domain, { timeoutMs: request.server.config.webhookTimeoutMs }),
  }),
];
