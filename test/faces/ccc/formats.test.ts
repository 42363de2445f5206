/**
 * ServiceStack conventions on the wire: XML, CSV, JSON and JSONP by Accept, ?format and suffix; 404 and 405.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import { servicesWorld, statusWorld } from './worlds.js';
import type { Paged, Service } from '../../../src/client/ccc.js';

for (const kind of STORE_KINDS) {
  describe(`CCC formats on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const world = statusWorld(kind);
    before(() => void ({ t, fx } = world));
    const get = (url: string, key = fx.reader.ccc.apiKey, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });

    it('negotiates XML by Accept, ?format and suffix, in DataContract form', async () => {
      const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (n) => n === 'ServiceStatusChange' });
      for (const [url, headers] of [
        ['/api/services/status?PageSize=2', { accept: 'application/xml' }],
        ['/api/services/status?PageSize=2', { accept: 'text/html, text/xml;q=0.9' }],
        ['/api/services/status?PageSize=2&format=xml', { accept: 'application/json' }],
        ['/api/services/status.xml?PageSize=2', {}],
      ] as [string, Record<string, string>][]) {
        const res = await get(url, undefined, headers);
        assert.equal(res.statusCode, 200, url);
        assert.match(String(res.headers['content-type']), /^application\/xml/);
        assert.ok(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?><ServiceStatusChangesResponse '), res.body.slice(0, 120));
        const doc = parser.parse(res.body).ServiceStatusChangesResponse;
        assert.equal(doc['@_xmlns'], 'http://schemas.datacontract.org/2004/07/DeliverySlip.Ccc.ServiceModel');
        assert.equal(doc.TotalItems, '6');
        assert.equal(doc.PageSize, '2');
        const items = doc.Results.ServiceStatusChange;
        assert.equal(items.length, 2);
        assert.equal(items[0].ServiceGuid, fx.a2.guid);
        assert.equal(items[0].Status, 'AccountSuspended');
        assert.equal(items[0].PrimaryDomain['@_i:nil'], 'true');
        assert.equal(items[0].ServiceUsage.TotalUserCount, '20');
      }
      // DataContractSerializer writes members in name order.
      const res = await get('/api/services/status.xml?PageSize=1');
      const order = ['<ChangedByUserEmailAddress>', '<ChangedByUserGuid>', '<ChangedOn>', '<CreatedOn>', '<OperationGuid>', '<Status>'].map((tag) => res.body.indexOf(tag));
      assert.deepEqual([...order].sort((a, b) => a - b), order);
      assert.ok(order.every((i) => i > 0));
    });

    it('negotiates CSV by Accept, ?format and suffix', async () => {
      for (const [url, headers] of [
        ['/api/services/status?PageSize=3', { accept: 'text/csv' }],
        ['/api/services/status?format=csv&PageSize=3', {}],
        ['/api/services/status.csv?PageSize=3', { accept: 'application/xml' }],
      ] as [string, Record<string, string>][]) {
        const res = await get(url, undefined, headers);
        assert.equal(res.statusCode, 200, url);
        assert.match(String(res.headers['content-type']), /^text\/csv/);
        const rows = parseCsv(res.body, { columns: true }) as Record<string, string>[];
        assert.equal(rows.length, 3);
        assert.equal(rows[0].ServiceGuid, fx.a2.guid);
        assert.equal(rows[0].Status, 'AccountSuspended');
        assert.equal(rows[0].ChangedOn, '2026-03-05T10:00:00Z');
        assert.ok(rows[0].ServiceUsage.startsWith(`{ServiceGuid:${fx.a2.guid},`), rows[0].ServiceUsage);
      }
    });

    it('answers .json and JSONP with a safe callback only', async () => {
      const json = await get('/api/services/status.json?PageSize=1', undefined, { accept: 'application/xml' });
      assert.match(String(json.headers['content-type']), /^application\/json/);
      assert.equal(json.json().totalItems, 6);
      const jsonp = await get('/api/services/status?PageSize=1&callback=window.handle_1');
      assert.match(String(jsonp.headers['content-type']), /^application\/javascript/);
      const m = /^window\.handle_1\((.*)\)$/s.exec(jsonp.body);
      assert.ok(m, jsonp.body.slice(0, 50));
      assert.equal(JSON.parse(m[1]).totalItems, 6);
      for (const bad of ['alert(1)', 'a;b', '</script>', 'x'.repeat(200), '1abc']) {
        const res = await get(`/api/services/status?callback=${encodeURIComponent(bad)}`);
        assert.equal(res.statusCode, 400, bad);
        assert.equal(res.json().responseStatus.errorCode, 'ArgumentException');
        assert.ok(!res.body.startsWith(bad));
      }
      // JSONP wraps errors too, so a script-tag client sees them.
      const err = await get('/api/services/status?callback=cb&Page=x');
      assert.equal(err.statusCode, 400);
      assert.match(err.body, /^cb\(\{"responseStatus":/);
    });
  });
  describe(`CCC methods and unknown paths on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    const world = servicesWorld(kind);
    before(() => void ({ t, fx } = world));
    const get = (url: string, key = fx.reader.ccc.apiKey, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });

    it('answers 405 for methods a route lacks and 404 for unknown paths', async () => {
      const put = await t.app.inject({ method: 'PUT', url: '/api/services', headers: { authorization: `Bearer ${fx.reader.ccc.apiKey}` } });
      assert.equal(put.statusCode, 405);
      assert.equal(put.headers.allow, 'GET, POST');
      const del = await t.app.inject({ method: 'DELETE', url: `/api/services/${fx.a1.guid}` });
      assert.equal(del.statusCode, 405);
      assert.match(del.json().responseStatus.message, /Delete\(GetService\)/);
      const csv = await t.app.inject({ method: 'GET', url: '/api/resellers/x/y/z.csv' });
      assert.equal(csv.statusCode, 404);
      assert.match(csv.body, /^ErrorCode,FieldName,Message\r\nNotFound,,/);
      const list: Paged<Service> = (await get('/api/services?PageSize=1')).json();
      assert.equal(list.pageSize, 1);
    });
  });
}
