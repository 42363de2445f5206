import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { MimecastClient } from '../../../src/client/mimecast.js';
import { withMimecastApp } from './helpers.js';

const PATH = '/api/provisioning/get-packages';

for (const kind of STORE_KINDS) {
  describe(`mimecast get-packages on ${kind}`, storeSuiteOptions(kind), () => {
    let partnerClient: MimecastClient;
    let readerClient: MimecastClient;
    let resellerProvisioner: MimecastClient;
    withMimecastApp(kind, {}, (m) => ({ partnerClient, readerClient, resellerProvisioner } = m));

    it('lists only the products the partner may provision', async () => {
      const res = await partnerClient.getPackages();
      assert.equal(res.status, 200);
      assert.deepEqual(res.body!.data, [
        { products: { id: '1039', name: 'Secure Email Gateway (Site)' } },
        { products: { id: '1050', name: 'Hosted Exchange' } },
        { products: { id: '1053', name: 'Office 365 Business Essentials' } },
      ]);
      assert.deepEqual(res.body!.meta.pagination, { pageSize: 100, totalCount: 3 });
    });

    it('pages with next and previous tokens, present only when such a page exists', async () => {
      const p1 = await partnerClient.getPackages({ pageSize: 2 });
      assert.deepEqual(p1.body!.data.map((d) => d.products.id), ['1039', '1050']);
      assert.equal(p1.body!.meta.pagination!.previous, undefined);
      const next = p1.body!.meta.pagination!.next!;
      assert.equal(typeof next, 'string');
      const p2 = await partnerClient.getPackages({ pageSize: 2, pageToken: next });
      assert.deepEqual(p2.body!.data.map((d) => d.products.id), ['1053']);
      assert.equal(p2.body!.meta.pagination!.next, undefined);
      const back = await partnerClient.getPackages({ pageSize: 2, pageToken: p2.body!.meta.pagination!.previous });
      assert.deepEqual(back.body!.data.map((d) => d.products.id), ['1039', '1050']);
    });

    it('reads a page size sent as digits, and null pagination members as absent', async () => {
      const digits = await partnerClient.call(PATH, { meta: { pagination: { pageSize: ' 2 ' } }, data: [] });
      assert.deepEqual([digits.status, digits.body!.meta.pagination!.pageSize, digits.body!.data.length], [200, 2, 2]);
      const nulls = await partnerClient.call(PATH, "{'meta': {'pagination': {'pageSize': None, 'pageToken': None}}, 'data': None}");
      assert.deepEqual([nulls.status, nulls.body!.meta.pagination], [200, { pageSize: 100, totalCount: 3 }]);
    });

    it('refuses a forged page token and a bad page size with 400', async () => {
      const forged = await partnerClient.getPackages({ pageToken: 'not-a-token' });
      assert.equal(forged.status, 400);
      assert.equal(forged.body!.fail[0].errors[0].field, 'pageToken');
      const size = await partnerClient.call('/api/provisioning/get-packages', { meta: { pagination: { pageSize: 0 } }, data: [] });
      assert.equal(size.status, 400);
      assert.equal(size.body!.fail[0].errors[0].field, 'pageSize');
      for (const pageSize of [501, 2.5, 'ten', '0', true]) {
        const res = await partnerClient.call(PATH, { meta: { pagination: { pageSize } }, data: [] });
        assert.deepEqual(res.body!.fail[0].errors, [{ code: 'err_validation_invalid_value', message: 'pageSize must be a whole number from 1 to 500', retryable: false, field: 'pageSize' }], String(pageSize));
      }
    });

    it('needs the provisioning role', async () => {
      const res = await readerClient.getPackages();
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, {
        meta: { status: 403 },
        data: [],
        fail: [{ errors: [{ code: 'err_xdk_operation_forbidden', message: '0003 Forbidden To Perform Operation', retryable: false }] }],
      });
    });

    it("offers a reseller's provisioner its partner's products, as the partner's agreement decides", async () => {
      const res = await resellerProvisioner.getPackages();
      assert.deepEqual(res.body!.data.map((d) => d.products.id), ['1039', '1050', '1053']);
    });
  });
}
