import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { STORE_KINDS, storeSuiteOptions, freshStoreUrl, type StoreKind } from '../../helpers/stores.js';
import { openStore, type Store } from '../../../src/store/connect.js';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { SecretBox } from '../../../src/domain/secrets.js';
import { issueCredential, revokeCredential, type IssuedSecrets } from '../../../src/domain/credential.js';
import { tallyStatements } from '../../../src/store/tally.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { system } from './helpers.js';
import { bearerCall, tokenFor } from './oauth-helpers.js';

/** The bound on how long a revocation may take to reach the other process; the poll ends as soon as it has. */
const WITHIN_MS = 1000;

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

/** Two stores on one database stand for two server processes, each with its own authentication cache. */
for (const kind of STORE_KINDS) {
  describe(`mimecast bearer tokens across two processes on ${kind}`, storeSuiteOptions(kind), () => {
    const clock = new ManualClock('2026-03-02T10:00:00.000Z');
    const secrets = new SecretBox(SecretBox.generateKey());
    let drop: () => Promise<void>;
    let one: Twin;
    let two: Twin;
    let fx: Fixture;
    const open = async (url: string): Promise<Twin> => {
      const store = await openStore(url, { poolSize: 5 });
      const config = loadConfig({ database: url, logLevel: 'silent' }, {});
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

    it('a token issued by one process is accepted by the other, which then answers it from its cache', async () => {
      const token = await tokenFor(one.app, fx.reader.mimecast);
      assert.equal((await bearerCall(two.app, token, '/api/account/get-account')).status, 200);
      const cached = await tallyStatements(() => bearerCall(two.app, token, '/api/account/get-account'));
      assert.equal(cached.result.status, 200);
      assert.ok(!cached.tally.sql.some((s) => /access_tokens/.test(s)), 'the second request is answered from the cache');
    });

    it("a credential revoked through one process ends its tokens in the other's cache within a second", async () => {
      const issued = await issueCredential(one.app.domain, system, fx.resellerAdminA.principal.guid, 'mimecast');
      const keys = issued.secrets as Extract<IssuedSecrets, { kind: 'mimecast' }>;
      const token = await tokenFor(two.app, keys);
      assert.equal((await bearerCall(two.app, token, '/api/account/get-account')).status, 200);
      assert.equal((await bearerCall(two.app, token, '/api/account/get-account')).status, 200);
      await revokeCredential(one.app.domain, system, issued.guid);
      assert.ok(await within(async () => (await bearerCall(two.app, token, '/api/account/get-account')).status === 401), `still accepted after ${WITHIN_MS} ms`);
      assert.equal((await bearerCall(one.app, token, '/api/account/get-account')).status, 401);
    });
  });
}
