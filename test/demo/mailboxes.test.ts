import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestEnv } from '../helpers/context.js';
import { seedDemo } from '../../src/demo/seed.js';
import { systemActor } from '../../src/domain/principal.js';
import { listAccounts } from '../../src/domain/account.js';
import { listDomains } from '../../src/domain/email-domain.js';
import { listMailboxes } from '../../src/domain/mailbox.js';
import { listAliases } from '../../src/domain/alias.js';

describe('demo mailboxes', () => {
  it('gives every live demo customer a domain with mailboxes and an alias', async () => {
    const env = await makeTestEnv('sqlite');
    try {
      await seedDemo(env.ctx, 'http://127.0.0.1:8080');
      const system = systemActor('test');
      const customers = (await listAccounts(env.ctx, system, { kind: 'customer', limit: 1000, offset: 0 } as any)).items.filter((a) => a.kind === 'customer');
      assert.ok(customers.length > 0);
      for (const c of customers) {
        const domains = await listDomains(env.ctx, system, { account: c });
        assert.equal(domains.total, 1, c.name);
        const name = domains.items[0].name;
        assert.deepEqual((await listMailboxes(env.ctx, system, c, name)).items.map((m) => m.name), ['alex.morgan', 'sam.taylor']);
        assert.deepEqual((await listAliases(env.ctx, system, c, name)).items.map((a) => a.addresses.length), [2]);
      }
    } finally {
      await env.close();
    }
  });
});
