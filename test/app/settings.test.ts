import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { ConfigError, loadConfig, renderSettingsTable, withSettingsTable } from '../../src/config.js';
import { SETTINGS, settingEntries } from '../../src/settings.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8');

describe('settings from one schema', () => {
  it("README's configuration table is the one the schema renders (regenerate: partnerhub settings --readme README.md)", () => {
    assert.equal(withSettingsTable(readme), readme);
    assert.ok(readme.includes(renderSettingsTable()));
    // A changed description shows up as a difference.
    assert.notEqual(withSettingsTable(readme.replace('address to listen on', 'somewhere')), readme.replace('address to listen on', 'somewhere'));
  });

  it('declares every setting once: a distinct variable and flag, a description, bounds for numbers', () => {
    const entries = settingEntries();
    assert.equal(new Set(entries.map(([, s]) => s.env)).size, entries.length);
    const flags = entries.flatMap(([, s]) => (s.flag ? [s.flag] : []));
    assert.equal(new Set(flags).size, flags.length);
    for (const [key, s] of entries) {
      assert.ok(s.description, key);
      assert.match(s.env, /^PARTNERHUB_[A-Z_]+$/, key);
      if (s.type === 'integer') assert.ok(Number.isInteger(s.minimum) && Number.isInteger(s.maximum) && s.minimum! <= (s.default as number) && (s.default as number) <= s.maximum!, key);
      if (s.default === undefined) assert.ok(s.defaultText, key);
    }
  });

  it('loads the declared defaults, and the result satisfies the schema', () => {
    const d = loadConfig({}, {});
    assert.ok(Value.Check(SETTINGS, d), [...Value.Errors(SETTINGS, d)].map((e) => `${e.path} ${e.message}`).join('; '));
    for (const [key, s] of settingEntries()) {
      if (typeof s.default === 'string' && s.default.startsWith('<data-dir>/')) assert.ok(String(d[key]).startsWith('data/'), key);
      else assert.equal(d[key], s.default, key);
    }
  });

  it('reads each setting from its variable and names it when the value is bad', () => {
    for (const [key, s] of settingEntries()) {
      if (s.type === 'integer') {
        assert.equal(loadConfig({}, { [s.env]: String(s.maximum) })[key], s.maximum, key);
        assert.throws(() => loadConfig({}, { [s.env]: String(s.maximum! + 1) }), (e: Error) => e instanceof ConfigError && e.message === `${s.env} must be between ${s.minimum} and ${s.maximum}, got ${s.maximum! + 1}`);
      }
      if (s.type === 'boolean') {
        assert.equal(loadConfig({}, { [s.env]: 'off' })[key], false, key);
        assert.throws(() => loadConfig({}, { [s.env]: 'perhaps' }), (e: Error) => e instanceof ConfigError && e.message.startsWith(`${s.env} must be true or false`));
      }
    }
    assert.equal(loadConfig({ migrate: false }, {}).migrateOnStart, false);
    assert.equal(loadConfig({ migrate: true }, { PARTNERHUB_MIGRATE: 'false' }).migrateOnStart, false);
    assert.equal(loadConfig({}, { PARTNERHUB_CONTACT_LIMIT: '' }).contactLimit, 10);
    assert.throws(() => loadConfig({ logLevel: 'loud' }, {}), /--log-level must be one of fatal, error/);
    assert.throws(() => loadConfig({ host: 'a b' }, {}), /--host must be a host name or IP address, got "a b"/);
  });
});
