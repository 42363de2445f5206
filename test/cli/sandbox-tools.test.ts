import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { cccClient } from '../helpers/ccc.js';
import { makeSandboxApp, TOKEN } from '../faces/operator/helpers.js';

const run = promisify(execFile);

/** `partnerhub sandbox faults|journal|webhooks …` against a listening sandbox app. */
describe('partnerhub sandbox faults, journal and webhooks', () => {
  let t: TestApp;
  let fx: Fixture;
  let url: string;
  const cli = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', ...args, '--url', url, '--token', TOKEN], { env: { ...process.env, PARTNERHUB_LOG_LEVEL: 'warn' } });
    return stdout;
  };
  before(async () => {
    t = await makeSandboxApp('sqlite');
    fx = await buildFixture(t.app.domain);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => t?.close());

  it('adds a fault the next request meets, lists it, counts the request in the journal, subscribes a webhook', async () => {
    const added = JSON.parse(await cli('faults', 'add', '--face', 'ccc', '--status', '503', '--times', '1', '--json'));
    assert.deepEqual([added.face, added.action, added.remaining], ['ccc', { kind: 'error', status: 503 }, 1]);
    const client = cccClient(t.app, fx.reader.ccc.apiKey);
    assert.equal((await client.request('GET', `/api/services/${fx.a1.guid}`)).status, 503);
    assert.match(await cli('faults', 'list'), /ccc any method any path by anyone → error 503 \(0 more\)/);
    assert.equal((await cli('journal', 'count', '--face', 'ccc', '--status', '5xx')).trim(), '1');
    assert.match(await cli('webhooks', 'add', fx.reader.principal.email, 'http://127.0.0.1:9/hooks', '--events', 'account.created'), /signing secret \(shown once\): whsec_/);
    assert.match(await cli('faults', 'clear'), /Removed 1 rules/);
  });
});
