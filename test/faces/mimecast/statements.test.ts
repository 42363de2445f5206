import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions, type StoreKind } from '../../helpers/stores.js';
import { tallyStatements, type StatementTally } from '../../../src/store/tally.js';
import { changeProvisionedAccount } from '../../../src/domain/provisioning.js';
import { clientFor, withMimecastApp, type MimecastApp } from './helpers.js';
import { bearerCall, tokenFor } from './oauth-helpers.js';

/**
 * Round trips per request on the hot Mimecast routes, with rate limiting on (the default budget). Counts are
 * deterministic: a new round trip fails here. Authentication is counted apart, since it is the same for every
 * route: the application id, the credential with its principal and account in one read, the rate window and
 * the request-id claim as one upsert each (on PostgreSQL both in one statement), in no transaction.
 */
const AUTH: Record<StoreKind, { statements: number; transactions: number }> = {
  sqlite: { statements: 4, transactions: 0 },
  postgres: { statements: 3, transactions: 0 },
};

/** A bearer token instead: the token with its credential, principal and account in one read, and the rate window. */
const BEARER_AUTH = { statements: 2, transactions: 0 };

/** The target for update-account with one item, on SQLite with rate limiting on. */
const UPDATE_TARGET = 14;

const show = (tally: StatementTally) => tally.sql.join('\n');
/** Statements that lock an account row (PostgreSQL `for update`, SQLite's no-op update). */
const accountLocks = (tally: StatementTally) => tally.sql.filter((s) => /"?accounts"?/.test(s) && (/ for update$/i.test(s) || /set "?guid"? = "?guid"?/i.test(s)));

for (const kind of STORE_KINDS) {
  describe(`mimecast statements per request on ${kind}`, storeSuiteOptions(kind), () => {
    let m: MimecastApp;
    withMimecastApp(kind, {}, (app) => (m = app));

    it('update-account with one item changing the number of users: the change in one transaction, the account locked and read once', async () => {
      const { result, tally } = await tallyStatements(() => m.partnerClient.updateAccount([{ accountCode: m.fx.a2.accountCode, numberOfUsers: 5 }]));
      assert.deepEqual([result.status, result.body!.fail], [200, []]);
      // The change: lock-and-read, the new count, its dated history row, its audit entry. The answer: the products, the umbrella accounts.
      assert.equal(tally.statements, AUTH[kind].statements + 6, show(tally));
      assert.ok(tally.statements <= UPDATE_TARGET, show(tally));
      assert.equal(tally.transactions, 1, show(tally));
      assert.equal(accountLocks(tally).length, 1, show(tally));
    });

    it('the change itself: exactly one transaction of four statements, no second lock or read of the account', async () => {
      const { tally } = await tallyStatements(() => changeProvisionedAccount(m.t.ctx, m.fx.provisioning.actor, m.fx.a2.accountCode, { userDelta: 3 }));
      assert.deepEqual([tally.statements, tally.transactions, tally.writes], [4, 1, kind === 'sqlite' ? 4 : 3], show(tally));
      assert.equal(tally.sql.filter((s) => /from "?accounts"?/.test(s)).length, kind === 'sqlite' ? 0 : 1, show(tally));
      assert.equal(accountLocks(tally).length, 1, show(tally));
    });

    it('update-account changing fields, users and products: every part once', async () => {
      const { result, tally } = await tallyStatements(() =>
        m.partnerClient.updateAccount([{ accountCode: m.fx.a2.accountCode, telephone: '1-555-0142', numberOfUsers: 1, products: [1050] }]),
      );
      assert.deepEqual([result.status, result.body!.fail], [200, []]);
      // Lock-and-read; the product check; the fields and their audit; the count, its history and audit; the
      // product set before, replaced (delete, insert) and audited; then the answer's products and umbrellas.
      assert.equal(tally.statements, AUTH[kind].statements + 13, show(tally));
      assert.equal(tally.transactions, AUTH[kind].transactions + 1, show(tally));
      assert.equal(accountLocks(tally).length, 1, show(tally));
    });

    it("get-account: the caller's account, its products and its umbrella accounts, one read each", async () => {
      const customer = clientFor(m.t.app, m.t.clock, m.fx.customerAdminA1.mimecast);
      const { result, tally } = await tallyStatements(() => customer.getAccount());
      assert.equal(result.status, 200);
      assert.equal(tally.statements, AUTH[kind].statements + 3, show(tally));
      assert.equal(tally.transactions, AUTH[kind].transactions, show(tally));
    });

    it('a bearer token: one read for who is asking and one for the budget, then the route as signed', async () => {
      const token = await tokenFor(m.t.app, m.fx.customerAdminA1.mimecast);
      const account = await tallyStatements(() => bearerCall(m.t.app, token, '/api/account/get-account'));
      assert.equal(account.result.status, 200);
      assert.equal(account.tally.statements, BEARER_AUTH.statements + 3, show(account.tally));
      assert.equal(account.tally.transactions, BEARER_AUTH.transactions, show(account.tally));
      const support = await tallyStatements(() => bearerCall(m.t.app, token, '/api/account/get-support-info'));
      assert.equal(support.tally.statements, BEARER_AUTH.statements + 2, show(support.tally));
    });

    it("get-dashboard-notifications of the caller's own account: its account, then its notifications", async () => {
      const customer = clientFor(m.t.app, m.t.clock, m.fx.customerAdminA1.mimecast);
      const { result, tally } = await tallyStatements(() => customer.call('/api/account/get-dashboard-notifications', { data: [] }));
      assert.equal(result.status, 200);
      assert.equal(tally.statements, AUTH[kind].statements + 2, show(tally));
      assert.equal(tally.transactions, 0, show(tally));
    });

    it("get-support-info: the caller's account and its partner, one read each", async () => {
      const customer = clientFor(m.t.app, m.t.clock, m.fx.customerAdminA1.mimecast);
      const { result, tally } = await tallyStatements(() => customer.getSupportInfo());
      assert.equal(result.status, 200);
      assert.equal(tally.statements, AUTH[kind].statements + 2, show(tally));
      assert.equal(tally.transactions, AUTH[kind].transactions, show(tally));
    });
  });
}
