import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions, type StoreKind } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { createAccount } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { MINUTE } from '../../../src/domain/clock.js';
import { tallyStatements, type StatementTally } from '../../../src/store/tally.js';
import type { RackspaceResponse } from '../../../src/client/rackspace.js';
import { call, keyHolder } from './helpers.js';
import { rawCall } from './v2-helpers.js';

/**
 * Round trips per request on the hot Rackspace routes, with rate limiting on (the default settings). Counts
 * are deterministic: a new statement or transaction on one of these paths fails here, and so does a saving,
 * so the numbers below stay the real ones. Every request is: authentication (one read), the caller's rate
 * window (one upsert, outside any transaction), then the route's own work, all of a change in one transaction.
 *
 * Before the pipeline rework, on this fixture (SQLite): show 8 statements, index 10, create 14 in 2
 * transactions, disable 18 in 2, edit 12 in 2, delete 16 in 2.
 */

interface Expected {
  statements: Record<StoreKind, number>;
  transactions: number;
  writes: Record<StoreKind, number>;
}

const EXPECTED: Record<string, Expected> = {
  show: { statements: { sqlite: 3, postgres: 3 }, transactions: 0, writes: { sqlite: 1, postgres: 1 } },
  index: { statements: { sqlite: 4, postgres: 4 }, transactions: 0, writes: { sqlite: 1, postgres: 1 } },
  // Locked parent read, both identifiers in one statement, the account, its first history row, the audit entry.
  create: { statements: { sqlite: 7, postgres: 7 }, transactions: 1, writes: { sqlite: 6, postgres: 5 } },
  // The account, the customer's 5-minute window, the services below it, then status, history and audit.
  disable: { statements: { sqlite: 8, postgres: 8 }, transactions: 1, writes: { sqlite: 5, postgres: 5 } },
  edit: { statements: { sqlite: 5, postgres: 5 }, transactions: 1, writes: { sqlite: 4, postgres: 3 } },
  // …and one read of the account's e-mail domains, which a deletion releases (none here: nothing more is written).
  delete: { statements: { sqlite: 10, postgres: 10 }, transactions: 1, writes: { sqlite: 7, postgres: 6 } },
  loginToken: { statements: { sqlite: 5, postgres: 5 }, transactions: 1, writes: { sqlite: 3, postgres: 3 } },
  listContacts: { statements: { sqlite: 5, postgres: 5 }, transactions: 0, writes: { sqlite: 1, postgres: 1 } },
  addContact: { statements: { sqlite: 6, postgres: 6 }, transactions: 1, writes: { sqlite: 4, postgres: 3 } },
  listInvoices: { statements: { sqlite: 5, postgres: 5 }, transactions: 0, writes: { sqlite: 1, postgres: 1 } },
};

const trace = (tally: StatementTally) => tally.sql.map((s) => s.replace(/\s+/g, ' ').slice(0, 160)).join('\n');
/** Writes other than the caller's rate window (the one write a read may make). */
const writesBesideRateWindow = (tally: StatementTally) => tally.sql.filter((s) => /^(insert|update|delete)\b/i.test(s) && !/^insert into rate_keys\b/i.test(s));
/** Reads of the account a route names by number. */
const readsOfNamedAccount = (tally: StatementTally) => tally.sql.filter((s) => /"accounts"/.test(s) && /"account_number" = (\?|\$\d+)/.test(s));

for (const kind of STORE_KINDS) {
  describe(`Rackspace statements per request on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    async function measure(name: string, request: () => Promise<RackspaceResponse>): Promise<StatementTally> {
      const { result, tally } = await tallyStatements(request);
      assert.ok(result.status < 300, `${name}: status ${result.status} ${result.body.slice(0, 200)}`);
      const expected = EXPECTED[name];
      assert.equal(tally.statements, expected.statements[kind], `${name} statements:\n${trace(tally)}`);
      assert.equal(tally.transactions, expected.transactions, `${name} transactions:\n${trace(tally)}`);
      assert.equal(tally.writes, expected.writes[kind], `${name} writes:\n${trace(tally)}`);
      return tally;
    }

    it('signed GET /v1/customers/{n}: at most 6 statements, no write beside the rate window, the account read once', async () => {
      const tally = await measure('show', () => call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}`, format: 'json' }));
      assert.ok(tally.statements <= 6);
      assert.deepEqual(writesBesideRateWindow(tally), []);
      assert.equal(readsOfNamedAccount(tally).length, 1);
    });

    it('signed POST /v1/customers/{n}/disable: at most 12 statements in 1 transaction, the account read once', async () => {
      const tally = await measure('disable', () => call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${fx.a1.accountNumber}/disable` }));
      assert.ok(tally.statements <= 12);
      assert.equal(readsOfNamedAccount(tally).length, 1);
    });

    it('signed GET /v1/customers: the caller’s own account is not read again to scope the list', async () => {
      const tally = await measure('index', () => call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers', format: 'json' }));
      assert.deepEqual(writesBesideRateWindow(tally), []);
    });

    it('signed POST /v1/customers: one transaction, the parent locked as it is read', async () => {
      await measure('create', () => call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields: { name: 'Counted Customer' } }));
    });

    it('edit, delete and login tokens: the named account read (and locked where it changes) once, in the change’s transaction', async () => {
      const target = await createAccount(t.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Counted Edits' });
      for (const tally of [
        await measure('edit', () => call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${target.accountNumber}`, fields: { city: 'Paris' } })),
        await measure('loginToken', () =>
          call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${target.accountNumber}/loginToken`, fields: { userName: 'desk', virtualUser: 'true' }, format: 'json' }),
        ),
        await measure('delete', () => call(t, fx.resellerAdminA, { method: 'DELETE', path: `/v1/customers/${target.accountNumber}` })),
      ]) {
        assert.equal(readsOfNamedAccount(tally).length, 1, trace(tally));
      }
    });

    it('v2 lists read the account, a count and a page; an add locks the account once', async () => {
      const path = `/v2/customers/${fx.a2.accountNumber}`;
      await measure('listContacts', () => rawCall(t, fx.resellerAdminA, { method: 'GET', path: `${path}/contacts` }));
      const body = JSON.stringify({ Name: 'Desk', Email: 'desk@a2.example', Phone: '5550100', ReceivesAlerts: true, ReceivesBilling: true, ReceivesUpdates: true, SecurityQuestion: 'Q', SecurityAnswer: 'A' });
      const add = await measure('addContact', () => rawCall(t, fx.resellerAdminA, { method: 'POST', path: `${path}/contacts`, body, contentType: 'application/json' }));
      assert.equal(readsOfNamedAccount(add).length, 1, trace(add));
      await measure('listInvoices', () => rawCall(t, fx.resellerAdminA, { method: 'GET', path: `${path}/invoices` }));
    });

    it('lifting a suspension reads as many times for a tree of three services as for one', async () => {
      const admin = await keyHolder(t.ctx, fx.partner, 'tree-admin@partner.example', 'reseller_admin');
      const liftReads = async (customers: number) => {
        const reseller = await createAccount(t.ctx, systemActor('test'), { parentGuid: fx.partner.guid, kind: 'reseller', name: `Tree of ${customers}` });
        for (let i = 0; i < customers; i++) await createAccount(t.ctx, systemActor('test'), { parentGuid: reseller.guid, kind: 'customer', name: `Leaf ${customers}.${i}` });
        const path = `/v1/customers/${reseller.accountNumber}`;
        assert.equal((await call(t, admin, { method: 'POST', path: `${path}/disable` })).status, 200);
        t.clock.advance(5 * MINUTE);
        const { result, tally } = await tallyStatements(() => call(t, admin, { method: 'POST', path: `${path}/enable` }));
        assert.equal(result.status, 200, result.body);
        assert.equal(tally.transactions, 1);
        // Each restored service is one status write, one history row and one audit entry (the window is a rate key); nothing else grows.
        assert.equal(writesBesideRateWindow(tally).length, 3 * (customers + 1), trace(tally));
        return tally.sql.filter((q) => /^select\b/i.test(q)).length;
      };
      assert.equal(await liftReads(3), await liftReads(1));
    });
  });
}
