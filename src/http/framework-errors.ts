import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Errors the router raises before any route or face runs — a path with broken percent-encoding, a path
 * parameter over the router's length limit — would otherwise get Fastify's own body. Each face registers the
 * error handler of each of its URL prefixes here, and the app sends those errors to the face owning the URL.
 */
export type ErrorResponder = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => unknown;

export interface ScopeResponder {
  prefix: string;
  respond: ErrorResponder;
}

declare module 'fastify' {
  interface FastifyInstance {
    frameworkErrorResponders: ScopeResponder[];
  }
}

/** Sets a scope's error handler and lets it answer the router's errors for URLs under the scope's prefix. */
export function setScopeErrorHandler(scope: FastifyInstance, respond: ErrorResponder): void {
  scope.setErrorHandler(respond);
  scope.frameworkErrorResponders.push({ prefix: scope.prefix, respond });
}

/** The responder of the longest registered prefix that the URL lies under (`/v1` owns `/v1/…`, `/v1.json`, `/v1?x`). */
export function responderFor(responders: ScopeResponder[], url: string): ErrorResponder | undefined {
  let best: ScopeResponder | undefined;
  for (const r of responders) {
    if (!r.prefix || !url.startsWith(r.prefix)) continue;
    const next = url.charAt(r.prefix.length);
    if (next !== '' && next !== '/' && next !== '.' && next !== '?') continue;
    if (!best || r.prefix.length > best.prefix.length) best = r;
  }
  return best?.respond;
}

/** A face that answers URLs no route has, beyond its own prefixes (FaceDefinition.unknownUrls). */
export interface UnknownUrlOwner {
  face: string;
  match: RegExp;
  claims?(method: string, headers: IncomingHttpHeaders): boolean;
  errorHeader?: string;
  notFound(request: FastifyRequest, reply: FastifyReply): unknown;
  respond: ErrorResponder;
}

/**
 * The face a URL no route has belongs to: of the faces whose pattern matches its path, the first that claims
 * the request by its method and headers, else the default (the one that claims nothing). Without headers
 * (Node's parser refused them) only the default can be told.
 */
export function ownerOfUrl(owners: UnknownUrlOwner[], url: string, method?: string, headers?: IncomingHttpHeaders): UnknownUrlOwner | undefined {
  const path = url.split('?')[0];
  const matching = owners.filter((o) => o.match.test(path));
  if (method && headers) {
    const claimed = matching.find((o) => o.claims?.(method, headers));
    if (claimed) return claimed;
  }
  return matching.find((o) => !o.claims);
}

/**
 * Where a route that catches a whole family of paths (ServiceStack's /api/{Name}) meets another scope's
 * prefix (Mimecast's /api/account), that scope still answers: its error map gets a not-found for the URL.
 * Returns false when no scope has the URL as its prefix.
 */
export function answeredByOwner(request: FastifyRequest, reply: FastifyReply, notFound: FastifyError): boolean {
  const path = request.url.split('?')[0];
  const owner = request.server.frameworkErrorResponders
    .filter((r) => r.prefix && path.toLowerCase() === r.prefix.toLowerCase())
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  if (!owner) return false;
  void owner.respond(notFound, request, reply);
  return true;
}
