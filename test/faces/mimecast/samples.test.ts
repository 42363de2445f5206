import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import type { MimecastCredentials } from '../../../src/client/mimecast.js';

const run = promisify(execFile);
const FIXTURES = resolve('test/fixtures/mimecast');

/** Mimecast's Python sample from seed 000, with only the base URL and the keys filled in. */
function pythonSample(baseUrl: string, c: MimecastCredentials): string {
  const sample = readFileSync(join(FIXTURES, 'get_support_info.py'), 'utf8');
  const filled = sample
    .replace('"https://xx-api.mimecast.com"', JSON.stringify(baseUrl))
    .replace('"YOUR ACCESS KEY"', JSON.stringify(c.accessKey))
    .replace('"YOUR SECRET KEY"', JSON.stringify(c.secretKey))
    .replace('"YOUR APPLICATION ID"', JSON.stringify(c.appId))
    .replace('"YOUR APPLICATION KEY"', JSON.stringify(c.appKey));
  // Everything but those five lines must be the sample exactly as published.
  const changed = filled.split('\n').filter((line, i) => line !== sample.split('\n')[i]);
  assert.equal(changed.length, 5);
  return filled;
}

for (const kind of STORE_KINDS) {
  describe(`vendor sample clients against a listening server on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let baseUrl: string;
    let dir: string;
    before(async () => {
      t = await makeTestApp(kind);
      fx = await buildFixture(t.ctx);
      // The samples stamp x-mc-date from the wall clock.
      t.clock.set(Date.now());
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address();
      baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      dir = mkdtempSync(join(tmpdir(), 'partnerhub-mimecast-sample-'));
    });
    after(async () => {
      await t?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const expectSupportInfo = (stdout: string) => {
      const body = JSON.parse(stdout);
      assert.equal(body.meta.status, 200, stdout);
      assert.deepEqual(body.fail, []);
      assert.equal(body.data[0].partnerName, 'Test Partner');
      assert.equal(body.data[0].officePhone, '+1 800 555 0199');
    };

    it('runs the seed 000 Python sample unchanged (with the installed requests module, or the shim when it is missing)', async () => {
      const file = join(dir, 'sample.py');
      writeFileSync(file, pythonSample(baseUrl, fx.reader.mimecast));
      const { stdout } = await run('python3', [file], { timeout: 60_000 });
      expectSupportInfo(stdout);
    });

    it('runs the same sample over the urllib requests shim', async () => {
      const file = join(dir, 'sample-shim.py');
      writeFileSync(file, pythonSample(baseUrl, fx.customerAdminA1.mimecast));
      const { stdout } = await run('python3', [file], { timeout: 60_000, env: { ...process.env, PYTHONPATH: join(FIXTURES, 'requests-shim') } });
      expectSupportInfo(stdout);
    });

    it('runs an API 2.0 script: a token from /oauth/token, then get-dashboard-notifications and get-account with it', async () => {
      const script = join(FIXTURES, 'api2_dashboard_notifications.py');
      const c = fx.customerAdminA1.mimecast;
      const notifications = JSON.parse((await run('python3', [script, baseUrl, c.accessKey, c.secretKey, '/api/account/get-dashboard-notifications'], { timeout: 60_000 })).stdout);
      assert.deepEqual(notifications, { meta: { status: 200 }, data: [{ notifications: [] }], fail: [] });
      const account = JSON.parse((await run('python3', [script, baseUrl, c.accessKey, c.secretKey, '/api/account/get-account'], { timeout: 60_000 })).stdout);
      assert.equal(account.data[0].accountCode, fx.a1.accountCode);
    });

    it('partnerhub call mimecast --oauth fetches a bearer token with the access and secret keys and sends it', async () => {
      const c = fx.reader.mimecast;
      const cli = ['--import', 'tsx', 'src/cli/main.ts', 'call', 'mimecast', '--oauth', '--url', baseUrl, '--access-key', c.accessKey, '--secret-key', c.secretKey];
      const ok = await run(process.execPath, [...cli, '/api/account/get-support-info', '--verbose'], { timeout: 60_000 });
      assert.equal(JSON.parse(ok.stdout).data[0].partnerName, 'Test Partner');
      assert.match(ok.stderr, /bearer token from \/oauth\/token, expires in 1800 s/);
      await assert.rejects(run(process.execPath, [...cli.slice(0, -1), 'AAAA', '/api/account/get-account'], { timeout: 60_000 }), (e: any) => {
        assert.equal(e.code, 2);
        assert.match(e.stderr, /HTTP 401 invalid_client/);
        return true;
      });
    });

    it('partnerhub call mimecast signs and sends with a credentials file and --role, or with flags', async () => {
      const creds = join(dir, 'demo-credentials.json');
      writeFileSync(
        creds,
        JSON.stringify({ version: 1, baseUrl, principals: { partner_provisioning: { mimecast: fx.provisioning.mimecast }, account_read: { mimecast: fx.reader.mimecast } } }),
      );
      const cli = ['--import', 'tsx', 'src/cli/main.ts', 'call', 'mimecast'];
      const fromFile = await run(process.execPath, [...cli, '/api/account/get-account', '--credentials', creds, '--role', 'account_read'], { timeout: 60_000 });
      assert.equal(JSON.parse(fromFile.stdout).data[0].accountCode, fx.partner.accountCode);

      const c = fx.provisioning.mimecast;
      const update = await run(
        process.execPath,
        [...cli, '/api/account/update-account', '--url', baseUrl, '--access-key', c.accessKey, '--secret-key', c.secretKey, '--app-id', c.appId, '--app-key', c.appKey,
          '--data', JSON.stringify({ data: [{ accountCode: fx.a2.accountCode, numberOfUsers: 2 }] }), '--verbose'],
        { timeout: 60_000 },
      );
      assert.equal(JSON.parse(update.stdout).data[0].userCount, fx.a2.userCount + 2);
      assert.match(update.stderr, /HTTP 200; X-RateLimit-Limit \d+/);

      const env = { ...process.env, PARTNERHUB_URL: baseUrl, PARTNERHUB_MIMECAST_ACCESS_KEY: c.accessKey, PARTNERHUB_MIMECAST_SECRET_KEY: 'AAAA', PARTNERHUB_MIMECAST_APP_ID: c.appId, PARTNERHUB_MIMECAST_APP_KEY: c.appKey };
      await assert.rejects(run(process.execPath, [...cli, '/api/account/get-account'], { timeout: 60_000, env }), (e: any) => {
        assert.equal(e.code, 1);
        assert.equal(JSON.parse(e.stdout).fail[0].errors[0].code, 'err_xdk_invalid_signature');
        return true;
      });
    });
  });
}
