import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ENV = { ...process.env, PARTNERHUB_LOG_LEVEL: 'warn', PARTNERHUB_SCHEDULER_INTERVAL_MS: '0' };

/** `partnerhub mimecast notifications add|list|remove`: an operator manages dashboard notifications. */
describe('partnerhub mimecast notifications', () => {
  let dir: string;
  let store: string[];
  const cli = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, ...store], { env: ENV, timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-notifications-'));
    store = ['--database', join(dir, 'partnerhub.db'), '--data-dir', dir];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('adds, lists and removes a notification, and refuses bad input with a message', async () => {
    const partner = await cli(['accounts', 'create', '--kind', 'partner', '--name', 'Notice Partner', '--json']);
    assert.equal(partner.code, 0, partner.stderr);
    const code = JSON.parse(partner.stdout).accountCode as string;

    const added = await cli(['mimecast', 'notifications', 'add', code, '--title', 'Maintenance', '--message', 'Sunday 02:00 UTC', '--type', 'service_notification', '--level', 'warning', '--json']);
    assert.equal(added.code, 0, added.stderr);
    const n = JSON.parse(added.stdout);
    assert.deepEqual([n.title, n.message, n.noticeType, n.warningLevel, n.enabled], ['Maintenance', 'Sunday 02:00 UTC', 'service_notification', 'warning', true]);

    const listed = await cli(['mimecast', 'notifications', 'list', code]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${n.guid} .* service_notification/warning "Maintenance"\\n$`));

    const bad = await cli(['mimecast', 'notifications', 'add', code, '--title', 'x', '--message', 'y', '--visible-from', 'tomorrow-ish']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /visibleFrom: visibleFrom must be a date and time/);
    const badType = await cli(['mimecast', 'notifications', 'add', code, '--title', 'x', '--message', 'y', '--type', 'gossip']);
    assert.notEqual(badType.code, 0);
    assert.match(badType.stderr, /Allowed choices are product_news, service_notification/);

    const removed = await cli(['mimecast', 'notifications', 'remove', n.guid]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await cli(['mimecast', 'notifications', 'list'])).stdout, 'no notifications\n');
    const again = await cli(['mimecast', 'notifications', 'remove', n.guid]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Notification not found/);
  });
});
