import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { parseDemoCredentials } from '../../src/demo/credentials.js';
import { claimSqliteServe } from '../../src/store/serve-lock.js';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const ENV = { ...process.env, PARTNERHUB_LOG_LEVEL: 'warn', PARTNERHUB_SCHEDULER_INTERVAL_MS: '0' };

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], { env: ENV, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('partnerhub CLI', () => {
  let dir: string;
  let db: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-cli-'));
    db = join(dir, 'partnerhub.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds the demo, writes owner-only credentials, and keeps every secret out of the database file', async () => {
    const out = join(dir, 'creds.json');
    const r = await cli(['demo', '--database', db, '--data-dir', dir, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /56 customers/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
    // The written document matches its published schema (the one the README documents).
    const creds = parseDemoCredentials(readFileSync(out, 'utf8'));
    assert.equal(creds.version, 1);
    assert.deepEqual(Object.keys(creds.principals).sort(), ['account_read', 'customer_admin', 'partner_provisioning', 'reseller_admin']);
    const secrets: string[] = [];
    for (const p of Object.values(creds.principals) as any[]) {
      secrets.push(p.mimecast.secretKey, p.mimecast.appKey, p.rackspace.secretKey, p.ccc.apiKey);
    }
    // Every file SQLite wrote (main file and WAL) is searched for each secret as raw text.
    const files = readdirSync(dir).filter((f) => f.startsWith('partnerhub.db'));
    assert.ok(files.length >= 1);
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
    for (const s of secrets) assert.equal(bytes.includes(Buffer.from(s)), false, 'a secret is stored in plain text');
    // The public ids are there: proof that the search reads the data at all.
    assert.equal(bytes.includes(Buffer.from(creds.principals.reseller_admin.rackspace.userKey)), true);
  });

  it('names what is wrong with a credentials file given to call', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ principals: { reseller_admin: { rackspace: { userKey: 'only-half' } } } }));
    const r = await cli(['call', 'rackspace', 'GET', '/v1/customers', '--credentials', broken]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read credentials file .*broken\.json: not a partnerhub credentials document: \/principals\/reseller_admin\/rackspace\/secretKey/);
    const role = await cli(['call', 'ccc', 'GET', '/api/ping', '--credentials', join(dir, 'creds.json'), '--role', 'nobody']);
    assert.equal(role.code, 2);
    assert.match(role.stderr, /has no principal "nobody" \(roles: partner_provisioning, account_read, reseller_admin, customer_admin\)/);
  });

  it('refuses to seed a store that already holds data', async () => {
    const r = await cli(['demo', '--database', db, '--data-dir', dir, '--out', join(dir, 'again.json')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /already holds accounts/);
  });

  it('lists, shows and audits accounts, with --json for scripts', async () => {
    const list = await cli(['accounts', 'list', '--database', db, '--data-dir', dir, '--json', '--limit', '500']);
    assert.equal(list.code, 0, list.stderr);
    const parsed = JSON.parse(list.stdout);
    assert.equal(parsed.total, 59);
    const some = parsed.items.find((a: any) => a.kind === 'customer');
    const show = await cli(['accounts', 'show', some.accountNumber, '--database', db, '--data-dir', dir, '--json']);
    const shown = JSON.parse(show.stdout);
    assert.equal(shown.guid, some.guid);
    assert.equal(shown.history[0].newStatus, 'TrialActive');
    const audit = await cli(['audit', '--account', some.guid, '--database', db, '--data-dir', dir, '--json']);
    const entries = JSON.parse(audit.stdout);
    assert.equal(entries[0].action, 'account.create');
    assert.ok(entries.every((e: any) => e.accountGuid === some.guid));
  });

  it('lets an operator bring up a partner, a principal and keys without SQL', async () => {
    const j = (r: { stdout: string }) => JSON.parse(r.stdout);
    const base = ['--database', db, '--data-dir', dir, '--json'];
    const partner = j(await cli(['accounts', 'create', '--kind', 'partner', '--name', 'Operator Partner', ...base]));
    const reseller = j(await cli(['accounts', 'create', '--kind', 'reseller', '--name', 'Operator Reseller', '--parent', partner.accountNumber, ...base]));
    assert.equal(reseller.parentGuid, partner.guid);
    const principal = j(await cli(['principals', 'create', '--account', reseller.guid, '--email', 'ops@op.example', '--name', 'Ops', '--roles', 'reseller_admin', ...base]));
    const cred = j(await cli(['credentials', 'create', '--principal', 'ops@op.example', '--kind', 'rackspace', ...base]));
    assert.equal(cred.principalGuid, principal.guid);
    assert.match(cred.secrets.secretKey, /^[A-Za-z0-9]{28}$/);
    const listed = j(await cli(['credentials', 'list', '--principal', principal.guid, ...base]));
    assert.equal(listed.length, 1);
    assert.equal(JSON.stringify(listed).includes(cred.secrets.secretKey), false);
    const revoked = await cli(['credentials', 'revoke', cred.guid, ...base]);
    assert.equal(revoked.code, 0, revoked.stderr);
    const after = j(await cli(['credentials', 'list', '--principal', principal.guid, ...base]));
    assert.ok(after[0].revokedAt);
    const bad = await cli(['accounts', 'create', '--kind', 'customer', '--name', ' bad', '--parent', reseller.guid, ...base]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Improper Customer Name/);
  });

  it('serves the seeded store: /healthz and /readyz answer, SIGTERM stops it cleanly', async () => {
    const child = spawn(process.execPath, [...CLI, 'serve', '--port', '0', '--database', db, '--data-dir', dir], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error(`no listening line: ${buf}`)), 300_000); // a guard against a hang, not a speed check
        child.stdout.on('data', (d) => {
          buf += d;
          const m = buf.match(/listening on (http:\/\/\S+)/);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.on('exit', (code) => reject(new Error(`server exited ${code}: ${buf}`)));
      });
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      const ready = await fetch(`${url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', store: 'sqlite' });
      assert.ok(ready.headers.get('x-request-id'));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('serve --demo on an empty store seeds it and prints working credentials', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'partnerhub-cli-demo-'));
    const child = spawn(process.execPath, [...CLI, 'serve', '--demo', '--port', '0', '--data-dir', fresh, '--database', join(fresh, 'd.db')], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const text = await new Promise<string>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error(`no listening line: ${buf}`)), 300_000); // a guard against a hang, not a speed check
        child.stdout.on('data', (d) => {
          buf += d;
          if (/listening on/.test(buf)) {
            clearTimeout(timer);
            resolve(buf);
          }
        });
      });
      assert.match(text, /reseller_admin — admin@contoso.example/);
      assert.match(text, /rackspace {2}userKey=\S{20} secretKey=\S{28}/);
      const creds = JSON.parse(readFileSync(join(fresh, 'demo-credentials.json'), 'utf8'));
      assert.ok(text.includes(creds.principals.reseller_admin.rackspace.secretKey));
    } finally {
      child.kill('SIGKILL');
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('names a bad --database and exits non-zero', async () => {
    const r = await cli(['serve', '--database', 'mysql://root@localhost/db', '--port', '0', '--data-dir', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /configuration error: --database: unsupported database URL scheme/);
    const unreachable = await cli(['migrate', '--database', 'postgres://nobody@127.0.0.1:1/nowhere', '--data-dir', dir]);
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /cannot reach PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/nowhere/);
  });

  it('names a bad port and exits non-zero', async () => {
    const r = await cli(['serve', '--port', '99999', '--database', db, '--data-dir', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--port must be between 0 and 65535/);
    const words = await cli(['serve', '--port', 'eighty', '--database', db, '--data-dir', dir]);
    assert.equal(words.code, 2);
    assert.match(words.stderr, /--port must be a whole number/);
    // A port already taken: the listen error is reported, not a stack trace.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const taken = await cli(['serve', '--port', String(port), '--database', db, '--data-dir', dir]);
      assert.equal(taken.code, 2);
      assert.match(taken.stderr, /cannot listen: .*EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  it('migrate is idempotent and prints --help for every command', async () => {
    const r = await cli(['migrate', '--database', db, '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /is up to date/);
    for (const cmd of [['serve'], ['migrate'], ['demo'], ['accounts', 'create'], ['principals', 'list'], ['credentials', 'revoke'], ['audit']]) {
      const h = await cli([...cmd, '--help']);
      assert.equal(h.code, 0, cmd.join(' '));
      assert.match(h.stdout, /Usage: partnerhub/);
    }
  });

  it('demo --scale seeds an empty store, fills it up to N customers, reports the rate, and names a bad N', async () => {
    const scaleDir = join(dir, 'scale');
    const args = ['--database', join(scaleDir, 'scale.db'), '--data-dir', scaleDir, '--json'];
    const r = await cli(['demo', '--scale', '70', '--batch', '4', ...args]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.deepEqual([result.before, result.added, result.customers, result.statusChanges], [56, 14, 70, 140]);
    assert.ok(result.rate > 0);
    assert.match(r.stderr, /Seeded the demo/);
    parseDemoCredentials(readFileSync(join(scaleDir, 'demo-credentials.json'), 'utf8'));
    const again = await cli(['demo', '--scale', '70', ...args]);
    assert.equal(JSON.parse(again.stdout).added, 0);
    for (const bad of ['0', 'many', '1.5']) {
      const refused = await cli(['demo', '--scale', bad, ...args]);
      assert.equal(refused.code, 2, bad);
      assert.match(refused.stderr, /--scale takes a whole number/);
    }
    // While a server serves the file, a load (which drops indexes and count triggers until it ends) is refused.
    const lock = claimSqliteServe(join(scaleDir, 'scale.db'));
    try {
      const busy = await cli(['demo', '--scale', '80', ...args]);
      assert.notEqual(busy.code, 0);
      assert.match(busy.stderr, /already serving/);
    } finally {
      lock.release();
    }
    assert.equal(JSON.parse((await cli(['demo', '--scale', '71', ...args])).stdout).added, 1);
  });
});
