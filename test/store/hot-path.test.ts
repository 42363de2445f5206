import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeServedTestApp, makeTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { tallyStatements } from '../../src/store/tally.js';
import { call } from '../faces/rackspace/helpers.js';
import { clientFor } from '../faces/mimecast/helpers.js';
import { cccClient } from '../helpers/ccc.js';
import type { MimecastCredentials } from '../../src/client/mimecast.js';

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

/**
 * The hot routes as `serve` runs them, with warm caches: authentication answered from the process's cache,
 * and on SQLite (one server per file) rate windows and replay ids in memory, so nothing is written. Reads
 * take no transaction. What remains is the route's own reading.
 */
const WARM_LIMIT = { sqlite: 2, postgres: 3 } as const;

for (const kind of STORE_KINDS) {
  describe(`hot path statement counts with warm caches on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeServedTestApp(kind);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    /** Runs the request once to warm the caches, then counts a second run. */
    const warm = async <T extends { status: number }>(send: () => Promise<T>) => {
      assert.equal((await send()).status, 200);
      const { result, tally } = await tallyStatements(send);
      assert.equal(result.status, 200);
      const trace = tally.sql.join('\n');
      assert.ok(!tally.sql.some((s) => /from "credentials"/.test(s)), `authentication read the store:\n${trace}`);
      assert.equal(tally.transactions, 0, trace);
      return { tally, trace };
    };

    it(`signed Rackspace show: at most ${WARM_LIMIT[kind]} statements, the rate window the only write`, async () => {
      const { tally, trace } = await warm(() => call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}`, format: 'json' }));
      assert.ok(tally.statements <= WARM_LIMIT[kind], `${tally.statements} statements:\n${trace}`);
      assert.equal(tally.writes, kind === 'sqlite' ? 0 : 1, trace);
    });

    it(`Mimecast get-support-info: at most ${WARM_LIMIT[kind]} statements, the rate window and the request id (one upsert) the only write`, async () => {
      const mimecast = clientFor(t.app, t.clock, fx.customerAdminA1.mimecast as MimecastCredentials);
      const { tally, trace } = await warm(() => mimecast.getSupportInfo());
      assert.ok(tally.statements <= WARM_LIMIT[kind], `${tally.statements} statements:\n${trace}`);
      assert.equal(tally.writes, kind === 'sqlite' ? 0 : 1, trace);
    });

    it('CCC status search: reads only', async () => {
      const ccc = cccClient(t.app, fx.reader.ccc.apiKey);
      const { tally, trace } = await warm(() => ccc.request('GET', '/api/services/status', { query: { PageSize: 25 } }));
      assert.equal(tally.writes, 0, trace);
    });
  });
}
