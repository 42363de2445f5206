/**
 * ServiceStack's host conventions on the CCC face: every operation at its pre-defined routes
 * (/api/{Name}, /json|xml|csv/reply/{Name} and their /api/ forms) with the same authentication, formats
 * and errors; unknown operations; and the self-description (/metadata, /json/metadata?op=, /types/*).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestApp } from '../../helpers/context.js';
import type { Fixture } from '../../helpers/fixture.js';
import { servicesWorld } from './worlds.js';
import { cccOperations } from '../../../src/faces/ccc/index.js';
import { PREDEFINED_FORMS } from '../../../src/faces/ccc/routes/predefined.js';

describe('CCC pre-defined routes and metadata on sqlite', () => {
  let t: TestApp;
  let fx: Fixture;
  const world = servicesWorld('sqlite');
  before(() => void ({ t, fx } = world));
  const send = (method: string, url: string, opts: { payload?: string; headers?: Record<string, string>; key?: string | null } = {}) =>
    t.app.inject({
      method: method as 'GET',
      url,
      payload: opts.payload,
      headers: { ...(opts.key === null ? {} : { authorization: `Bearer ${opts.key ?? fx.resellerAdminA.ccc.apiKey}` }), ...opts.headers },
    });

  it('answers every operation at every pre-defined form, as its custom route answers it', async () => {
    const custom: Record<string, string> = {
      SearchServices: '/api/services',
      GetService: `/api/services/${fx.a1.guid}`,
      SearchServiceStatusChanges: '/api/services/status',
      SearchServiceUsage: '/api/services/usage',
      GetServiceUsage: `/api/services/${fx.a1.guid}/serviceusage`,
      GetReseller: `/api/resellers/${fx.resellerA.guid}`,
      GetResellerServices: `/api/resellers/${fx.resellerA.guid}/services`,
      GetPartnerResellers: `/api/partners/${fx.partner.guid}/resellers`,
      Ping: '/api/ping',
      GetPublicService: `/api/public/services/single?ServiceCode=${fx.a1.accountCode}`,
    };
    const dto: Record<string, string> = {
      GetService: `ServiceGuid=${fx.a1.guid}`,
      GetServiceUsage: `serviceGuid=${fx.a1.guid}`,
      GetReseller: `resellerGuid=${fx.resellerA.guid}`,
      GetResellerServices: `ResellerGuid=${fx.resellerA.guid}`,
      GetPartnerResellers: `PartnerGuid=${fx.partner.guid}`,
      GetPublicService: `serviceCode=${fx.a1.accountCode}`,
    };
    const key = fx.provisioning.ccc.apiKey;
    const reads = cccOperations.filter((op) => op.verbs.includes('GET'));
    assert.deepEqual(reads.map((op) => op.name).sort(), Object.keys(custom).sort(), 'a case for every read operation');
    for (const op of reads) {
      const expected = await send('GET', custom[op.name], { key });
      assert.equal(expected.statusCode, 200, `${op.name}: ${expected.body}`);
      for (const form of PREDEFINED_FORMS) {
        if (`${form}/${op.name}`.toLowerCase() === op.path.toLowerCase()) continue;
        const res = await send('GET', `${form}/${op.name}?${dto[op.name] ?? ''}`, { key });
        assert.equal(res.statusCode, 200, `${form}/${op.name}: ${res.body}`);
        const format = /(json|xml|csv)\/reply/.exec(form)?.[1] ?? 'json';
        assert.match(String(res.headers['content-type']), new RegExp(format === 'json' ? 'application/json' : format === 'xml' ? 'application/xml' : 'text/csv'), form);
        if (format === 'json') assert.deepEqual(res.json(), expected.json(), `${form}/${op.name}`);
        else assert.equal(res.body, (await send('GET', `${custom[op.name].split('?')[0]}.${format}${custom[op.name].includes('?') ? '?' + custom[op.name].split('?')[1] : ''}`, { key })).body, `${form}/${op.name}`);
      }
    }
  });

  it('takes the request DTO from a JSON body under any verb of a read, even sent as text/plain (JsonApiClient)', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await send(method, '/api/GetService', { payload: JSON.stringify({ serviceGuid: fx.a1.guid }), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
      assert.equal(res.statusCode, 200, `${method}: ${res.body}`);
      assert.equal(res.json().serviceGuid, fx.a1.guid);
    }
    // The body wins over the query string; a form and an XML body bind too.
    const both = await send('POST', `/api/GetService?ServiceGuid=${fx.b1.guid}`, { payload: JSON.stringify({ ServiceGuid: fx.a2.guid }), headers: { 'content-type': 'application/json' } });
    assert.equal(both.json().serviceGuid, fx.a2.guid);
    const form = await send('POST', '/json/reply/SearchServices', { payload: 'Name=customer%2039&PageSize=5', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.deepEqual(form.json().results.map((s: { serviceGuid: string }) => s.serviceGuid), [fx.a2.guid]);
    const xml = await send('POST', '/xml/reply/GetService', { payload: `<GetService><ServiceGuid>${fx.a1.guid}</ServiceGuid></GetService>`, headers: { 'content-type': 'application/xml' } });
    assert.equal(xml.statusCode, 200, xml.body);
    assert.match(xml.body, new RegExp(`^<\\?xml[^>]*\\?><Service [^>]*>.*<ServiceGuid>${fx.a1.guid}</ServiceGuid>`));
    const broken = await send('POST', '/api/GetService', { payload: '{"serviceGuid":', headers: { 'content-type': 'text/plain' } });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().responseStatus.errorCode, 'SerializationException');
  });

  it('creates a service at /api/CreateService by POST only; other verbs are 405 naming the operation', async () => {
    const body = JSON.stringify({ primaryDomain: 'predefined.example', resellerGuid: fx.resellerA.guid, contact: { name: 'Pat', email: 'pat@predefined.example', phoneNumber: '1' } });
    const made = await send('POST', '/api/CreateService', { payload: body, headers: { 'content-type': 'application/json' } });
    assert.equal(made.statusCode, 200, made.body);
    assert.deepEqual([made.json().primaryDomain, made.json().resellerGuid, made.json().contact.email], ['predefined.example', fx.resellerA.guid, 'pat@predefined.example']);
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await send(method, `/json/reply/CreateService?PrimaryDomain=get.example&ResellerGuid=${fx.resellerA.guid}`);
      assert.equal(res.statusCode, 405, method);
      const m = method.charAt(0) + method.slice(1).toLowerCase();
      assert.deepEqual(res.json(), { responseStatus: { errorCode: 'NotImplementedException', message: `Could not find method named ${m}(CreateService) or Any(CreateService) on Service CccService`, errors: [] } });
      assert.equal(res.headers.allow, 'POST');
    }
    const invalid = await send('POST', '/api/CreateService', { payload: JSON.stringify({ resellerGuid: fx.resellerA.guid }), headers: { 'content-type': 'application/json' } });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().responseStatus.message, "'Primary Domain' must not be empty.");
    const forbidden = await send('POST', '/api/CreateService', { payload: body, headers: { 'content-type': 'application/json' }, key: fx.reader.ccc.apiKey });
    assert.deepEqual(forbidden.json(), { responseStatus: { errorCode: 'Forbidden', message: 'Invalid Role', errors: [] } });
  });

  it('authenticates as the custom routes do, and answers errors in ResponseStatus in the route\'s format', async () => {
    const none = await send('GET', '/api/SearchServiceStatusChanges', { key: null });
    assert.equal(none.statusCode, 401);
    assert.deepEqual(none.json(), { responseStatus: { errorCode: 'Unauthorized', message: 'Not Authenticated', errors: [] } });
    const basic = await send('GET', '/api/SearchServices', { key: null, headers: { authorization: `Basic ${Buffer.from(`${fx.reader.ccc.apiKey}:`).toString('base64')}` } });
    assert.equal(basic.statusCode, 200);
    assert.equal((await send('GET', '/api/Ping', { key: null })).json().result, 'Pong');
    assert.equal((await send('GET', `/json/reply/GetPublicService?ServiceCode=${fx.a1.accountCode}`, { key: null })).statusCode, 200);
    const xml = await send('GET', '/xml/reply/SearchServices?Page=-1', { headers: { accept: 'application/json' } });
    assert.equal(xml.statusCode, 400);
    assert.match(xml.body, /^<\?xml[^>]*\?><ServicesResponse [^>]*><ResponseStatus xmlns="http:\/\/schemas.servicestack.net\/types"><ErrorCode>GreaterThanOrEqual<\/ErrorCode>/);
    const csv = await send('GET', `/csv/reply/GetService?ServiceGuid=${fx.b1.guid}`);
    assert.equal(csv.statusCode, 404);
    assert.equal(csv.body, 'ErrorCode,FieldName,Message\r\nNotFound,,Service not found\r\n');
    const asked = await send('GET', '/xml/reply/Ping?format=json');
    assert.equal(asked.json().result, 'Pong');
    const jsonp = await send('GET', '/api/Ping?callback=cb');
    assert.match(jsonp.body, /^cb\(\{"result":"Pong"/);
  });

  it('answers an unknown operation as ServiceStack does: 405 NotImplementedException, before any authentication', async () => {
    for (const form of PREDEFINED_FORMS) {
      for (const method of ['GET', 'POST']) {
        const res = await send(method, `${form}/GetProfile`, { key: null });
        assert.equal(res.statusCode, 405, `${method} ${form}`);
        const message = "The operation 'GetProfile' does not exist for this service";
        // In the format the route names.
        if (form.includes('xml')) assert.match(res.body, new RegExp(`<ErrorCode>NotImplementedException</ErrorCode><Errors/?>(</Errors>)?<Message>${message.replace(/'/g, '&apos;')}</Message>`), res.body);
        else if (form.includes('csv')) assert.equal(res.body, `ErrorCode,FieldName,Message\r\nNotImplementedException,,${message}\r\n`);
        else assert.deepEqual(res.json(), { responseStatus: { errorCode: 'NotImplementedException', message, errors: [] } });
      }
    }
    const options = await send('OPTIONS', '/api/SearchServices');
    assert.deepEqual([options.statusCode, options.json().responseStatus.message], [405, 'Could not find method named Options(SearchServices) or Any(SearchServices) on Service CccService']);
    // Deeper unknown paths under a CCC prefix stay the custom routes' 404, and a prefix is not an operation.
    assert.equal((await send('GET', '/api/services/nope/extra')).statusCode, 404);
    assert.equal((await send('GET', '/api/public', { key: null })).json().responseStatus.message, 'Handler for Request not found: GET /api/public');
    const mimecast = await send('POST', '/api/account', { key: null, payload: '{"data":[]}', headers: { 'content-type': 'application/json' } });
    assert.equal(mimecast.json().fail[0].errors[0].code, 'err_resource_not_found');
  });

  it('declares each operation once, and its pre-defined routes as aliases of it', () => {
    const mine = t.app.faceRoutes.filter((r) => r.face === 'ccc');
    const operations = new Set(mine.filter((r) => !r.aliasOf && !r.hidden).map((r) => r.operationId));
    assert.deepEqual([...operations].sort(), cccOperations.map((op) => op.name).sort());
    const aliases = mine.filter((r) => r.aliasOf);
    assert.deepEqual([...new Set(aliases.map((r) => r.aliasOf))].sort(), [...operations].sort());
    for (const r of aliases) assert.equal(r.operationId, `${r.aliasOf}_predefined`);
    assert.ok(aliases.some((r) => r.url === '/api/SearchServiceStatusChanges' && r.method === 'GET' && r.auth));
    assert.deepEqual(mine.filter((r) => r.hidden).map((r) => r.url).sort(), ['/json/metadata', '/metadata', '/types/csharp', '/types/metadata', '/types/typescript']);
  });
});

describe('CCC metadata on sqlite', () => {
  let t: TestApp;
  const world = servicesWorld('sqlite');
  before(() => void ({ t } = world));
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { host: 'ccc.test:8080' } });

  it('serves MetadataTypes: every operation with its request, response, verbs and routes', async () => {
    const res = await get('/types/metadata');
    assert.equal(res.statusCode, 200);
    const meta = res.json();
    assert.equal(meta.config.baseUrl, 'http://ccc.test:8080');
    assert.deepEqual(meta.operations.map((o: { request: { name: string } }) => o.request.name), cccOperations.map((op) => op.name));
    const status = meta.operations.find((o: { request: { name: string } }) => o.request.name === 'SearchServiceStatusChanges');
    assert.deepEqual(status.routes, [{ path: '/api/services/status', verbs: 'GET', summary: 'Searches the status history of services' }]);
    assert.equal(status.method, 'GET');
    assert.equal(status.response.name, 'ServiceStatusChangesResponse');
    assert.deepEqual(status.response.inherits, { name: 'BaseResponse', namespace: 'DeliverySlip.Ccc.ServiceModel' });
    // Seed 004's parameters, names and types.
    const props = status.request.properties.map((p: { name: string; type: string; genericArgs?: string[]; paramType: string }) => `${p.name}:${p.type === 'Nullable`1' ? p.genericArgs![0] : p.type}:${p.paramType}`);
    assert.deepEqual(props, [
      'ServiceGuid:Guid:query', 'ResellerGuid:Guid:query', 'PartnerGuid:Guid:query', 'ChangedByUserGuid:Guid:query', 'ChangedByUserEmail:String:query',
      'ChangedAfterDateTime:DateTime:query', 'ChangedBeforeDateTime:DateTime:query', 'Page:Int32:query', 'PageSize:Int32:query',
    ]);
    const results = status.response.properties.find((p: { name: string }) => p.name === 'Results');
    assert.deepEqual([results.type, results.genericArgs], ['List`1', ['ServiceStatusChange']]);
    const change = meta.types.find((t: { name: string }) => t.name === 'ServiceStatusChange');
    assert.deepEqual(change.properties.find((p: { name: string }) => p.name === 'Status'), { name: 'Status', type: 'ServiceStatus', namespace: 'DeliverySlip.Ccc.ServiceModel', isValueType: true, isEnum: true, allowableValues: ['Blocked', 'AccountCancelled', 'AccountSuspended', 'Provisioning', 'TrialExpired', 'TrialActive', 'DemoAccount', 'CertifiedSecure'] });
    const create = meta.operations.find((o: { request: { name: string } }) => o.request.name === 'CreateService');
    assert.deepEqual(create.request.properties.filter((p: { isRequired?: boolean }) => p.isRequired).map((p: { name: string }) => p.name), ['PrimaryDomain', 'ResellerGuid']);
  });

  it('serves the operation page like seed 004, and the list of operations', async () => {
    const page = await get('/json/metadata?op=SearchServiceStatusChanges');
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    const text = page.body.replace(/<[^>]+>/g, '');
    for (const line of ['CCC API v8.4.0.0', 'SearchServiceStatusChanges Parameters:', 'ServiceGuidqueryGuidNo', 'ChangedAfterDateTimequeryDateTimeNo', 'PagequeryIntegerNo', 'ServiceStatusChangesResponse Parameters:', 'ResultsbodyServiceStatusChange[]No', 'BaseResponse Parameters:', 'ServiceUsage Parameters:', 'Allowable Values', 'PeriodTypebodyPeriodTypeNo', 'ContactInfo Parameters:', 'GET/api/services/status']) {
      assert.ok(text.includes(line), line);
    }
    assert.ok(page.body.includes('&quot;serviceGuid&quot;: &quot;00000000000000000000000000000000&quot;'), 'the sample JSON');
    assert.ok(page.body.includes('&quot;createdOn&quot;: &quot;0001-01-01T00:00:00Z&quot;'));
    assert.equal((await get('/json/metadata?op=NoSuchOperation')).statusCode, 404);
    // A POST shows the request body it takes.
    const create = (await get('/json/metadata?op=CreateService')).body;
    assert.ok(create.includes('POST /api/services HTTP/1.1'));
    assert.ok(create.includes('&quot;primaryDomain&quot;: &quot;String&quot;'));
    assert.ok(create.includes('&quot;contact&quot;: {\n    &quot;name&quot;: &quot;String&quot;'));
    const index = await get('/metadata');
    for (const op of cccOperations) assert.ok(index.body.includes(`json/metadata?op=${op.name}`), op.name);
  });

  it('writes the C# DTOs with routes, return markers and .NET types, and honours IncludeTypes', async () => {
    const cs = (await get('/types/csharp')).body;
    assert.match(cs, /^\/\* Options:\nDate: .*\nVersion: .*\nTip: .*\nBaseUrl: http:\/\/ccc\.test:8080\n/);
    assert.ok(cs.includes('namespace DeliverySlip.Ccc.ServiceModel\n{'));
    assert.ok(cs.includes('    [Route("/api/services/status", "GET")]\n    [Api(Description="Searches the status history of services")]\n    public partial class SearchServiceStatusChanges\n        : IReturn<ServiceStatusChangesResponse>, IGet\n    {\n        public virtual Guid? ServiceGuid { get; set; }'));
    assert.ok(cs.includes('public partial class ServiceStatusChangesResponse\n        : BaseResponse'));
    assert.ok(cs.includes('public virtual List<ServiceStatusChange> Results { get; set; }'));
    assert.ok(cs.includes('public virtual Dictionary<string, string> Branding { get; set; }'));
    assert.ok(cs.includes('[Required]\n        public virtual string PrimaryDomain { get; set; }'));
    assert.doesNotMatch(cs, /class ResponseStatus/);
    const only = (await get('/types/csharp?IncludeTypes=Ping,PingResponse')).body;
    assert.ok(only.includes('\nIncludeTypes: Ping,PingResponse\n'));
    assert.deepEqual([...only.matchAll(/public partial class (\w+)/g)].map((m) => m[1]), ['PingResponse', 'Ping']);
  });
});
