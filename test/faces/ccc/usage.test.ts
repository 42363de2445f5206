/**
 * SearchServiceUsage and GetServiceUsage (/api/services/usage, /api/services/{ServiceGuid}/serviceusage).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { cccClient } from '../../helpers/ccc.js';
import { servicesWorld } from './worlds.js';
import { systemActor } from '../../../src/domain/principal.js';
import { importDailyUsage } from '../../../src/domain/service-usage.js';
import type { Paged, ServiceUsage } from '../../../src/client/ccc.js';

for (const kind of STORE_KINDS) {
  describe(`CCC service usage on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const world = servicesWorld(kind);
    before(() => void ({ t, fx } = world));
    const get = (url: string, key = fx.reader.ccc.apiKey, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });

    it('reports usage from the store, daily and monthly', async () => {
      const system = systemActor('test');
      await importDailyUsage(t.ctx, system, [
        { account: fx.a1.guid, day: '2026-02-27', counters: { totalUsers: 10, proUsers: 4, messages: 100, attachmentStorageBytes: 5000, secureForms: 1 } },
        { account: fx.a1.accountNumber, day: '2026-02-28', counters: { totalUsers: 12, proUsers: 3, messages: 50, attachmentStorageBytes: 4000, secureForms: 2 } },
        { account: fx.a1.accountCode, day: '2026-03-01', counters: { totalUsers: 99, messages: 7 } },
        { account: fx.b1.guid, day: '2026-02-28', counters: { totalUsers: 3, messages: 9 } },
      ]);
      const client = cccClient(t.app, fx.reader.ccc.apiKey);
      const daily = await client.getServiceUsage(fx.a1.guid, { PeriodType: 'Daily', Period: '2026-02-28' });
      assert.deepEqual(
        [daily.periodType, daily.period, daily.totalUserCount, daily.proUserCount, daily.totalMessageCount, daily.attachmentStorageUsage, daily.featureUsageSecureForms],
        ['Daily', '2026-02-28T00:00:00Z', 12, 3, 50, 4000, 2],
      );
      // A month: peak head counts and storage, summed flows.
      const monthly = await client.getServiceUsage(fx.a1.guid, { PeriodType: 'Monthly', Period: '2026-02-15T12:00:00Z' });
      assert.deepEqual(
        [monthly.period, monthly.totalUserCount, monthly.proUserCount, monthly.totalMessageCount, monthly.attachmentStorageUsage, monthly.featureUsageSecureForms],
        ['2026-02-01T00:00:00Z', 12, 4, 150, 5000, 3],
      );
      const none = await client.getServiceUsage(fx.a1.guid, { PeriodType: 'Daily', Period: '2025-01-01' });
      assert.equal(none.totalMessageCount, 0);
      const search = await client.searchServiceUsage({ PeriodType: 'Monthly', Period: '2026-02-01' });
      assert.deepEqual(search.results.map((u: ServiceUsage) => [u.serviceGuid, u.totalUserCount]), [[fx.a1.guid, 12], [fx.b1.guid, 3]]);
      assert.equal((await client.searchServiceUsage({ PeriodType: 'Monthly', Period: '2026-02-01', ResellerGuid: fx.resellerB.guid })).totalItems, 1);
      assert.equal((await client.searchServiceUsage({ PeriodType: 'Monthly', Period: '2026-02-01', ServiceGuid: fx.a1.guid })).totalItems, 1);
      assert.equal((await client.searchServiceUsage({ PeriodType: 'Monthly', Period: '2026-02-01', PartnerGuid: fx.partner.guid })).totalItems, 2);
      assert.equal((await client.searchServiceUsage({ PeriodType: 'Daily', Period: '2026-03-01' })).totalItems, 1);
      const scoped = await cccClient(t.app, fx.resellerAdminB.ccc.apiKey).searchServiceUsage({ PeriodType: 'Monthly', Period: '2026-02-01' });
      assert.deepEqual(scoped.results.map((u) => u.serviceGuid), [fx.b1.guid]);
      const bad = await get('/api/services/usage?PeriodType=Weekly');
      assert.equal(bad.json().responseStatus.message, "'Weekly' is an Invalid value for 'PeriodType'");
      const lower = await get(`/api/services/${fx.a1.guid}/serviceusage?periodtype=monthly&period=2026-02-10`);
      assert.equal(lower.json().totalMessageCount, 150);
      // The status snapshot carries that day's usage counters with the user count recorded at the change.
      const status = await get(`/api/services/status?ServiceGuid=${fx.a1.guid}`);
      assert.equal((status.json() as Paged<{ serviceUsage: ServiceUsage }>).results[0].serviceUsage.totalUserCount, 20);
    });
  });
}
