import type { DomainContext } from '../domain/context.js';
import type { Actor } from '../domain/principal.js';
import type { Account } from '../domain/account.js';
import { lockVisibleAccount } from '../domain/account.js';
import { addMailboxTo } from '../domain/mailbox.js';
import { addAliasTo } from '../domain/alias.js';
import { transaction } from '../domain/transaction.js';
import * as accountsRepo from '../store/repositories/accounts.js';

/** The password of every demo mailbox (a sandbox's, documented in docs/rackspace.md). */
export const DEMO_MAILBOX_PASSWORD = 'Demo!Mailbox7x';

const PEOPLE = [
  ['alex.morgan', 'Alex', 'Morgan'],
  ['sam.taylor', 'Sam', 'Taylor'],
] as const;

/**
 * Every live demo customer's primary domain gets two mailboxes and an `info` alias to both, so a client's
 * first `GET …/rs/mailboxes` shows something. Each mailbox is a user: the counts rise by two, at the end.
 */
export async function seedDemoMailboxes(demo: DomainContext, system: Actor, customers: Account[]): Promise<void> {
  for (const c of customers) {
    const current = await accountsRepo.findByGuid(demo.db, c.guid);
    if (!current || current.deletedAt || !current.primaryDomain) continue;
    const domain = current.primaryDomain;
    await transaction(demo, async (tx) => {
      const account = await lockVisibleAccount(tx, system, { guid: c.guid });
      for (const [name, firstName, lastName] of PEOPLE) {
        await addMailboxTo(tx, system, account, domain, name, { password: DEMO_MAILBOX_PASSWORD, displayName: `${firstName} ${lastName}`, firstName, lastName });
      }
      await addAliasTo(tx, system, account, domain, 'info', PEOPLE.map(([name]) => `${name}@${domain}`).join(','));
    });
  }
}
