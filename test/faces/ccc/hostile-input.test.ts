/**
 * Throws odd paths, query values, headers and bodies at every CCC route and checks the face's promise:
 * never a 5xx, every error a ResponseStatus in the negotiated format, and nothing written to the store.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { parseDateTime } from '../../../src/faces/ccc/binding.js';

const TABLES = ['accounts', 'status_history', 'audit_log', 'counters', 'contacts', 'user_count_changes', 'credentials', 'principals', 'service_usage_daily'] as const;

/** Characters XML 1.0 cannot carry at all. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function assertCccError(res: LightMyRequestResponse, method: string, label: string) {
  assert.ok(res.statusCode < 500, `${label}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  // A HEAD answer has no body to check.
  if (res.statusCode < 400 || method === 'HEAD') return;
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    const rs = res.json().responseStatus;
    assert.equal(typeof rs?.errorCode, 'string', `${label}: ${res.body.slice(0, 300)}`);
    assert.equal(typeof rs.message, 'string', label);
    assert.ok(Array.isArray(rs.errors), label);
    assert.equal('stackTrace' in rs, false, label);
  } else if (type.startsWith('application/javascript')) {
    assert.match(res.body, /^[A-Za-z_$][\w$.]*\(\{"responseStatus":\{"errorCode":/, label);
  } else if (type.startsWith('application/xml')) {
    assert.equal(XML_FORBIDDEN.test(res.body), false, `${label}: XML carries a character XML cannot hold`);
    assert.equal(XMLValidator.validate(res.body), true, `${label}: ${res.body.slice(0, 300)}`);
    assert.match(res.body, /<ResponseStatus xmlns="http:\/\/schemas.servicestack.net\/types"><ErrorCode>[^<]+<\/ErrorCode>/, label);
  } else if (type.startsWith('text/csv')) {
    const rows = parseCsv(res.body, { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]), ['ErrorCode', 'FieldName', 'Message'], label);
  } else {
    assert.fail(`${label}: error answered as ${type}: ${res.body.slice(0, 200)}`);
  }
}

for (const kind of STORE_KINDS) {
  describe(`CCC face under hostile input on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let key: string;
    let routes: string[];

    const snapshot = async () => {
      const out: Record<string, unknown> = {};
      for (const table of TABLES) out[table] = await t.ctx.db.selectFrom(table).selectAll().execute();
      return out;
    };
    const send = async (opts: InjectOptions, label: string) => {
      const res = await t.app.inject(opts);
      assertCccError(res, opts.method ?? 'GET', label);
      return res;
    };
    const bearer = () => ({ authorization: `Bearer ${key}` });

    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
      key = fx.provisioning.ccc.apiKey;
      routes = [
        '/api/ping',
        '/api/services',
        '/api/services/status',
        '/api/services/usage',
        `/api/services/${fx.a1.guid}`,
        `/api/services/${fx.a1.guid}/serviceusage`,
        `/api/resellers/${fx.resellerA.guid}`,
        `/api/resellers/${fx.resellerA.guid}/services`,
        `/api/partners/${fx.partner.guid}/resellers`,
        '/api/public/services/single?ServiceCode=CUSA35A404',
      ];
    });
    after(async () => t?.close());

    it('answers odd paths on every route with a ResponseStatus, never a 5xx', async () => {
      const before = await snapshot();
      const g = fx.a1.guid;
      const odd = [
        '/api/services/status.json.xml',
        '/api/services/status.xml.json',
        '/api/services/status.csv.json',
        '/api/services.json.xml',
        '/api/services.txt',
        '/api/services/nope.json',
        '/api/services/status/',
        '/api/services/status.json/',
        '/api/services//status',
        '/api/services/STATUS',
        '/api/services/%73tatus',
        '/api/services/status%2Ejson',
        `/api/services/${g}.xml.json`,
        `/api/services/${g}.txt`,
        `/api/services/${g}%00`,
        `/api/services/{${g}`,
        `/api/services/(${g}}`,
        `/api/services/${g.slice(0, 31)}`,
        `/api/services/${g}0`,
        '/api/services/..%2F..%2Fetc%2Fpasswd',
        '/api/services/.json',
        `/api/services/${g}/serviceusage.xml.csv`,
        `/api/services/${g}/nope`,
        '/api/resellers',
        '/api/resellers/',
        `/api/resellers/${fx.resellerA.guid}.csv`,
        `/api/resellers/${fx.resellerA.guid}/services.json.json`,
        '/api/partners/x',
        `/api/partners/${fx.partner.guid}/resellers.xml`,
        '/api/ping.json.json',
        '/api/ping.xml.txt',
        '/api/ping/',
        '/api/ping/extra',
        '/api/public/',
        '/api/public/services/single.json.xml?ServiceCode=x',
        '/api/services/status?',
        '/api/services/status??&&==',
      ];
      for (const path of [...routes, ...odd]) {
        for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const) {
          await send({ method, url: path, headers: bearer() }, `${method} ${path}`);
        }
      }
      assert.deepEqual(await snapshot(), before);
    });

    it('answers odd query values on every route with a ResponseStatus, never a 5xx', async () => {
      const before = await snapshot();
      const g = fx.a1.guid;
      const values = [
        '',
        '%20',
        '%00',
        'a%00b',
        '%01',
        '%EF%BF%BE',
        '%25',
        '_',
        '%5C',
        "%27%3B--",
        'x'.repeat(5000),
        '99999999999999999999',
        '2147483647',
        '2147483648',
        '-1',
        '-2147483648',
        '1.5',
        '1e3',
        '0x10',
        '+1',
        '2026-13-45',
        '2026-02-29',
        '2026-03-01',
        '2026-03-01T10:00:00',
        '2026-03-01T10:00:00%2B05:00',
        '2026-03-01T24:00:00',
        '0001-01-01T00:00:00Z',
        '0001-01-01T00:00:00%2B14:00',
        '9999-12-31T23:59:59-14:00',
        '0000-01-01',
        '275760-09-13',
        '/Date(99999999999999999999)/',
        '/Date(8640000000000000)/',
        '/Date(-8640000000000000)/',
        '/Date(-62198755200000)/',
        '12/31/9999 23:59:59',
        g.slice(0, 31),
        `{${g}`,
        `{${g})`,
        'g'.repeat(32),
        'Daily',
        'monthly',
        'Yearly',
      ];
      const names = [
        'Page', 'PageSize', 'ServiceGuid', 'ResellerGuid', 'PartnerGuid', 'ChangedByUserGuid', 'ChangedByUserEmail',
        'ChangedAfterDateTime', 'ChangedBeforeDateTime', 'Domain', 'Name', 'Code', 'CreatedAfterDateTime',
        'CreatedBeforeDateTime', 'PeriodType', 'Period', 'ServiceCode', 'callback', 'format',
      ];
      const extras = [
        'Page=1&Page=2',
        'PageSize=500&Page=2147483647',
        'format=xml&format=csv',
        'callback=a&callback=b',
        'callback=alert(1)',
        `callback=${'a'.repeat(129)}`,
        'callback=%3Cscript%3E',
        'callback[]=x',
        'ServiceGuid[]=x',
        'ServiceGuid[a]=b',
        '__proto__=x',
        'constructor=x',
        'a[__proto__][x]=1',
        'format=xml&Page=%01',
        'format=csv&Page=x',
        'callback=cb&Page=x',
      ];
      for (const route of routes) {
        const sep = route.includes('?') ? '&' : '?';
        for (const name of names) {
          for (const value of values) await send({ method: 'GET', url: `${route}${sep}${name}=${value}`, headers: bearer() }, `GET ${route} ${name}=${value.slice(0, 40)}`);
        }
        for (const q of extras) await send({ method: 'GET', url: `${route}${sep}${q}`, headers: bearer() }, `GET ${route} ${q}`);
      }
      assert.deepEqual(await snapshot(), before);
    });

    it('answers odd Accept and Authorization headers on every route with a ResponseStatus', async () => {
      const before = await snapshot();
      const accepts = ['*/*', 'application/xml;q=0.1, application/json;q=0.9', 'text/csv', 'application/xml;q=abc', 'foo/bar', ';;;', ',,,', 'application/json;q=0', 'text/*', 'application/xml, */*;q=0', 'text/xml'];
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      const auths = [
        'Basic',
        'Basic ',
        'Basic !!!!',
        `Basic ${b64('nocolon')}`,
        `Basic ${b64(':')}`,
        `Basic ${b64('\u0000x:y')}`,
        `Basic ${b64(key + ':pw')}==garbage`,
        'Bearer',
        'Bearer   ',
        'Bearer a\u0001b',
        'Token x',
        '\u00ff',
        `Bearer ${'x'.repeat(10000)}`,
      ];
      for (const route of routes) {
        for (const accept of accepts) await send({ method: 'GET', url: route, headers: { ...bearer(), accept } }, `GET ${route} Accept: ${accept}`);
        for (const authorization of auths) {
          for (const suffix of ['', route.includes('?') ? '&format=xml' : '?format=xml', route.includes('?') ? '&callback=cb' : '?callback=cb']) {
            await send({ method: 'GET', url: route + suffix, headers: { authorization } }, `GET ${route}${suffix} Authorization: ${authorization.slice(0, 30)}`);
          }
        }
      }
      assert.deepEqual(await snapshot(), before);
    });

    it('refuses malformed CreateService bodies in every content type, writing nothing', async () => {
      const before = await snapshot();
      const r = fx.resellerA.guid;
      const json = (o: unknown) => ['application/json', JSON.stringify(o)] as const;
      const ok = { PrimaryDomain: 'hostile.example', ResellerGuid: r };
      const bodies: (readonly [string, string])[] = [
        ['application/json', '[]'],
        ['application/json', '[1,2]'],
        ['application/json', 'null'],
        ['application/json', '1'],
        ['application/json', '"x"'],
        ['application/json', '{'],
        ['application/json', 'x'.repeat(2_000_000)],
        ['application/json', '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}'],
        ['application/json', `{"__proto__":{"PrimaryDomain":"x.example"},"ResellerGuid":"${r}"}`],
        json({}),
        json({ PrimaryDomain: 5, ResellerGuid: r }),
        json({ PrimaryDomain: ['a.example'] }),
        json({ PrimaryDomain: { a: 1 }, ResellerGuid: r }),
        json({ ...ok, ResellerGuid: 5 }),
        json({ ...ok, ResellerGuid: 'f'.repeat(32) }),
        json({ ...ok, ResellerGuid: fx.a1.guid }),
        json({ ...ok, ResellerGuid: fx.partner.guid }),
        json({ ...ok, ResellerGuid: `{${r}` }),
        json({ ...ok, Contact: 'x' }),
        json({ ...ok, Contact: [1] }),
        json({ ...ok, Contact: { Name: { x: 1 }, Email: 'a@b.example', PhoneNumber: '1' } }),
        json({ ...ok, Contact: { Name: 'n', Email: 'not-an-email', PhoneNumber: '1' } }),
        json({ ...ok, Company: 5 }),
        json({ ...ok, Company: { Name: { deep: [1] } } }),
        json({ ...ok, TotalUserCount: 1.5 }),
        json({ ...ok, TotalUserCount: -1 }),
        json({ ...ok, TotalUserCount: 1e300 }),
        json({ ...ok, TotalUserCount: true }),
        json({ ...ok, ServiceName: 'x'.repeat(100_000) }),
        json({ ...ok, ReferenceId: 'x'.repeat(300) }),
        json({ ...ok, PrimaryDomain: `${'x'.repeat(51)}.com` }),
        json({ ...ok, PrimaryDomain: 'a\u0000.example' }),
        json({ ...ok, ServiceName: 'a\u0000b' }),
        json({ ...ok, ReferenceId: 'r\u0000' }),
        json({ ...ok, Contact: { Name: 'a\u0000', Email: 'a@b.example', PhoneNumber: '1' } }),
        json({ ...ok, Company: { City: 'x\u0000', Website: 'w\u0000' } }),
        json({ ...ok, ServiceName: 'x'.repeat(300) }),
        ['application/x-www-form-urlencoded', `PrimaryDomain=a.example&ResellerGuid=${r}&Contact={Name:x`],
        ['application/x-www-form-urlencoded', `PrimaryDomain=a.example&ResellerGuid=${r}&Contact={Name:"x,Email:y}`],
        ['application/x-www-form-urlencoded', `PrimaryDomain=a.example&ResellerGuid=${r}&Company={:}`],
        ['application/x-www-form-urlencoded', `PrimaryDomain[]=a.example&ResellerGuid=${r}`],
        ['application/x-www-form-urlencoded', `PrimaryDomain=a%00.example&ResellerGuid=${r}`],
        ['application/x-www-form-urlencoded', '%%%'],
        ['application/x-www-form-urlencoded', ''],
        ['application/xml', `<CreateService><PrimaryDomain>a.example</PrimaryDomain><ResellerGuid>${r}</ResellerGuid><Contact>x</Contact></CreateService>`],
        ['application/xml', '<x'],
        ['application/xml', ''],
        ['application/xml', '<a/><b/>'],
        ['application/xml', '<CreateService><PrimaryDomain><a>1</a></PrimaryDomain></CreateService>'],
        ['application/xml', '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><CreateService><PrimaryDomain>&b;</PrimaryDomain></CreateService>'],
        ['text/plain', 'hello'],
        ['application/octet-stream', 'x'],
        ['application/json; charset=utf-16', '{}'],
        ['multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
      ];
      for (const [type, payload] of bodies) {
        for (const path of ['/api/services', '/api/services.xml', '/api/services.csv', '/api/services?callback=cb']) {
          const res = await send({ method: 'POST', url: path, headers: { ...bearer(), 'content-type': type }, payload }, `POST ${path} ${type} ${payload.slice(0, 80)}`);
          assert.ok(res.statusCode >= 400, `POST ${path} ${type} ${payload.slice(0, 80)} was accepted: ${res.body.slice(0, 200)}`);
        }
      }
      assert.deepEqual(await snapshot(), before);
    });

    it('takes the dates .NET can hold, 0001-01-01 to 9999-12-31, and nothing beyond', async () => {
      // DateTime.MinValue is what an unset .NET DateTime serializes as; years below 100 are real years.
      assert.equal(parseDateTime('0001-01-01T00:00:00Z')?.toISOString(), '0001-01-01T00:00:00.000Z');
      assert.equal(parseDateTime('0050-06-15')?.toISOString(), '0050-06-15T00:00:00.000Z');
      assert.equal(parseDateTime('01/02/0099')?.toISOString(), '0099-01-02T00:00:00.000Z');
      assert.equal(parseDateTime('9999-12-31T23:59:59.9999999Z')?.toISOString(), '9999-12-31T23:59:59.999Z');
      for (const s of ['0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00', '/Date(8640000000000000)/', '/Date(-62135596800001)/', '0000-12-31']) {
        assert.equal(parseDateTime(s), null, s);
      }
      const min = await t.app.inject({ method: 'GET', url: '/api/services/status?ChangedAfterDateTime=0001-01-01T00:00:00Z', headers: bearer() });
      assert.equal(min.statusCode, 200, min.body);
      assert.equal(min.json().totalItems, 3);
      const monthOne = await t.app.inject({ method: 'GET', url: `/api/services/${fx.a1.guid}/serviceusage?PeriodType=Monthly&Period=0001-01-15`, headers: bearer() });
      assert.equal(monthOne.statusCode, 200, monthOne.body);
      assert.equal(monthOne.json().period, '0001-01-01T00:00:00Z');
      const far = await t.app.inject({ method: 'GET', url: `/api/services/${fx.a1.guid}/serviceusage?PeriodType=Monthly&Period=/Date(8640000000000000)/`, headers: bearer() });
      assert.equal(far.statusCode, 400, far.body);
      assert.equal(far.json().responseStatus.message, "'/Date(8640000000000000)/' is an Invalid value for 'Period'");
    });

    it('refuses text holding U+0000 as a value that does not convert', async () => {
      for (const [url, prop] of [
        ['/api/services?Code=%00', 'Code'],
        ['/api/services?Domain=a%00', 'Domain'],
        ['/api/services/status?ChangedByUserEmail=a%00b', 'ChangedByUserEmail'],
        ['/api/public/services/single?ServiceCode=a%00', 'ServiceCode'],
      ] as const) {
        const res = await t.app.inject({ method: 'GET', url, headers: bearer() });
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.equal(res.json().responseStatus.errorCode, 'SerializationException');
        assert.deepEqual(res.json().responseStatus.errors.map((e: { fieldName: string }) => e.fieldName), [prop]);
      }
      const body = await t.app.inject({ method: 'POST', url: '/api/services', headers: bearer(), payload: { PrimaryDomain: 'nul.example', ResellerGuid: fx.resellerA.guid, Contact: { Name: 'a\u0000', Email: 'a@b.example', PhoneNumber: '1' } } });
      assert.equal(body.statusCode, 400, body.body);
      assert.deepEqual(body.json().responseStatus.errors.map((e: { fieldName: string }) => e.fieldName), ['Name']);
    });

    it('words a refused TotalUserCount with the property\'s display name, not the domain\'s field name', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/services', headers: bearer(), payload: { PrimaryDomain: 'count.example', ResellerGuid: fx.resellerA.guid, TotalUserCount: -1 } });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json().responseStatus.errors, [
        { errorCode: 'Predicate', fieldName: 'TotalUserCount', message: "'Total User Count' must be a whole number from 0 to 10000000", meta: { PropertyName: 'TotalUserCount' } },
      ]);
    });

    it('writes XML that XML can hold, whatever the client sent', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/services/status.xml?Page=%01%EF%BF%BE', headers: bearer() });
      assert.equal(res.statusCode, 400);
      assert.equal(XML_FORBIDDEN.test(res.body), false);
      assert.match(res.body, /<Message>&apos;\uFFFD\uFFFD&apos; is an Invalid value for &apos;Page&apos;<\/Message>/);
    });
  });
}
