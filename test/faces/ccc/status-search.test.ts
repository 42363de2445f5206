/**
 * SearchServiceStatusChanges (/api/services/status, seed 004): filters, paging, conversions, keys and scoping.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { cccClient } from '../../helpers/ccc.js';
import { at, move, statusWorld, T0 } from './worlds.js';
import { DAY } from '../../../src/domain/clock.js';
import { deleteAccount, createAccount } from '../../../src/domain/account.js';
import { dashedGuid } from '../../../src/domain/ids.js';
import { SYSTEM_GUID, systemActor } from '../../../src/domain/principal.js';
import { issueCredential, revokeCredential } from '../../../src/domain/credential.js';
import type { Paged, ServiceStatusChange } from '../../../src/client/ccc.js';

for (const kind of STORE_KINDS) {
  describe(`CCC SearchServiceStatusChanges on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const world = statusWorld(kind);
    before(() => void ({ t, fx } = world));
    const get = (url: string, key = fx.reader.ccc.apiKey, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });
    const search = async (query: string, key?: string) => {
      const res = await get(`/api/services/status${query}`, key);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Paged<ServiceStatusChange>;
    };

    it('returns every service change, newest first, with the documented shape', async () => {
      const page = await search('');
      // Partner and reseller accounts have history too, but only services (customers) are listed.
      assert.equal(page.totalItems, 6);
      assert.deepEqual([page.pageSize, page.totalPages, page.currentPage], [25, 1, 1]);
      assert.deepEqual(
        page.results.map((r) => [r.serviceName, r.status]),
        [
          ['API Customer 39', 'AccountSuspended'],
          ['Other Customer', 'AccountSuspended'],
          ['API Customer 17', 'CertifiedSecure'],
          ['Other Customer', 'TrialActive'],
          ['API Customer 39', 'TrialActive'],
          ['API Customer 17', 'TrialActive'],
        ],
      );
      const top = page.results[0];
      assert.equal(top.serviceGuid, fx.a2.guid);
      assert.equal(top.serviceCode, fx.a2.accountCode);
      assert.equal(top.resellerGuid, fx.resellerA.guid);
      assert.equal(top.resellerName, 'Reseller A');
      assert.equal(top.partnerGuid, fx.partner.guid);
      assert.equal(top.partnerName, 'Test Partner');
      assert.equal(top.changedOn, '2026-03-05T10:00:00Z');
      assert.equal(top.changedByUserGuid, fx.resellerAdminA.principal.guid);
      assert.equal(top.changedByUserEmailAddress, 'admin@reseller-a.example');
      assert.match(top.serviceStatusChangeGuid, /^[0-9a-f]{32}$/);
      assert.match(top.operationGuid, /^[0-9a-f]{32}$/);
      assert.equal(top.serviceUsage?.serviceGuid, fx.a2.guid);
      assert.equal(top.serviceUsage?.status, 'AccountSuspended');
      assert.equal(top.serviceUsage?.totalUserCount, 20);
      assert.equal(top.serviceUsage?.periodType, 'Daily');
      assert.equal(top.serviceUsage?.period, '2026-03-05T00:00:00Z');
      assert.equal(page.results.at(-1)!.changedByUserGuid, SYSTEM_GUID);
      // ServiceStack leaves nulls out of JSON.
      assert.equal('primaryDomain' in top, false);
      assert.equal('responseStatus' in page, false);
    });

    it('filters by each property alone', async () => {
      const names = (p: Paged<ServiceStatusChange>) => p.results.map((r) => `${r.serviceName}:${r.status}`);
      assert.deepEqual(names(await search(`?ServiceGuid=${fx.a1.guid}`)), ['API Customer 17:CertifiedSecure', 'API Customer 17:TrialActive']);
      assert.equal((await search(`?ResellerGuid=${fx.resellerA.guid}`)).totalItems, 4);
      assert.equal((await search(`?ResellerGuid=${fx.resellerB.guid}`)).totalItems, 2);
      assert.equal((await search(`?PartnerGuid=${fx.partner.guid}`)).totalItems, 6);
      assert.equal((await search(`?PartnerGuid=${fx.resellerA.guid}`)).totalItems, 0);
      assert.deepEqual(names(await search(`?ChangedByUserGuid=${fx.resellerAdminA.principal.guid}`)), [
        'API Customer 39:AccountSuspended',
        'API Customer 17:CertifiedSecure',
      ]);
      assert.deepEqual(names(await search(`?ChangedByUserEmail=ADMIN@Reseller-B.example`)), ['Other Customer:AccountSuspended']);
      // After is inclusive, Before exclusive: the two tile time without overlap.
      assert.equal((await search(`?ChangedAfterDateTime=${at(1)}`)).totalItems, 3);
      assert.equal((await search(`?ChangedBeforeDateTime=${at(1)}`)).totalItems, 3);
      assert.equal((await search(`?ChangedAfterDateTime=${at(3.5)}`)).totalItems, 0);
    });

    it('combines filters', async () => {
      assert.equal((await search(`?ResellerGuid=${fx.resellerA.guid}&ChangedAfterDateTime=${at(1)}`)).totalItems, 2);
      assert.equal((await search(`?ResellerGuid=${fx.resellerA.guid}&ChangedAfterDateTime=${at(1)}&ChangedBeforeDateTime=${at(2)}`)).totalItems, 1);
      assert.equal((await search(`?ResellerGuid=${fx.resellerA.guid}&ChangedByUserEmail=admin@reseller-b.example`)).totalItems, 0);
      const p = await search(`?PartnerGuid=${fx.partner.guid}&ServiceGuid=${fx.b1.guid}&ChangedByUserGuid=${fx.resellerAdminB.principal.guid}&ChangedAfterDateTime=${at(0)}&ChangedBeforeDateTime=${at(10)}`);
      assert.deepEqual(p.results.map((r) => r.status), ['AccountSuspended']);
    });

    it('matches query keys case-insensitively, ignores unknown keys and skips empty values', async () => {
      assert.equal((await search(`?serviceguid=${fx.a1.guid}&pAGEsIZE=1`)).totalItems, 2);
      assert.equal((await search(`?serviceguid=${fx.a1.guid}&pAGEsIZE=1`)).pageSize, 1);
      assert.equal((await search(`?ServiceGuid=&Unknown=1&ChangedAfterDateTime=`)).totalItems, 6);
    });

    it('accepts GUIDs plain, dashed, braced and in any case', async () => {
      for (const form of [fx.a1.guid, dashedGuid(fx.a1.guid), `{${dashedGuid(fx.a1.guid)}}`, dashedGuid(fx.a1.guid).toUpperCase()]) {
        const p = await search(`?ServiceGuid=${encodeURIComponent(form)}`);
        assert.equal(p.totalItems, 2, form);
        assert.equal(p.results[0].serviceGuid, fx.a1.guid);
      }
    });

    it('accepts the date forms ServiceStack accepts', async () => {
      const day1 = T0 + DAY;
      const forms = [
        '2026-03-03T10:00:00Z',
        '2026-03-03T10:00:00.0000000Z',
        '2026-03-03T11:00:00+01:00',
        '2026-03-03T05:00:00-0500',
        '2026-03-03 10:00:00',
        '2026-03-03T10:00',
        `/Date(${day1})/`,
        `/Date(${day1}+0100)/`,
        '03/03/2026 10:00:00',
        'Tue, 03 Mar 2026 10:00:00 GMT',
      ];
      for (const f of forms) {
        assert.equal((await search(`?ChangedAfterDateTime=${encodeURIComponent(f)}`)).totalItems, 3, f);
      }
      // A bare date is midnight UTC.
      assert.equal((await search('?ChangedAfterDateTime=2026-03-04')).totalItems, 2);
      assert.equal((await search('?ChangedBeforeDateTime=2026-03-04')).totalItems, 4);
    });

    it('pages: edges, PageSize 0 and huge, pages past the end', async () => {
      const all = (await search('?PageSize=100')).results.map((r) => r.serviceStatusChangeGuid);
      const p1 = await search('?PageSize=4');
      const p2 = await search('?PageSize=4&Page=2');
      assert.deepEqual([p1.totalPages, p1.totalItems, p1.results.length, p2.results.length, p2.currentPage], [2, 6, 4, 2, 2]);
      assert.deepEqual([...p1.results, ...p2.results].map((r) => r.serviceStatusChangeGuid), all);
      const past = await search('?PageSize=4&Page=3');
      assert.deepEqual([past.currentPage, past.totalPages, past.totalItems, past.results.length], [3, 2, 6, 0]);
      const far = await search('?Page=2147483647');
      assert.deepEqual([far.currentPage, far.results.length], [2147483647, 0]);
      const zero = await search('?PageSize=0&Page=0');
      assert.deepEqual([zero.pageSize, zero.currentPage, zero.results.length], [25, 1, 6]);
      const huge = await search('?PageSize=1000000');
      assert.deepEqual([huge.pageSize, huge.totalPages], [500, 1]);
      const one = await search('?PageSize=1&Page=6');
      assert.deepEqual([one.totalPages, one.results[0].serviceStatusChangeGuid], [6, all[5]]);
    });

    it('refuses values that do not convert, with SerializationException', async () => {
      const cases: [string, string, string][] = [
        ['ServiceGuid=xyz', 'xyz', 'ServiceGuid'],
        ['ResellerGuid=1234', '1234', 'ResellerGuid'],
        ['PartnerGuid={abc}', '{abc}', 'PartnerGuid'],
        ['ChangedByUserGuid=zz', 'zz', 'ChangedByUserGuid'],
        ['ChangedAfterDateTime=yesterday', 'yesterday', 'ChangedAfterDateTime'],
        ['ChangedBeforeDateTime=2026-02-30', '2026-02-30', 'ChangedBeforeDateTime'],
        ['Page=two', 'two', 'Page'],
        ['PageSize=1.5', '1.5', 'PageSize'],
        ['PageSize=99999999999', '99999999999', 'PageSize'],
      ];
      for (const [q, value, prop] of cases) {
        const res = await get(`/api/services/status?${q}`);
        assert.equal(res.statusCode, 400, q);
        const rs = res.json().responseStatus;
        assert.equal(rs.errorCode, 'SerializationException');
        assert.equal(rs.message, `'${value}' is an Invalid value for '${prop}'`);
        assert.deepEqual(rs.errors.map((e: any) => [e.errorCode, e.fieldName]), [['SerializationException', prop]]);
      }
    });

    it('reports negative paging as a validation error per field', async () => {
      const res = await get('/api/services/status?Page=-1&PageSize=-5');
      assert.equal(res.statusCode, 400);
      const rs = res.json().responseStatus;
      assert.equal(rs.errorCode, 'GreaterThanOrEqual');
      assert.deepEqual(rs.errors.map((e: any) => e.fieldName), ['Page', 'PageSize']);
      assert.equal(rs.errors[1].message, "'Page Size' must be greater than or equal to '0'.");
    });

    it('authenticates API keys by Bearer or Basic user name; refuses others with 401/403', async () => {
      const basic = Buffer.from(`${fx.reader.ccc.apiKey}:`).toString('base64');
      const ok = await t.app.inject({ method: 'GET', url: '/api/services/status', headers: { authorization: `Basic ${basic}` } });
      assert.equal(ok.statusCode, 200);
      const viaClient = await cccClient(t.app, fx.reader.ccc.apiKey, 'basic').searchServiceStatusChanges({ PageSize: 1 });
      assert.equal(viaClient.totalItems, 6);
      for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic ' + Buffer.from('nope:').toString('base64') }, { authorization: 'Digest x' }]) {
        const res = await t.app.inject({ method: 'GET', url: '/api/services/status', headers });
        assert.equal(res.statusCode, 401);
        assert.deepEqual(res.json(), { responseStatus: { errorCode: 'Unauthorized', message: 'Not Authenticated', errors: [] } });
      }
      const xml = await t.app.inject({ method: 'GET', url: '/api/services/status.xml' });
      assert.equal(xml.statusCode, 401);
      assert.match(xml.body, /<ServiceStatusChangesResponse [^>]*><ResponseStatus xmlns="http:\/\/schemas.servicestack.net\/types"><ErrorCode>Unauthorized<\/ErrorCode>/);
      const system = systemActor('test');
      const expiring = await issueCredential(t.ctx, system, fx.reader.principal.guid, 'ccc', { expiresAt: at(3.5) });
      const key = (expiring.secrets as { apiKey: string }).apiKey;
      t.clock.set(at(3.4));
      assert.equal((await get('/api/services/status', key)).statusCode, 200);
      t.clock.set(at(3.6));
      const expired = await get('/api/services/status', key);
      assert.equal(expired.statusCode, 403);
      assert.equal(expired.json().responseStatus.message, 'API Key has expired');
      const revoked = await issueCredential(t.ctx, system, fx.reader.principal.guid, 'ccc');
      await revokeCredential(t.ctx, system, revoked.guid);
      const cancelled = await get('/api/services/status', (revoked.secrets as { apiKey: string }).apiKey);
      assert.equal(cancelled.statusCode, 403);
      assert.equal(cancelled.json().responseStatus.message, 'API Key has been cancelled');
    });

    it('shows a key only its principal subtree', async () => {
      const a = await search('', fx.resellerAdminA.ccc.apiKey);
      assert.equal(a.totalItems, 4);
      assert.ok(a.results.every((r) => r.resellerGuid === fx.resellerA.guid));
      assert.equal((await search(`?ResellerGuid=${fx.resellerB.guid}`, fx.resellerAdminA.ccc.apiKey)).totalItems, 0);
      assert.equal((await search(`?ServiceGuid=${fx.b1.guid}`, fx.resellerAdminA.ccc.apiKey)).totalItems, 0);
      const c = await search('', fx.customerAdminA1.ccc.apiKey);
      assert.deepEqual(c.results.map((r) => r.serviceGuid), [fx.a1.guid, fx.a1.guid]);
    });

    it('answers 404 and 405 in ResponseStatus form, only under its own prefixes', async () => {
      const missing = await get('/api/services/status/extra/path');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().responseStatus.errorCode, 'NotFound');
      const del = await t.app.inject({ method: 'DELETE', url: '/api/services/status', headers: { authorization: `Bearer ${fx.reader.ccc.apiKey}` } });
      assert.equal(del.statusCode, 405);
      assert.equal(del.headers.allow, 'GET');
      assert.equal(del.json().responseStatus.errorCode, 'NotImplementedException');
      assert.match(del.json().responseStatus.message, /Delete\(SearchServiceStatusChanges\)/);
      const post = await t.app.inject({ method: 'POST', url: '/api/services/status.json', payload: {} });
      assert.equal(post.statusCode, 405);
      // Another face's prefix is not ours: the Mimecast face answers it in its envelope, not a ResponseStatus.
      const other = await t.app.inject({ method: 'POST', url: '/api/account/get-account' });
      assert.equal(other.statusCode, 400);
      assert.equal('responseStatus' in other.json(), false);
      assert.deepEqual(Object.keys(other.json()), ['meta', 'data', 'fail']);
    });

    it('keeps existing rows in order when new changes arrive, and a pinned client sees the same pages', async () => {
      const pinned = new Date(t.clock.now().getTime() + 1).toISOString();
      const before1 = await search(`?PageSize=2&ChangedBeforeDateTime=${pinned}`);
      const before2 = await search(`?PageSize=2&Page=2&ChangedBeforeDateTime=${pinned}`);
      const beforeAll = (await search('?PageSize=100')).results.map((r) => r.serviceStatusChangeGuid);
      t.clock.advance(60_000);
      await move(t, fx.resellerAdminA.actor, fx.a1.guid, 'AccountSuspended');
      await move(t, fx.resellerAdminA.actor, fx.a1.guid, 'CertifiedSecure');
      const after1 = await search(`?PageSize=2&ChangedBeforeDateTime=${pinned}`);
      const after2 = await search(`?PageSize=2&Page=2&ChangedBeforeDateTime=${pinned}`);
      assert.deepEqual(after1, before1);
      assert.deepEqual(after2, before2);
      const afterAll = (await search('?PageSize=100')).results;
      assert.equal(afterAll.length, beforeAll.length + 2);
      assert.deepEqual(afterAll.slice(0, 2).map((r) => r.status), ['CertifiedSecure', 'AccountSuspended']);
      assert.deepEqual(afterAll.slice(2).map((r) => r.serviceStatusChangeGuid), beforeAll);
    });

    it('shows the status changes the domain makes for other faces (disable, delete)', async () => {
      const system = systemActor('test');
      const doomed = await createAccount(t.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Doomed Co', primaryDomain: 'doomed.example' });
      t.clock.advance(60_000);
      // What a Rackspace disable does: a status change by the principal through changeStatus.
      await move(t, fx.resellerAdminA.actor, doomed.guid, 'AccountSuspended');
      t.clock.advance(60_000);
      // And a Rackspace delete.
      await deleteAccount(t.ctx, fx.resellerAdminA.actor, doomed.guid);
      const p = await search(`?ServiceGuid=${doomed.guid}`, fx.resellerAdminA.ccc.apiKey);
      assert.deepEqual(p.results.map((r) => r.status), ['AccountCancelled', 'AccountSuspended', 'TrialActive']);
      assert.equal(p.results[0].changedByUserEmailAddress, 'admin@reseller-a.example');
      assert.equal(p.results[0].primaryDomain, 'doomed.example');
      const byEmail = await search(`?ChangedByUserEmail=admin@reseller-a.example&ChangedAfterDateTime=${encodeURIComponent(new Date(t.clock.now().getTime() - 1000).toISOString())}`);
      assert.deepEqual(byEmail.results.map((r) => [r.serviceGuid, r.status]), [[doomed.guid, 'AccountCancelled']]);
    });
  });
}
