import { changeLockedAccount, visibleAccountBy, type Account, type LockedAccount } from '../../domain/account.js';
import type { DomainContext } from '../../domain/context.js';
import type { Actor } from '../../domain/principal.js';
import { domainCustomerKey } from './domain-schemas.js';

/** The customer a domain, mailbox, alias or spam URL's `{accountNumber}` names, as the caller may see it. */
export function customerOf(domain: DomainContext, actor: Actor, accountNumber: string): Promise<Account> {
  return visibleAccountBy(domain, actor, domainCustomerKey(actor, accountNumber));
}

/** A change under that customer: one transaction, the account locked first. */
export function changeCustomer<T>(domain: DomainContext, actor: Actor, accountNumber: string, change: (tx: DomainContext, account: LockedAccount) => Promise<T>): Promise<T> {
  return changeLockedAccount(domain, actor, domainCustomerKey(actor, accountNumber), change);
}
