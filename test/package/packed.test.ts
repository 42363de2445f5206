import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DemoCredentials } from '../../src/demo/credentials.js';

/**
 * The package as a user gets it: `npm pack` (which builds), the tarball installed into an empty folder
 * with npm, and `npx partnerhub serve --demo` run from there. Slow by nature — the install builds the
 * SQLite driver from source — and it needs the npm registry (or a warm npm cache).
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The environment without npm's run-script variables or partnerhub settings, so nothing leaks in from the caller. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|PARTNERHUB_)/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Runs a command to its end; fails with its output when it exits non-zero. */
function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${out}\n${err}`))));
  });
}

/** Waits until the server prints its address (it listens on a free port), or fails with what it printed if it exits. */
function listeningUrl(child: ChildProcess, output: { text: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const m = /partnerhub listening on (http:\/\/\S+)/.exec(output.text);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', look);
    child.on('exit', (code) => reject(new Error(`partnerhub exited ${code} before listening:\n${output.text}`)));
  });
}

describe('the packed package', () => {
  let dir: string;
  let tarball: string;
  let appDir: string;
  let server: ChildProcess | undefined;
  const output = { text: '' };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-pack-'));
    const packed = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', dir], ROOT)) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, packed[0].filename);
    appDir = join(dir, 'app');
    mkdirSync(appDir);
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'packed-partnerhub-check', private: true }));
  });
  after(async () => {
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      process.kill(-server.pid, 'SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the build and the licence, and no sources or tests', async () => {
    const files = (await run('tar', ['-tzf', tarball], dir)).split('\n').filter(Boolean);
    for (const f of ['package/package.json', 'package/LICENSE', 'package/README.md', 'package/dist/src/cli/main.js', 'package/dist/src/store/migrations/0001_initial.js', 'package/dist/src/client/rackspace.js']) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    assert.ok(!files.some((f) => /\.ts$|^package\/(test|src|bench)\//.test(f)), 'no TypeScript sources, tests or benchmarks');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.private, undefined);
    for (const field of ['name', 'version', 'license', 'files', 'engines', 'repository', 'bin']) assert.ok(pkg[field], `package.json has ${field}`);
  });

  it('installs into an empty folder without its devDependencies and serves the demo with npx', async () => {
    // --prefer-offline: the npm cache usually holds every tarball already; the registry is asked only for what it lacks.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', tarball], appDir);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const dev of Object.keys(pkg.devDependencies)) {
      assert.ok(!existsSync(join(appDir, 'node_modules', dev)), `${dev} (a devDependency) is not installed`);
    }

    server = spawn('npx', ['--no-install', 'partnerhub', 'serve', '--demo', '--port', '0', '--data-dir', join(dir, 'data'), '--log-level', 'warn'], {
      cwd: appDir,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group (npx, the shell it may start, node), so a signal reaches all of them as a terminal's would.
      detached: true,
    });
    server.stdout!.on('data', (d) => (output.text += d));
    server.stderr!.on('data', (d) => (output.text += d));
    const url = await listeningUrl(server, output);

    let ready: Response | null = null;
    for (let attempt = 0; attempt < 50 && ready?.status !== 200; attempt++) {
      if (attempt) await sleep(200);
      ready = await fetch(`${url}/readyz`).catch(() => null);
    }
    assert.equal(ready?.status, 200, output.text);
    assert.deepEqual(await ready!.json(), { status: 'ready', store: 'sqlite' });

    const landing = await (await fetch(url, { headers: { accept: 'application/json' } })).json();
    assert.equal(landing.store.dialect, 'sqlite');
    assert.equal(landing.demo.credentialsFile, join(dir, 'data', 'demo-credentials.json'));

    // A signed Rackspace call with the demo's credentials, signed by the installed package's own client.
    const creds = JSON.parse(readFileSync(landing.demo.credentialsFile, 'utf8')) as DemoCredentials;
    const client = (await import(pathToFileURL(join(appDir, 'node_modules/partnerhub/dist/src/client/rackspace.js')).href)) as typeof import('../../src/client/rackspace.js');
    const admin = creds.principals.reseller_admin;
    const res = await client.callRackspace(
      client.fetchTransport(url),
      { userKey: admin.rackspace.userKey, secretKey: admin.rackspace.secretKey, userAgent: 'packed-test', at: new Date() },
      { method: 'GET', path: '/v1/customers', query: { size: 3 }, format: 'json' },
    );
    assert.equal(res.status, 200, res.body);
    assert.equal((res.json as { customers: unknown[] }).customers.length, 3);

    // npx passes SIGTERM on to the server, which shuts down cleanly; npx itself then ends by that signal.
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => server!.once('exit', (code, signal) => r({ code, signal })));
    process.kill(-server.pid!, 'SIGTERM');
    const { code, signal } = await exited;
    assert.ok(code === 0 || signal === 'SIGTERM', `ended with ${code ?? signal}\n${output.text}`);
    let answered = true;
    for (let attempt = 0; attempt < 50 && answered; attempt++) {
      if (attempt) await sleep(200);
      answered = await fetch(`${url}/healthz`).then(() => true, () => false);
    }
    assert.equal(answered, false, 'the server is gone');
    assert.doesNotMatch(output.text, /shutdown failed|"level":(50|60)/, 'no error while shutting down');
  });
});
