import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeSuiteOptions, freshStoreUrl } from '../helpers/stores.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { systemClock } from '../../src/domain/clock.js';
import { SecretBox } from '../../src/domain/secrets.js';
import type { DomainContext } from '../../src/domain/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { callRackspace, fetchTransport } from '../../src/client/rackspace.js';
import { issueCredential, revokeCredential, type IssuedSecrets } from '../../src/domain/credential.js';
import { systemActor } from '../../src/domain/principal.js';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const WITHIN_MS = 1000;

/** Starts `partnerhub serve` and resolves with its URL once it listens. */
function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...CLI, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}: ${out}`));
    };
    const timer = setTimeout(() => fail('no listening line'), 90_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => fail(`server exited ${code}`));
  });
}

/**
 * Two real server processes on one PostgreSQL schema: a key revoked by a third process (this test, through
 * the domain) is refused by both within a second, though each had it cached.
 */
describe('two partnerhub serve processes on one PostgreSQL schema', storeSuiteOptions('postgres'), () => {
  const key = SecretBox.generateKey();
  let dir: string;
  let drop: () => Promise<void>;
  let store: Store;
  let ctx: DomainContext;
  let fx: Fixture;
  const servers: { child: ChildProcess; url: string }[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-two-'));
    const fresh = await freshStoreUrl('postgres');
    drop = fresh.drop;
    store = await openStore(fresh.url, { poolSize: 2 });
    ctx = { db: store.db, dialect: store.dialect, clock: systemClock, secrets: new SecretBox(key) };
    fx = await buildFixture(ctx);
    const env = {
      ...process.env,
      PARTNERHUB_DATABASE_URL: fresh.url,
      PARTNERHUB_SECRET_KEY: key.toString('base64'),
      PARTNERHUB_DATA_DIR: dir,
      PARTNERHUB_LOG_LEVEL: 'warn',
      PARTNERHUB_SCHEDULER_INTERVAL_MS: '0',
      PARTNERHUB_RACKSPACE_READS_PER_MINUTE: '0',
    };
    // One after the other, so a failing start leaves no server behind.
    servers.push(await serve(env));
    servers.push(await serve(env));
  });

  after(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await store?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a key revoked elsewhere is refused by both servers within a second', async () => {
    const system = systemActor('test');
    const issued = await issueCredential(ctx, system, fx.resellerAdminA.principal.guid, 'rackspace');
    const secrets = issued.secrets as Extract<IssuedSecrets, { kind: 'rackspace' }>;
    const show = (url: string) =>
      callRackspace(fetchTransport(url), { ...secrets, userAgent: 'two-processes', at: new Date(), zone: 'utc' }, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}`, format: 'json' });
    for (const { url } of servers) {
      assert.equal((await show(url)).status, 200);
      assert.equal((await show(url)).status, 200);
    }
    await revokeCredential(ctx, system, issued.guid);
    const revokedAt = Date.now();
    for (const { url } of servers) {
      let status = 0;
      while ((status = (await show(url)).status) === 200 && Date.now() - revokedAt < WITHIN_MS) await new Promise((r) => setTimeout(r, 10));
      assert.equal(status, 403, `${url} still accepted the key ${WITHIN_MS} ms after it was revoked`);
    }
  });
});
