import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { COMMAND_SETS } from '../../src/cli/sandbox.js';
import { OPERATOR_PREFIX } from '../../src/client/operator.js';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const TOKEN = 'cli-test-operator-token-0001';

describe('partnerhub sandbox … against a running server', () => {
  let dir: string;
  let server: RunningServer;
  let printed: string[];
  const cli = async (args: string[], token = TOKEN) => {
    const env = { ...process.env, PARTNERHUB_URL: server.url, PARTNERHUB_OPERATOR_TOKEN: token };
    try {
      const { stdout, stderr } = await run(process.execPath, [...CLI, 'sandbox', ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-sandbox-cli-'));
    printed = [];
    const config = { ...loadConfig({ database: join(dir, 'p.db'), dataDir: dir, port: 0, logLevel: 'silent' }, {}), sandbox: true, operatorToken: TOKEN, schedulerIntervalMs: 0 };
    server = await startServer(config, { demo: true, print: (l) => printed.push(l) });
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serve prints where the operator API is', () => {
    assert.ok(printed.some((l) => l.includes(`${server.url}/_partnerhub/v1`)), printed.join('\n'));
  });

  it('moves the clock, saves, restores and resets through the operator API', async () => {
    let r = await cli(['clock', 'advance', '31d', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const moved = JSON.parse(r.stdout);
    assert.ok(Date.parse(moved.now) - Date.parse(moved.wall) > 30 * 86_400_000);
    r = await cli(['snapshot', 'save', 'later']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Saved later: \d+ rows/);
    r = await cli(['reset']);
    assert.match(r.stdout, /Restored @baseline/);
    assert.ok(Math.abs(JSON.parse((await cli(['clock', 'get', '--json'])).stdout).offsetMs) < 60_000);
    r = await cli(['snapshot', 'restore', 'later']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(JSON.parse((await cli(['clock', 'get', '--json'])).stdout).offsetMs > 30 * 86_400_000);
    assert.match((await cli(['snapshot', 'list'])).stdout, /@baseline[\s\S]*later/);

    // A command that opens the store itself acts at the business time too, with the sandbox setting on.
    const env = { ...process.env, PARTNERHUB_SANDBOX: 'true', PARTNERHUB_LOG_LEVEL: 'warn' };
    const { stdout } = await run(process.execPath, [...CLI, 'accounts', 'create', '--kind', 'partner', '--name', 'Made Later', '--database', join(dir, 'p.db'), '--data-dir', dir, '--json'], { env });
    const created = JSON.parse(stdout) as { createdAt: string };
    assert.ok(Date.parse(created.createdAt) - Date.now() > 29 * 86_400_000, created.createdAt);
  });

  it('names a bad token and a bad fixture file', async () => {
    const r = await cli(['about'], 'wrong-token-wrong-token');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /401 unauthorized/);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'partners:\n  - name: Fine\n    resellers:\n      - nmae: Typo\n');
    const bad = await cli(['fixtures', 'load', file]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.yaml:4:\d+: \/partners\/0\/resellers\/0/);
    const check = await cli(['fixtures', 'check', file]);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /bad\.yaml:4:/);
  });

  it('has a command for every operator route (one for one)', () => {
    const offline = new Set(['GET /_partnerhub/v1/fixtures/schema']);
    for (const r of server.app.faceRoutes.filter((x) => x.face === 'operator')) {
      const key = `${r.method} ${r.url.replace(/\/$/, '') || '/'}`;
      if (offline.has(key)) continue;
      const pattern = new RegExp('^' + r.url.replace(OPERATOR_PREFIX, '').replace(/:[a-z]+/g, '[^/]+').replace(/\/$/, '') + '/?$');
      const found = COMMAND_SETS.flat().some((c) => c.method === r.method && pattern.test(typeof c.path === 'string' ? c.path : c.path(['x'], {})));
      assert.ok(found, `no sandbox command for ${key}`);
    }
  });
});
