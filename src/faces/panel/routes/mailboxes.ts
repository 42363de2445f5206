import { Type, type Static } from '@sinclair/typebox';
import { route, type Call } from '../../../http/route.js';
import { domainOf } from '../../../domain/email-domain.js';
import { addMailboxTo, changeMailbox, mailboxOf, removeMailbox, type Mailbox, type MailboxInput } from '../../../domain/mailbox.js';
import type { PanelUser } from '../session.js';
import { sendPage, seeOther } from '../reply.js';
import { ConfirmDeletePage, domainUrl, mailboxUrl } from '../views/domains.js';
import { MailboxPage, NewMailboxPage, type MailboxPageProps } from '../views/mailboxes.js';
import { emptyForm, type FormState } from '../views/forms.js';
import { CsrfForm, text, tick } from './schemas.js';
import { accountFrame } from './frame.js';
import { DomainParams, MailboxParams, NoticeQuery, mailRefusal, mayManageMailboxes, underLock } from './mail.js';

/**
 * A mailbox's pages: add, edit, reset the password, disable and enable, delete. The password goes to the
 * domain, which checks it by the vendor's rules and keeps only its hash; no page ever carries it back.
 */

const NEW_FIELDS = ['name', 'displayName', 'password', 'size'] as const;
const EDIT_FIELDS = ['displayName', 'firstName', 'lastName', 'size', 'emailForwardingAddresses', 'saveForwardedEmail', 'vacationEnabled', 'vacationMessage'] as const;

const NewMailboxForm = Type.Intersect([CsrfForm, Type.Object({ name: text(), displayName: text(), password: text(), size: text() })]);
const MailboxForm = Type.Intersect([
  CsrfForm,
  Type.Object({
    displayName: text(),
    firstName: text(),
    lastName: text(),
    size: text(),
    emailForwardingAddresses: text(),
    saveForwardedEmail: tick(),
    vacationEnabled: tick(),
    vacationMessage: Type.Optional(Type.String({ maxLength: 5000 })),
  }),
]);
const PasswordForm = Type.Intersect([CsrfForm, Type.Object({ password: text(), passwordAgain: text() })]);
type NewMailboxForm = Static<typeof NewMailboxForm>;
type MailboxForm = Static<typeof MailboxForm>;

const NOTICES: Record<string, string> = {
  password: 'Password set.',
  disabled: 'Mailbox disabled: it no longer receives mail or counts as a user.',
  enabled: 'Mailbox enabled.',
};

function newMailboxInput(body: NewMailboxForm): MailboxInput {
  const input: MailboxInput = { password: body.password ?? '', displayName: body.displayName ?? '' };
  // An empty size means the domain's default size.
  if (body.size?.trim()) input.size = body.size;
  return input;
}

/** The edit form's fields for the domain: an unticked box is false, an empty forwarding list forwards nothing. */
function mailboxChanges(body: MailboxForm): MailboxInput {
  return {
    displayName: body.displayName ?? '',
    firstName: body.firstName ?? '',
    lastName: body.lastName ?? '',
    size: body.size ?? '',
    forwardingAddresses: (body.emailForwardingAddresses ?? '').split(/[\s,;]+/).filter(Boolean).join(','),
    saveForwardedEmail: body.saveForwardedEmail === 'true',
    vacationEnabled: body.vacationEnabled === 'true',
    vacationMessage: body.vacationMessage ?? '',
  };
}

function mailboxValues(m: Mailbox): FormState['values'] {
  const flag = (b: boolean) => (b ? 'true' : undefined);
  return {
    displayName: m.displayName,
    firstName: m.firstName,
    lastName: m.lastName,
    size: String(m.sizeMb),
    emailForwardingAddresses: m.forwardingAddresses.join(', '),
    saveForwardedEmail: flag(m.saveForwardedEmail),
    vacationEnabled: flag(m.vacationEnabled),
    vacationMessage: m.vacationMessage,
  };
}

type MailboxCall = Call<PanelUser, { params: MailboxParams }>;

/** The mailbox page as it is now, with either form replaced by one the person has to fix. */
async function mailboxPage({ actor: user, params, domain }: Pick<MailboxCall, 'actor' | 'params' | 'domain'>, change: Partial<Pick<MailboxPageProps, 'form' | 'passwordForm' | 'notice'>> = {}) {
  const frame = await accountFrame(domain, user, params.n);
  mayManageMailboxes(frame.may);
  const mailbox = await mailboxOf(domain, user.actor, frame.account, params.domain, params.mailbox);
  return MailboxPage({ ...frame, mailbox, form: emptyForm(mailboxValues(mailbox)), passwordForm: emptyForm(), ...change });
}

/** Disable or enable: the same change as the API's `enabled` field, which moves the user count. */
function switchTo(enabled: boolean) {
  return async ({ actor: user, params, domain, reply }: MailboxCall) => {
    const frame = await accountFrame(domain, user, params.n);
    const m = await underLock(domain, user, frame.account, (tx, locked) => changeMailbox(tx, user.actor, locked, params.domain, params.mailbox, { enabled }));
    return seeOther(reply, mailboxUrl(frame.account, m.domainName, m.name, `?notice=${enabled ? 'enabled' : 'disabled'}`));
  };
}

export const mailboxRoutes = [
  route<PanelUser, { params: DomainParams }>({
    method: 'GET',
    url: '/accounts/:n/domains/:domain/mailboxes/new',
    operationId: 'NewMailboxForm',
    schema: { params: DomainParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      mayManageMailboxes(frame.may);
      const d = await domainOf(domain, user.actor, frame.account, params.domain);
      return sendPage(reply, 200, NewMailboxPage({ ...frame, domain: d.name, defaultSizeMb: d.baseMailboxSize, form: emptyForm() }));
    },
  }),
  route<PanelUser, { params: DomainParams; body: typeof NewMailboxForm }>({
    method: 'POST',
    url: '/accounts/:n/domains/:domain/mailboxes',
    operationId: 'AddMailbox',
    schema: { params: DomainParams, body: NewMailboxForm },
    handler: async ({ actor: user, params, body, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      try {
        const m = await underLock(domain, user, frame.account, (tx, locked) => addMailboxTo(tx, user.actor, locked, params.domain, body.name ?? '', newMailboxInput(body)));
        return seeOther(reply, domainUrl(frame.account, m.domainName, '?notice=mailbox-added'));
      } catch (e) {
        // Everything typed comes back but the password.
        const { status, form } = mailRefusal(e, { name: body.name, displayName: body.displayName, size: body.size }, NEW_FIELDS);
        const d = await domainOf(domain, user.actor, frame.account, params.domain);
        return sendPage(reply, status, NewMailboxPage({ ...frame, domain: d.name, defaultSizeMb: d.baseMailboxSize, form }));
      }
    },
  }),
  route<PanelUser, { params: MailboxParams; querystring: typeof NoticeQuery }>({
    method: 'GET',
    url: '/accounts/:n/domains/:domain/mailboxes/:mailbox',
    operationId: 'EditMailboxForm',
    schema: { params: MailboxParams, querystring: NoticeQuery },
    handler: async (call) => sendPage(call.reply, 200, await mailboxPage(call, { notice: NOTICES[call.query.notice ?? ''] })),
  }),
  route<PanelUser, { params: MailboxParams; body: typeof MailboxForm }>({
    method: 'POST',
    url: '/accounts/:n/domains/:domain/mailboxes/:mailbox',
    operationId: 'UpdateMailbox',
    schema: { params: MailboxParams, body: MailboxForm },
    handler: async ({ actor: user, params, body, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      try {
        const m = await underLock(domain, user, frame.account, (tx, locked) => changeMailbox(tx, user.actor, locked, params.domain, params.mailbox, mailboxChanges(body)));
        return seeOther(reply, domainUrl(frame.account, m.domainName, '?notice=mailbox-saved'));
      } catch (e) {
        const { _csrf, ...values } = body;
        const { status, form } = mailRefusal(e, values, EDIT_FIELDS);
        return sendPage(reply, status, await mailboxPage({ actor: user, params, domain }, { form }));
      }
    },
  }),
  route<PanelUser, { params: MailboxParams; body: typeof PasswordForm }>({
    method: 'POST',
    url: '/accounts/:n/domains/:domain/mailboxes/:mailbox/password',
    operationId: 'ResetMailboxPassword',
    schema: { params: MailboxParams, body: PasswordForm },
    handler: async ({ actor: user, params, body, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      mayManageMailboxes(frame.may);
      let passwordForm: FormState;
      if ((body.password ?? '') !== (body.passwordAgain ?? '')) {
        passwordForm = { values: {}, errors: { passwordAgain: 'The two passwords are not the same.' } };
      } else {
        try {
          const m = await underLock(domain, user, frame.account, (tx, locked) => changeMailbox(tx, user.actor, locked, params.domain, params.mailbox, { password: body.password ?? '' }));
          return seeOther(reply, mailboxUrl(frame.account, m.domainName, m.name, '?notice=password'));
        } catch (e) {
          passwordForm = mailRefusal(e, {}, ['password']).form;
        }
      }
      return sendPage(reply, 400, await mailboxPage({ actor: user, params, domain }, { passwordForm }));
    },
  }),
  route<PanelUser, { params: MailboxParams; body: typeof CsrfForm }>({
    method: 'POST',
    url: '/accounts/:n/domains/:domain/mailboxes/:mailbox/disable',
    operationId: 'DisableMailbox',
    schema: { params: MailboxParams, body: CsrfForm },
    handler: switchTo(false),
  }),
  route<PanelUser, { params: MailboxParams; body: typeof CsrfForm }>({
    method: 'POST',
    url: '/accounts/:n/domains/:domain/mailboxes/:mailbox/enable',
    operationId: 'EnableMailbox',
    schema: { params: MailboxParams, body: CsrfForm },
    handler: switchTo(true),
  }),
  route<PanelUser, { params: MailboxParams }>({
    method: 'GET',
    url: '/accounts/:n/domains/:domain/mailboxes/:mailbox/delete',
    operationId: 'ConfirmDeleteMailbox',
    schema: { params: MailboxParams },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      mayManageMailboxes(frame.may);
      const m = await mailboxOf(domain, user.actor, frame.account, params.domain, params.mailbox);
      const page = { what: 'mailbox' as const, address: `${m.name}@${m.domainName}`, action: mailboxUrl(frame.account, m.domainName, m.name, '/delete'), back: mailboxUrl(frame.account, m.domainName, m.name) };
      return sendPage(reply, 200, ConfirmDeletePage({ ...frame, ...page }));
    },
  }),
  route<PanelUser, { params: MailboxParams; body: typeof CsrfForm }>({
    method: 'POST',
    url: '/accounts/:n/domains/:domain/mailboxes/:mailbox/delete',
    operationId: 'DeleteMailbox',
    schema: { params: MailboxParams, body: CsrfForm },
    handler: async ({ actor: user, params, domain, reply }) => {
      const frame = await accountFrame(domain, user, params.n);
      await underLock(domain, user, frame.account, (tx, locked) => removeMailbox(tx, user.actor, locked, params.domain, params.mailbox));
      return seeOther(reply, domainUrl(frame.account, params.domain.toLowerCase(), '?notice=mailbox-deleted'));
    },
  }),
];
