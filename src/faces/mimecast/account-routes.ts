import type { FastifyReply } from 'fastify';
import type { DomainContext } from '../../domain/context.js';
import type { Actor } from '../../domain/principal.js';
import type { Account } from '../../domain/account.js';
import {
  accountPackages,
  ancestorAccounts,
  callerAccount,
  changeProvisionedAccount,
  provisionAccount,
  requireProvisioningRole,
  supportProfile,
} from '../../domain/provisioning.js';
import { route } from '../../http/route.js';
import { envelope, RequestBody, responses, type McEnvelope, type McRouteSchema } from './envelope.js';
import { accountDashboardNotifications } from '../../domain/dashboard-notification.js';
import { eachItem, readCreate, readNotificationsItem, readUpdate } from './items.js';
import {
  AccountView,
  accountView,
  NotificationsView,
  notificationsView,
  ProvisionedAccountView,
  provisionedAccountView,
  SupportView,
  supportView,
} from './views.js';

/** The account endpoints of Mimecast API 1.0 under /api/account (seeds 000 and 001). */

/** The answer's status is the envelope's own (a request whose every item was refused is a 403). */
function answer(reply: FastifyReply, body: McEnvelope): McEnvelope {
  reply.code(body.meta.status);
  return body;
}

/** An account with the products it holds and the accounts above it: two reads, neither repeated. */
async function surroundings(ctx: DomainContext, account: Account) {
  const packages = await accountPackages(ctx, account);
  const umbrellas = await ancestorAccounts(ctx, account);
  return { packages, umbrellas };
}

async function provisioned(ctx: DomainContext, account: Account) {
  const { packages, umbrellas } = await surroundings(ctx, account);
  return provisionedAccountView(account, packages, umbrellas);
}

export const accountRoutes = [
  route<Actor, McRouteSchema<typeof SupportView>>({
    method: 'POST',
    url: '/get-support-info',
    operationId: 'getSupportInfo',
    summary: "The caller's support profile and the partner it is aligned to",
    schema: { body: RequestBody, response: responses(SupportView) },
    handler: async ({ actor, domain }) => envelope(200, [supportView(await supportProfile(domain, actor))]),
  }),

  route<Actor, McRouteSchema<typeof AccountView>>({
    method: 'POST',
    url: '/get-account',
    operationId: 'getAccount',
    summary: "The caller's own account",
    schema: { body: RequestBody, response: responses(AccountView) },
    handler: async ({ actor, domain }) => {
      const account = await callerAccount(domain, actor);
      const { packages, umbrellas } = await surroundings(domain, account);
      return envelope(200, [accountView(account, packages, umbrellas)]);
    },
  }),

  route<Actor, McRouteSchema<typeof NotificationsView>>({
    method: 'POST',
    url: '/get-dashboard-notifications',
    operationId: 'getDashboardNotifications',
    summary: "The notifications on an account's dashboard: the caller's own, or one per accountCode in its subtree",
    schema: { body: RequestBody, response: responses(NotificationsView) },
    handler: async ({ actor, body, domain, reply }) => {
      // Public scripts post no body at all: the caller's own account.
      const items = body.data?.length ? body.data : [{}];
      const result = await eachItem(items, readNotificationsItem, async ({ accountCode }) => {
        const { account, notifications } = await accountDashboardNotifications(domain, actor, accountCode ?? { guid: actor.accountGuid });
        return notificationsView(account, notifications);
      });
      return answer(reply, result);
    },
  }),

  route<Actor, McRouteSchema<typeof ProvisionedAccountView>>({
    method: 'POST',
    url: '/update-account',
    operationId: 'updateAccount',
    summary: 'Changes accounts below the provisioning partner: contact fields, users by delta, the product set',
    schema: { body: RequestBody, response: responses(ProvisionedAccountView) },
    handler: async ({ actor, body, domain, reply }) => {
      requireProvisioningRole(actor);
      const result = await eachItem(body.data ?? [], readUpdate, async ({ accountCode, change }) =>
        provisioned(domain, await changeProvisionedAccount(domain, actor, accountCode, change)),
      );
      return answer(reply, result);
    },
  }),

  route<Actor, McRouteSchema<typeof ProvisionedAccountView>>({
    method: 'POST',
    url: '/create-account',
    operationId: 'createAccount',
    summary: 'Creates trial accounts below the provisioning partner or one of its umbrella accounts',
    schema: { body: RequestBody, response: responses(ProvisionedAccountView) },
    handler: async ({ actor, body, domain, reply }) => {
      requireProvisioningRole(actor);
      const result = await eachItem(body.data ?? [], readCreate, async (request) => provisioned(domain, await provisionAccount(domain, actor, request)));
      return answer(reply, result);
    },
  }),
];
