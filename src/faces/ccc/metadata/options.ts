/**
 * The options header of a DTO source ("Add ServiceStack Reference"): `typescript-ref` and `csharp-ref`
 * refuse an answer without `Options:`, and to update a reference they read `BaseUrl:` and every option
 * line a user uncommented, and send those back as the query string of /types/{language}.
 */
import type { MetadataTypes } from './types.js';
import { SERVICESTACK_VERSION } from './types.js';

export type Language = 'typescript' | 'csharp';

export interface SourceOptions {
  /** The query string's options, by name, as sent (uncommented lines of the header). */
  given: Record<string, string>;
  date: Date;
  makePropertiesOptional: boolean;
  globalNamespace: string | null;
  include(name: string): boolean;
}

/** The options each language honours, in the order its header lists them, with their defaults. */
const OPTIONS: Record<Language, [name: string, fallback: string][]> = {
  typescript: [
    ['GlobalNamespace', ''],
    ['MakePropertiesOptional', 'True'],
    ['AddServiceStackTypes', 'True'],
    ['IncludeTypes', ''],
    ['ExcludeTypes', ''],
  ],
  csharp: [
    ['GlobalNamespace', ''],
    ['AddServiceStackTypes', 'True'],
    ['IncludeTypes', ''],
    ['ExcludeTypes', ''],
  ],
};

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** Reads the options from a query string (option names match without regard to case). */
export function sourceOptions(query: Record<string, unknown>, date: Date): SourceOptions {
  const given: Record<string, string> = {};
  const lower = new Map(Object.entries(query).map(([k, v]) => [k.toLowerCase(), String(Array.isArray(v) ? v[0] : v)]));
  for (const [name] of [...OPTIONS.typescript, ...OPTIONS.csharp]) {
    const v = lower.get(name.toLowerCase());
    if (v !== undefined) given[name] = v;
  }
  const include = list(given.IncludeTypes);
  const exclude = list(given.ExcludeTypes);
  return {
    given,
    date,
    makePropertiesOptional: (given.MakePropertiesOptional ?? 'True').toLowerCase() !== 'false',
    globalNamespace: given.GlobalNamespace || null,
    include: (name) => (include.length === 0 || include.includes(name)) && !exclude.includes(name),
  };
}

/** The header comment: date, version, BaseUrl, then one line per option (commented out unless given). */
export function optionsHeader(language: Language, meta: MetadataTypes, options: SourceOptions): string {
  const date = options.date.toISOString().replace('T', ' ').slice(0, 19);
  const lines = OPTIONS[language].map(([name, fallback]) => (name in options.given ? `${name}: ${options.given[name]}` : `//${name}: ${fallback}`));
  return [
    '/* Options:',
    `Date: ${date}`,
    `Version: ${SERVICESTACK_VERSION}`,
    'Tip: To override a DTO option, remove "//" prefix before updating',
    `BaseUrl: ${String(meta.config.baseUrl)}`,
    '',
    ...lines,
    '*/',
    '',
  ].join('\n');
}
