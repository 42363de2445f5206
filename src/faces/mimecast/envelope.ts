import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * Mimecast's envelope, both ways. A request is `{"meta":{"pagination":{…}},"data":[…]}`; an answer is
 * `{"meta":{"status":…},"data":[…],"fail":[…]}`, always in that key order (Fastify serializes it from
 * these schemas, which keep the order), so clients comparing raw bodies see Mimecast's order.
 */

/** A page size as a number or the digits of one, 1 to 500. */
const PAGE_SIZE_DIGITS = '^\\s*0*([1-9]|[1-9][0-9]|[1-4][0-9][0-9]|500)\\s*$';

export const Pagination = Type.Object({
  pageSize: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 500 }), Type.String({ pattern: PAGE_SIZE_DIGITS })])),
  pageToken: Type.Optional(Type.String()),
});

/**
 * The request envelope. `data` items are deliberately `unknown` here: each item is its own call, so an item
 * that does not fit its operation's shape must not fail the request — it is echoed back in `fail` with its
 * own errors. Items are checked one by one against their operation's schema (items.ts). Members of the
 * envelope sent as null mean "none", as Mimecast's samples send them: the codec drops them before the check.
 */
export const RequestBody = Type.Object({
  data: Type.Optional(Type.Array(Type.Unknown())),
  meta: Type.Optional(Type.Object({ pagination: Type.Optional(Pagination) })),
});
export type RequestBody = Static<typeof RequestBody>;

export const McError = Type.Object({
  code: Type.String(),
  message: Type.String(),
  retryable: Type.Boolean(),
  field: Type.Optional(Type.String()),
});
/** One error in a Mimecast `fail` entry. */
export type McError = Static<typeof McError>;

/** A failed item (`key` is the request item echoed) or a failure of the whole request (no `key`). */
export const McFail = Type.Object({ key: Type.Optional(Type.Unknown()), errors: Type.Array(McError) });
export type McFail = Static<typeof McFail>;

export const McPagination = Type.Object({
  pageSize: Type.Integer(),
  totalCount: Type.Integer(),
  next: Type.Optional(Type.String()),
  previous: Type.Optional(Type.String()),
});
export type McPagination = Static<typeof McPagination>;

/** The answer envelope around items of one shape. */
export function Envelope<T extends TSchema>(item: T) {
  return Type.Object({
    meta: Type.Object({ status: Type.Integer(), pagination: Type.Optional(McPagination) }),
    data: Type.Array(item),
    fail: Type.Array(McFail),
  });
}

export interface McEnvelope<T = unknown> {
  meta: { status: number; pagination?: McPagination };
  data: T[];
  fail: McFail[];
}

/**
 * The response schemas of a route answering items of one shape. Refusals of the whole request may come
 * with any status (Mimecast answers an unknown application id with 200 and an empty `data`), so every
 * status carries the same envelope.
 */
export function responses<T extends TSchema>(item: T) {
  const failure = Envelope(Type.Unknown());
  return { 200: Envelope(item), '4xx': failure, '5xx': failure };
}

/** The schemas of a Mimecast route answering `View` items, for route<Actor, McRouteSchema<…>>(…). */
export type McRouteSchema<View extends TSchema> = { body: typeof RequestBody; response: ReturnType<typeof responses<View>> };

export function envelope<T>(status: number, data: T[] = [], fail: McFail[] = [], pagination?: McPagination): McEnvelope<T> {
  return { meta: pagination ? { status, pagination } : { status }, data, fail };
}

/** A failure of the whole request (authentication, limits, parsing): no `key`, one error. */
export function requestFailure(status: number, error: McError): McEnvelope {
  return envelope(status, [], [{ errors: [error] }]);
}
