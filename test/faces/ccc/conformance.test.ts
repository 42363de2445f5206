/**
 * SearchServiceStatusChanges against the seed itself: the sample JSON in seed 004 is read from the spec
 * file, and every answer must have its key names, their order, and its GUID and date forms.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { DAY } from '../../../src/domain/clock.js';
import { createAccount } from '../../../src/domain/account.js';
import { SYSTEM_GUID, systemActor } from '../../../src/domain/principal.js';
import { importDailyUsage } from '../../../src/domain/service-usage.js';
import { applyLifecycle, setServiceStatus } from '../../../src/domain/lifecycle.js';

const SEED = '/work/shared/seeds/004_6c87bfb398e4e7e9.txt';

function seedSample(): Record<string, any> {
  const text = readFileSync(SEED, 'utf8');
  return JSON.parse(text.slice(text.indexOf('{\n  "pageSize"')));
}

/** Every key of `actual` appears in `sample`, in the sample's order; returns the sample keys left out. */
function assertSampleOrder(actual: Record<string, unknown>, sample: Record<string, unknown>, where: string): string[] {
  const want = Object.keys(sample);
  const got = Object.keys(actual);
  for (const k of got) assert.ok(want.includes(k), `${where}: "${k}" is not in the seed's sample`);
  assert.deepEqual(got, want.filter((k) => got.includes(k)), `${where}: keys out of the sample's order`);
  return want.filter((k) => !got.includes(k));
}

const GUID = /^[0-9a-f]{32}$/;
// The sample's "0001-01-01T00:00:00Z": UTC, seconds, a fraction only when there is one.
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d*[1-9])?Z$/;

/** Walks a value beside the sample: same JSON types, GUID and date forms where the sample has them. */
function assertLikeSample(actual: unknown, sample: unknown, where: string): void {
  if (Array.isArray(sample)) {
    assert.ok(Array.isArray(actual), `${where}: not a list`);
    for (const [i, v] of (actual as unknown[]).entries()) assertLikeSample(v, sample[0], `${where}[${i}]`);
    return;
  }
  if (sample && typeof sample === 'object') {
    assert.equal(typeof actual, 'object', `${where}: not an object`);
    const s = sample as Record<string, unknown>;
    // The sample writes a Dictionary<string, string> as {"String": "String"}: its keys are data.
    const dictionary = Object.keys(s).length === 1 && 'String' in s;
    for (const [k, v] of Object.entries(actual as object)) assertLikeSample(v, dictionary ? s.String : s[k], `${where}.${k}`);
    return;
  }
  assert.equal(typeof actual, typeof sample, `${where}: ${JSON.stringify(actual)} is not like ${JSON.stringify(sample)}`);
  if (sample === '00000000000000000000000000000000') assert.match(actual as string, GUID, where);
  if (sample === '0001-01-01T00:00:00Z') assert.match(actual as string, DATE, where);
}

for (const kind of STORE_KINDS) {
  describe(`CCC SearchServiceStatusChanges as the seed shows it on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let service: string;
    const sample = seedSample();
    const get = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${fx.reader.ccc.apiKey}` } });
      assert.equal(res.statusCode, 200, res.body);
      return res;
    };

    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/services',
        headers: { authorization: `Bearer ${fx.resellerAdminA.ccc.apiKey}` },
        payload: {
          PrimaryDomain: 'sample.example',
          ResellerGuid: fx.resellerA.guid,
          ServiceName: 'Sample Co',
          ReferenceId: 'SAMPLE-1',
          Contact: { Name: 'Sam Ple', Email: 'sam@sample.example', PhoneNumber: '+1 555 0100' },
          Company: { Name: 'Sample Co', Address: '1 Sample St', City: 'Austin', StateProvince: 'TX', PostalCode: '78701', Country: 'US', Website: 'https://sample.example' },
        },
      });
      assert.equal(created.statusCode, 200, created.body);
      service = created.json().serviceGuid;
      await createAccount(t.ctx, systemActor('test'), {
        parentGuid: fx.resellerB.guid,
        kind: 'customer',
        name: 'Branded Co',
        primaryDomain: 'branded.example',
        extra: { branding: { LogoUrl: 'https://branded.example/logo.png' } },
      });
      await importDailyUsage(t.ctx, systemActor('test'), [{ account: service, day: '2026-03-05', counters: { totalUsers: 7, proUsers: 3, messages: 40 } }]);
      t.clock.advance(3 * DAY);
      await setServiceStatus(t.ctx, fx.resellerAdminA.actor, service, 'CertifiedSecure');
    });
    after(async () => t?.close());

    it('defaults to page 1 of 25 and answers the sample\'s top-level keys in its order', async () => {
      const body = (await get('/api/services/status')).json();
      assert.deepEqual(Object.keys(body), ['pageSize', 'totalPages', 'totalItems', 'currentPage', 'results']);
      assert.deepEqual([body.pageSize, body.currentPage], [25, 1]);
      assertLikeSample(body, sample, 'response');
    });

    it('writes a fully known change with every sample key, in order, camelCase, GUIDs as 32 hex, dates as the sample', async () => {
      const res = await get(`/api/services/status?ServiceGuid=${service}`);
      // The wire text itself: 32-hex GUIDs and second-precision UTC dates as the sample shows.
      assert.match(res.body, /"changedOn":"2026-03-05T10:00:00Z"/);
      const top = res.json().results[0];
      assertLikeSample(top, sample.results[0], 'result');
      // Nothing sets branding on this service; everything else the sample shows is there.
      assert.deepEqual(assertSampleOrder(top, sample.results[0], 'result'), ['branding']);
      // InitialTerm and ClientGuid have no counterpart in partnerhub (docs/ccc.md), so null and left out.
      assert.deepEqual(assertSampleOrder(top.serviceUsage, sample.results[0].serviceUsage, 'serviceUsage'), ['initialTerm', 'clientGuid']);
      assert.deepEqual(assertSampleOrder(top.serviceUsage.contact, sample.results[0].serviceUsage.contact, 'contact'), []);
      assert.deepEqual(assertSampleOrder(top.serviceUsage.company, sample.results[0].serviceUsage.company, 'company'), []);
      assert.deepEqual(
        [top.status, top.serviceUsage.status, top.serviceUsage.totalUserCount, top.serviceUsage.proUserCount, top.serviceUsage.totalMessageCount, top.serviceUsage.period],
        ['CertifiedSecure', 'CertifiedSecure', 0, 3, 40, '2026-03-05T00:00:00Z'],
      );
      assert.deepEqual([top.primaryDomain, top.serviceUsage.referenceId, top.serviceUsage.trialEndDate], ['sample.example', 'SAMPLE-1', '2026-04-01T10:00:00Z']);
    });

    it('writes branding as the sample\'s string map', async () => {
      const branded = (await get('/api/services/status')).json().results.find((r: { serviceName: string }) => r.serviceName === 'Branded Co');
      assert.deepEqual(branded.branding, { LogoUrl: 'https://branded.example/logo.png' });
      assert.deepEqual(assertSampleOrder(branded, sample.results[0], 'branded result'), []);
    });

    it('shows the life cycle\'s changes, 30 days into a trial, as the system principal', async () => {
      t.clock.advance(30 * DAY);
      const now = t.clock.now().toISOString();
      await applyLifecycle(t.ctx);
      const page = (await get(`/api/services/status?ChangedByUserGuid=${SYSTEM_GUID}&ChangedAfterDateTime=${now}`)).json();
      assert.ok(page.results.length > 0);
      for (const r of page.results) {
        assert.deepEqual([r.status, r.changedByUserGuid, r.changedByUserEmailAddress], ['TrialExpired', SYSTEM_GUID, 'system@partnerhub.local']);
        assertLikeSample(r, sample.results[0], 'lifecycle result');
      }
      // The certified sample service is not a trial any more; the branded one is.
      assert.ok(page.results.some((r: { serviceName: string }) => r.serviceName === 'Branded Co'));
      assert.equal(page.results.some((r: { serviceGuid: string }) => r.serviceGuid === service), false);
    });
  });
}
