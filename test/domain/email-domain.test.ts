import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { openStore } from '../../src/store/connect.js';
import { systemActor } from '../../src/domain/principal.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { transaction } from '../../src/domain/transaction.js';
import { closeAccount, createAccount, findAccountUnscoped, lockVisibleAccount, updateAccount } from '../../src/domain/account.js';
import { addDomainTo, domainsOfAccount, listDomains, normalizeDomainName, removeDomain, renameDomain } from '../../src/domain/email-domain.js';
import { addMailboxTo, changeMailbox, listMailboxes, removeMailbox } from '../../src/domain/mailbox.js';
import { addAliasTo, ALIAS_MESSAGES, listAliases } from '../../src/domain/alias.js';
import { passwordProblem, PASSWORD_MESSAGES, verifyPassword } from '../../src/domain/mailbox-password.js';
import { queryAudit } from '../../src/domain/audit.js';
import type { DomainContext } from '../../src/domain/context.js';

const system = systemActor();
const PASSWORD = 'Tr1cky!Horse';

const rejects = (code: ErrorCode, message?: string) => (e: unknown) => {
  assert.ok(e instanceof DomainError, `expected a DomainError, got ${e}`);
  assert.equal(e.code, code, e.message);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};

const onAccount = <T>(ctx: DomainContext, accountNumber: string, work: (tx: DomainContext, a: Awaited<ReturnType<typeof lockVisibleAccount>>) => Promise<T>) =>
  transaction(ctx, async (tx) => work(tx, await lockVisibleAccount(tx, system, { accountNumber })));

describe('domain rules', () => {
  it('spells domain names one way and refuses what is not a host name', () => {
    assert.equal(normalizeDomainName(' Example.COM. '), 'example.com');
    for (const bad of ['example', '-a.com', 'a..com', 'a.123', 'a b.com', '', 'x'.repeat(64) + '.com']) assert.equal(normalizeDomainName(bad), null, bad);
  });
  it("applies the vendor's password rules", () => {
    assert.equal(passwordProblem('', 'alex', 'example.com')?.message, PASSWORD_MESSAGES.missing);
    assert.equal(passwordProblem('short1A', 'alex', 'example.com')?.message, PASSWORD_MESSAGES.strength);
    assert.equal(passwordProblem('alllowercase', 'alex', 'example.com')?.message, PASSWORD_MESSAGES.strength);
    assert.equal(passwordProblem('MyPassword!9', 'alex', 'example.com')?.message, PASSWORD_MESSAGES.word);
    assert.equal(passwordProblem('Alex!Horse9', 'alex', 'example.com')?.message, PASSWORD_MESSAGES.containsName);
    assert.equal(passwordProblem('Example!Horse9', 'bob', 'example.com')?.message, PASSWORD_MESSAGES.containsName);
    assert.equal(passwordProblem('Horse!123x', 'bob', 'example.com')?.message, PASSWORD_MESSAGES.sequence);
    assert.equal(passwordProblem(PASSWORD, 'alex', 'example.com'), null);
  });
});

for (const kind of STORE_KINDS) {
  describe(`domains, mailboxes and aliases on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    before(async () => {
      env = await makeTestEnv(kind);
      fx = await buildFixture(env.ctx);
    });
    after(async () => env?.close());

    it('makes the first domain primary, mirrors it on the account, and keeps names unique in the system', async () => {
      const d = await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addDomainTo(tx, system, a, 'A1-Mail.example'));
      assert.equal(d.name, 'a1-mail.example');
      assert.equal(d.isPrimary, true);
      assert.equal((await findAccountUnscoped(env.ctx, { guid: fx.a1.guid }))?.primaryDomain, 'a1-mail.example');
      const second = await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addDomainTo(tx, system, a, 'second.example', { maxMailboxes: 1 }));
      assert.equal(second.isPrimary, false);
      await assert.rejects(onAccount(env.ctx, fx.b1.accountNumber, (tx, a) => addDomainTo(tx, system, a, 'A1-MAIL.example')), rejects(ErrorCode.NameTaken, 'Domain already exists.'));
      await assert.rejects(onAccount(env.ctx, fx.b1.accountNumber, (tx, a) => addDomainTo(tx, system, a, 'nope')), rejects(ErrorCode.Validation, 'Invalid domain name.'));
      const all = await listDomains(env.ctx, system, { subtree: true }, {});
      assert.ok(all.items.some((x) => x.name === 'second.example' && x.accountNumber === fx.a1.accountNumber));
    });

    it('claims an account field primary domain as a domain, and refuses one another account owns', async () => {
      const created = await createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Claimer', primaryDomain: 'Claimed.example' });
      assert.equal(created.primaryDomain, 'Claimed.example', 'the account field keeps the spelling it was given');
      assert.deepEqual((await domainsOfAccount(env.ctx, system, created)).map((d) => [d.name, d.isPrimary]), [['claimed.example', true]]);
      await assert.rejects(createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Thief', primaryDomain: 'claimed.example' }), rejects(ErrorCode.NameTaken));
      await assert.rejects(updateAccount(env.ctx, system, fx.a2.guid, { primaryDomain: 'a1-mail.example' }), rejects(ErrorCode.NameTaken));
      await updateAccount(env.ctx, system, created.guid, { primaryDomain: 'moved.example' });
      const names = (await domainsOfAccount(env.ctx, system, created)).map((d) => [d.name, d.isPrimary]);
      assert.deepEqual(names, [['moved.example', true], ['claimed.example', false]]);
    });

    it('counts enabled mailboxes as users through the one user-count path, with who did it', async () => {
      const before = (await findAccountUnscoped(env.ctx, { guid: fx.a1.guid }))!.userCount;
      const m = await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addMailboxTo(tx, system, a, 'a1-mail.example', 'Alex.Smith', { password: PASSWORD, displayName: 'Alex' }));
      assert.equal(m.name, 'alex.smith');
      assert.equal((await findAccountUnscoped(env.ctx, { guid: fx.a1.guid }))!.userCount, before + 1);
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => changeMailbox(tx, system, a, 'a1-mail.example', 'alex.smith', { enabled: 'false' }));
      assert.equal((await findAccountUnscoped(env.ctx, { guid: fx.a1.guid }))!.userCount, before);
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => changeMailbox(tx, system, a, 'a1-mail.example', 'alex.smith', { enabled: true }));
      assert.equal((await findAccountUnscoped(env.ctx, { guid: fx.a1.guid }))!.userCount, before + 1);
      const changes = await env.ctx.db.selectFrom('user_count_changes').selectAll().where('account_guid', '=', fx.a1.guid).execute();
      assert.ok(changes.length >= 3 && changes.every((c) => c.changed_by_guid === system.guid));
      const audit = await queryAudit(env.ctx, { accountGuid: fx.a1.guid });
      assert.ok(audit.some((e) => e.action === 'mailbox.create') && audit.some((e) => e.action === 'mailbox.update'));
      assert.ok(!JSON.stringify(audit).includes(PASSWORD), 'the password is in the audit log');
      const rows = await env.ctx.db.selectFrom('mailboxes').selectAll().execute();
      assert.ok(!JSON.stringify(rows).includes(PASSWORD), 'the password is in the store');
      assert.match(rows[0].password_hash, /^scrypt\$/);
      assert.equal(await verifyPassword(PASSWORD, rows[0].password_hash), true);
      assert.equal(await verifyPassword('Wrong!Horse9', rows[0].password_hash), false);
    });

    it('refuses a mailbox over the domain limit, a taken name and a weak password', async () => {
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addMailboxTo(tx, system, a, 'second.example', 'one', { password: PASSWORD }));
      await assert.rejects(onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addMailboxTo(tx, system, a, 'second.example', 'two', { password: PASSWORD })), rejects(ErrorCode.LimitReached, 'Max number of mailboxes reached.'));
      await assert.rejects(onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addMailboxTo(tx, system, a, 'a1-mail.example', 'alex.smith', { password: PASSWORD })), rejects(ErrorCode.NameTaken));
      await assert.rejects(onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addMailboxTo(tx, system, a, 'a1-mail.example', 'weak', { password: 'abc' })), rejects(ErrorCode.Validation, PASSWORD_MESSAGES.strength));
      const enabledOnly = await listMailboxes(env.ctx, system, fx.a1, 'a1-mail.example', { enabled: true });
      assert.deepEqual(enabledOnly.items.map((m) => m.name), ['alex.smith']);
    });

    it("checks alias targets with the vendor's messages", async () => {
      const add = (targets: string) => onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addAliasTo(tx, system, a, 'a1-mail.example', 'sales', targets));
      await assert.rejects(add(''), rejects(ErrorCode.Validation, ALIAS_MESSAGES.empty));
      await assert.rejects(add('ghost@a1-mail.example'), rejects(ErrorCode.Validation, ALIAS_MESSAGES.missing(['ghost@a1-mail.example'])));
      await assert.rejects(add('a@x.example,b@x.example,c@x.example,d@x.example,e@x.example'), rejects(ErrorCode.Validation, ALIAS_MESSAGES.tooManyOutside));
      const alias = await add('alex.smith@a1-mail.example, e1@yahoo.example');
      assert.deepEqual(alias.addresses, ['alex.smith@a1-mail.example', 'e1@yahoo.example']);
      assert.equal((await listAliases(env.ctx, system, fx.a1, 'a1-mail.example')).total, 1);
      await assert.rejects(onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addMailboxTo(tx, system, a, 'a1-mail.example', 'sales', { password: PASSWORD })), rejects(ErrorCode.NameTaken));
    });

    it('renames and deletes domains, handing the primary mark on, and deleting a mailbox leaves the count', async () => {
      const count = async () => (await findAccountUnscoped(env.ctx, { guid: fx.a1.guid }))!.userCount;
      const n = await count();
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => removeMailbox(tx, system, a, 'second.example', 'one'));
      assert.equal(await count(), n - 1);
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => renameDomain(tx, system, a, 'a1-mail.example', { newName: 'renamed.example' }));
      assert.equal((await findAccountUnscoped(env.ctx, { guid: fx.a1.guid }))!.primaryDomain, 'renamed.example');
      assert.equal((await listMailboxes(env.ctx, system, fx.a1, 'renamed.example')).total, 1);
      await onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => removeDomain(tx, system, a, 'renamed.example'));
      assert.equal(await count(), n - 2);
      assert.equal((await findAccountUnscoped(env.ctx, { guid: fx.a1.guid }))!.primaryDomain, 'second.example');
    });

    it("releases a deleted customer's domains", async () => {
      const c = await createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Leaver', primaryDomain: 'leaver.example' });
      await transaction(env.ctx, async (tx) => closeAccount(tx, system, await lockVisibleAccount(tx, system, { guid: c.guid })));
      const again = await createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Arriver', primaryDomain: 'leaver.example' });
      assert.equal(again.primaryDomain, 'leaver.example');
    });
  });
}

describe('concurrent adds of one domain name from two processes on postgres', storeSuiteOptions('postgres'), () => {
  it('lets exactly one win', async () => {
    const env = await makeTestEnv('postgres');
    const other = await openStore(env.ts.url, { poolSize: 2 });
    try {
      const fx = await buildFixture(env.ctx);
      const ctx2: DomainContext = { ...env.ctx, db: other.db, dialect: other.dialect };
      for (let round = 0; round < 5; round++) {
        const name = `race${round}.example`;
        const results = await Promise.allSettled([
          onAccount(env.ctx, fx.a1.accountNumber, (tx, a) => addDomainTo(tx, system, a, name)),
          onAccount(ctx2, fx.b1.accountNumber, (tx, a) => addDomainTo(tx, system, a, name)),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `round ${round}`);
        const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        assert.ok(lost.reason instanceof DomainError && lost.reason.code === ErrorCode.NameTaken, String(lost.reason));
        const rows = await env.ctx.db.selectFrom('email_domains').select('name').where('name', '=', name).execute();
        assert.equal(rows.length, 1);
      }
    } finally {
      await other.close();
      await env.close();
    }
  });
});
