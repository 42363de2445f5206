import { Option } from 'commander';
import type { OperatorCommand, OperatorFlags } from './sandbox.js';

interface Entry {
  at: string;
  face: string | null;
  principal: string | null;
  method: string;
  path: string;
  operation: string | null;
  status: number;
  durationMs: number;
}

const FILTERS = ['face', 'principal', 'method', 'path', 'operation', 'status'] as const;

const filterOptions = () => [
  new Option('--face <face>', 'rackspace, mimecast, ccc or panel'),
  new Option('--principal <guid>', "the caller principal's guid"),
  new Option('--method <method>', 'GET, POST …'),
  new Option('--path <path>', "an exact path, or with * for any run of characters ('/v1/customers/*/disable')"),
  new Option('--operation <id>', 'the operation id (DisableCustomer …)'),
  new Option('--status <status>', '404, or a class: 4xx'),
];

function query(flags: OperatorFlags, extra: string[] = []): string {
  const q = new URLSearchParams();
  for (const k of [...FILTERS, ...extra]) if (flags[k] !== undefined) q.set(k, String(flags[k]));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** `sandbox journal list|count|clear`: what clients sent, WireMock's verify. */
export const sandboxJournalCommands: OperatorCommand[] = [
  {
    words: ['journal', 'list'],
    description: 'the latest requests and responses, newest first (secrets replaced); --json for the whole exchange',
    options: [...filterOptions(), new Option('--limit <n>', 'how many (default 100)')],
    method: 'GET',
    path: (_a, flags) => `/journal${query(flags, ['limit'])}`,
    print: (entries: Entry[]) =>
      entries.map((e) => `${e.at} ${e.face ?? '-'} ${e.method} ${e.path} → ${e.status} (${e.durationMs} ms) ${e.operation ?? ''} ${e.principal ?? ''}`.trimEnd()).join('\n') || 'no requests',
  },
  {
    words: ['journal', 'count'],
    description: 'how many journaled requests match ("how many disable calls did my client make?")',
    options: filterOptions(),
    method: 'GET',
    path: (_a, flags) => `/journal/count${query(flags)}`,
    print: (r: { count: number }) => String(r.count),
  },
  { words: ['journal', 'clear'], description: 'forget every journaled request', method: 'DELETE', path: '/journal', print: (r: { removed: number }) => `Removed ${r.removed} entries` },
];
