import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/principal.js';
import { isDomainError, ErrorCode } from '../../domain/errors.js';
import {
  accountPackages,
  callerAccount,
  changeProvisionedAccount,
  provisionAccount,
  provisionableProducts,
  requireProvisioningRole,
  supportProfile,
  umbrellaAccounts,
} from '../../domain/provisioning.js';
import type { Account } from '../../domain/account.js';
import { authenticate } from './auth.js';
import { envelope, ERRORS, itemErrors, requestFailure, type McEnvelope, type McError, type McFail } from './envelope.js';
import { decodeCreate, decodeUpdate, pageToken, readBody, readPageToken, readRequest, type McRequest } from './decode.js';
import { accountView, packageView, provisionedAccountView, supportView } from './views.js';
import { setScopeErrorHandler } from '../../http/framework-errors.js';

/**
 * The Mimecast API 1.0 face: account and provisioning endpoints under /api/account/ and
 * /api/provisioning/. Everything here is wire format — authentication, the envelope, error codes; the
 * rules live in the domain.
 */

type Handler = (actor: Actor, req: McRequest, reply: FastifyReply) => Promise<McEnvelope>;

const DEFAULT_PAGE_SIZE = 100;

function setRateHeaders(reply: FastifyReply, rate: { limit: number; remaining: number; resetMs: number }) {
  reply.header('X-RateLimit-Limit', String(rate.limit));
  reply.header('X-RateLimit-Remaining', String(rate.remaining));
  reply.header('X-RateLimit-Reset', String(rate.resetMs));
}

function send(reply: FastifyReply, body: McEnvelope) {
  return reply.code(body.meta.status).type('application/json; charset=utf-8').send(body);
}

/** Routes, parsing and error shapes shared by both prefixes, inside one encapsulated context each. */
function mimecastScope(routes: Record<string, Handler>): FastifyPluginAsync {
  return async (scope: FastifyInstance) => {
    // Mimecast's Python sample posts str(dict) as application/json: read bodies leniently, and only here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, readBody(String(body))));

    scope.setNotFoundHandler((request, reply) => {
      send(reply, requestFailure(404, ERRORS.notFound(request.url.split('?')[0])));
    });

    setScopeErrorHandler(scope, (error: FastifyError, request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'mimecast request failed');
        return send(reply, requestFailure(500, ERRORS.internal()));
      }
      const e: McError =
        status === 413 ? ERRORS.tooLarge() : { code: 'err_request_malformed', message: error.message, retryable: false };
      return send(reply, requestFailure(status, e));
    });

    for (const [suffix, handler] of Object.entries(routes)) {
      scope.post(suffix, async (request: FastifyRequest, reply: FastifyReply) => {
        const path = request.url.split('?')[0];
        const auth = await authenticate(scope.domain, scope.config, request, path);
        if (auth.rate) setRateHeaders(reply, auth.rate);
        if (!auth.ok) return send(reply, auth.body);
        setRateHeaders(reply, auth.rate);
        const req = readRequest(request.body);
        if ('problem' in req) return send(reply, requestFailure(400, req.problem));
        try {
          return send(reply, await handler(auth.actor, req, reply));
        } catch (e) {
          if (isDomainError(e, ErrorCode.Forbidden)) return send(reply, requestFailure(403, ERRORS.forbidden()));
          if (isDomainError(e, ErrorCode.NotFound)) return send(reply, requestFailure(403, ERRORS.forbidden()));
          throw e;
        }
      });
    }
  };
}

/**
 * Runs each `data` item as its own call. The request fails as a whole (403) only when no item succeeded
 * and an item was refused for being outside the caller's reach; otherwise it is a 200 whose `fail`
 * lists the items that did not go through.
 */
async function eachItem(items: unknown[], run: (item: unknown) => Promise<unknown | { errors: McError[] }>): Promise<McEnvelope> {
  const data: unknown[] = [];
  const fail: McFail[] = [];
  let forbidden = false;
  for (const item of items) {
    try {
      const result = await run(item);
      if (result && typeof result === 'object' && 'errors' in result) fail.push({ key: item, errors: (result as { errors: McError[] }).errors });
      else data.push(result);
    } catch (e) {
      if (!isDomainError(e) || e.code === ErrorCode.Internal) throw e;
      const errors = itemErrors(e);
      if (e.code === ErrorCode.Forbidden || e.code === ErrorCode.NotFound) forbidden = true;
      fail.push({ key: item, errors });
    }
  }
  return envelope(data.length === 0 && forbidden ? 403 : 200, data, fail);
}

export const mimecastFace: FastifyPluginAsync = async (app) => {
  const ctx = app.domain;

  const provisioned = async (a: Account) => provisionedAccountView(a, await accountPackages(ctx, a), await umbrellaAccounts(ctx, a));

  await app.register(
    mimecastScope({
      '/get-support-info': async (actor) => envelope(200, [supportView(await supportProfile(ctx, actor))]),

      '/get-account': async (actor) => {
        const account = await callerAccount(ctx, actor);
        return envelope(200, [accountView(account, await accountPackages(ctx, account), await umbrellaAccounts(ctx, account))]);
      },

      '/update-account': async (actor, req) => {
        requireProvisioningRole(actor);
        return eachItem(req.data, async (item) => {
          const decoded = decodeUpdate(item);
          if (!decoded.ok) return { errors: decoded.errors };
          return provisioned(await changeProvisionedAccount(ctx, actor, decoded.value.accountCode, decoded.value.change));
        });
      },

      '/create-account': async (actor, req) => {
        requireProvisioningRole(actor);
        return eachItem(req.data, async (item) => {
          const decoded = decodeCreate(item);
          if (!decoded.ok) return { errors: decoded.errors };
          return provisioned(await provisionAccount(ctx, actor, decoded.value));
        });
      },
    }),
    { prefix: '/api/account' },
  );

  await app.register(
    mimecastScope({
      '/get-packages': async (actor, req) => {
        const products = await provisionableProducts(ctx, actor);
        const pageSize = req.pagination.pageSize ?? DEFAULT_PAGE_SIZE;
        let offset = 0;
        if (req.pagination.pageToken !== undefined) {
          const o = readPageToken(req.pagination.pageToken);
          if (o === null) {
            return requestFailure(400, { code: 'err_validation_invalid_value', message: 'pageToken is not a token this server issued', retryable: false, field: 'pageToken' });
          }
          offset = o;
        }
        const page = products.slice(offset, offset + pageSize);
        const next = offset + pageSize < products.length ? pageToken(offset + pageSize) : undefined;
        const previous = offset > 0 ? pageToken(Math.max(0, offset - pageSize)) : undefined;
        return envelope(200, page.map(packageView), [], {
          pageSize,
          totalCount: products.length,
          ...(next ? { next } : {}),
          ...(previous ? { previous } : {}),
        });
      },
    }),
    { prefix: '/api/provisioning' },
  );
};
