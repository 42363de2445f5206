import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { mimecastHeaders } from '../../src/client/mimecast.js';

/** Paths match without regard to case, as ServiceStack routes do; signatures still cover the path exactly as sent. */
describe('routing', () => {
  let t: TestApp;
  let fx: Fixture;
  before(async () => {
    t = await makeTestApp('sqlite');
    fx = await buildFixture(t.ctx);
  });
  after(async () => t?.close());

  it('serves CCC routes in any letter case', async () => {
    const res = await t.app.inject({ url: `/API/Services/${fx.a1.guid.toUpperCase()}.JSON`, headers: { authorization: `Bearer ${fx.reader.ccc.apiKey}` } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().serviceGuid, fx.a1.guid);
  });

  it('serves a Mimecast path in another case only when that is the path signed', async () => {
    const path = '/API/ACCOUNT/GET-ACCOUNT';
    const signed = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { ...mimecastHeaders(fx.reader.mimecast, path, { now: () => t.clock.now() }), 'content-type': 'application/json' },
      payload: '{"data":[]}',
    });
    assert.equal(signed.statusCode, 200, signed.body);
    assert.equal(signed.json().data[0].accountCode, fx.partner.accountCode);
    const other = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { ...mimecastHeaders(fx.reader.mimecast, '/api/account/get-account', { now: () => t.clock.now() }), 'content-type': 'application/json' },
      payload: '{"data":[]}',
    });
    assert.equal(other.statusCode, 401);
  });
});
