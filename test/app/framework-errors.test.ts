import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { responderFor } from '../../src/http/framework-errors.js';

describe('router errors answered by the face that owns the URL', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp('sqlite');
  });
  after(async () => t?.close());

  const ask = (method: 'GET' | 'POST', url: string, accept = 'application/json') => t.app.inject({ method, url, headers: { accept } });

  it('Rackspace v0/v1/v2: a fault with x-error-message, in the asked format', async () => {
    for (const url of ['/v1/customers/%ZZ', '/v0/customers/%E0%A4%A', '/customers/%', '/v1/customers/' + '1'.repeat(150)]) {
      const res = await ask('GET', url);
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().badRequestFault.code, 400, url);
      assert.ok(res.headers['x-error-message'], url);
    }
    const xml = await ask('GET', '/v1/customers/%ZZ', 'text/xml');
    assert.match(xml.body, /^<\?xml[^>]*>\s*<badRequestFault code="400">/);
    const v2 = await ask('GET', '/v2/customers/%ZZ/contacts');
    assert.equal(v2.json().badRequestFault.code, 400);
  });

  it('Mimecast: the envelope', async () => {
    const res = await ask('POST', '/api/account/%');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(Object.keys(res.json()), ['meta', 'data', 'fail']);
    assert.equal(res.json().fail[0].errors[0].code, 'err_request_malformed');
    assert.equal((await ask('POST', '/api/provisioning/get-%ZZ')).json().meta.status, 400);
  });

  it('CCC: a ResponseStatus', async () => {
    for (const url of ['/api/services/%E0%A4%A', '/api/ping.%ZZ', '/api/resellers/%', '/api/partners/%ZZ/resellers']) {
      const res = await ask('GET', url);
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().responseStatus.errorCode, 'SerializationException', url);
    }
  });

  it('elsewhere: the app default, never a 500', async () => {
    const res = await ask('GET', '/nowhere/%ZZ');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().statusCode, 400);
  });

  it('picks the longest prefix the URL lies under', () => {
    const a = () => 'a';
    const b = () => 'b';
    const list = [
      { prefix: '/api', respond: a },
      { prefix: '/api/account', respond: b },
    ];
    assert.equal(responderFor(list, '/api/account/x'), b);
    assert.equal(responderFor(list, '/api/account'), b);
    assert.equal(responderFor(list, '/api/accounts'), a);
    assert.equal(responderFor(list, '/api.json'), a);
    assert.equal(responderFor(list, '/apix'), undefined);
  });
});
