import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { createAccount } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { call, declaration, seedReseller, UNTHROTTLED, xmlTree, type SeedReseller } from './helpers.js';
import { INDEX_JSON, V0_INDEX_XML, V1_INDEX_XML } from './seed-examples.js';

/** GET /v0|v1/customers: the index of the caller's sub-accounts, with paging and search. */
for (const kind of STORE_KINDS) {
  describe(`Rackspace customer index on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let seed: SeedReseller;
    before(async () => {
      t = await makeTestApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.ctx);
      seed = await seedReseller(t.ctx, fx.partner.guid);
    });
    after(async () => t?.close());

    for (const [version, example] of [
      ['v0', V0_INDEX_XML],
      ['v1', V1_INDEX_XML],
    ] as const) {
      it(`${version} XML matches the seed's example element by element`, async () => {
        const res = await call(t, seed.admin, { method: 'GET', path: `/${version}/customers`, format: 'xml' });
        assert.equal(res.status, 200);
        assert.match(res.headers['content-type'], /^text\/xml/);
        assert.equal(declaration(res.body), '<?xml version="1.0" encoding="utf-8"?>');
        assert.deepEqual(xmlTree(res.body), xmlTree(seed.substitute(example)));
      });
      it(`${version} JSON matches the seed's example, numbers as strings`, async () => {
        const res = await call(t, seed.admin, { method: 'GET', path: `/${version}/customers`, format: 'json' });
        assert.equal(res.status, 200);
        assert.match(res.headers['content-type'], /^application\/json/);
        assert.deepEqual(res.json, JSON.parse(seed.substitute(INDEX_JSON)));
        assert.equal(res.body.indexOf('"accountNumber":"'), res.body.indexOf('"accountNumber"'));
      });
    }

    it('lists only the caller’s own sub-accounts', async () => {
      const res = await call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers', format: 'json' });
      const list = res.json as { total: number; customers: { accountNumber: string }[] };
      assert.deepEqual(
        list.customers.map((c) => c.accountNumber).sort(),
        [fx.a1.accountNumber, fx.a2.accountNumber].sort(),
      );
      // The partner's sub-accounts are its resellers, not the customers below them.
      const partner = await call(t, fx.reader, { method: 'GET', path: '/v1/customers', format: 'json' });
      const names = (partner.json as { customers: { name: string }[] }).customers.map((c) => c.name);
      assert.deepEqual(names, ['Reseller A', 'Reseller B', 'Reseller C']);
    });

    it('pages with size and offset, capping size at 250', async () => {
      const page = async (query: Record<string, string>) => {
        const res = await call(t, seed.admin, { method: 'GET', path: '/v1/customers', query, format: 'json' });
        assert.equal(res.status, 200, res.body);
        return res.json as { offset: number; size: number; total: number; customers: { name: string }[] };
      };
      const p = await page({ size: '2', offset: '1' });
      assert.deepEqual([p.offset, p.size, p.total], [1, 2, 3]);
      assert.deepEqual(p.customers.map((c) => c.name), ['API Customer 39', 'API Customer 50']);
      const last = await page({ size: '2', offset: '2' });
      assert.deepEqual(last.customers.map((c) => c.name), ['API Customer 50']);
      const beyond = await page({ offset: '10' });
      assert.deepEqual([beyond.total, beyond.customers.length, beyond.size], [3, 0, 50]);
      assert.equal((await page({ size: '1000' })).size, 250);
      const xml = await call(t, seed.admin, { method: 'GET', path: '/v1/customers', query: { offset: '10' }, format: 'xml' });
      const tree = xmlTree(xml.body);
      assert.deepEqual(tree.children.map((c) => c.name), ['offset', 'size', 'total', 'customers']);
      assert.deepEqual(tree.children[3].children, []);
    });

    it('reads query parameter names in any letter case', async () => {
      const res = await call(t, seed.admin, { method: 'GET', path: '/v1/customers', query: { Size: '1', OFFSET: '1' }, format: 'json' });
      assert.equal(res.status, 200, res.body);
      const p = res.json as { offset: number; size: number; customers: { name: string }[] };
      assert.deepEqual([p.offset, p.size, p.customers.map((c) => c.name)], [1, 1, ['API Customer 39']]);
    });

    it('refuses bad paging values with a badRequestFault', async () => {
      for (const query of [{ size: '0' }, { size: 'ten' }, { size: '-1' }, { offset: '-5' }, { offset: '1.5' }]) {
        const res = await call(t, seed.admin, { method: 'GET', path: '/v1/customers', query, format: 'json' });
        assert.equal(res.status, 400, JSON.stringify(query));
        const fault = (res.json as { badRequestFault: { message: string; code: number } }).badRequestFault;
        assert.equal(fault.code, 400);
        assert.equal(res.errorMessage, fault.message);
      }
    });

    it('words each refused query value in the face’s own messages', async () => {
      const cases: [string, string][] = [
        ['size=0', 'Invalid size: must be from 1 to 250'],
        ['size=ten', 'Invalid size: must be a whole number of 0 or more'],
        ['offset=1.5', 'Invalid offset: must be a whole number of 0 or more'],
        ['size=1&size=2', 'Invalid size: give it once'],
        ['contains=a%00', 'Invalid contains: text cannot contain NUL characters'],
      ];
      for (const [query, message] of cases) {
        const res = await t.app.inject({ method: 'GET', url: `/v1/customers?${query}`, headers: await signed(seed.admin) });
        assert.equal(res.statusCode, 400, query);
        assert.equal(res.headers['x-error-message'], message, query);
      }
    });

    async function signed(who: { rackspace: { userKey: string; secretKey: string } }) {
      const { signRackspaceRequest } = await import('../../../src/client/rackspace.js');
      return { 'user-agent': 'index-test', accept: 'application/json', 'x-api-signature': signRackspaceRequest({ ...who.rackspace, userAgent: 'index-test', at: t.clock.now() }) };
    }

    it('searches name, account number and reference number with startswith and contains', async () => {
      const names = async (query: Record<string, string>) => {
        const res = await call(t, seed.admin, { method: 'GET', path: '/v1/customers', query, format: 'json' });
        assert.equal(res.status, 200, res.body);
        return (res.json as { customers: { name: string }[]; total: number }).customers.map((c) => c.name);
      };
      assert.deepEqual(await names({ startswith: 'api customer 1' }), ['API Customer 17']);
      assert.deepEqual(await names({ startswith: seed.c50.accountNumber }), ['API Customer 50']);
      assert.deepEqual(await names({ startswith: '2' }), ['API Customer 39'], 'reference number 23');
      assert.deepEqual(await names({ contains: 'customer 5' }), ['API Customer 50']);
      assert.deepEqual(await names({ contains: seed.c39.accountNumber.slice(2) }), ['API Customer 39']);
      assert.deepEqual(await names({ contains: '%' }), [], 'LIKE wildcards are literal');
      assert.deepEqual(await names({ startswith: 'zzz' }), []);
      // 0-9 is the reserved "starts with a digit"; every account number starts with one.
      assert.deepEqual(await names({ startswith: '0-9' }), ['API Customer 17', 'API Customer 39', 'API Customer 50']);
      // An empty search is no search, so it can be sent along with the other kind.
      assert.deepEqual(await names({ startswith: '', contains: 'customer 5' }), ['API Customer 50']);
    });

    it('startswith=0-9 finds names beginning with a digit, and only under the caller', async () => {
      const other = await createAccount(t.ctx, systemActor('test'), { parentGuid: fx.resellerB.guid, kind: 'customer', name: '3rd Street Dental' });
      const res = await call(t, fx.resellerAdminB, { method: 'GET', path: '/v1/customers', query: { startswith: '0-9' }, format: 'json' });
      const names = (res.json as { customers: { name: string }[] }).customers.map((c) => c.name);
      assert.ok(names.includes('3rd Street Dental'));
      const mine = await call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers', query: { startswith: '3rd' }, format: 'json' });
      assert.equal((mine.json as { total: number }).total, 0);
      assert.ok(other.accountNumber);
    });

    it('refuses startswith and contains together', async () => {
      const res = await call(t, seed.admin, { method: 'GET', path: '/v1/customers', query: { startswith: 'A', contains: 'B' }, format: 'xml' });
      assert.equal(res.status, 400);
      assert.equal(res.errorMessage, 'Cannot search with both startswith and contains');
      const tree = xmlTree(res.body);
      assert.equal(tree.name, 'badRequestFault');
      assert.equal(tree.attrs.code, '400');
      assert.deepEqual(tree.children.map((c) => c.name), ['message', 'details']);
      assert.equal(tree.children[0].text, 'Cannot search with both startswith and contains');
    });

    it('never lists another reseller’s customers, and needs a signature', async () => {
      const list = await call(t, fx.resellerAdminB, { method: 'GET', path: '/v1/customers', query: { contains: 'API Customer' }, format: 'json' });
      assert.equal((list.json as { total: number }).total, 0);
      const unsigned = await t.app.inject({ method: 'GET', url: '/v1/customers', headers: { accept: 'application/json' } });
      assert.equal(unsigned.statusCode, 403);
      assert.equal(unsigned.headers['x-error-message'], 'Authentication failed.');
    });
  });
}
