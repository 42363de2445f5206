/**
 * SearchServices, GetService and CreateService (/api/services, /api/services/{ServiceGuid}): happy paths, errors, and what each key may see and create.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { XMLParser } from 'fast-xml-parser';
import { cccClient } from '../../helpers/ccc.js';
import { servicesWorld, T0 } from './worlds.js';
import { DAY } from '../../../src/domain/clock.js';
import { statusHistory } from '../../../src/domain/status.js';
import { dashedGuid } from '../../../src/domain/ids.js';
import { CccApiError } from '../../../src/client/ccc.js';

for (const kind of STORE_KINDS) {
  describe(`CCC services on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const world = servicesWorld(kind);
    before(() => void ({ t, fx } = world));
    const get = (url: string, key = fx.reader.ccc.apiKey, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });
    const post = (url: string, payload: unknown, key = fx.resellerAdminA.ccc.apiKey, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, payload: payload as any, headers: { authorization: `Bearer ${key}`, ...headers } });

    it('searches services by domain, name, code and creation dates, paged', async () => {
      const client = cccClient(t.app, fx.reader.ccc.apiKey);
      const all = await client.searchServices();
      assert.deepEqual(all.results.map((s) => s.serviceName), ['API Customer 17', 'API Customer 39', 'Later Customer', 'Other Customer']);
      assert.deepEqual((await client.searchServices({ Domain: 'CUSTOMER3' })).results.map((s) => s.serviceGuid), [fx.a2.guid]);
      assert.deepEqual((await client.searchServices({ Name: 'customer 1' })).results.map((s) => s.serviceGuid), [fx.a1.guid]);
      assert.deepEqual((await client.searchServices({ Code: fx.b1.accountCode.toLowerCase() })).results.map((s) => s.serviceGuid), [fx.b1.guid]);
      const later = new Date(T0 + DAY).toISOString();
      assert.deepEqual((await client.searchServices({ CreatedAfterDateTime: later })).results.map((s) => s.serviceName), ['Later Customer']);
      assert.equal((await client.searchServices({ CreatedBeforeDateTime: later })).totalItems, 3);
      assert.equal((await client.searchServices({ Name: 'customer', Domain: 'example', CreatedBeforeDateTime: later })).totalItems, 2);
      const p2 = await client.searchServices({ PageSize: 3, Page: 2 });
      assert.deepEqual([p2.totalPages, p2.currentPage, p2.results.map((s) => s.serviceName)], [2, 2, ['Other Customer']]);
      // A reseller admin sees only its own services.
      const mine = await cccClient(t.app, fx.resellerAdminB.ccc.apiKey).searchServices();
      assert.deepEqual(mine.results.map((s) => s.serviceName), ['Later Customer', 'Other Customer']);
      const bad = await get('/api/services?CreatedAfterDateTime=soon');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().responseStatus.message, "'soon' is an Invalid value for 'CreatedAfterDateTime'");
    });

    it('gets one service by GUID in any form; other subtrees and non-services are not found', async () => {
      const client = cccClient(t.app, fx.resellerAdminA.ccc.apiKey);
      const s = await client.getService(`{${dashedGuid(fx.a1.guid).toUpperCase()}}`);
      assert.equal(s.serviceGuid, fx.a1.guid);
      assert.equal(s.serviceCode, fx.a1.accountCode);
      assert.equal(s.referenceId, 'A1-REF');
      assert.equal(s.primaryDomain, 'customer17.example');
      assert.equal(s.status, 'TrialActive');
      assert.equal(s.trialEndDate, '2026-04-01T10:00:00Z');
      assert.equal(s.resellerName, 'Reseller A');
      assert.equal(s.partnerGuid, fx.partner.guid);
      for (const guid of [fx.b1.guid, fx.resellerA.guid, 'ffffffffffffffffffffffffffffffff']) {
        const res = await get(`/api/services/${guid}`, fx.resellerAdminA.ccc.apiKey);
        assert.equal(res.statusCode, 404, guid);
        assert.deepEqual(res.json().responseStatus, { errorCode: 'NotFound', message: 'Service not found', errors: [] });
      }
      const bad = await get('/api/services/not-a-guid');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().responseStatus.errorCode, 'SerializationException');
      const xml = await get(`/api/services/${fx.a1.guid}.xml`);
      const doc = new XMLParser({ parseTagValue: false }).parse(xml.body);
      assert.equal(doc.Service.ServiceGuid, fx.a1.guid);
      assert.equal(doc.Service.Company.City, 'Austin');
      const csv = await get(`/api/services/${fx.a1.guid}.csv`);
      assert.match(csv.body, /^ServiceGuid,ServiceName,ServiceCode,/);
      assert.ok(csv.body.split('\r\n')[1].startsWith(`${fx.a1.guid},API Customer 17,`));
    });

    it('creates a service below a reseller that starts in trial, with contact and company', async () => {
      const client = cccClient(t.app, fx.resellerAdminA.ccc.apiKey);
      const made = await client.createService({
        PrimaryDomain: 'NewCo.example',
        ResellerGuid: dashedGuid(fx.resellerA.guid),
        ReferenceId: 'NC-1',
        Contact: { Name: 'Nia Contact', Email: 'nia@newco.example', PhoneNumber: '+1 555 0100' },
        Company: { Name: 'NewCo Ltd', City: 'Denver', StateProvince: 'CO', Country: 'US', Website: 'https://newco.example' },
      });
      assert.equal(made.status, 'TrialActive');
      assert.equal(made.serviceName, 'NewCo Ltd');
      assert.equal(made.primaryDomain, 'newco.example');
      assert.equal(made.resellerGuid, fx.resellerA.guid);
      assert.deepEqual(made.contact, { name: 'Nia Contact', email: 'nia@newco.example', phoneNumber: '+1 555 0100' });
      assert.equal(made.company?.website, 'https://newco.example');
      assert.equal((await client.getService(made.serviceGuid)).serviceCode, made.serviceCode);
      const history = await statusHistory(t.ctx, made.serviceGuid);
      assert.deepEqual(history.map((h) => [h.oldStatus, h.newStatus, h.changedByEmail]), [[null, 'TrialActive', 'admin@reseller-a.example']]);
      // Case-insensitive property names, form posts with JSV nested objects, and XML bodies.
      const lower = await post('/api/services', { primarydomain: 'lower.example', resellerguid: fx.resellerA.guid });
      assert.equal(lower.statusCode, 200, lower.body);
      const form = await post(
        '/api/services',
        `PrimaryDomain=form.example&ResellerGuid=${fx.resellerA.guid}&Contact=${encodeURIComponent('{Name:"Fo, Rm",Email:fo@form.example,PhoneNumber:1}')}`,
        undefined,
        { 'content-type': 'application/x-www-form-urlencoded' },
      );
      assert.equal(form.statusCode, 200, form.body);
      assert.equal(form.json().contact.name, 'Fo, Rm');
      const xml = await post(
        '/api/services.xml',
        `<CreateService xmlns="http://schemas.datacontract.org/2004/07/DeliverySlip.Ccc.ServiceModel"><PrimaryDomain>xml.example</PrimaryDomain><ResellerGuid>${fx.resellerA.guid}</ResellerGuid></CreateService>`,
        undefined,
        { 'content-type': 'application/xml' },
      );
      assert.equal(xml.statusCode, 200, xml.body);
      assert.match(xml.body, /<Service [^>]*>.*<PrimaryDomain>xml.example<\/PrimaryDomain>/);
    });

    it('validates CreateService with per-field errors and writes nothing', async () => {
      const before = (await cccClient(t.app, fx.reader.ccc.apiKey).searchServices({ PageSize: 500 })).totalItems;
      const res = await post('/api/services', { PrimaryDomain: 'x'.repeat(50) + '.example' });
      assert.equal(res.statusCode, 400);
      const rs = res.json().responseStatus;
      assert.equal(rs.errorCode, 'MaximumLength');
      assert.equal(rs.message, "The length of 'Primary Domain' must be 54 characters or fewer. You entered 58 characters.");
      assert.deepEqual(rs.errors.map((e: any) => [e.errorCode, e.fieldName]), [['MaximumLength', 'PrimaryDomain'], ['NotEmpty', 'ResellerGuid']]);
      const empty = await post('/api/services', {});
      assert.deepEqual(empty.json().responseStatus.errors.map((e: any) => e.message), ["'Primary Domain' must not be empty.", "'Reseller Guid' must not be empty."]);
      const contact = await post('/api/services', { PrimaryDomain: 'ok.example', ResellerGuid: fx.resellerA.guid, Contact: { Name: 'X', Email: 'nope' } });
      assert.deepEqual(contact.json().responseStatus.errors.map((e: any) => [e.errorCode, e.fieldName]), [['Email', 'Contact.Email'], ['NotEmpty', 'Contact.PhoneNumber']]);
      const badGuid = await post('/api/services', { PrimaryDomain: 'ok.example', ResellerGuid: 'r-1' });
      assert.equal(badGuid.json().responseStatus.message, "'r-1' is an Invalid value for 'ResellerGuid'");
      const malformed = await post('/api/services', '{"PrimaryDomain":', undefined, { 'content-type': 'application/json' });
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.json().responseStatus.errorCode, 'SerializationException');
      // Another reseller's GUID is not found for this key; a reader may not create at all.
      const other = await post('/api/services', { PrimaryDomain: 'ok.example', ResellerGuid: fx.resellerB.guid });
      assert.equal(other.statusCode, 404);
      const reader = await post('/api/services', { PrimaryDomain: 'ok.example', ResellerGuid: fx.resellerA.guid }, fx.reader.ccc.apiKey);
      assert.equal(reader.statusCode, 403);
      assert.deepEqual(reader.json().responseStatus, { errorCode: 'Forbidden', message: 'Invalid Role', errors: [] });
      assert.equal((await cccClient(t.app, fx.reader.ccc.apiKey).searchServices({ PageSize: 500 })).totalItems, before);
      const client = cccClient(t.app, fx.resellerAdminA.ccc.apiKey);
      await assert.rejects(client.createService({ PrimaryDomain: '', ResellerGuid: fx.resellerA.guid }), (e: CccApiError) => e.status === 400 && e.responseStatus?.errorCode === 'NotEmpty');
    });
  });
}
