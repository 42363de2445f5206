import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { createAccount } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { call, seedReseller, UNTHROTTLED, xmlTree, type SeedReseller } from './helpers.js';
import { V0_SHOW_JSON, V0_SHOW_XML, V1_SHOW_JSON, V1_SHOW_XML } from './seed-examples.js';

/** GET /v0|v1/customers/{n|me} and GET /v0|v1/customers?referenceNumber=: one customer. */
for (const kind of STORE_KINDS) {
  describe(`Rackspace customer show on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let seed: SeedReseller;
    before(async () => {
      t = await makeTestApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.ctx);
      seed = await seedReseller(t.ctx, fx.partner.guid);
    });
    after(async () => t?.close());

    it('v1 returns the address, phone and e-mail fields as in the seed (XML)', async () => {
      const res = await call(t, seed.admin, { method: 'GET', path: `/v1/customers/${seed.c17.accountNumber}`, format: 'xml' });
      assert.equal(res.status, 200);
      assert.deepEqual(xmlTree(res.body), xmlTree(seed.substitute(V1_SHOW_XML)));
    });

    it('v1 JSON has the seed example’s keys in order', async () => {
      const res = await call(t, seed.admin, { method: 'GET', path: `/v1/customers/${seed.c17.accountNumber}`, format: 'json' });
      const expected = { ...JSON.parse(seed.substitute(V1_SHOW_JSON)), state: 'TX', country: 'US' };
      assert.deepEqual(Object.keys(res.json as object), Object.keys(expected));
      assert.deepEqual(res.json, expected);
    });

    it('v0 returns name, account number and reference number (XML and JSON)', async () => {
      const xml = await call(t, seed.admin, { method: 'GET', path: `/v0/customers/${seed.c17.accountNumber}`, format: 'xml' });
      assert.deepEqual(xmlTree(xml.body), xmlTree(seed.substitute(V0_SHOW_XML)));
      const json = await call(t, seed.admin, { method: 'GET', path: `/v0/customers/${seed.c17.accountNumber}`, format: 'json' });
      assert.deepEqual(json.json, JSON.parse(seed.substitute(V0_SHOW_JSON)));
    });

    it('me is the caller’s own account', async () => {
      const res = await call(t, fx.customerAdminA1, { method: 'GET', path: '/v0/customers/me', format: 'json' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { name: 'API Customer 17', accountNumber: fx.a1.accountNumber, referenceNumber: 'A1-REF' });
      const v1 = await call(t, seed.admin, { method: 'GET', path: '/v1/customers/me', format: 'json' });
      assert.equal((v1.json as { accountNumber: string }).accountNumber, seed.reseller.accountNumber);
    });

    it('writes empty fields as JSON nulls and leaves them out of XML', async () => {
      const bare = await createAccount(t.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'No Reference' });
      const json = await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${bare.accountNumber}`, format: 'json' });
      assert.equal((json.json as { referenceNumber: unknown }).referenceNumber, null);
      assert.equal((json.json as { city: unknown }).city, null);
      const xml = await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${bare.accountNumber}`, format: 'xml' });
      assert.equal(xmlTree(xml.body).children.some((c) => c.name === 'referenceNumber'), false);
    });

    it('answers unknown customers with an itemNotFoundFault naming the resource type', async () => {
      for (const id of ['999999999', 'abc', '12x']) {
        const res = await call(t, seed.admin, { method: 'GET', path: `/v1/customers/${id}`, format: 'json' });
        assert.equal(res.status, 404, id);
        assert.equal(res.errorMessage, 'Customer Not Found');
        assert.deepEqual(Object.keys((res.json as any).itemNotFoundFault), ['message', 'details', 'code', 'resourceType']);
        assert.equal((res.json as any).itemNotFoundFault.resourceType, 'customer');
        assert.equal((res.json as any).itemNotFoundFault.code, 404);
      }
      const xml = await call(t, seed.admin, { method: 'GET', path: '/v1/customers/999999999', format: 'xml' });
      const tree = xmlTree(xml.body);
      assert.equal(tree.name, 'itemNotFoundFault');
      assert.deepEqual(tree.children.map((c) => [c.name, c.name === 'details' ? '' : c.text]), [['message', 'Customer Not Found'], ['details', ''], ['resourceType', 'customer']]);
    });

    it('?referenceNumber= shows the exact match (v1: sub-accounts only; v0: anywhere below the caller)', async () => {
      const v1 = await call(t, seed.admin, { method: 'GET', path: '/v1/customers', query: { referenceNumber: '49' }, format: 'xml' });
      assert.equal(v1.status, 200);
      assert.deepEqual(xmlTree(v1.body), xmlTree(seed.substitute(V1_SHOW_XML)));
      const v0 = await call(t, seed.admin, { method: 'GET', path: '/v0/customers', query: { referenceNumber: '49' }, format: 'xml' });
      assert.deepEqual(xmlTree(v0.body), xmlTree(seed.substitute(V0_SHOW_XML)));
      assert.equal((await call(t, seed.admin, { method: 'GET', path: '/v1/customers', query: { referenceNumber: '4' } })).status, 404, 'exact match only');
      // For the partner, A1-REF belongs to a grandchild: not a sub-account in v1, visible in v0.
      assert.equal((await call(t, fx.reader, { method: 'GET', path: '/v1/customers', query: { referenceNumber: 'A1-REF' } })).status, 404);
      const deep = await call(t, fx.reader, { method: 'GET', path: '/v0/customers', query: { referenceNumber: 'A1-REF' }, format: 'json' });
      assert.equal((deep.json as { accountNumber: string }).accountNumber, fx.a1.accountNumber);
    });

    it('chooses the format from Accept, with q-values, XML by default', async () => {
      const path = `/v1/customers/${seed.c17.accountNumber}`;
      const ct = async (accept?: string) =>
        (await call(t, seed.admin, { method: 'GET', path, format: 'none', headers: accept ? { accept } : {} })).headers['content-type'];
      assert.match(await ct(), /^text\/xml/);
      assert.match(await ct('*/*'), /^text\/xml/);
      assert.match(await ct('application/json'), /^application\/json/);
      assert.match(await ct('application/xml'), /^text\/xml/);
      assert.match(await ct('text/xml;q=0.5, application/json'), /^application\/json/);
      assert.match(await ct('application/json;q=0.2, text/xml;q=0.9'), /^text\/xml/);
    });

    it('shows another reseller’s customer to nobody: 404 "Customer Not Found", by number and by reference', async () => {
      const n = fx.a1.accountNumber;
      const expect: [string, Parameters<typeof call>[2]][] = [
        ['show', { method: 'GET', path: `/v1/customers/${n}` }],
        ['show v0', { method: 'GET', path: `/v0/customers/${n}` }],
        ['reference', { method: 'GET', path: '/v1/customers', query: { referenceNumber: 'A1-REF' } }],
        ['reference v0', { method: 'GET', path: '/v0/customers', query: { referenceNumber: 'A1-REF' } }],
      ];
      for (const [label, options] of expect) {
        const res = await call(t, fx.resellerAdminB, { ...options, format: 'json' });
        assert.equal(res.status, 404, label);
        assert.equal(res.errorMessage, 'Customer Not Found', label);
      }
      const sibling = await call(t, fx.customerAdminA1, { method: 'GET', path: `/v1/customers/${fx.a2.accountNumber}`, format: 'json' });
      assert.equal(sibling.status, 404, 'a customer admin sees its own account only');
    });
  });
}
