import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SecretBox } from './domain/secrets.js';
import { settingEntries, type Config, type SettingSchema } from './settings.js';

/** A setting that cannot be used: the message names it, the CLI exits non-zero. */
export class ConfigError extends Error {}

export { SETTINGS, type Config } from './settings.js';

export interface ConfigFlags {
  host?: string;
  port?: string | number;
  database?: string;
  dataDir?: string;
  migrate?: boolean;
  logLevel?: string;
  out?: string;
}

/** The commander key of a flag spec: `--data-dir <dir>` → dataDir, `--no-migrate` → migrate. */
export function flagKey(flag: string): string {
  const name = flag.split(' ')[0].replace(/^--(no-)?/, '');
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

const flagName = (spec: string) => spec.split(' ')[0];
const flag = (s: SettingSchema) => flagName(s.flag ?? '');

/** Where a value came from: the flag, the environment or the default (empty environment values count as unset). */
function source(s: SettingSchema, flags: Record<string, unknown>, env: NodeJS.ProcessEnv): { raw: string | undefined; name: string } {
  if (s.flag) {
    const given = flags[flagKey(s.flag)];
    const negated = flag(s).startsWith('--no-');
    // A negated flag (--no-migrate) is present when commander reports false.
    if (negated ? given === false : given !== undefined) return { raw: negated ? 'false' : String(given), name: s.messageName ?? flag(s) };
  }
  const value = env[s.env];
  if (value !== undefined && value !== '') return { raw: value, name: s.messageName ?? s.env };
  return { raw: undefined, name: s.messageName ?? s.env };
}

function parseInteger(s: SettingSchema, name: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw.trim());
  if (n < s.minimum! || n > s.maximum!) throw new ConfigError(`${name} must be between ${s.minimum} and ${s.maximum}, got ${n}`);
  return n;
}

function parseBool(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parseText(s: SettingSchema, name: string, raw: string): string {
  if (s.enum && !s.enum.includes(raw)) throw new ConfigError(`${name} must be one of ${s.enum.join(', ')}, got "${raw}"`);
  if (s.pattern && !new RegExp(s.pattern).test(raw)) throw new ConfigError(`${(s.invalid ?? '{name} is not valid').replace('{name}', name)}, got "${raw}"`);
  const problem = s.check?.(raw, name);
  if (problem) throw new ConfigError(problem);
  return raw;
}

/** A default as a value: `<data-dir>/x` lies in the data directory. */
function defaultValue(s: SettingSchema, dataDir: string | undefined): unknown {
  if (typeof s.default === 'string' && s.default.startsWith('<data-dir>/')) return join(dataDir ?? '.', s.default.slice('<data-dir>/'.length));
  return s.default;
}

function readSetting(s: SettingSchema, flags: Record<string, unknown>, env: NodeJS.ProcessEnv, dataDir: string | undefined): unknown {
  const { raw, name } = source(s, flags, env);
  if (raw === undefined) return defaultValue(s, dataDir);
  if (s.type === 'integer') return parseInteger(s, name, raw);
  if (s.type === 'boolean') return parseBool(name, raw);
  return parseText(s, name, raw);
}

/**
 * Reads every setting of SETTINGS from flags (first), then the environment, then its default; throws
 * ConfigError naming the first bad setting (by the flag or variable its value came from).
 */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, s] of settingEntries()) out[key] = readSetting(s, flags as Record<string, unknown>, env, out.dataDir as string | undefined);
  return out as Config;
}

/** The default as documentation shows it. */
export function shownDefault(s: SettingSchema): string {
  return s.defaultText ?? String(s.default);
}

/** What values a setting takes, from its keywords. */
export function allowedValues(s: SettingSchema): string {
  if (s.type === 'integer') return `${s.minimum} … ${s.maximum}`;
  if (s.type === 'boolean') return 'true, false';
  if (s.enum) return s.enum.join(', ');
  return '';
}

/** The line `serve --help` shows for a setting's flag. */
export function flagHelp(s: SettingSchema): string {
  const allowed = allowedValues(s);
  const what = s.flag?.startsWith('--no-') ? `turns off: ${s.description}` : s.description;
  return `${what} (env ${s.env}, default ${shownDefault(s)}${allowed ? `; ${allowed}` : ''})`;
}

const code = (v: string) => (v ? `\`${v}\`` : '—');

/** The README's configuration table, rendered from SETTINGS. */
export function renderSettingsTable(): string {
  const rows = settingEntries().map(([, s]) =>
    `| ${s.flag ? code(flagName(s.flag)) : '—'} | ${code(s.env)} | ${code(shownDefault(s))} | ${allowedValues(s) || '—'} | ${s.description.replace(/\|/g, '\\|')} |`,
  );
  return ['| flag | environment variable | default | allowed | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the settings table in a README text (the block that starts with the table's header line). */
export function withSettingsTable(readme: string): string {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| flag | environment variable |'));
  if (start < 0) throw new Error('README has no configuration table');
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return [...lines.slice(0, start), renderSettingsTable(), ...lines.slice(end)].join('\n');
}

/**
 * The key that seals stored secrets: from PARTNERHUB_SECRET_KEY, or a key file in the data directory,
 * generated with owner-only permissions on first use.
 */
export function loadSecretBox(config: Pick<Config, 'secretKey' | 'dataDir'>): SecretBox {
  if (config.secretKey) return new SecretBox(Buffer.from(config.secretKey, 'base64'));
  const dir = resolve(config.dataDir);
  const file = join(dir, 'secret.key');
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new ConfigError(`${file} does not hold base64 of 32 bytes`);
    return new SecretBox(key);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, SecretBox.generateKey().toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError(`cannot write secret key file ${file}: ${(e as Error).message}`);
  }
  return loadSecretBox(config);
}

export function baseUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>, actualPort?: number): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return `http://${host}:${actualPort ?? config.port}`;
}
