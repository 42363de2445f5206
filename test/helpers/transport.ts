import type { FastifyInstance } from 'fastify';

export interface InjectedRequest {
  method: string;
  /** An absolute URL (its path and query are used) or a path. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface InjectedResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** Sends one request into an in-process app: the transport every face's client uses in tests. */
export async function injectRequest(app: FastifyInstance, req: InjectedRequest): Promise<InjectedResponse> {
  const url = /^https?:\/\//i.test(req.url) ? new URL(req.url) : null;
  const res = await app.inject({ method: req.method as any, url: url ? url.pathname + url.search : req.url, headers: req.headers, payload: req.body });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return { status: res.statusCode, headers, body: res.body };
}
