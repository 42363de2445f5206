import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, type RunningServer } from '../../src/server.js';
import { loadConfig, type Config } from '../../src/config.js';
import { StoreBusyError } from '../../src/store/serve-lock.js';
import { ManualClock } from '../../src/domain/clock.js';
import { tallyStatements } from '../../src/store/tally.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { injectTransport } from '../faces/rackspace/helpers.js';
import { clientFor } from '../faces/mimecast/helpers.js';
import { callRackspace } from '../../src/client/rackspace.js';
import type { MimecastCredentials } from '../../src/client/mimecast.js';

const run = promisify(execFile);

/**
 * A SQLite file has one server process (src/store/serve-lock.ts), which keeps rate windows and replay ids
 * in its memory: a second `serve` refuses to start, a hit writes nothing, and the windows outlive a restart.
 */
describe('the one server of a SQLite file', () => {
  let dir: string;
  let config: Config;
  const clock = new ManualClock('2026-03-02T10:00:00.000Z');
  const quiet = { print: () => undefined, clock };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-sole-'));
    config = {
      ...loadConfig({ database: join(dir, 'partnerhub.db'), dataDir: dir, port: 0, logLevel: 'silent' }, {}),
      schedulerIntervalMs: 0,
      rackspaceReadsPerMinute: 2,
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a second serve on the same file refuses to start, saying why; once the first stops, it starts', async () => {
    const first = await startServer(config, quiet);
    try {
      await assert.rejects(startServer(config, quiet), (e: Error) => e instanceof StoreBusyError && /another partnerhub server is already serving .*partnerhub\.db/.test(e.message));
      // Another process: the lock is the operating system's, not this process's bookkeeping.
      const other = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--database', config.databaseUrl, '--data-dir', dir], {
        env: { ...process.env, PARTNERHUB_LOG_LEVEL: 'silent' },
        timeout: 90_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code?: number; stderr?: string }) => ({ code: e.code, stderr: e.stderr ?? '' }),
      );
      assert.equal(other.code, 2);
      assert.match(other.stderr, /configuration error: another partnerhub server is already serving .*partnerhub\.db .*use PostgreSQL to run several/);
    } finally {
      await first.close();
    }
    const again = await startServer(config, quiet);
    await again.close();
  });

  describe('rate windows and replay ids in memory', () => {
    let server: RunningServer;
    let fx: Fixture;
    before(async () => {
      server = await startServer(config, quiet);
      fx = await buildFixture(server.app.domain);
    });
    after(async () => server?.close());

    const show = () =>
      callRackspace(injectTransport(server.app), { ...fx.resellerAdminA.rackspace, userAgent: 'test', at: clock.now(), zone: 'utc' }, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}`, format: 'json' });
    const mimecast = () => clientFor(server.app, clock, fx.reader.mimecast as MimecastCredentials);
    const supportInfo = (requestId: string) => mimecast().call('/api/account/get-support-info', { data: [] }, { requestId });

    it('counts without writing to the store, and still refuses what is over the limit or replayed', async () => {
      assert.equal((await show()).status, 200);
      const second = await tallyStatements(() => show());
      assert.equal(second.result.status, 200);
      assert.equal(second.tally.writes, 0, second.tally.sql.join('\n'));
      assert.equal((await show()).status, 403, 'the third read in a minute is over the limit of 2');

      const first = await tallyStatements(() => supportInfo('request-1'));
      assert.equal(first.result.status, 200);
      assert.equal(first.tally.writes, 0, first.tally.sql.join('\n'));
      assert.equal((await supportInfo('request-1')).status, 401, 'a replayed request id');
    });

    it('keeps its windows across a restart', async () => {
      await server.close();
      server = await startServer(config, quiet);
      assert.equal((await show()).status, 403, 'the budget spent before the restart is still spent');
      assert.equal((await supportInfo('request-1')).status, 401, 'an id seen before the restart is still a replay');
      assert.equal((await supportInfo('request-2')).status, 200);
      clock.advance(61_000);
      assert.equal((await show()).status, 200, 'the window slid on');
    });
  });
});
