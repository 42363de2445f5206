import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { findAccountUnscoped, listAccounts } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { queryAudit } from '../../../src/domain/audit.js';
import { signRackspaceRequest } from '../../../src/client/rackspace.js';
import { call, seedReseller, xmlTree } from './helpers.js';

/** What the face's codec does for every route: bodies in every format the clients send, and Rackspace-shaped answers to unknown URLs. */
for (const kind of STORE_KINDS) {
  describe(`Rackspace codec: request bodies and unknown URLs on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0, bodyLimit: 4096 });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    const send = (method: 'POST' | 'PUT', url: string, contentType: string | undefined, payload: string, accept = 'application/json', extra: Record<string, string> = {}) =>
      t.app.inject({
        method,
        url,
        headers: {
          'user-agent': 'body-tests',
          'x-api-signature': signRackspaceRequest({ ...fx.resellerAdminA.rackspace, userAgent: 'body-tests', at: t.clock.now() }),
          accept,
          ...(contentType ? { 'content-type': contentType } : {}),
          ...extra,
        },
        payload,
      });

    const snapshot = async () => ({
      children: (await listAccounts(t.ctx, systemActor(), { childrenOf: fx.resellerA.guid, limit: 500, offset: 0 })).total,
      a1: await findAccountUnscoped(t.ctx, { guid: fx.a1.guid }),
      audit: (await queryAudit(t.ctx, {})).length,
    });

    const bad: [string, string | undefined, string, number, string][] = [
      ['truncated JSON', 'application/json', '{"name":', 400, 'Malformed JSON body'],
      ['JSON with a trailing comma', 'application/json', '{"name":"A",}', 400, 'Malformed JSON body'],
      ['a JSON list', 'application/json', '["name"]', 400, 'The request body must be a set of fields'],
      ['a JSON string', 'application/json', '"name"', 400, 'The request body must be a set of fields'],
      ['JSON null', 'application/json', 'null', 400, 'The request body must be a set of fields'],
      ['a name that is an object', 'application/json', '{"name":{"first":"A"}}', 400, 'Invalid value for field name: expected text'],
      ['a name that is a list', 'application/json', '{"name":["A"]}', 400, 'Invalid value for field name: expected text'],
      ['a name that is a boolean', 'application/json', '{"name":true}', 400, 'Invalid value for field name: expected text'],
      ['a reference number that is an object', 'application/json', '{"name":"A","referenceNumber":{}}', 400, 'Invalid value for field referenceNumber: expected text'],
      ['malformed XML', 'text/xml', '<customer><name>A</customer>', 400, 'Malformed XML body'],
      ['XML that is not XML', 'application/xml', 'name=A', 400, 'Malformed XML body'],
      ['a repeated form field', 'application/x-www-form-urlencoded', 'name=A&name=B', 400, 'Invalid value for field name: expected text'],
      ['an unsupported content type', 'text/plain', 'name=A', 400, 'Unsupported content type: send application/x-www-form-urlencoded, application/json or text/xml'],
      ['an oversized JSON body', 'application/json', JSON.stringify({ name: 'A', city: 'x'.repeat(8000) }), 413, 'Request body too large'],
      ['an oversized form body', 'application/x-www-form-urlencoded', `name=A&city=${'x'.repeat(8000)}`, 413, 'Request body too large'],
      ['an oversized XML body', 'text/xml', `<customer><name>A</name><city>${'x'.repeat(8000)}</city></customer>`, 413, 'Request body too large'],
    ];
    for (const [label, contentType, payload, status, message] of bad) {
      it(`refuses ${label} with a vendor-shaped ${status} and changes nothing`, async () => {
        const before = await snapshot();
        for (const [method, url] of [
          ['POST', '/v1/customers'],
          ['PUT', `/v1/customers/${fx.a1.accountNumber}`],
        ] as const) {
          const res = await send(method, url, contentType, payload);
          assert.equal(res.statusCode, status, `${method} ${res.body}`);
          assert.equal(res.headers['x-error-message'], message);
          const body = JSON.parse(res.body);
          assert.deepEqual(Object.keys(body), ['badRequestFault']);
          assert.equal(body.badRequestFault.code, status);
          assert.equal(body.badRequestFault.message, message);
          const xml = await send(method, url, contentType, payload, 'text/xml');
          assert.equal(xml.statusCode, status);
          const tree = xmlTree(xml.body);
          assert.equal(tree.name, 'badRequestFault');
          assert.equal(tree.children[0].text, message);
        }
        assert.deepEqual(await snapshot(), before);
      });
    }

    it('takes numbers as text, ignores unknown fields, and accepts Expect: 100-continue', async () => {
      const res = await send('POST', '/v1/customers', 'application/json', JSON.stringify({ name: 'Numbers', zip: 78703, referenceNumber: 42, favouriteColour: 'blue' }), 'application/json', { expect: '100-continue' });
      assert.equal(res.statusCode, 200, res.body);
      const body = JSON.parse(res.body);
      assert.deepEqual([body.name, body.zip, body.referenceNumber], ['Numbers', '78703', '42']);
    });

    it('treats an empty JSON body as no fields (clients post enable/disable that way)', async () => {
      const put = await send('PUT', `/v1/customers/${fx.a2.accountNumber}`, 'application/json', '');
      assert.equal(put.statusCode, 200, put.body);
      const disable = await send('POST', `/v1/customers/${fx.a2.accountNumber}/disable`, 'application/json', '');
      assert.equal(disable.statusCode, 200, disable.body);
      const add = await send('POST', '/v1/customers', 'application/json', '');
      assert.equal(add.statusCode, 400);
      assert.equal(add.headers['x-error-message'], 'Missing required field: name');
    });

    it('accepts form fields in any letter case and charset parameters', async () => {
      const res = await send('PUT', `/v1/customers/${fx.a2.accountNumber}`, 'application/x-www-form-urlencoded; charset=utf-8', 'City=Paris&ZIP=75001');
      assert.equal(res.statusCode, 200, res.body);
      const a2 = (await findAccountUnscoped(t.ctx, { guid: fx.a2.guid }))!;
      assert.deepEqual([a2.city, a2.zip], ['Paris', '75001']);
    });

    it('answers unknown Rackspace URLs with a Rackspace-shaped 404', async () => {
      const seed = await seedReseller(t.ctx, fx.partner.guid);
      for (const path of ['/v1/nothing', '/v0/customers/1/nothing', '/customers/1/2/3']) {
        const res = await call(t, seed.admin, { method: 'GET', path, format: 'json' });
        assert.equal(res.status, 404, path);
        assert.equal(res.errorMessage, 'Make sure the URL is correct.');
        assert.equal((res.json as any).itemNotFoundFault.code, 404);
      }
      const wrongVerb = await call(t, seed.admin, { method: 'POST', path: `/v1/customers/${seed.c17.accountNumber}`, format: 'xml' });
      assert.equal(wrongVerb.status, 404);
      assert.equal(xmlTree(wrongVerb.body).name, 'itemNotFoundFault');
    });
  });
}
