import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { tallyStatements } from '../../src/store/tally.js';
import { call } from '../faces/rackspace/helpers.js';

/**
 * Round trips of the signed Rackspace show with rate limiting on: authentication is one read, the rate
 * window one upsert outside any transaction. A new round trip on this path fails here.
 */
for (const kind of STORE_KINDS) {
  describe(`hot path statement counts on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('signed GET /v1/customers/{n}: authentication in one read, the rate window in one write, no transaction', async () => {
      const { result: res, tally } = await tallyStatements(() => call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}`, format: 'json' }));
      assert.equal(res.status, 200, res.body);
      const trace = tally.sql.join('\n');
      // Before: 8 statements in 1 transaction on SQLite, 9 on PostgreSQL (credential, principal, account
      // one by one; lock, prune, count, insert for the rate window).
      assert.equal(tally.transactions, 0, trace);
      assert.equal(tally.writes, 1, trace);
      assert.ok(tally.statements <= 3, trace);
      assert.match(tally.sql[0], /from "credentials" left join "principals"/, trace);
    });
  });
}
