import type { DomainContext } from './context.js';
import { hasAction, sees, type Actor } from './principal.js';
import { accountProducts, findAccount, type Account } from './account.js';
import { statusHistory, type StatusChange } from './status.js';
import { userCountChanges, type UserCountChange } from './usage.js';
import type { Product } from './product.js';
import * as accountsRepo from '../store/repositories/accounts.js';

/**
 * What the control panel shows of one account, read in one place: the account with its products, its
 * status and user-count histories, the partner it is aligned to, and what the viewer may do with it. The
 * permissions here only decide which buttons a page offers; every change is still authorized by the
 * service that makes it.
 */

export interface AccountAbilities {
  update: boolean;
  /** Enable and disable (never one's own account). */
  changeStatus: boolean;
  /** Delete (never one's own account). */
  delete: boolean;
  readContacts: boolean;
  manageContacts: boolean;
  readInvoices: boolean;
  /** See the account's e-mail domains, mailboxes and aliases. */
  readDomains: boolean;
  /** Add e-mail domains (a reseller's or partner's operation). */
  manageDomains: boolean;
  /** Add, change and delete mailboxes and aliases. */
  manageMailboxes: boolean;
  /** The account has accounts below it that the viewer may list. */
  listCustomers: boolean;
  createCustomer: boolean;
  /** Issue a login token into this account's panel (never one's own). */
  openPanel: boolean;
}

export interface AccountOverview {
  account: Account;
  /** The account above, when the viewer can see it (a reseller looking at its customer). */
  parent: Account | null;
  /** The partner at the top of the account's tree. */
  partnerName: string;
  products: Product[];
  /** Newest first. */
  statusHistory: StatusChange[];
  /** Newest first. */
  userCountHistory: UserCountChange[];
  may: AccountAbilities;
}

const EVER = { from: '0000-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' };

export function abilities(actor: Actor, account: Account): AccountAbilities {
  const other = account.guid !== actor.accountGuid;
  const hasChildren = account.kind !== 'customer';
  return {
    update: hasAction(actor, 'account.update'),
    changeStatus: other && hasAction(actor, 'account.status'),
    delete: other && hasAction(actor, 'account.delete'),
    readContacts: hasAction(actor, 'contact.read'),
    manageContacts: hasAction(actor, 'contact.manage'),
    readInvoices: hasAction(actor, 'invoice.read'),
    readDomains: hasAction(actor, 'domain.read'),
    manageDomains: hasAction(actor, 'domain.manage'),
    manageMailboxes: hasAction(actor, 'mailbox.manage'),
    listCustomers: hasChildren && hasAction(actor, 'account.read'),
    createCustomer: hasChildren && hasAction(actor, 'account.create'),
    openPanel: other && hasAction(actor, 'login_token.create'),
  };
}

/** The live account with this account number, if the viewer may read it (not-found otherwise). */
export async function accountByNumber(ctx: DomainContext, actor: Actor, accountNumber: string): Promise<Account> {
  return findAccount(ctx, actor, { accountNumber });
}

/** Everything the account page shows. */
export async function accountOverview(ctx: DomainContext, actor: Actor, accountNumber: string): Promise<AccountOverview> {
  const account = await accountByNumber(ctx, actor, accountNumber);
  const top = account.path.split('/').filter(Boolean)[0];
  const [products, history, counts, parent, partner] = await Promise.all([
    accountProducts(ctx, account.guid),
    statusHistory(ctx, account.guid),
    userCountChanges(ctx.db, account.guid, EVER.from, EVER.to),
    account.parentGuid ? accountsRepo.findByGuid(ctx.db, account.parentGuid) : Promise.resolve(null),
    top && top !== account.guid ? accountsRepo.findByGuid(ctx.db, top) : Promise.resolve(account),
  ]);
  return {
    account,
    parent: parent && !parent.deletedAt && sees(actor, parent) ? parent : null,
    partnerName: partner?.name ?? '',
    products,
    statusHistory: [...history].reverse(),
    userCountHistory: [...counts].reverse(),
    may: abilities(actor, account),
  };
}
