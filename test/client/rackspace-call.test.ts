import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { RackspaceClient, RackspaceError, signRackspaceRequest } from '../../src/client/rackspace.js';
import { runRackspaceCall } from '../../src/cli/rackspace.js';
import { injectTransport } from '../faces/rackspace/helpers.js';

const run = promisify(execFile);

describe('Rackspace client and `partnerhub call rackspace` against a listening server', () => {
  let t: TestApp;
  let fx: Fixture;
  let url: string;
  let dir: string;
  before(async () => {
    t = await makeTestApp('sqlite');
    // The CLI signs with the wall clock, so the server's clock starts there too.
    t.clock.set(Date.now());
    fx = await buildFixture(t.ctx);
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-call-'));
  });
  after(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the typed client runs every customer operation', async () => {
    const client = new RackspaceClient({ ...fx.resellerAdminA.rackspace, transport: injectTransport(t.app), now: () => t.clock.now() });
    const n = await client.addCustomer({ name: 'Client Co', referenceNumber: 'CL-1' });
    assert.match(n, /^\d+$/);
    assert.equal((await client.showCustomer(n)).name, 'Client Co');
    assert.equal((await client.findByReference('CL-1')).accountNumber, n);
    await client.editCustomer(n, { city: 'Austin' });
    assert.equal((await client.listCustomers({ contains: 'Client' })).customers[0].accountNumber, n);
    await client.disableCustomer(n);
    const token = await client.createLoginToken(n, 'helpdesk', true);
    assert.equal(token.user, `helpdesk_${n}_vu`);
    await client.deleteCustomer(n);
    await assert.rejects(client.showCustomer(n), (e: RackspaceError) => e.response.status === 404 && e.response.errorMessage === 'Customer Not Found');
  });

  it('signs with keys from flags, from the environment, or from a credentials file and role', async () => {
    const viaFlags = await runRackspaceCall('GET', '/v1/customers?size=1', { url, ...fx.resellerAdminA.rackspace }, { env: {} });
    assert.equal(viaFlags.status, 200);
    assert.deepEqual([(viaFlags.json as any).size, (viaFlags.json as any).total], [1, 2]);
    const viaEnv = await runRackspaceCall('GET', '/v1/customers/me', { url }, {
      env: { PARTNERHUB_RACKSPACE_USER_KEY: fx.customerAdminA1.rackspace.userKey, PARTNERHUB_RACKSPACE_SECRET_KEY: fx.customerAdminA1.rackspace.secretKey },
    });
    assert.equal((viaEnv.json as any).accountNumber, fx.a1.accountNumber);
    const file = join(dir, 'demo-credentials.json');
    writeFileSync(file, JSON.stringify({ baseUrl: url, principals: { reseller_admin: { rackspace: fx.resellerAdminA.rackspace }, account_read: { rackspace: fx.reader.rackspace } } }));
    const viaFile = await runRackspaceCall('POST', '/v1/customers', { credentials: file, role: 'reseller_admin', data: ['name=From CLI'] }, { env: {} });
    assert.equal(viaFile.status, 200);
    assert.match(viaFile.headers.location, /^\/v1\/customers\/\d+$/);
    const denied = await runRackspaceCall('POST', '/v1/customers', { credentials: file, role: 'account_read', data: ['name=Nope'], format: 'xml' }, { env: {} });
    assert.equal(denied.status, 403);
    assert.equal(denied.errorMessage, 'Not authorized');
    await assert.rejects(runRackspaceCall('GET', '/v1/customers', { url }, { env: { PARTNERHUB_DEMO_OUT: join(dir, 'missing.json') } }), /no Rackspace keys/);
    await assert.rejects(runRackspaceCall('PATCH', '/v1/customers', { url, ...fx.reader.rackspace }, { env: {} }), /method must be one of/);
  });

  it('the CLI binary prints the signed response', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'call', 'rackspace', 'GET', '/v1/customers', '--url', url, '--user-key', fx.resellerAdminA.rackspace.userKey, '--secret-key', fx.resellerAdminA.rackspace.secretKey], { cwd: process.cwd(), env: { ...process.env, PARTNERHUB_DEMO_OUT: join(dir, 'none.json') } });
    assert.match(stdout, /^HTTP 200/);
    assert.match(stdout, /"name": "API Customer 17"/);
    const failed = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'call', 'rackspace', 'GET', '/v1/customers', '--url', url, '--user-key', fx.resellerAdminA.rackspace.userKey, '--secret-key', 'wrong'], { cwd: process.cwd() }).catch((e) => e);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /^HTTP 403\nx-error-message: Authentication failed\./);
  });

  it('works with Expect: 100-continue over real HTTP', async () => {
    const body = 'name=Continue+Co';
    const res = await new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
      const req = request(`${url}/v1/customers`, {
        method: 'POST',
        headers: {
          'user-agent': 'dotnet',
          'x-api-signature': signRackspaceRequest({ ...fx.resellerAdminA.rackspace, userAgent: 'dotnet', at: t.clock.now() }),
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          expect: '100-continue',
        },
      });
      let continued = false;
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.on('response', (r) => {
        let text = '';
        r.on('data', (c) => (text += c));
        r.on('end', () => (continued ? resolve({ status: r.statusCode!, location: r.headers.location, body: text }) : reject(new Error('no 100 Continue'))));
      });
      req.on('error', reject);
    });
    assert.equal(res.status, 200, res.body);
    assert.match(res.location!, /^\/v1\/customers\/\d+$/);
  });
});
