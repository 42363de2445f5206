import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { createAccount, findAccountUnscoped, listAccounts, type Account } from '../../../src/domain/account.js';
import { systemActor } from '../../../src/domain/principal.js';
import { statusHistory } from '../../../src/domain/status.js';
import { call, UNTHROTTLED, xmlTree } from './helpers.js';

/** POST, PUT and DELETE /v0|v1/customers[/{n}] and the v0 page's unversioned /customers URLs: add, edit, delete. */
for (const kind of STORE_KINDS) {
  describe(`Rackspace customer add, edit and delete on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    const fresh = async (name: string): Promise<Account> => createAccount(t.ctx, systemActor('test'), { parentGuid: fx.resellerA.guid, kind: 'customer', name });
    const stored = async (a: Account) => (await findAccountUnscoped(t.ctx, { guid: a.guid }))!;

    const cases: [Record<string, string>, string][] = [
      [{ referenceNumber: '1' }, 'Missing required field: name'],
      [{ name: '' }, 'Required field name cannot be empty'],
      [{ name: '   ' }, 'Required field name cannot be empty'],
      [{ name: ' Leading' }, 'Improper Customer Name: cannot begin or end with a space'],
      [{ name: 'Trailing ' }, 'Improper Customer Name: cannot begin or end with a space'],
      [{ name: 'x'.repeat(101) }, 'Name too long: 100 characters or fewer'],
      [{ name: 'Fine', referenceNumber: '1'.repeat(21) }, 'Reference number too long: 20 characters or fewer'],
    ];

    async function signedHeaders(who: { rackspace: { userKey: string; secretKey: string } }) {
      const { signRackspaceRequest } = await import('../../../src/client/rackspace.js');
      return { 'user-agent': 'test-agent', 'x-api-signature': signRackspaceRequest({ ...who.rackspace, userAgent: 'test-agent', at: t.clock.now() }) };
    }

    describe('add', () => {
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

      it('may not add below a customer: 403 "Not authorized" for a customer admin', async () => {
        const add = await call(t, fx.customerAdminA1, { method: 'POST', path: '/v1/customers', fields: { name: 'Nested' }, format: 'json' });
        assert.equal(add.status, 403);
      });
    });

    describe('edit', () => {
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

      it('v0 words the whitespace rule as its page does, "Improper Customer Name"; v1 keeps its longer text', async () => {
        const target = await fresh('Spacing Co');
        for (const [path, method] of [
          ['/v0/customers', 'POST'],
          ['/customers', 'POST'],
          [`/v0/customers/${target.accountNumber}`, 'PUT'],
          [`/customers/${target.accountNumber}`, 'PUT'],
        ] as const) {
          for (const format of ['json', 'xml'] as const) {
            const res = await call(t, fx.resellerAdminA, { method, path, fields: { name: ' Leading' }, format });
            assert.equal(res.status, 400, path);
            assert.equal(res.errorMessage, 'Improper Customer Name', `${method} ${path}`);
            if (format === 'json') assert.equal((res.json as any).validationFault.message, 'Improper Customer Name');
            else assert.match(res.body, /<message>Improper Customer Name<\/message>/);
          }
        }
        const v1 = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields: { name: 'Trailing ' }, format: 'json' });
        assert.equal(v1.errorMessage, 'Improper Customer Name: cannot begin or end with a space');
        // Other v0 validation messages are the domain's, as in v1.
        const empty = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v0/customers', fields: { name: '' }, format: 'json' });
        assert.equal(empty.errorMessage, 'Required field name cannot be empty');
        assert.equal((await stored(target)).name, 'Spacing Co');
      });

      it('concurrent edits of different fields of one customer keep both', async () => {
        const c = await fresh('Edited Twice');
        for (let round = 0; round < 8; round++) {
          const [city, phone] = await Promise.all([
            call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${c.accountNumber}`, fields: { city: `City ${round}` } }),
            call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${c.accountNumber}`, fields: { phone: `555-010${round}` } }),
          ]);
          assert.equal(city.status, 200, city.body);
          assert.equal(phone.status, 200, phone.body);
          const now = await stored(c);
          assert.deepEqual([now.city, now.phone], [`City ${round}`, `555-010${round}`], `round ${round}`);
        }
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

      it('refuses to delete a customer that still has sub-accounts, or the caller’s own account', async () => {
        const parent = await createAccount(t.ctx, systemActor('test'), { parentGuid: fx.partner.guid, kind: 'reseller', name: 'Parent Reseller' });
        await createAccount(t.ctx, systemActor('test'), { parentGuid: parent.guid, kind: 'customer', name: 'Child' });
        const busy = await call(t, fx.reader, { method: 'DELETE', path: `/v1/customers/${parent.accountNumber}`, format: 'json' });
        assert.equal(busy.status, 403, 'a reader may not delete at all');
        const own = await call(t, fx.resellerAdminA, { method: 'DELETE', path: '/v1/customers/me', format: 'json' });
        assert.equal(own.status, 403);
        assert.equal(own.errorMessage, 'Not authorized');
        assert.equal((await stored(fx.resellerA)).deletedAt, null);
      });
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

    it('a principal of another reseller gets 404 on every change, and changes nothing', async () => {
      const n = fx.a1.accountNumber;
      const expect: [string, Parameters<typeof call>[2]][] = [
        ['edit', { method: 'PUT', path: `/v1/customers/${n}`, fields: { name: 'Hijacked' } }],
        ['edit unversioned', { method: 'PUT', path: `/customers/${n}`, fields: { name: 'Hijacked' } }],
        ['delete', { method: 'DELETE', path: `/v1/customers/${n}` }],
      ];
      for (const [label, options] of expect) {
        const res = await call(t, fx.resellerAdminB, { ...options, format: 'json' });
        assert.equal(res.status, 404, label);
        assert.equal(res.errorMessage, 'Customer Not Found', label);
      }
      const a1 = await stored(fx.a1);
      assert.deepEqual([a1.name, a1.status, a1.deletedAt], [fx.a1.name, fx.a1.status, null]);
    });

    it('refuses callers without the role', async () => {
      const n = fx.a2.accountNumber;
      const del = await call(t, fx.reader, { method: 'DELETE', path: `/v1/customers/${n}`, format: 'json' });
      assert.equal(del.status, 403);
      assert.equal(del.errorMessage, 'Not authorized');
      const edit = await call(t, fx.reader, { method: 'PUT', path: `/v1/customers/${n}`, fields: { name: 'Renamed' }, format: 'json' });
      assert.equal(edit.status, 403);
      assert.equal((await findAccountUnscoped(t.ctx, { guid: fx.a2.guid }))!.name, fx.a2.name);
    });
  });
}
