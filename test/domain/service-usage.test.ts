import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { systemActor } from '../../src/domain/principal.js';
import { aggregateUsage, importDailyUsage, serviceUsage, usagePeriod, zeroUsage } from '../../src/domain/service-usage.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';

describe('usage periods and aggregation', () => {
  it('derives days and calendar months in UTC', () => {
    assert.deepEqual(usagePeriod('monthly', new Date('2024-02-10T23:00:00Z')), { kind: 'monthly', firstDay: '2024-02-01', lastDay: '2024-02-29' });
    assert.deepEqual(usagePeriod('daily', new Date('2024-02-10T23:00:00Z')), { kind: 'daily', firstDay: '2024-02-10', lastDay: '2024-02-10' });
  });
  it('takes the peak of levels and the sum of flows', () => {
    const a = { ...zeroUsage(), totalUsers: 5, attachmentStorageBytes: 100, messages: 3, secureForms: 1 };
    const b = { ...zeroUsage(), totalUsers: 7, attachmentStorageBytes: 50, messages: 4, secureForms: 2 };
    const m = aggregateUsage([a, b]);
    assert.deepEqual([m.totalUsers, m.attachmentStorageBytes, m.messages, m.secureForms], [7, 100, 7, 3]);
  });
});

for (const kind of STORE_KINDS) {
  describe(`usage import on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    const system = systemActor('test');
    before(async () => {
      env = await makeTestEnv(kind);
      fx = await buildFixture(env.ctx);
    });
    after(async () => env?.close());

    it('replaces a re-imported day instead of adding to it', async () => {
      await importDailyUsage(env.ctx, system, [{ account: fx.a1.guid, day: '2026-01-05', counters: { messages: 10 } }]);
      await importDailyUsage(env.ctx, system, [{ account: fx.a1.guid, day: '2026-01-05T00:00:00Z', counters: { messages: 4 } }]);
      const v = await serviceUsage(env.ctx, fx.reader.actor, fx.a1.guid, usagePeriod('daily', new Date('2026-01-05')));
      assert.equal(v.usage?.messages, 4);
      assert.equal(v.daysReported, 1);
    });

    it('refuses a bad import as a whole and names every bad record', async () => {
      await assert.rejects(
        importDailyUsage(env.ctx, system, [
          { account: fx.a2.guid, day: '2026-01-06', counters: { messages: 1 } },
          { account: 'nobody', day: '2026-01-06', counters: {} },
          { account: fx.a2.guid, day: '2026-01-07', counters: { messages: -1 } },
        ]),
        (e: DomainError) => e.code === ErrorCode.Validation && e.details.fields?.length === 2 && /record 2: no live account "nobody"/.test(e.details.fields[0].message),
      );
      const v = await serviceUsage(env.ctx, fx.reader.actor, fx.a2.guid, usagePeriod('monthly', new Date('2026-01-01')));
      assert.equal(v.usage, null);
    });

    it('is for operators only, and reading is scoped', async () => {
      await assert.rejects(importDailyUsage(env.ctx, fx.resellerAdminA.actor, []), (e: DomainError) => e.code === ErrorCode.Forbidden);
      await assert.rejects(serviceUsage(env.ctx, fx.resellerAdminB.actor, fx.a1.guid, usagePeriod('daily', new Date())), (e: DomainError) => e.code === ErrorCode.NotFound);
    });
  });
}
