import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeServedTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture, type FixturePrincipal } from '../helpers/fixture.js';
import { tallyStatements } from '../../src/store/tally.js';
import { call } from '../faces/rackspace/helpers.js';
import { clientFor } from '../faces/mimecast/helpers.js';
import { cccClient } from '../helpers/ccc.js';
import { issueCredential, revokeCredential, type IssuedSecrets } from '../../src/domain/credential.js';
import { createPrincipal, setPrincipalRoles, systemActor } from '../../src/domain/principal.js';
import { createAccount, deleteAccount, updateAccount } from '../../src/domain/account.js';
import type { MimecastCredentials } from '../../src/client/mimecast.js';

const system = systemActor('test');
type Rackspace = { rackspace: Extract<IssuedSecrets, { kind: 'rackspace' }> };

const readsCredentials = (sql: string[]) => sql.some((s) => /from "credentials"/.test(s));

/**
 * The per-process authentication cache: a warm cache spares the credential read, and every change that
 * must take effect (revocation, expiry, a role change, a deleted account) is seen by the very next request.
 */
for (const kind of STORE_KINDS) {
  describe(`authentication cache on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      // Throttling off: these tests send many reads at one clock time.
      t = await makeServedTestApp(kind, { rackspaceReadsPerMinute: 0 });
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    const show = (who: Rackspace, accountNumber = fx.a1.accountNumber) => call(t, who, { method: 'GET', path: `/v1/customers/${accountNumber}`, format: 'json' });
    const rackspaceKey = async (who: FixturePrincipal, expiresAt?: string) => {
      const issued = await issueCredential(t.ctx, system, who.principal.guid, 'rackspace', { expiresAt });
      return { guid: issued.guid, who: { rackspace: issued.secrets as Rackspace['rackspace'] } };
    };

    it('a warm cache authenticates every face without reading the credential', async () => {
      assert.equal((await show(fx.resellerAdminA)).status, 200);
      const rackspace = await tallyStatements(() => show(fx.resellerAdminA));
      assert.equal(rackspace.result.status, 200);
      assert.equal(readsCredentials(rackspace.tally.sql), false, rackspace.tally.sql.join('\n'));

      const mimecast = clientFor(t.app, t.clock, fx.reader.mimecast as MimecastCredentials);
      assert.equal((await mimecast.getSupportInfo()).status, 200);
      const support = await tallyStatements(() => mimecast.getSupportInfo());
      assert.equal(support.result.status, 200);
      // Neither the application id nor the key is read again.
      assert.equal(readsCredentials(support.tally.sql), false, support.tally.sql.join('\n'));

      const ccc = cccClient(t.app, fx.reader.ccc.apiKey);
      assert.equal((await ccc.request('GET', '/api/services/status', { query: { PageSize: 5 } })).status, 200);
      const status = await tallyStatements(() => ccc.request('GET', '/api/services/status', { query: { PageSize: 5 } }));
      assert.equal(status.result.status, 200);
      assert.equal(readsCredentials(status.tally.sql), false, status.tally.sql.join('\n'));
    });

    it('a revoked key is refused by the next request, on every face', async () => {
      const rackspace = await rackspaceKey(fx.resellerAdminA);
      const mimecast = await issueCredential(t.ctx, system, fx.reader.principal.guid, 'mimecast');
      const ccc = await issueCredential(t.ctx, system, fx.reader.principal.guid, 'ccc');
      const mc = clientFor(t.app, t.clock, mimecast.secrets as MimecastCredentials);
      const cc = cccClient(t.app, (ccc.secrets as { apiKey: string }).apiKey);
      const ask = async () => [(await show(rackspace.who)).status, (await mc.getSupportInfo()).status, (await cc.request('GET', '/api/services/status')).status];
      // Twice: the second round is answered from the cache.
      assert.deepEqual(await ask(), [200, 200, 200]);
      assert.deepEqual(await ask(), [200, 200, 200]);
      for (const guid of [rackspace.guid, mimecast.guid, ccc.guid]) await revokeCredential(t.ctx, system, guid);
      assert.deepEqual(await ask(), [403, 418, 403]);
    });

    it('expiry is judged against the clock on every request, cached or not', async () => {
      const key = await rackspaceKey(fx.resellerAdminA, new Date(t.clock.now().getTime() + 60_000).toISOString());
      assert.equal((await show(key.who)).status, 200);
      assert.equal((await show(key.who)).status, 200);
      t.clock.advance(61_000);
      assert.equal((await show(key.who)).status, 403);
    });

    it('a role change is seen by the next request', async () => {
      const contacts = () => call(t, fx.provisioning, { method: 'GET', path: `/v2/customers/${fx.a1.accountNumber}/contacts`, format: 'json' });
      assert.equal((await contacts()).status, 403);
      assert.equal((await contacts()).status, 403);
      await setPrincipalRoles(t.ctx, system, fx.provisioning.principal.guid, ['partner_provisioning', 'account_read']);
      assert.equal((await contacts()).status, 200);
      await setPrincipalRoles(t.ctx, system, fx.provisioning.principal.guid, ['partner_provisioning']);
      assert.equal((await contacts()).status, 403);
    });

    it("deleting a principal's account refuses its keys at once", async () => {
      const doomed = await createAccount(t.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Doomed Customer' });
      const admin = await createPrincipal(t.ctx, system, { accountGuid: doomed.guid, email: 'admin@doomed.example', name: 'Doomed', roles: ['customer_admin'] });
      const issued = await issueCredential(t.ctx, system, admin.guid, 'rackspace');
      const who = { rackspace: issued.secrets as Rackspace['rackspace'] };
      assert.equal((await show(who, doomed.accountNumber)).status, 200);
      assert.equal((await show(who, doomed.accountNumber)).status, 200);
      await deleteAccount(t.ctx, fx.resellerAdminA.actor, doomed.guid);
      assert.equal((await show(who, doomed.accountNumber)).status, 403);
    });

    it('a change to what authentication does not read leaves the cache warm', async () => {
      // The notices of the tests before (PostgreSQL delivers them late) must not land between the warm-up and the check.
      await t.ts.store.changes.settled();
      assert.equal((await show(fx.resellerAdminA)).status, 200);
      await updateAccount(t.ctx, system, fx.resellerA.guid, { name: 'Reseller A (renamed)' });
      const after = await tallyStatements(() => show(fx.resellerAdminA));
      assert.equal(after.result.status, 200);
      assert.equal(readsCredentials(after.tally.sql), false, after.tally.sql.join('\n'));
    });
  });
}
