import { Type, type Static } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import type { DomainContext } from '../../../domain/context.js';
import { addDomainTo, domainOf, domainsOfAccount } from '../../../domain/email-domain.js';
import { addAliasTo, aliasOf, changeAlias, removeAlias } from '../../../domain/alias.js';
import type { PanelUser } from '../session.js';
import { sendPage, seeOther } from '../reply.js';
import { AliasFormPage, ConfirmDeletePage, DomainPage, DomainsPage, aliasUrl, domainUrl, domainsUrl } from '../views/domains.js';
import { emptyForm, type FormState } from '../views/forms.js';
import { AccountParams, CsrfForm, PageQuery, text } from './schemas.js';
import { accountFrame } from './frame.js';
import { AliasParams, DomainParams, NoticeQuery, domainListing, mailRefusal, mayManageMailboxes, underLock } from './mail.js';

/**
 * The Domains tab: an account's e-mail domains with their mailboxes and aliases, adding a domain, and the
 * aliases' pages. Every change is the same domain function the Rackspace API calls, in one transaction.
 */

/** How many mailboxes and aliases of each domain the overview shows; a domain's own page pages through all. */
const OVERVIEW_SIZE = 20;
const PAGE_SIZE = 50;

const DomainForm = Type.Intersect([CsrfForm, Type.Object({ name: text() })]);
const AliasForm = Type.Intersect([CsrfForm, Type.Object({ name: text(), aliasEmails: text() })]);
type AliasForm = Static<typeof AliasForm>;
const DomainPageQuery = Type.Intersect([PageQuery, NoticeQuery, Type.Object({ aliasOffset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })) })]);

export const NOTICES: Record<string, string> = {
  'domain-added': 'Domain added.',
  'mailbox-added': 'Mailbox added.',
  'mailbox-saved': 'Mailbox saved.',
  'mailbox-deleted': 'Mailbox deleted.',
  'alias-added': 'Alias added.',
  'alias-saved': 'Alias saved.',
  'alias-deleted': 'Alias deleted.',
};

/** Addresses as typed: commas, semicolons or one per line. */
const targets = (raw: string | undefined) => (raw ?? '').split(/[\s,;]+/).filter(Boolean).join(',');

const aliasValues = (body: AliasForm): FormState['values'] => ({ name: body.name, aliasEmails: body.aliasEmails });

/** Every domain of the account with the first of its mailboxes and aliases. */
async function overview(call: { domain: DomainContext; user: PanelUser; n: string }) {
  const frame = await accountFrame(call.domain, call.user, call.n);
  const domains = await domainsOfAccount(call.domain, call.user.actor, frame.account);
  const listings = await Promise.all(domains.map((d) => domainListing(call.domain, call.user, frame.account, d, { size: OVERVIEW_SIZE })));
  return { ...frame, listings };
}

export const domainRoutes = [
  route<PanelUser, { params: AccountParams; querystring: typeof NoticeQuery }>({
    method: 'GET',
    url: '/accounts/:n/domains',
    operationId: 'ListMailDomains',
    schema: { params: AccountParams, querystring: NoticeQuery },
    handler: async ({ actor: user, params, query, domain, reply }) => {
      const page = await overview({ domain, user, n: params.n });
      return sendPage(reply, 200, DomainsPage({ ...page, form: emptyForm(), notice: NOTICES[query.notice ?? ''] }));
    },
  }),
  route<PanelUser, { params: AccountParams; body: typeof DomainForm }>({
    method: 'POST',
    url: '/accounts/:n/domains',
    operationId: 'AddMailDomain',
    schema: { params: AccountParams, body: DomainForm },
    handler: async ({ actor: user, params, body, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      try {
        await underLock(domain, user, frame.account, (tx, locked) => addDomainTo(tx, user.actor, locked, body.name ?? ''));
      } catch (e) {
        const { status, form } = mailRefusal(e, { name: body.name }, ['name']);
        return sendPage(reply, status, DomainsPage({ ...(await overview({ domain, user, n: params.n })), form }));
      }
      return seeOther(reply, domainsUrl(frame.account, '?notice=domain-added'));
    },
  }),
  route<PanelUser, { params: DomainParams; querystring: typeof DomainPageQuery }>({
    method: 'GET',
    url: '/accounts/:n/domains/:domain',
    operationId: 'ShowMailDomain',
    schema: { params: DomainParams, querystring: DomainPageQuery },
    handler: async ({ actor: user, params, query, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      const d = await domainOf(domain, user.actor, frame.account, params.domain);
      const listing = await domainListing(domain, user, frame.account, d, { size: PAGE_SIZE, offset: query.offset, aliasOffset: query.aliasOffset });
      return sendPage(reply, 200, DomainPage({ ...frame, listing, notice: NOTICES[query.notice ?? ''] }));
    },
  }),
  route<PanelUser, { params: DomainParams }>({
    method: 'GET',
    url: '/accounts/:n/domains/:domain/aliases/new',
    operationId: 'NewAliasForm',
    schema: { params: DomainParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      mayManageMailboxes(frame.may);
      const d = await domainOf(domain, user.actor, frame.account, params.domain);
      return sendPage(reply, 200, AliasFormPage({ ...frame, domain: d.name, form: emptyForm() }));
    },
  }),
  route<PanelUser, { params: DomainParams; body: typeof AliasForm }>({
    method: 'POST',
    url: '/accounts/:n/domains/:domain/aliases',
    operationId: 'AddMailAlias',
    schema: { params: DomainParams, body: AliasForm },
    handler: async ({ actor: user, params, body, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      try {
        await underLock(domain, user, frame.account, (tx, locked) => addAliasTo(tx, user.actor, locked, params.domain, body.name ?? '', targets(body.aliasEmails)));
      } catch (e) {
        const { status, form } = mailRefusal(e, aliasValues(body), ['name', 'aliasEmails']);
        const d = await domainOf(domain, user.actor, frame.account, params.domain);
        return sendPage(reply, status, AliasFormPage({ ...frame, domain: d.name, form }));
      }
      return seeOther(reply, domainUrl(frame.account, params.domain.toLowerCase(), '?notice=alias-added'));
    },
  }),
  route<PanelUser, { params: AliasParams }>({
    method: 'GET',
    url: '/accounts/:n/domains/:domain/aliases/:alias',
    operationId: 'EditAliasForm',
    schema: { params: AliasParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      mayManageMailboxes(frame.may);
      const alias = await aliasOf(domain, user.actor, frame.account, params.domain, params.alias);
      return sendPage(reply, 200, AliasFormPage({ ...frame, domain: alias.domainName, alias, form: emptyForm({ aliasEmails: alias.addresses.join(', ') }) }));
    },
  }),
  route<PanelUser, { params: AliasParams; body: typeof AliasForm }>({
    method: 'POST',
    url: '/accounts/:n/domains/:domain/aliases/:alias',
    operationId: 'UpdateMailAlias',
    schema: { params: AliasParams, body: AliasForm },
    handler: async ({ actor: user, params, body, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      try {
        await underLock(domain, user, frame.account, (tx, locked) => changeAlias(tx, user.actor, locked, params.domain, params.alias, targets(body.aliasEmails)));
      } catch (e) {
        const { status, form } = mailRefusal(e, aliasValues(body), ['aliasEmails']);
        const alias = await aliasOf(domain, user.actor, frame.account, params.domain, params.alias);
        return sendPage(reply, status, AliasFormPage({ ...frame, domain: alias.domainName, alias, form }));
      }
      return seeOther(reply, domainUrl(frame.account, params.domain.toLowerCase(), '?notice=alias-saved'));
    },
  }),
  route<PanelUser, { params: AliasParams }>({
    method: 'GET',
    url: '/accounts/:n/domains/:domain/aliases/:alias/delete',
    operationId: 'ConfirmDeleteMailAlias',
    schema: { params: AliasParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      mayManageMailboxes(frame.may);
      const a = await aliasOf(domain, user.actor, frame.account, params.domain, params.alias);
      const page = { what: 'alias' as const, address: `${a.name}@${a.domainName}`, action: aliasUrl(frame.account, a.domainName, a.name, '/delete'), back: domainUrl(frame.account, a.domainName) };
      return sendPage(reply, 200, ConfirmDeletePage({ ...frame, ...page }));
    },
  }),
  route<PanelUser, { params: AliasParams; body: typeof CsrfForm }>({
    method: 'POST',
    url: '/accounts/:n/domains/:domain/aliases/:alias/delete',
    operationId: 'DeleteMailAlias',
    schema: { params: AliasParams, body: CsrfForm },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      await underLock(domain, user, frame.account, (tx, locked) => removeAlias(tx, user.actor, locked, params.domain, params.alias));
      return seeOther(reply, domainUrl(frame.account, params.domain.toLowerCase(), '?notice=alias-deleted'));
    },
  }),
];
