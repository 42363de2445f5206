import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

const run = promisify(execFile);
const ENV = { ...process.env, PARTNERHUB_LOG_LEVEL: 'warn', PARTNERHUB_SCHEDULER_INTERVAL_MS: '0' };

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: ENV, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** A person enters the control panel from `npm start` (serve --demo) or from `partnerhub panel-link`, without API code. */
describe('control panel sign-in links', () => {
  let dir: string;
  let server: RunningServer | undefined;
  const printed: string[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-panel-link-'));
    const config = loadConfig({ port: 0, dataDir: dir, logLevel: 'silent' }, { PARTNERHUB_SCHEDULER_INTERVAL_MS: '0' });
    server = await startServer(config, { demo: true, print: (line) => printed.push(line) });
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serve --demo prints a sign-in link for the reseller admin that opens its panel', async () => {
    const output = printed.join('\n');
    const link = new RegExp(`${server!.url.replace(/[.]/g, '\\.')}/TokenLogin\\.aspx\\?loginToken=[0-9A-F]{40}`).exec(output)?.[0];
    assert.ok(link, output.slice(-800));
    assert.match(output, /sign in as the reseller admin admin@contoso\.example/);
    const res = await fetch(link, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const home = await fetch(`${server!.url}/panel/`, { headers: { cookie }, redirect: 'manual' });
    const page = await fetch(new URL(home.headers.get('location')!, server!.url), { headers: { cookie } });
    assert.match(await page.text(), /<h1>Contoso Reseller<\/h1>/);
    assert.equal((await fetch(link, { redirect: 'manual' })).status, 401, 'the printed link works once');
  });

  it('partnerhub panel-link prints a fresh one-time link, for an admin user or a virtual user', async () => {
    const db = join(dir, 'partnerhub.db');
    const real = await cli(['panel-link', '--account', '460102', '--user', 'admin@contoso.example', '--database', db, '--data-dir', dir, '--json']);
    assert.equal(real.code, 0, real.stderr);
    const doc = JSON.parse(real.stdout);
    assert.equal(doc.user, 'admin@contoso.example');
    const res = await fetch(doc.url.replace(/^http:\/\/[^/]+/, server!.url), { redirect: 'manual' });
    assert.equal(res.status, 303);
    const virtual = await cli(['panel-link', '--account', '460102', '--user', 'helpdesk', '--virtual', '--database', db, '--data-dir', dir]);
    assert.equal(virtual.code, 0, virtual.stderr);
    assert.match(virtual.stdout, /as helpdesk_460102_vu/);
    assert.match(virtual.stdout, /\/TokenLogin\.aspx\?loginToken=[0-9A-F]{40}/);
    const unknown = await cli(['panel-link', '--account', '460102', '--user', 'nobody', '--database', db, '--data-dir', dir]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Admin user not found: nobody/);
  });
});
