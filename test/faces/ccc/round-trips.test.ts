/**
 * Statements and transactions per CCC request, on both stores: a new round trip on a hot route (a row read
 * twice, a list read one row per query) fails here. The key look-up is counted apart (it is the face's
 * authentication, one hook for every route): status search 3 statements, GetService 2, CreateService 9
 * in one transaction.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, TEST_START, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { tallyStatements, type StatementTally } from '../../../src/store/tally.js';
import { createAccount } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { importDailyUsage } from '../../../src/domain/service-usage.js';
import { setServiceStatus } from '../../../src/domain/lifecycle.js';

/** Statements the API-key look-up runs: one (credential, principal and account joined). */
const AUTH = 1;

for (const kind of STORE_KINDS) {
  describe(`CCC round trips on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let auth: number;

    const measure = async (method: 'GET' | 'POST', url: string, key: string, payload?: unknown) => {
      const { result, tally } = await tallyStatements(() =>
        t.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, payload: payload as never }),
      );
      assert.ok(result.statusCode < 300, `${method} ${url}: ${result.statusCode} ${result.body.slice(0, 300)}`);
      return { body: result.json(), tally };
    };
    const explain = (tally: StatementTally) => tally.sql.join('\n');

    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
      const system = systemActor('test');
      // Enough services, resellers and days that a per-row query would show in the counts.
      const more = [];
      for (let i = 0; i < 6; i++) {
        const parent = i % 2 ? fx.resellerA : fx.resellerB;
        more.push(await createAccount(t.ctx, system, { parentGuid: parent.guid, kind: 'customer', name: `Round Trip ${i}`, primaryDomain: `rt${i}.example` }));
      }
      const day = TEST_START.slice(0, 10);
      await importDailyUsage(t.ctx, system, [fx.a1, fx.a2, fx.b1, ...more].map((a, i) => ({ account: a.guid, day, counters: { totalUsers: i + 1 } })));
      for (const a of more.slice(0, 3)) await setServiceStatus(t.ctx, system, a.guid, 'CertifiedSecure');
      // The key look-up alone: a request refused by its schema, after authentication, before any route work.
      const { result, tally } = await tallyStatements(() =>
        t.app.inject({ method: 'GET', url: '/api/services/status?Page=x', headers: { authorization: `Bearer ${fx.reader.ccc.apiKey}` } }),
      );
      assert.equal(result.statusCode, 400);
      auth = tally.statements;
      assert.equal(auth, AUTH, explain(tally));
      assert.equal(tally.transactions, 0);
    });
    after(async () => t?.close());

    it('GET /api/services/status?PageSize=25: the page with its total and usage, then the accounts it names', async () => {
      const { body, tally } = await measure('GET', '/api/services/status?PageSize=25', fx.reader.ccc.apiKey);
      assert.ok(body.results.length >= 10, 'a page of many changes of many services');
      assert.ok(body.results.some((r: { serviceUsage: { totalUserCount: number } }) => r.serviceUsage.totalUserCount > 0));
      assert.equal(tally.statements, auth + 2, explain(tally));
      assert.deepEqual([tally.transactions, tally.writes], [0, 0]);
      // The count does not grow with the page.
      const one = await measure('GET', '/api/services/status?PageSize=1', fx.reader.ccc.apiKey);
      assert.equal(one.tally.statements, auth + 2, explain(one.tally));
      // A page past the end has no row to carry the total: a count takes the place of the accounts read.
      const past = await measure('GET', '/api/services/status?PageSize=25&Page=9', fx.reader.ccc.apiKey);
      assert.equal(past.tally.statements, auth + 2, explain(past.tally));
    });

    it('GET /api/services/{guid}: the service with its reseller and partner in one statement', async () => {
      const { body, tally } = await measure('GET', `/api/services/${fx.a1.guid}`, fx.reader.ccc.apiKey);
      assert.deepEqual([body.resellerName, body.partnerName], ['Reseller A', 'Test Partner']);
      assert.equal(tally.statements, auth + 1, explain(tally));
      assert.deepEqual([tally.transactions, tally.writes], [0, 0]);
    });

    it('POST /api/services: the reseller and partner read once, then one transaction', async () => {
      const { body, tally } = await measure('POST', '/api/services', fx.resellerAdminA.ccc.apiKey, { PrimaryDomain: 'counted.example', ResellerGuid: fx.resellerA.guid });
      assert.deepEqual([body.resellerName, body.partnerName], ['Reseller A', 'Test Partner']);
      // 1 (reseller and partner) + account creation's own: the parent locked and read in one statement, both
      // identifier counters in one, the account, its first history row, its audit row; then its primary
      // e-mail domain (one insert the unique index decides) and that domain's audit row.
      assert.equal(tally.statements, auth + 8, explain(tally));
      assert.equal(tally.transactions, 1);
      // The one re-read left is account creation's own, under its lock (domain/account.ts).
      assert.equal(tally.sql.filter((s) => /from "accounts" where "guid" = /.test(s)).length, 1, explain(tally));
    });

    it('the other list routes: no statement per row', async () => {
      const cases: [string, number][] = [
        ['/api/services?PageSize=25', 2],
        [`/api/resellers/${fx.resellerA.guid}/services`, 2],
        [`/api/partners/${fx.partner.guid}/resellers`, 2],
        [`/api/resellers/${fx.resellerA.guid}`, 1],
        [`/api/services/usage?Period=${TEST_START.slice(0, 10)}`, 3],
        [`/api/services/${fx.a1.guid}/serviceusage`, 2],
      ];
      for (const [url, own] of cases) {
        const { body, tally } = await measure('GET', url, fx.reader.ccc.apiKey);
        if ('results' in body) assert.ok(body.results.length >= 2, url);
        assert.equal(tally.statements, auth + own, `${url}\n${explain(tally)}`);
        assert.equal(tally.transactions, 0, url);
      }
    });
  });
}
