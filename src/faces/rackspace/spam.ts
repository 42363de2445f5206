import { route, type Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import {
  addSpamListEntry,
  changeDomainSpamSettings,
  changeMailboxSpamSettings,
  domainSpamSettingsOf,
  mailboxSpamSettingsOf,
  removeSpamListEntry,
  spamListOf,
  type SpamListTarget,
} from '../../domain/spam.js';
import { sendDocument } from './codec.js';
import { responses } from './schemas.js';
import { DomainParams } from './domain-schemas.js';
import { changeCustomer, customerOf } from './url-customer.js';
import { DomainSpamBody, DomainSpamSettingsDocument, MailboxSpamBody, MailboxSpamEntryParams, MailboxSpamParams, MailboxSpamSettingsDocument, SpamEntryParams, SpamListDocument } from './spam-schemas.js';
import {
  SPAM_LIST_PATHS,
  SPAM_NAMESPACES,
  SPAM_XML_ITEMS,
  domainSpamDocument,
  domainSpamSettingsInput,
  mailboxSpamDocument,
  spamListDocument,
  spamListRoot,
  spamSettingsInput,
} from './spam-views.js';

/**
 * The Domain Spam and Rackspace Mailbox Spam resources (wiki pages "Domain Spam (Rest API)" and "Rackspace
 * Mailbox Spam (Rest API)"): show and edit the spam settings of a domain or mailbox, and index, add and remove
 * the entries of its safelist, blocklist, IP safelist and IP blocklist (one entry per URL:
 * `…/spam/blocklist/(email address)`). Served at /v1, /v0 and the unversioned URLs, as the domain routes are.
 */

type Params = { accountNumber: string; domain: string; mailbox?: string; entry?: string };
const target = (p: Params): SpamListTarget => ({ domainName: p.domain, mailboxName: p.mailbox });

/** Index, add and remove of one list, of a domain or of a mailbox. */
function listRoutes(owner: 'Domain' | 'Mailbox', spam: string, l: (typeof SPAM_LIST_PATHS)[number]): Route<Actor, any>[] {
  const urls = [`${spam}/${l.path}`, ...(l.old ? [`${spam}/${l.old}`] : [])];
  const indexSchema = { params: owner === 'Domain' ? DomainParams : MailboxSpamParams, response: responses(SpamListDocument) };
  const entrySchema = { params: owner === 'Domain' ? SpamEntryParams : MailboxSpamEntryParams, response: responses() };
  return [
    route<Actor, typeof indexSchema>({
      method: 'GET',
      url: urls,
      operationId: `List${owner}Spam${l.operation}`,
      schema: indexSchema,
      async handler({ request, reply, actor, params, domain }) {
        const account = await customerOf(domain, actor, params.accountNumber);
        const entries = await spamListOf(domain, actor, account, target(params as Params), l.list);
        return sendDocument(request, reply, spamListRoot(request.routeOptions.url, l.path), spamListDocument(entries), SPAM_XML_ITEMS);
      },
    }),
    route<Actor, typeof entrySchema>({
      method: 'POST',
      url: urls.map((u) => `${u}/:entry`),
      operationId: `Add${owner}Spam${l.operation}Entry`,
      schema: entrySchema,
      async handler({ reply, actor, params, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => addSpamListEntry(tx, actor, account, target(params as Params), l.list, params.entry));
        return reply.code(200).send();
      },
    }),
    route<Actor, typeof entrySchema>({
      method: 'DELETE',
      url: urls.map((u) => `${u}/:entry`),
      operationId: `Remove${owner}Spam${l.operation}Entry`,
      schema: entrySchema,
      async handler({ reply, actor, params, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => removeSpamListEntry(tx, actor, account, target(params as Params), l.list, params.entry));
        return reply.code(200).send();
      },
    }),
  ];
}

function domainSettingsRoutes(spam: string): Route<Actor, any>[] {
  const showSchema = { params: DomainParams, response: responses(DomainSpamSettingsDocument) };
  const editSchema = { params: DomainParams, body: DomainSpamBody, response: responses() };
  return [
    route<Actor, typeof showSchema>({
      method: 'GET',
      url: `${spam}/settings`,
      operationId: 'ShowDomainSpamSettings',
      schema: showSchema,
      async handler({ request, reply, actor, params, domain }) {
        const account = await customerOf(domain, actor, params.accountNumber);
        const settings = await domainSpamSettingsOf(domain, actor, account, params.domain);
        return sendDocument(request, reply, 'domainSpamSettings', domainSpamDocument(settings), {}, SPAM_NAMESPACES.domain);
      },
    }),
    route<Actor, typeof editSchema>({
      method: 'PUT',
      url: `${spam}/settings`,
      operationId: 'EditDomainSpamSettings',
      schema: editSchema,
      async handler({ reply, actor, params, body, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => changeDomainSpamSettings(tx, actor, account, params.domain, domainSpamSettingsInput(body)));
        return reply.code(200).send();
      },
    }),
  ];
}

function mailboxSettingsRoutes(spam: string): Route<Actor, any>[] {
  const showSchema = { params: MailboxSpamParams, response: responses(MailboxSpamSettingsDocument) };
  const editSchema = { params: MailboxSpamParams, body: MailboxSpamBody, response: responses() };
  return [
    route<Actor, typeof showSchema>({
      method: 'GET',
      url: `${spam}/settings`,
      operationId: 'ShowMailboxSpamSettings',
      schema: showSchema,
      async handler({ request, reply, actor, params, domain }) {
        const account = await customerOf(domain, actor, params.accountNumber);
        const settings = await mailboxSpamSettingsOf(domain, actor, account, params.domain, params.mailbox);
        return sendDocument(request, reply, 'rsMailboxSpamSetting', mailboxSpamDocument(settings), {}, SPAM_NAMESPACES.mailbox);
      },
    }),
    route<Actor, typeof editSchema>({
      method: 'PUT',
      url: `${spam}/settings`,
      operationId: 'EditMailboxSpamSettings',
      schema: editSchema,
      async handler({ reply, actor, params, body, domain }) {
        await changeCustomer(domain, actor, params.accountNumber, (tx, account) => changeMailboxSpamSettings(tx, actor, account, params.domain, params.mailbox, spamSettingsInput(body)));
        return reply.code(200).send();
      },
    }),
  ];
}

export function spamRoutes(base: string): Route<Actor, any>[] {
  const domainSpam = `${base}/:accountNumber/domains/:domain/spam`;
  const mailboxSpam = `${base}/:accountNumber/domains/:domain/rs/mailboxes/:mailbox/spam`;
  return [
    ...domainSettingsRoutes(domainSpam),
    ...SPAM_LIST_PATHS.flatMap((l) => listRoutes('Domain', domainSpam, l)),
    ...mailboxSettingsRoutes(mailboxSpam),
    ...SPAM_LIST_PATHS.flatMap((l) => listRoutes('Mailbox', mailboxSpam, l)),
  ];
}
