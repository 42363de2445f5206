import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestEnv, type TestApp } from '../../helpers/context.js';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { findAccountUnscoped, lockVisibleAccount } from '../../../src/domain/account.js';
import { changeDomain, DOMAIN_MESSAGES } from '../../../src/domain/email-domain.js';
import { mailboxOf, MAILBOX_MESSAGES } from '../../../src/domain/mailbox.js';
import { aliasOf, ALIAS_MESSAGES } from '../../../src/domain/alias.js';
import { PASSWORD_MESSAGES } from '../../../src/domain/mailbox-password.js';
import { queryAudit } from '../../../src/domain/audit.js';
import { systemActor } from '../../../src/domain/principal.js';
import { transaction } from '../../../src/domain/transaction.js';
import { get, post, signIn, type PanelSessionHandle } from './helpers.js';
import { buildPanelWorld, rackspaceCall, type PanelWorld } from './world.js';

/** The Domains tab: domains, mailboxes and aliases through the panel's forms, seen by the Rackspace API. */

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/\s+/g, ' ');
const GOOD = 'Kettle!Blue7x';
const NEWER = 'Harbor#Light9q';
const system = systemActor('test');

for (const kind of STORE_KINDS) {
  describe(`panel domains on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let w: PanelWorld;
    let reseller: PanelSessionHandle;
    let base: string;
    const lines: string[] = [];
    before(async () => {
      const env = await makeTestEnv(kind);
      const config = { ...loadConfig({ database: env.ts.url, logLevel: 'trace' }, {}), rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 };
      // The most talkative logger, without redaction: a password must never reach it.
      const app = await buildApp(config, { store: env.ts.store, clock: env.clock, secrets: env.secrets }, { logger: { level: 'trace', stream: { write: (s: string) => void lines.push(s) } } });
      await app.ready();
      t = { ...env, app, config, close: async () => (await app.close(), await env.close()) };
      w = await buildPanelWorld(t);
      reseller = await signIn(t, w.fx.resellerA.guid, 'admin@reseller-a.example');
      base = `/panel/accounts/${w.fx.a1.accountNumber}/domains`;
    });
    after(async () => t?.close());

    it('adds domains (the first is primary), refuses a taken one and keeps what was typed', async () => {
      const empty = await get(t, reseller, base);
      assert.equal(empty.statusCode, 200);
      assert.match(text(empty.body), /No e-mail domains yet/);
      const first = await post(t, reseller, base, { name: 'a1-mail.example' });
      assert.deepEqual([first.statusCode, first.headers.location], [303, `${base}?notice=domain-added`]);
      assert.equal((await post(t, reseller, base, { name: 'a1-other.example' })).statusCode, 303);
      const page = await get(t, reseller, `${base}?notice=domain-added`);
      assert.match(text(page.body), /Domain added\./);
      assert.match(page.body, /a1-mail\.example<\/a> <span class="status ok">primary<\/span>/);
      assert.doesNotMatch(page.body, /a1-other\.example<\/a> <span class="status ok">primary/);
      // Taken by this account, and by another (b1) the reseller cannot see: the same answer.
      for (const name of ['a1-mail.example', 'b1-mail.example']) {
        if (name === 'b1-mail.example') {
          const b = await signIn(t, w.fx.resellerB.guid, 'admin@reseller-b.example');
          assert.equal((await post(t, b, `/panel/accounts/${w.fx.b1.accountNumber}/domains`, { name })).statusCode, 303);
        }
        const taken = await post(t, reseller, base, { name });
        assert.equal(taken.statusCode, 409);
        assert.match(taken.body, new RegExp(`id="f-name-error">${DOMAIN_MESSAGES.taken}`));
        assert.match(taken.body, new RegExp(`value="${name.replace(/\./g, '\\.')}"`), 'the form keeps the name');
      }
      const bad = await post(t, reseller, base, { name: 'not a domain' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, new RegExp(`id="f-name-error">${DOMAIN_MESSAGES.invalidName}`));
      const account = await findAccountUnscoped(t.ctx, { guid: w.fx.a1.guid });
      assert.equal(account?.primaryDomain, 'a1-mail.example', 'every face sees the primary domain');
    });

    it('adds a mailbox that the Rackspace API then lists; a bad password or a taken name keeps everything but the password', async () => {
      const form = { name: 'alice', displayName: 'Alice Example', size: '2048' };
      const weak = await post(t, reseller, `${base}/a1-mail.example/mailboxes`, { ...form, password: 'short1' });
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, new RegExp(`id="f-password-error">${PASSWORD_MESSAGES.strength}`));
      assert.match(weak.body, /value="alice"/);
      assert.match(weak.body, /value="Alice Example"/);
      assert.match(weak.body, /value="2048"/);
      assert.doesNotMatch(weak.body, /short1/, 'the password is never shown back');
      const added = await post(t, reseller, `${base}/a1-mail.example/mailboxes`, { ...form, password: GOOD });
      assert.deepEqual([added.statusCode, added.headers.location], [303, `${base}/a1-mail.example?notice=mailbox-added`]);
      const api = await rackspaceCall(t, w.fx.resellerAdminA.rackspace, 'GET', `/v1/customers/${w.fx.a1.accountNumber}/domains/a1-mail.example/rs/mailboxes`);
      assert.equal(api.status, 200, api.body);
      assert.deepEqual(JSON.parse(api.body).rsMailboxes, [{ name: 'alice', displayName: 'Alice Example' }]);
      assert.equal((await mailboxOf(t.ctx, system, w.fx.a1, 'a1-mail.example', 'alice')).sizeMb, 2048);
      const taken = await post(t, reseller, `${base}/a1-mail.example/mailboxes`, { ...form, password: GOOD });
      assert.equal(taken.statusCode, 409);
      assert.match(taken.body, new RegExp(`id="f-name-error">${MAILBOX_MESSAGES.taken}`));
      assert.match(taken.body, /value="Alice Example"/);
      assert.ok(!taken.body.includes(GOOD));
      const listed = text((await get(t, reseller, base)).body);
      assert.match(listed, /alice@a1-mail\.example Alice Example 2048 enabled/);
    });

    it('refuses a mailbox beyond the domain’s limit, above the form', async () => {
      await transaction(t.ctx, async (tx) => changeDomain(tx, system, await lockVisibleAccount(tx, system, { guid: w.fx.a1.guid }), 'a1-other.example', { maxMailboxes: 1 }));
      assert.equal((await post(t, reseller, `${base}/a1-other.example/mailboxes`, { name: 'one', password: GOOD })).statusCode, 303);
      const full = await post(t, reseller, `${base}/a1-other.example/mailboxes`, { name: 'two', displayName: 'Two', password: GOOD });
      assert.equal(full.statusCode, 400);
      assert.match(full.body, new RegExp(`class="notice error" role="alert">${MAILBOX_MESSAGES.limitReached}`));
      assert.match(full.body, /value="two"/);
    });

    it('edits a mailbox, with the domain’s messages next to the fields', async () => {
      const url = `${base}/a1-mail.example/mailboxes/alice`;
      assert.match((await get(t, reseller, url)).body, /value="Alice Example"/);
      const bad = await post(t, reseller, url, { displayName: 'Alice B', size: '0', emailForwardingAddresses: 'nope' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, new RegExp(`id="f-size-error">${MAILBOX_MESSAGES.size}`));
      assert.match(bad.body, new RegExp(`id="f-emailForwardingAddresses-error">${MAILBOX_MESSAGES.forwarding}`));
      assert.match(bad.body, /value="Alice B"/);
      const saved = await post(t, reseller, url, { displayName: 'Alice B', size: '4096', emailForwardingAddresses: 'a@elsewhere.example, b@elsewhere.example', saveForwardedEmail: 'true' });
      assert.deepEqual([saved.statusCode, saved.headers.location], [303, `${base}/a1-mail.example?notice=mailbox-saved`]);
      const m = await mailboxOf(t.ctx, system, w.fx.a1, 'a1-mail.example', 'alice');
      assert.deepEqual([m.displayName, m.sizeMb, m.forwardingAddresses, m.saveForwardedEmail, m.vacationEnabled], ['Alice B', 4096, ['a@elsewhere.example', 'b@elsewhere.example'], true, false]);
    });

    it('resets a password by the vendor’s rules, never showing it, audited as the panel user without it', async () => {
      const url = `${base}/a1-mail.example/mailboxes/alice/password`;
      const named = await post(t, reseller, url, { password: 'Alice!Blue7x', passwordAgain: 'Alice!Blue7x' });
      assert.equal(named.statusCode, 400);
      assert.match(named.body, new RegExp(`id="f-password-error">${PASSWORD_MESSAGES.containsName}`));
      assert.ok(!named.body.includes('Alice!Blue7x'));
      const differ = await post(t, reseller, url, { password: NEWER, passwordAgain: `${NEWER}x` });
      assert.equal(differ.statusCode, 400);
      assert.match(differ.body, /id="f-passwordAgain-error">The two passwords are not the same\./);
      const done = await post(t, reseller, url, { password: NEWER, passwordAgain: NEWER });
      assert.deepEqual([done.statusCode, done.headers.location], [303, `${base}/a1-mail.example/mailboxes/alice?notice=password`]);
      const audit = (await queryAudit(t.ctx, { accountGuid: w.fx.a1.guid })).filter((e) => e.action.startsWith('mailbox.'));
      const last = audit.at(-1)!;
      assert.deepEqual([last.action, last.actorEmail, last.actorGuid], ['mailbox.update', 'admin@reseller-a.example', w.fx.resellerAdminA.principal.guid]);
      assert.match(JSON.stringify(last), /"passwordChanged":true/);
      for (const secret of [GOOD, NEWER]) assert.ok(!JSON.stringify(audit).includes(secret), 'a password in the audit log');
    });

    it('disables and enables a mailbox, moving the user count', async () => {
      const url = `${base}/a1-mail.example/mailboxes/alice`;
      const users = async () => (await findAccountUnscoped(t.ctx, { guid: w.fx.a1.guid }))!.userCount;
      const before = await users();
      const off = await post(t, reseller, `${url}/disable`);
      assert.deepEqual([off.statusCode, off.headers.location], [303, `${url}?notice=disabled`]);
      assert.equal((await mailboxOf(t.ctx, system, w.fx.a1, 'a1-mail.example', 'alice')).enabled, false);
      assert.equal(await users(), before - 1);
      assert.match(text((await get(t, reseller, `${url}?notice=disabled`)).body), /Mailbox disabled.*Status disabled/);
      assert.equal((await post(t, reseller, `${url}/enable`)).statusCode, 303);
      assert.equal((await mailboxOf(t.ctx, system, w.fx.a1, 'a1-mail.example', 'alice')).enabled, true);
      assert.equal(await users(), before);
    });

    it('adds, edits and deletes an alias, with the vendor’s message for an unknown target', async () => {
      const missing = await post(t, reseller, `${base}/a1-mail.example/aliases`, { name: 'team', aliasEmails: 'ghost@a1-mail.example' });
      assert.equal(missing.statusCode, 400);
      assert.ok(text(missing.body).includes(ALIAS_MESSAGES.missing(['ghost@a1-mail.example'])));
      assert.match(missing.body, /value="team"/);
      const added = await post(t, reseller, `${base}/a1-mail.example/aliases`, { name: 'team', aliasEmails: 'alice@a1-mail.example\nout@elsewhere.example' });
      assert.deepEqual([added.statusCode, added.headers.location], [303, `${base}/a1-mail.example?notice=alias-added`]);
      assert.match(text((await get(t, reseller, base)).body), /team@a1-mail\.example alice@a1-mail\.example, out@elsewhere\.example/);
      const taken = await post(t, reseller, `${base}/a1-mail.example/aliases`, { name: 'alice', aliasEmails: 'out@elsewhere.example' });
      assert.equal(taken.statusCode, 409);
      assert.match(taken.body, new RegExp(`id="f-name-error">${MAILBOX_MESSAGES.taken}`));
      assert.equal((await post(t, reseller, `${base}/a1-mail.example/aliases/team`, { aliasEmails: 'alice@a1-mail.example' })).statusCode, 303);
      assert.deepEqual((await aliasOf(t.ctx, system, w.fx.a1, 'a1-mail.example', 'team')).addresses, ['alice@a1-mail.example']);
      assert.match(text((await get(t, reseller, `${base}/a1-mail.example/aliases/team/delete`)).body), /Delete this alias\?/);
      assert.equal((await post(t, reseller, `${base}/a1-mail.example/aliases/team/delete`)).statusCode, 303);
      await assert.rejects(aliasOf(t.ctx, system, w.fx.a1, 'a1-mail.example', 'team'));
    });

    it('deletes a mailbox after confirmation', async () => {
      await post(t, reseller, `${base}/a1-other.example/mailboxes/one/delete`, {});
      const url = `${base}/a1-mail.example/mailboxes/alice`;
      assert.match(text((await get(t, reseller, `${url}/delete`)).body), /Delete this mailbox\? alice@a1-mail\.example/);
      const gone = await post(t, reseller, `${url}/delete`);
      assert.deepEqual([gone.statusCode, gone.headers.location], [303, `${base}/a1-mail.example?notice=mailbox-deleted`]);
      await assert.rejects(mailboxOf(t.ctx, system, w.fx.a1, 'a1-mail.example', 'alice'));
      assert.equal((await get(t, reseller, url)).statusCode, 404);
    });

    it('refuses a form without the session’s CSRF token, changing nothing', async () => {
      for (const token of ['forged', null]) {
        const res = await post(t, reseller, `${base}/a1-mail.example/mailboxes`, { _csrf: token, name: 'csrf', password: GOOD });
        assert.equal(res.statusCode, 403);
        assert.match(res.body, /This form was refused/);
      }
      await assert.rejects(mailboxOf(t.ctx, system, w.fx.a1, 'a1-mail.example', 'csrf'));
    });

    it('answers another reseller exactly as for any other customer page it cannot see', async () => {
      const other = await signIn(t, w.fx.resellerB.guid, 'admin@reseller-b.example');
      for (const path of ['', '/a1-mail.example', '/a1-mail.example/mailboxes/new', '/a1-mail.example/aliases/new']) {
        const res = await get(t, other, `${base}${path}`);
        assert.equal(res.statusCode, 404, path);
        assert.ok(!res.body.includes('a1-mail.example') && !res.body.includes(w.fx.a1.name), path);
      }
      const contacts = await get(t, other, `/panel/accounts/${w.fx.a1.accountNumber}/contacts`);
      const domains = await get(t, other, base);
      assert.equal(domains.body, contacts.body, 'the same page as the contacts tab');
      assert.equal((await post(t, other, `${base}/a1-mail.example/mailboxes`, { name: 'intruder', password: GOOD })).statusCode, 404);
      assert.equal((await post(t, other, base, { name: 'intruder.example' })).statusCode, 404);
      await assert.rejects(mailboxOf(t.ctx, system, w.fx.a1, 'a1-mail.example', 'intruder'));
    });

    it('shows a read-only user no write forms and refuses its posts; a customer admin manages mailboxes but not domains', async () => {
      const reader = await signIn(t, w.fx.partner.guid, 'reader@partner.example');
      const page = await get(t, reader, base);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /a1-mail\.example/);
      assert.doesNotMatch(page.body, /<form[^>]*method="post"[^>]*action="[^"]*\/domains/, 'no write form');
      assert.doesNotMatch(page.body, /Add mailbox|Add alias|Add domain/);
      assert.equal((await get(t, reader, `${base}/a1-mail.example/mailboxes/new`)).statusCode, 403);
      for (const [url, form] of [[base, { name: 'ro.example' }], [`${base}/a1-mail.example/mailboxes`, { name: 'ro', password: GOOD }], [`${base}/a1-mail.example/aliases`, { name: 'ro', aliasEmails: 'x@elsewhere.example' }]] as const) {
        assert.equal((await post(t, reader, url, form)).statusCode, 403, url);
      }
      const customer = await signIn(t, w.fx.a1.guid, 'admin@a1.example');
      const own = await get(t, customer, base);
      assert.match(own.body, /Add mailbox/);
      assert.doesNotMatch(own.body, /Add domain/);
      assert.equal((await post(t, customer, base, { name: 'self.example' })).statusCode, 403);
      assert.equal((await post(t, customer, `${base}/a1-mail.example/mailboxes`, { name: 'bob', password: GOOD })).statusCode, 303);
    });

    it('is linked from the customer’s page', async () => {
      assert.match((await get(t, reseller, `/panel/accounts/${w.fx.a1.accountNumber}`)).body, new RegExp(`<a href="${base}">Domains</a>`));
    });

    it('never writes a password to the log', () => {
      assert.ok(lines.some((l) => l.includes('/mailboxes/alice/password')), 'the requests were logged');
      const leaks = lines.filter((l) => [GOOD, NEWER, 'short1', 'Alice!Blue7x'].some((p) => l.includes(p)));
      assert.deepEqual(leaks, []);
    });
  });
}
