import { Type } from '@sinclair/typebox';
import type { DomainContext } from '../../../domain/context.js';
import type { Account, LockedAccount } from '../../../domain/account.js';
import { changeLockedAccount } from '../../../domain/account.js';
import { DomainError, ErrorCode, isDomainError } from '../../../domain/errors.js';
import { listMailboxes } from '../../../domain/mailbox.js';
import { listAliases } from '../../../domain/alias.js';
import type { EmailDomain } from '../../../domain/email-domain.js';
import type { AccountAbilities } from '../../../domain/account-view.js';
import type { PanelUser } from '../session.js';
import type { FormState } from '../views/forms.js';
import type { DomainListing } from '../views/domains.js';
import { formRefusal } from './frame.js';

/** What the Domains pages share: their path parameters, one transaction per change, and refusals as form errors. */

const N = Type.String({ pattern: '^[0-9]{1,20}$' });
// A host name and a mailbox (or alias) name as the domain spells them; anything else in the path names no page.
const DOMAIN = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$' });
const LOCAL = Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9._'-]{0,63}$" });

export const DomainParams = Type.Object({ n: N, domain: DOMAIN });
export const MailboxParams = Type.Object({ n: N, domain: DOMAIN, mailbox: LOCAL });
export const AliasParams = Type.Object({ n: N, domain: DOMAIN, alias: LOCAL });
export type DomainParams = typeof DomainParams;
export type MailboxParams = typeof MailboxParams;
export type AliasParams = typeof AliasParams;

export const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) });

/** A change to the account's mail: one transaction, with the account locked as the API's changes lock it. */
export function underLock<T>(domain: DomainContext, user: PanelUser, account: Account, work: (tx: DomainContext, locked: LockedAccount) => Promise<T>): Promise<T> {
  return changeLockedAccount(domain, user.actor, { guid: account.guid }, work);
}

/**
 * A refusal the person can fix, shown on the form: the domain's messages next to the fields they name, a
 * taken name next to the name (409), a reached limit above the form. Anything else goes to the error map.
 */
export function mailRefusal(e: unknown, values: FormState['values'], fields: readonly string[]): { status: number; form: FormState } {
  if (isDomainError(e, ErrorCode.NameTaken)) return { status: 409, form: { values, errors: { [fields.includes('name') ? 'name' : '']: (e as DomainError).message } } };
  return { status: 400, form: formRefusal(e, values, fields) };
}

/** The pages that show write forms are refused outright to a user who may not change mailboxes. */
export function mayManageMailboxes(may: AccountAbilities): void {
  if (!may.manageMailboxes) throw new DomainError(ErrorCode.Forbidden, 'changing mailboxes is not allowed');
}

/** One domain with a page of its mailboxes and of its aliases. */
export async function domainListing(domain: DomainContext, user: PanelUser, account: Account, d: EmailDomain, page: { size: number; offset?: number; aliasOffset?: number }): Promise<DomainListing> {
  const [mailboxes, aliases] = await Promise.all([
    listMailboxes(domain, user.actor, account, d.name, { size: page.size, offset: page.offset ?? 0 }),
    listAliases(domain, user.actor, account, d.name, { size: page.size, offset: page.aliasOffset ?? 0 }),
  ]);
  return { domain: d, mailboxes, aliases };
}
