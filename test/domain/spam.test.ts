import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { systemActor } from '../../src/domain/principal.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { transaction } from '../../src/domain/transaction.js';
import { lockVisibleAccount } from '../../src/domain/account.js';
import { addDomainTo, domainsOfAccount, removeDomain, renameDomain } from '../../src/domain/email-domain.js';
import {
  SPAM_DEFAULTS,
  SPAM_LIST_MAX,
  addSpamListEntry,
  changeDomainSpamSettings,
  domainSpamSettingsOf,
  normalizeIpEntry,
  normalizeSenderEntry,
  spamListOf,
} from '../../src/domain/spam.js';
import type { DomainContext } from '../../src/domain/context.js';

const system = systemActor();

const onAccount = <T>(ctx: DomainContext, accountNumber: string, work: (tx: DomainContext, a: Awaited<ReturnType<typeof lockVisibleAccount>>) => Promise<T>) =>
  transaction(ctx, async (tx) => work(tx, await lockVisibleAccount(tx, system, { accountNumber })));

describe('spam list entries', () => {
  it('spells sender entries one way: addresses, domains and the two wildcards', () => {
    assert.equal(normalizeSenderEntry(' Spammer@Bad.Example '), 'spammer@bad.example');
    assert.equal(normalizeSenderEntry('Bad.Example.'), 'bad.example');
    assert.equal(normalizeSenderEntry('*@Bad.example'), '*@bad.example');
    assert.equal(normalizeSenderEntry('*.bad.example'), '*.bad.example');
    for (const bad of ['', 'spammer', '@bad.example', '*@nope', '**.bad.example', 'a b@bad.example', 7]) assert.equal(normalizeSenderEntry(bad), null, String(bad));
  });
  it('spells IP entries one way: addresses, CIDR ranges and trailing IPv4 wildcards', () => {
    assert.equal(normalizeIpEntry('192.0.2.1'), '192.0.2.1');
    assert.equal(normalizeIpEntry('2001:DB8::1'), '2001:db8::1');
    assert.equal(normalizeIpEntry('198.51.100.0/24'), '198.51.100.0/24');
    assert.equal(normalizeIpEntry('2001:db8::/32'), '2001:db8::/32');
    assert.equal(normalizeIpEntry('10.167.10.%'), '10.167.10.*');
    assert.equal(normalizeIpEntry('10.%'), '10.*.*.*');
    for (const bad of ['256.1.1.1', '10.0.0.0/33', '2001:db8::/129', '*.1.1.1', '10.*.1.*', '10', 'bad.example', '10.0.0.1.5']) assert.equal(normalizeIpEntry(bad), null, bad);
  });
});

for (const kind of STORE_KINDS) {
  describe(`spam filtering on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    before(async () => {
      env = await makeTestEnv(kind);
      fx = await buildFixture(env.ctx);
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addDomainTo(tx, system, a, 'old-name.example'));
    });
    after(async () => env?.close());

    it('keeps a domain’s spam settings and lists when the domain is renamed', async () => {
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => changeDomainSpamSettings(tx, system, a, 'old-name.example', { filterLevel: 'exclusive' }));
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addSpamListEntry(tx, system, a, { domainName: 'old-name.example' }, 'blocked_senders', 'bad.example'));
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => renameDomain(tx, system, a, 'old-name.example', { newName: 'new-name.example' }));
      const settings = await domainSpamSettingsOf(env.ctx, system, fx.a1, 'new-name.example');
      assert.deepEqual(settings, { ...SPAM_DEFAULTS, filterLevel: 'exclusive' });
      assert.deepEqual(await spamListOf(env.ctx, system, fx.a1, { domainName: 'new-name.example' }, 'blocked_senders'), ['bad.example']);
    });

    it(`holds at most ${SPAM_LIST_MAX} entries in one list`, async () => {
      const rows = Array.from({ length: SPAM_LIST_MAX - 1 }, (_, i) => ({ list: 'safe_ips', entry: `10.0.${Math.floor(i / 250)}.${i % 250}`, created_at: 'x' }));
      const domain = await env.ctx.db.selectFrom('email_domains').select('id').where('name', '=', 'new-name.example').executeTakeFirstOrThrow();
      await env.ctx.db.insertInto('domain_spam_entries').values(rows.map((r) => ({ ...r, domain_id: Number(domain.id) }))).execute();
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addSpamListEntry(tx, system, a, { domainName: 'new-name.example' }, 'safe_ips', '192.0.2.1'));
      await assert.rejects(
        onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addSpamListEntry(tx, system, a, { domainName: 'new-name.example' }, 'safe_ips', '192.0.2.2')),
        (e: unknown) => e instanceof DomainError && e.code === ErrorCode.LimitReached,
      );
      // Deleting the domain deletes its lists.
      for (const d of await domainsOfAccount(env.ctx, system, fx.a1)) await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => removeDomain(tx, system, a, d.name));
      assert.equal(Number((await env.ctx.db.selectFrom('domain_spam_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 0);
    });
  });
}
