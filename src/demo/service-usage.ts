import type { DomainContext } from '../domain/context.js';
import { findAccountUnscoped, type Account } from '../domain/account.js';
import { DAY } from '../domain/clock.js';
import { systemActor } from '../domain/principal.js';
import { importDailyUsage, type UsageRecordInput } from '../domain/service-usage.js';

/** Days of usage the demo carries, ending yesterday: enough for a full previous month. */
export const DEMO_USAGE_DAYS = 45;

/**
 * Daily usage for the demo's services that are not cancelled, so CCC's usage operations have something
 * to report. Deterministic per service and day.
 */
export async function seedDemoUsage(ctx: DomainContext, customers: Account[]): Promise<number> {
  const end = ctx.clock.now().getTime();
  const records: UsageRecordInput[] = [];
  for (const [i, created] of customers.entries()) {
    const c = await findAccountUnscoped(ctx, { guid: created.guid });
    if (!c || c.deletedAt || c.status === 'AccountCancelled') continue;
    for (let d = DEMO_USAGE_DAYS; d >= 1; d--) {
      const at = end - d * DAY;
      if (at < Date.parse(c.createdAt)) continue;
      const wobble = ((i * 7919 + d * 104729) % 97) / 97;
      const users = Math.max(1, c.userCount - 2 + Math.round(wobble * 4));
      const pro = Math.round(users * 0.6);
      const messages = Math.round(users * (8 + wobble * 12));
      records.push({
        account: c.guid,
        day: new Date(at).toISOString().slice(0, 10),
        counters: {
          totalUsers: users,
          proUsers: pro,
          guestUsers: Math.round(users * 0.1),
          disabledUsers: i % 5 === 0 ? 1 : 0,
          unregisteredUsers: users - pro - Math.round(users * 0.1),
          secureMessagingGateway: Math.round(messages * 0.3),
          secureMessagingPlus: Math.round(messages * 0.1),
          dataLeakPrevention: Math.round(wobble * 5),
          secureLargeFiles: Math.round(wobble * 3),
          secureForms: i % 3 === 0 ? Math.round(wobble * 4) : 0,
          messages,
          attachments: Math.round(messages * 0.25),
          attachmentStorageBytes: users * 1_048_576 + Math.round(wobble * 50_000_000),
        },
      });
    }
  }
  const { imported } = await importDailyUsage(ctx, systemActor('demo'), records);
  return imported;
}
