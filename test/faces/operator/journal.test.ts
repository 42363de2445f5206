import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { cccClient } from '../../helpers/ccc.js';
import { makeSandboxApp, op } from './helpers.js';
import { call } from '../rackspace/helpers.js';
import { rawCall } from '../rackspace/v2-helpers.js';
import { clientFor } from '../mimecast/helpers.js';
import { tallyStatements } from '../../../src/store/tally.js';
import { saveBaseline } from '../../../src/operator/snapshots.js';

const SECURITY_ANSWER = 'the-name-of-my-first-pet-7731';

for (const kind of STORE_KINDS) {
  describe(`request journal on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeSandboxApp(kind, { journalSize: 50, rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 });
      fx = await buildFixture(t.app.domain);
    });
    after(async () => t?.close());

    it('keeps every face’s requests and responses but never a secret', async () => {
      await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}`, format: 'json' });
      const contact = JSON.stringify({ Name: 'Desk', Email: 'desk@a2.example', Phone: '5550100', ReceivesAlerts: true, ReceivesBilling: true, ReceivesUpdates: true, SecurityQuestion: 'Q', SecurityAnswer: SECURITY_ANSWER });
      const added = await rawCall(t, fx.resellerAdminA, { method: 'POST', path: `/v2/customers/${fx.a2.accountNumber}/contacts`, body: contact, contentType: 'application/json' });
      assert.ok(added.status < 300, added.body);
      assert.ok((await rawCall(t, fx.resellerAdminA, { method: 'GET', path: `/v2/customers/${fx.a2.accountNumber}/contacts` })).body.includes(SECURITY_ANSWER), 'the answer is on the wire');
      assert.equal((await clientFor(t.app, t.clock, fx.provisioning.mimecast).getAccount()).status, 200);
      assert.equal((await cccClient(t.app, fx.reader.ccc.apiKey).request('GET', `/api/services/${fx.a1.guid}`)).status, 200);
      assert.equal((await cccClient(t.app, fx.reader.ccc.apiKey, 'basic').request('GET', `/api/services/${fx.a1.guid}?apikey=${fx.reader.ccc.apiKey}`)).status, 200);
      await t.app.journal!.flush();

      const rows = await t.app.domain.db.selectFrom('request_journal').selectAll().execute();
      assert.ok(rows.length >= 6, `${rows.length} rows`);
      const stored = JSON.stringify(rows);
      const secrets = [
        fx.resellerAdminA.rackspace.secretKey,
        fx.reader.ccc.apiKey,
        fx.provisioning.mimecast.secretKey,
        fx.provisioning.mimecast.accessKey,
        SECURITY_ANSWER,
        'X-Api-Signature',
      ];
      for (const s of secrets) assert.ok(!stored.includes(s), `the journal holds ${s}`);
      assert.match(stored, /\[redacted\]/);
      // Nothing else is lost: the contact's name and the signature header's presence are there.
      assert.match(stored, /Desk/);
      assert.ok(rows.every((r) => JSON.parse(r.request_json).headers['x-api-signature'] === undefined || JSON.parse(r.request_json).headers['x-api-signature'] === '[redacted]'));
    });

    it('filters by face, principal, path, method and status; counts ("how many disable calls did my client make?")', async () => {
      await op(t, 'DELETE', '/journal');
      const disable = () => call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${fx.a1.accountNumber}/disable` });
      assert.equal((await disable()).status, 200);
      assert.equal((await disable()).status, 403, 'the second, within 5 minutes, is throttled');
      await call(t, fx.resellerAdminB, { method: 'POST', path: `/v1/customers/${fx.b1.accountNumber}/disable` });
      await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}` });

      const count = async (q: string) => (await op(t, 'GET', `/journal/count?${q}`)).body.count;
      const mine = `principal=${fx.resellerAdminA.principal.guid}`;
      assert.equal(await count(`${mine}&method=POST&path=/v1/customers/*/disable`), 2);
      assert.equal(await count(`${mine}&operation=DisableCustomer`), 2);
      assert.equal(await count(`operation=DisableCustomer`), 3);
      assert.equal(await count(`face=rackspace&status=4xx`), 1);
      assert.equal(await count(`face=ccc`), 0);

      const list = await op(t, 'GET', `/journal?${mine}&limit=10`);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.map((e: { method: string; status: number }) => `${e.method} ${e.status}`), ['GET 200', 'POST 403', 'POST 200'], 'newest first');
      assert.equal(list.body[2].face, 'rackspace');
      assert.equal(list.body[2].request.headers['x-api-signature'], '[redacted]');
    });

    it('adds no statement to a request: written after the answer, in batches, outside its transaction', async () => {
      const { tally } = await tallyStatements(() => call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}` }));
      assert.ok(!tally.sql.some((s) => /request_journal/.test(s)), tally.sql.join('\n'));
      await t.app.journal!.flush();
      assert.equal(await (await op(t, 'GET', `/journal/count?path=/v1/customers/${fx.a1.accountNumber}&method=GET`)).body.count >= 1, true);
    });

    it('keeps only the last N', async () => {
      for (let i = 0; i < 60; i++) await t.app.inject({ method: 'GET', url: '/v1/customers/none' });
      await t.app.journal!.flush();
      const total = await t.app.domain.db.selectFrom('request_journal').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(total.n), 50);
      // A reset returns the store's state, not its traffic: the journal stays.
      await saveBaseline(t.app.domain);
      assert.equal((await op(t, 'POST', '/reset')).status, 200);
      assert.equal((await op(t, 'GET', '/journal/count')).body.count, 50);
    });
  });
}
