import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { STORE_KINDS, freshStoreUrl, storeSuiteOptions } from '../helpers/stores.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { DemoCredentials } from '../../src/demo/seed.js';
import { parseUsageFile } from '../../src/cli/ccc.js';

const run = promisify(execFile);
const MAIN = join(import.meta.dirname, '../../src/cli/main.ts');

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, ...env }, maxBuffer: 10_000_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('usage file parsing', () => {
  it('maps domain and CCC column names in any case and refuses unknown columns', () => {
    const recs = parseUsageFile('ServiceCode,date,TotalUserCount,total_message_count,proUsers\nCUSA1,2026-01-02,5,7,3\n', 'csv');
    assert.deepEqual(recs, [{ account: 'CUSA1', day: '2026-01-02', counters: { totalUsers: '5', messages: '7', proUsers: '3' } }]);
    assert.throws(() => parseUsageFile('account,day,widgets\nx,2026-01-01,1\n', 'csv'), /unknown column "widgets"/);
    assert.deepEqual(parseUsageFile('{"records":[{"account":"a","day":"2026-01-01","messages":2}]}', 'json')[0].counters, { messages: 2 });
    assert.throws(() => parseUsageFile('{"x":1}', 'json'), /array of records/);
  });
});

for (const kind of STORE_KINDS) {
  describe(`partnerhub CLI for CCC on ${kind}`, storeSuiteOptions(kind), () => {
    let server: RunningServer;
    let dir: string;
    let url: string;
    let drop: () => Promise<void>;
    let creds: DemoCredentials;
    let storeArgs: string[];

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'partnerhub-ccc-cli-'));
      ({ url, drop } = await freshStoreUrl(kind));
      const config = loadConfig({ database: url, port: 0, dataDir: dir, logLevel: 'silent', out: join(dir, 'demo.json') }, {});
      server = await startServer({ ...config, schedulerIntervalMs: 0 }, { demo: true, print: () => undefined });
      creds = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8'));
      storeArgs = ['--database', url, '--data-dir', dir];
    });
    after(async () => {
      await server?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('calls the status search with demo credentials, a key flag or the environment', async () => {
      const r = await cli(['call', 'ccc', 'GET', '/api/services/status?PageSize=5', '--credentials', join(dir, 'demo.json'), '--role', 'account_read', '--url', server.url]);
      assert.equal(r.code, 0, r.stderr);
      const page = JSON.parse(r.stdout);
      assert.equal(page.pageSize, 5);
      assert.equal(page.results.length, 5);
      assert.ok(page.totalItems > 56, String(page.totalItems));
      const reseller = creds.principals.reseller_admin.ccc.apiKey;
      const viaFlag = await cli(['call', 'ccc', 'GET', `/api/resellers/${creds.resellers[0].guid}`, '--api-key', reseller, '--url', server.url]);
      assert.equal(JSON.parse(viaFlag.stdout).resellerName, creds.resellers[0].name);
      const viaEnv = await cli(['call', 'ccc', 'GET', '/api/services/status.xml?PageSize=1', '--url', server.url], { PARTNERHUB_CCC_API_KEY: reseller });
      assert.match(viaEnv.stdout, /^<\?xml .*<ServiceStatusChangesResponse /);
      const denied = await cli(['call', 'ccc', 'GET', '/api/services/status', '--api-key', 'wrong', '--url', server.url]);
      assert.equal(denied.code, 1);
      assert.equal(JSON.parse(denied.stdout).responseStatus.message, 'Not Authenticated');
      const missing = await cli(['call', 'ccc', 'GET', '/api/services/status', '--url', server.url], { PARTNERHUB_CCC_API_KEY: '' });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /missing API key/);
    });

    it('serves the demo\'s usage', async () => {
      const now = new Date();
      const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
      const r = await cli(['call', 'ccc', 'GET', `/api/services/usage?PeriodType=Monthly&Period=${lastMonth}&PageSize=100`, '--credentials', join(dir, 'demo.json'), '--url', server.url]);
      assert.equal(r.code, 0, r.stderr);
      const page = JSON.parse(r.stdout);
      assert.ok(page.totalItems > 10, String(page.totalItems));
      assert.ok(page.results.every((u: { totalUserCount: number }) => u.totalUserCount > 0));
    });

    it('imports usage from CSV and JSON, all or nothing', async () => {
      const list = JSON.parse((await cli(['call', 'ccc', 'GET', '/api/services?PageSize=2', '--credentials', join(dir, 'demo.json'), '--url', server.url])).stdout);
      const [s1, s2] = list.results;
      const csv = join(dir, 'usage.csv');
      writeFileSync(csv, `ServiceCode,Date,TotalUserCount,TotalMessageCount\n${s1.serviceCode},2020-05-01,41,10\n${s1.serviceCode},2020-05-02,40,15\n`);
      const ok = await cli(['usage', 'import', csv, ...storeArgs]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /Imported 2 day\(s\) of usage for 1 account\(s\)/);
      // Not a terminal: progress comes as plain lines on stderr, the last one when the records are all checked.
      assert.match(ok.stderr, /^usage records: 0\/2 \(0%\), 0\/s, about unknown left$/m);
      assert.match(ok.stderr, /^usage records: 2\/2 \(100%\), \d+\/s, done$/m);
      assert.doesNotMatch(ok.stderr, /\u001b\[/, 'no terminal control codes');
      const month = await cli(['call', 'ccc', 'GET', `/api/services/${s1.serviceGuid}/serviceusage?PeriodType=Monthly&Period=2020-05-01`, '--credentials', join(dir, 'demo.json'), '--url', server.url]);
      const u = JSON.parse(month.stdout);
      assert.deepEqual([u.totalUserCount, u.totalMessageCount], [41, 25]);
      const json = join(dir, 'usage.json');
      writeFileSync(json, JSON.stringify([{ account: s2.serviceGuid, day: '2020-05-01', messages: 3 }, { account: s2.serviceGuid, day: 'May 1st', messages: 3 }]));
      const bad = await cli(['usage', 'import', json, ...storeArgs]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /record 2: day must be a date/);
      const none = await cli(['call', 'ccc', 'GET', `/api/services/${s2.serviceGuid}/serviceusage?Period=2020-05-01`, '--credentials', join(dir, 'demo.json'), '--url', server.url]);
      assert.equal(JSON.parse(none.stdout).totalMessageCount, 0);
    });

    it('sets a status as an operator and refuses forbidden transitions', async () => {
      const created = await cli([
        'call', 'ccc', 'POST', '/api/services', '--credentials', join(dir, 'demo.json'), '--role', 'reseller_admin', '--url', server.url,
        '--data', JSON.stringify({ PrimaryDomain: 'cli-made.example', ResellerGuid: creds.principals.reseller_admin.account.guid }),
      ]);
      assert.equal(created.code, 0, created.stdout + created.stderr);
      const service = JSON.parse(created.stdout);
      assert.equal(service.status, 'TrialActive');
      const allowed = await cli(['accounts', 'set-status', service.serviceCode, 'CertifiedSecure', '--reason', 'paid', ...storeArgs]);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.match(allowed.stdout, /TrialActive -> CertifiedSecure/);
      const refused = await cli(['accounts', 'set-status', service.serviceGuid, 'TrialExpired', ...storeArgs]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /A service cannot change from CertifiedSecure to TrialExpired; from CertifiedSecure it can become AccountSuspended, Blocked, AccountCancelled/);
      const history = JSON.parse((await cli(['call', 'ccc', 'GET', `/api/services/status?ServiceGuid=${service.serviceGuid}`, '--credentials', join(dir, 'demo.json'), '--url', server.url])).stdout);
      assert.deepEqual(history.results.map((r: { status: string }) => r.status), ['CertifiedSecure', 'TrialActive']);
      assert.equal(history.results[0].changedByUserEmailAddress, 'system@partnerhub.local');
    });
  });
}
