import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { createAccount, findAccountUnscoped, listAccounts } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { statusHistory } from '../../../src/domain/status.js';
import { call, declaration, seedReseller, xmlTree, type SeedReseller } from './helpers.js';
import { INDEX_JSON, V0_INDEX_XML, V0_SHOW_JSON, V0_SHOW_XML, V1_INDEX_XML, V1_SHOW_JSON, V1_SHOW_XML } from './seed-examples.js';

for (const kind of STORE_KINDS) {
  describe(`Rackspace customers on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let seed: SeedReseller;
    before(async () => {
      t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 });
      fx = await buildFixture(t.ctx);
      seed = await seedReseller(t.ctx, fx.partner.guid);
    });
    after(async () => t?.close());

    describe('index', () => {
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

      it('refuses bad paging values with a badRequestFault', async () => {
        for (const query of [{ size: '0' }, { size: 'ten' }, { size: '-1' }, { offset: '-5' }, { offset: '1.5' }]) {
          const res = await call(t, seed.admin, { method: 'GET', path: '/v1/customers', query, format: 'json' });
          assert.equal(res.status, 400, JSON.stringify(query));
          const fault = (res.json as { badRequestFault: { message: string; code: number } }).badRequestFault;
          assert.equal(fault.code, 400);
          assert.equal(res.errorMessage, fault.message);
        }
      });

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
    });

    describe('show', () => {
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
    });

    describe('add and edit', () => {
      it('adds a sub-account; the account number comes back in Location and, when Accept asks, in a body', async () => {
        const res = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields: { name: 'Name' }, format: 'none' });
        assert.equal(res.status, 200);
        assert.equal(res.body, '');
        const number = /^\/v1\/customers\/(\d+)$/.exec(res.headers.location)?.[1];
        assert.ok(number, res.headers.location);
        const created = (await findAccountUnscoped(t.ctx, { accountNumber: number! }))!;
        assert.equal(created.name, 'Name');
        assert.equal(created.parentGuid, fx.resellerA.guid);
        assert.equal(created.kind, 'customer');

        const withBody = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields: { name: 'Bodied', referenceNumber: '77', city: 'Austin' }, bodyType: 'json', format: 'xml' });
        assert.equal(withBody.status, 200);
        const tree = xmlTree(withBody.body);
        assert.equal(tree.name, 'customer');
        assert.equal(tree.attrs.xmlns, 'urn:xml:customer');
        const n = tree.children.find((c) => c.name === 'accountNumber')!.text!;
        assert.equal(withBody.headers.location, `/v1/customers/${n}`);
        assert.deepEqual(tree.children.map((c) => c.name), ['name', 'accountNumber', 'referenceNumber', 'city']);
        const shown = await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${n}`, format: 'json' });
        assert.equal((shown.json as { city: string }).city, 'Austin');
      });

      it('takes XML request bodies too', async () => {
        const res = await call(t, fx.resellerAdminA, {
          method: 'POST',
          path: '/v1/customers',
          format: 'json',
          headers: { 'content-type': 'text/xml' },
          fields: undefined,
        } as any);
        assert.equal(res.status, 400, 'an empty XML body has no name');
        const xml = await t.app.inject({
          method: 'POST',
          url: '/v1/customers',
          headers: { ...(await signedHeaders(fx.resellerAdminA)), 'content-type': 'text/xml', accept: 'application/json' },
          payload: '<?xml version="1.0"?><customer xmlns="urn:xml:customer"><name>XML Co</name><referenceNumber>X-1</referenceNumber></customer>',
        });
        assert.equal(xml.statusCode, 200, xml.body);
        assert.equal(JSON.parse(xml.body).name, 'XML Co');
        assert.equal(JSON.parse(xml.body).referenceNumber, 'X-1');
      });

      async function signedHeaders(who: { rackspace: { userKey: string; secretKey: string } }) {
        const { signRackspaceRequest } = await import('../../../src/client/rackspace.js');
        return { 'user-agent': 'test-agent', 'x-api-signature': signRackspaceRequest({ ...who.rackspace, userAgent: 'test-agent', at: t.clock.now() }) };
      }

      const cases: [Record<string, string>, string][] = [
        [{ referenceNumber: '1' }, 'Missing required field: name'],
        [{ name: '' }, 'Required field name cannot be empty'],
        [{ name: '   ' }, 'Required field name cannot be empty'],
        [{ name: ' Leading' }, 'Improper Customer Name: cannot begin or end with a space'],
        [{ name: 'Trailing ' }, 'Improper Customer Name: cannot begin or end with a space'],
        [{ name: 'x'.repeat(101) }, 'Name too long: 100 characters or fewer'],
        [{ name: 'Fine', referenceNumber: '1'.repeat(21) }, 'Reference number too long: 20 characters or fewer'],
      ];
      for (const [fields, message] of cases) {
        it(`add refuses ${JSON.stringify(fields).slice(0, 40)} with "${message}" and creates nothing`, async () => {
          const before = await listAccounts(t.ctx, systemActor(), { childrenOf: fx.resellerA.guid, limit: 500, offset: 0 });
          for (const format of ['json', 'xml'] as const) {
            const res = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields, format });
            assert.equal(res.status, 400);
            assert.equal(res.errorMessage, message);
            if (format === 'json') assert.deepEqual(Object.keys((res.json as any).validationFault), ['message', 'details', 'code']);
            else assert.equal(xmlTree(res.body).children[0].text, message);
            assert.equal(res.headers.location, undefined);
          }
          const after = await listAccounts(t.ctx, systemActor(), { childrenOf: fx.resellerA.guid, limit: 500, offset: 0 });
          assert.equal(after.total, before.total);
        });
      }

      it('edits with the seed’s example fields and keeps what is not sent', async () => {
        const created = await createAccount(t.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Edit Me', phone: '1-000' });
        const fields = {
          name: 'NewName',
          referenceNumber: '12345',
          addressLine1: '555 Address',
          addressLine2: 'Suite 555',
          city: 'Austin',
          state: 'Texas',
          zip: '78703',
          country: 'USA',
          email: 'user@example.com',
        };
        const res = await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${created.accountNumber}`, fields });
        assert.equal(res.status, 200, res.body);
        assert.equal(res.body, '');
        const shown = await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${created.accountNumber}`, format: 'json' });
        assert.deepEqual(shown.json, {
          name: 'NewName', accountNumber: created.accountNumber, referenceNumber: '12345', addressLine1: '555 Address', addressLine2: 'Suite 555',
          city: 'Austin', state: 'Texas', zip: '78703', country: 'USA', phone: '1-000', email: 'user@example.com',
        });
        for (const [bad, message] of cases.slice(1)) {
          const r = await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${created.accountNumber}`, fields: bad, bodyType: 'json', format: 'json' });
          assert.equal(r.status, 400);
          assert.equal(r.errorMessage, message);
        }
        const after = (await findAccountUnscoped(t.ctx, { guid: created.guid }))!;
        assert.equal(after.name, 'NewName');
        assert.equal(after.referenceNumber, '12345');
      });

      it('v0 edits name and reference number only', async () => {
        const created = await createAccount(t.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'V0 Edit', city: 'Denver' });
        const res = await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v0/customers/${created.accountNumber}`, fields: { name: 'V0 Edited', referenceNumber: '9', city: 'Paris' } });
        assert.equal(res.status, 200);
        const after = (await findAccountUnscoped(t.ctx, { guid: created.guid }))!;
        assert.deepEqual([after.name, after.referenceNumber, after.city], ['V0 Edited', '9', 'Denver']);
      });

      it('the unversioned /customers URLs of the v0 page add, edit and delete', async () => {
        const add = await call(t, fx.resellerAdminA, { method: 'POST', path: '/customers', fields: { name: 'Unversioned' }, format: 'xml' });
        assert.equal(add.status, 200);
        const n = /^\/customers\/(\d+)$/.exec(add.headers.location)![1];
        assert.deepEqual(xmlTree(add.body).children.map((c) => [c.name, c.text]), [['name', 'Unversioned'], ['accountNumber', n]]);
        assert.equal((await call(t, fx.resellerAdminA, { method: 'PUT', path: `/customers/${n}`, fields: { name: 'NewName', referenceNumber: '12345' } })).status, 200);
        assert.equal((await findAccountUnscoped(t.ctx, { accountNumber: n }))!.referenceNumber, '12345');
        assert.equal((await call(t, fx.resellerAdminA, { method: 'DELETE', path: `/customers/${n}` })).status, 200);
        assert.equal((await call(t, fx.resellerAdminA, { method: 'GET', path: `/v0/customers/${n}` })).status, 404);
      });
    });

    describe('delete', () => {
      it('removes the customer from index and show, cancels it with a history row, keeps its history', async () => {
        const created = await createAccount(t.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Doomed', referenceNumber: 'DOOM' });
        const res = await call(t, fx.resellerAdminA, { method: 'DELETE', path: `/v1/customers/${created.accountNumber}` });
        assert.equal(res.status, 200);
        assert.equal(res.body, '');
        assert.equal((await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${created.accountNumber}` })).status, 404);
        assert.equal((await call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers', query: { referenceNumber: 'DOOM' } })).status, 404);
        const list = await call(t, fx.resellerAdminA, { method: 'GET', path: '/v1/customers', query: { contains: 'Doomed' }, format: 'json' });
        assert.equal((list.json as { total: number }).total, 0);
        const gone = (await findAccountUnscoped(t.ctx, { guid: created.guid }))!;
        assert.equal(gone.status, 'AccountCancelled');
        assert.ok(gone.deletedAt);
        const history = await statusHistory(t.ctx, created.guid);
        assert.deepEqual(history.map((h) => [h.oldStatus, h.newStatus]), [[null, 'TrialActive'], ['TrialActive', 'AccountCancelled']]);
        const again = await call(t, fx.resellerAdminA, { method: 'DELETE', path: `/v1/customers/${created.accountNumber}`, format: 'json' });
        assert.equal(again.status, 404);
      });
    });

    it('answers unknown Rackspace URLs with a Rackspace-shaped 404', async () => {
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
  });
}
