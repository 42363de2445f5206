import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { STORE_KINDS, storeSuiteOptions, freshStoreUrl, PG_URL, type StoreKind } from '../helpers/stores.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/domain/clock.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { injectTransport } from '../faces/rackspace/helpers.js';
import { callRackspace } from '../../src/client/rackspace.js';
import { tallyStatements } from '../../src/store/tally.js';
import { issueCredential, revokeCredential, type IssuedSecrets } from '../../src/domain/credential.js';
import { createPrincipal, setPrincipalRoles, systemActor } from '../../src/domain/principal.js';
import { createAccount, deleteAccount } from '../../src/domain/account.js';

const system = systemActor('test');
/** The bound on how long a change may take to reach the other process; the poll ends as soon as it has. */
const WITHIN_MS = 1000;

/** Polls `check` until it holds or `WITHIN_MS` has passed; returns whether it held. */
async function within(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + WITHIN_MS;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Twin {
  store: Store;
  app: FastifyInstance;
}

/**
 * Two stores on one database stand for two server processes, each with its own authentication cache: a
 * change made through one is seen by the other (PostgreSQL: the change channel; SQLite: data_version).
 */
for (const kind of STORE_KINDS) {
  describe(`authentication cache across two processes on ${kind}`, storeSuiteOptions(kind), () => {
    const clock = new ManualClock('2026-03-02T10:00:00.000Z');
    const secrets = new SecretBox(SecretBox.generateKey());
    let drop: () => Promise<void>;
    let one: Twin;
    let two: Twin;
    let fx: Fixture;
    const open = async (url: string): Promise<Twin> => {
      const store = await openStore(url, { poolSize: 5 });
      const config = { ...loadConfig({ database: url, logLevel: 'silent' }, {}), rackspaceReadsPerMinute: 0 };
      const app = await buildApp(config, { store, clock, secrets }, { logger: false });
      await app.ready();
      return { store, app };
    };
    before(async () => {
      const fresh = await freshStoreUrl(kind as StoreKind);
      drop = fresh.drop;
      one = await open(fresh.url);
      two = await open(fresh.url);
      fx = await buildFixture(one.app.domain);
    });
    after(async () => {
      for (const twin of [one, two]) {
        await twin?.app.close();
        await twin?.store.close();
      }
      await drop?.();
    });

    const show = (app: FastifyInstance, who: { rackspace: { userKey: string; secretKey: string } }, accountNumber = fx.a1.accountNumber) =>
      callRackspace(injectTransport(app), { ...who.rackspace, userAgent: 'test', at: clock.now(), zone: 'utc' }, { method: 'GET', path: `/v1/customers/${accountNumber}`, format: 'json' });
    const warm = async (app: FastifyInstance, who: { rackspace: { userKey: string; secretKey: string } }, accountNumber?: string) => {
      assert.equal((await show(app, who, accountNumber)).status, 200);
      const cached = await tallyStatements(() => show(app, who, accountNumber));
      assert.equal(cached.result.status, 200);
      assert.ok(!cached.tally.sql.some((s) => /from "credentials"/.test(s)), 'the second request is answered from the cache');
    };

    it('a key revoked through one process is refused by the other within a second', async () => {
      const issued = await issueCredential(one.app.domain, system, fx.resellerAdminA.principal.guid, 'rackspace');
      const who = { rackspace: issued.secrets as Extract<IssuedSecrets, { kind: 'rackspace' }> };
      await warm(two.app, who);
      await revokeCredential(one.app.domain, system, issued.guid);
      assert.ok(await within(async () => (await show(two.app, who)).status === 403), `still accepted after ${WITHIN_MS} ms`);
      assert.equal((await show(one.app, who)).status, 403);
    });

    it('a role change made through one process reaches the other', async () => {
      const contacts = (app: FastifyInstance) =>
        callRackspace(injectTransport(app), { ...fx.provisioning.rackspace, userAgent: 'test', at: clock.now(), zone: 'utc' }, { method: 'GET', path: `/v2/customers/${fx.a1.accountNumber}/contacts`, format: 'json' });
      assert.equal((await contacts(two.app)).status, 403);
      await setPrincipalRoles(one.app.domain, system, fx.provisioning.principal.guid, ['partner_provisioning', 'account_read']);
      assert.ok(await within(async () => (await contacts(two.app)).status === 200), 'the new role did not arrive');
    });

    it("an account deleted through one process refuses its principals' keys in the other", async () => {
      const doomed = await createAccount(one.app.domain, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Doomed Customer' });
      const admin = await createPrincipal(one.app.domain, system, { accountGuid: doomed.guid, email: 'admin@doomed.example', name: 'Doomed', roles: ['customer_admin'] });
      const issued = await issueCredential(one.app.domain, system, admin.guid, 'rackspace');
      const who = { rackspace: issued.secrets as Extract<IssuedSecrets, { kind: 'rackspace' }> };
      await warm(two.app, who, doomed.accountNumber);
      await deleteAccount(one.app.domain, fx.resellerAdminA.actor, doomed.guid);
      assert.ok(await within(async () => (await show(two.app, who, doomed.accountNumber)).status === 403), 'still accepted');
    });

    if (kind === 'postgres') {
      it('a lost change channel empties the cache and is listened to again', async () => {
        await warm(two.app, fx.resellerAdminA);
        assert.ok(two.app.domain.authCache!.size > 0);
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        try {
          // Every listener of this schema's channel (both stores) loses its connection.
          const { rowCount } = await admin.query(
            `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'partnerhub-changes' and query = $1`,
            [`listen "partnerhub:${two.store.schema}"`],
          );
          assert.equal(rowCount, 2);
        } finally {
          await admin.end();
        }
        assert.ok(await within(async () => two.app.domain.authCache!.size === 0), 'the cache outlived its channel');
        assert.ok(await within(async () => two.store.changes.live), 'the channel was not listened to again');
        // Listening again, the cache fills and is kept right as before.
        await warm(two.app, fx.resellerAdminA);
        const issued = await issueCredential(one.app.domain, system, fx.resellerAdminA.principal.guid, 'rackspace');
        const who = { rackspace: issued.secrets as Extract<IssuedSecrets, { kind: 'rackspace' }> };
        await warm(two.app, who);
        await revokeCredential(one.app.domain, system, issued.guid);
        assert.ok(await within(async () => (await show(two.app, who)).status === 403), 'a revocation after reconnecting was missed');
      });
    }
  });
}
