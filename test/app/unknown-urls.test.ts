import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { mimecastHeaders } from '../../src/client/mimecast.js';
import { signRackspaceRequest, rackspaceTimestamp } from '../../src/client/rackspace.js';
import { namesMimecast } from '../../src/faces/mimecast/index.js';
import { ownerOfUrl, type UnknownUrlOwner } from '../../src/http/framework-errors.js';

/**
 * Issue 15, part 4: every answer in a face's shape, also for URLs no route has. /api is shared by Mimecast
 * (/api/account, /api/provisioning) and CCC (/api/services …): the request names its face. Rackspace-looking
 * paths (/v0 … /v9, /customers) get Rackspace's fault. A `;` is part of the path, as on the vendors' servers,
 * so it makes an unknown URL, answered in the face's shape (docs/rackspace.md, docs/ccc.md).
 */
describe('unknown URLs answered in the face they belong to', () => {
  let t: TestApp;
  let fx: Fixture;
  before(async () => {
    t = await makeTestApp('sqlite');
    fx = await buildFixture(t.ctx);
  });
  after(async () => t?.close());

  const assertMimecast404 = (res: { statusCode: number; json(): any }, path: string) => {
    assert.equal(res.statusCode, 404, path);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['meta', 'data', 'fail'], path);
    assert.equal(body.meta.status, 404);
    assert.equal(body.fail[0].errors[0].code, 'err_resource_not_found', path);
  };
  const assertCcc404 = (res: { statusCode: number; json(): any; body: string }, label: string) => {
    assert.equal(res.statusCode, 404, label);
    assert.equal(res.json().responseStatus.errorCode, 'NotFound', `${label}: ${res.body}`);
  };
  // One segment under /api is a ServiceStack pre-defined route (/api/{OperationName}): an unknown operation
  // is answered as ServiceStack answers it, 405 NotImplementedException (see docs/ccc.md).
  const assertCccUnknownOperation = (res: { statusCode: number; json(): any; body: string }, label: string) => {
    assert.equal(res.statusCode, 405, label);
    assert.equal(res.json().responseStatus.errorCode, 'NotImplementedException', `${label}: ${res.body}`);
  };
  const assertRackspace404 = (res: { statusCode: number; headers: Record<string, unknown>; json(): any }, label: string) => {
    assert.equal(res.statusCode, 404, label);
    assert.equal(res.headers['x-error-message'], 'Make sure the URL is correct.', label);
    assert.equal(res.json().itemNotFoundFault.code, 404, label);
  };

  it('a Mimecast client (MC signature) on an unknown /api path gets the envelope', async () => {
    const path = '/api/user/get-profile';
    const headers = { ...mimecastHeaders(fx.reader.mimecast, path, { now: () => t.clock.now() }), 'content-type': 'application/json' };
    assertMimecast404(await t.app.inject({ method: 'POST', url: path, headers, payload: '{"data":[]}' }), path);
  });

  it('a bearer token with x-mc-* headers (API 2.0), or a POST with x-mc-app-id or x-mc-date, is Mimecast too', async () => {
    const path = '/api/user/get-profile';
    const bearer = { authorization: 'Bearer abc', 'x-mc-req-id': 'e5b5c6a0-0000-4000-8000-000000000000', 'content-type': 'application/json' };
    assertMimecast404(await t.app.inject({ method: 'POST', url: path, headers: bearer, payload: '{"data":[]}' }), 'bearer');
    assertMimecast404(await t.app.inject({ method: 'POST', url: path, headers: { 'x-mc-app-id': 'x' }, payload: '' }), 'app id');
    assertMimecast404(await t.app.inject({ method: 'POST', url: '/api/nothing', headers: { 'x-mc-date': 'Tue, 24 Nov 2015 12:50:11 UTC' } }), 'date');
  });

  it('anything else under /api is CCC: a ServiceStack 404', async () => {
    assertCccUnknownOperation(await t.app.inject({ url: '/api/nothing' }), 'GET');
    assertCcc404(await t.app.inject({ url: '/api/nothing/deeper' }), 'GET, two segments');
    assertCcc404(await t.app.inject({ method: 'POST', url: '/api/user/get-profile', headers: { 'content-type': 'application/json' }, payload: '{}' }), 'POST without x-mc');
    assertCccUnknownOperation(await t.app.inject({ url: '/api/nothing', headers: { authorization: `Bearer ${fx.reader.ccc.apiKey}` } }), 'CCC bearer');
    assertCcc404(await t.app.inject({ url: '/api' }), 'bare /api');
  });

  it('a `;` in a CCC path is part of the path: 404 in ServiceStack shape', async () => {
    assertCccUnknownOperation(await t.app.inject({ url: '/api/services;x', headers: { authorization: `Bearer ${fx.reader.ccc.apiKey}` } }), '/api/services;x');
    assertCccUnknownOperation(await t.app.inject({ url: '/api/ping;jsessionid=1' }), '/api/ping;…');
  });

  it('a `;` in a Mimecast path is an unknown endpoint in the envelope', async () => {
    const path = '/api/account/get-account;x';
    const headers = { ...mimecastHeaders(fx.reader.mimecast, path, { now: () => t.clock.now() }), 'content-type': 'application/json' };
    assertMimecast404(await t.app.inject({ method: 'POST', url: path, headers, payload: '{"data":[]}' }), path);
  });

  it('a Rackspace client on an unknown version or path gets the fault with x-error-message, JSON or XML', async () => {
    const accept = { accept: 'application/json' };
    assertRackspace404(await t.app.inject({ url: '/v3/customers/me/admins/', headers: accept }), '/v3');
    assertRackspace404(await t.app.inject({ url: '/customers;', headers: accept }), '/customers;');
    assertRackspace404(await t.app.inject({ url: '/v9', headers: accept }), '/v9');
    const xml = await t.app.inject({ url: '/v3/customers', headers: { accept: 'text/xml' } });
    assert.equal(xml.statusCode, 404);
    assert.match(xml.body, /<itemNotFoundFault code="404">/);
  });

  it('a `;` in a served Rackspace version is a 404 fault once the caller is known (as every unknown /v1 URL)', async () => {
    const userAgent = 'partnerhub-test';
    const signature = signRackspaceRequest({ ...fx.reader.rackspace, userAgent, timestamp: rackspaceTimestamp(t.clock.now()) });
    const headers = { 'x-api-signature': signature, 'user-agent': userAgent, accept: 'application/json' };
    assertRackspace404(await t.app.inject({ url: '/v1/customers;', headers }), '/v1/customers;');
    const anonymous = await t.app.inject({ url: '/v1/customers;', headers: { accept: 'application/json' } });
    assert.equal(anonymous.statusCode, 403);
    assert.ok(anonymous.headers['x-error-message']);
  });

  it("router errors on shared or unserved prefixes go to the request's face", async () => {
    const mc = await t.app.inject({ method: 'POST', url: '/api/%ZZ', headers: { 'x-mc-app-id': 'x' } });
    assert.equal(mc.statusCode, 400);
    assert.equal(mc.json().fail[0].errors[0].code, 'err_request_malformed');
    const ccc = await t.app.inject({ url: '/api/%ZZ' });
    assert.equal(ccc.statusCode, 400);
    assert.ok(ccc.json().responseStatus, ccc.body);
    const rs = await t.app.inject({ url: '/v3/%ZZ', headers: { accept: 'application/json' } });
    assert.equal(rs.statusCode, 400);
    assert.equal(rs.json().badRequestFault.code, 400);
    assert.ok(rs.headers['x-error-message']);
  });

  it('URLs no face looks like keep the app default', async () => {
    const res = await t.app.inject({ url: '/nowhere' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().statusCode, 404);
    assert.equal((await t.app.inject({ url: '/apix' })).json().statusCode, 404);
    assert.equal((await t.app.inject({ url: '/v1x' })).json().statusCode, 404);
  });

  it('names Mimecast by its headers and method', () => {
    assert.equal(namesMimecast('POST', { authorization: 'MC key:sig' }), true);
    assert.equal(namesMimecast('GET', { authorization: 'mc key:sig' }), true);
    assert.equal(namesMimecast('GET', { authorization: 'Bearer t', 'x-mc-req-id': '1' }), true);
    assert.equal(namesMimecast('GET', { authorization: 'Bearer t' }), false);
    assert.equal(namesMimecast('POST', { 'x-mc-date': 'd' }), true);
    assert.equal(namesMimecast('GET', { 'x-mc-date': 'd' }), false);
    assert.equal(namesMimecast('POST', {}), false);
  });

  it('picks the claiming face first, then the default, and nothing without a match', () => {
    const owner = (face: string, claims?: UnknownUrlOwner['claims']): UnknownUrlOwner => ({
      face,
      match: /^\/api(?=[/.;]|$)/,
      claims,
      notFound: () => face,
      respond: () => face,
    });
    const owners = [owner('a', (m) => m === 'POST'), owner('b')];
    assert.equal(ownerOfUrl(owners, '/api/x', 'POST', {})?.face, 'a');
    assert.equal(ownerOfUrl(owners, '/api/x?y', 'GET', {})?.face, 'b');
    assert.equal(ownerOfUrl(owners, '/api;x')?.face, 'b');
    assert.equal(ownerOfUrl(owners, '/apix', 'POST', {}), undefined);
  });
});
