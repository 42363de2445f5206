/** What every CCC route declaration shares: the actor type, paging, and the route's config facts. */
import { route, type Route, type RouteSchema } from '../../../http/route.js';
import type { Action, Actor } from '../../../domain/principal.js';

/** A CCC route; the schema types flow into the handler. */
export const cccRoute = <S extends RouteSchema>(r: Route<Actor, S>) => route<Actor, S>(r);

/**
 * The face's facts about a route: `response`, the response DTO's name (the XML root, of errors too);
 * `notFoundAs`, what a not-found is called on this route ("Reseller not found"); `requires`, the action
 * a principal needs before its request is even validated.
 */
export function ccc(response: string, facts: { notFoundAs?: string; requires?: Action } = {}): Record<string, unknown> {
  return { response, ...facts };
}

export const DEFAULT_PAGE_SIZE = 25;
/** Larger PageSize values are served as this many per page (the response's pageSize says so). */
export const MAX_PAGE_SIZE = 500;

export interface Paging {
  page: number;
  size: number;
  limit: number;
  offset: number;
}

/** An int DTO property cannot tell 0 from absent, so 0 means the default, as it does for the vendor. */
export function paging(q: { Page?: number; PageSize?: number }): Paging {
  const page = q.Page || 1;
  const size = Math.min(q.PageSize || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  return { page, size, limit: size, offset: (page - 1) * size };
}

export function pageBody<T>(p: Paging, total: number, results: T[]) {
  return { pageSize: p.size, totalPages: Math.ceil(total / p.size), totalItems: total, currentPage: p.page, results };
}
