import { Option } from 'commander';
import { CliError } from './context.js';
import type { OperatorCommand, OperatorFlags } from './sandbox.js';

interface Rule {
  guid: string;
  face: string | null;
  method: string | null;
  path: string | null;
  principal: string | null;
  action: { kind: string; status?: number; ms?: number; retryAfterMs?: number; message?: string };
  remaining: number | null;
  probability: number | null;
  seed: string | null;
}

function describeRule(r: Rule): string {
  const what = [r.face ?? 'any face', r.method ?? 'any method', r.path ?? 'any path', r.principal ? `by ${r.principal}` : 'by anyone'].join(' ');
  const act = r.action.kind === 'error' ? `error ${r.action.status}` : r.action.kind === 'latency' ? `latency ${r.action.ms} ms` : r.action.kind;
  const when = [r.remaining === null ? 'every time' : `${r.remaining} more`, r.probability === null ? '' : `p=${r.probability} seed=${r.seed}`].filter(Boolean).join(', ');
  return `${r.guid}  ${what} → ${act} (${when})`;
}

/** The action the flags ask for: exactly one of --throttle, --status, --latency, --drop. */
function action(flags: OperatorFlags): Rule['action'] {
  const chosen = [flags.throttle, flags.status, flags.latency, flags.drop].filter((v) => v !== undefined && v !== false);
  if (chosen.length !== 1) throw new CliError('give exactly one of --throttle, --status <code>, --latency <ms>, --drop');
  if (flags.throttle) return flags.retryAfter === undefined ? { kind: 'throttle' } : { kind: 'throttle', retryAfterMs: Number(flags.retryAfter) };
  if (flags.status !== undefined) return { kind: 'error', status: Number(flags.status), ...(flags.message ? { message: String(flags.message) } : {}) };
  if (flags.latency !== undefined) return { kind: 'latency', ms: Number(flags.latency) };
  return { kind: 'drop' };
}

function ruleBody(flags: OperatorFlags): Record<string, unknown> {
  const body: Record<string, unknown> = { action: action(flags) };
  for (const k of ['face', 'method', 'path', 'principal', 'seed'] as const) if (flags[k] !== undefined) body[k] = flags[k];
  if (flags.times !== undefined) body.times = Number(flags.times);
  if (flags.probability !== undefined) body.probability = Number(flags.probability);
  return body;
}

/** `sandbox faults list|add|remove|clear`. */
export const sandboxFaultCommands: OperatorCommand[] = [
  { words: ['faults', 'list'], description: 'list the fault rules', method: 'GET', path: '/faults', print: (rules: Rule[]) => rules.map(describeRule).join('\n') || 'no fault rules' },
  {
    words: ['faults', 'add'],
    description: "make matching requests fail: the vendor's throttling answer, any status, latency or a dropped connection",
    options: [
      new Option('--face <face>', 'rackspace, mimecast or ccc'),
      new Option('--method <method>', 'GET, POST …'),
      new Option('--path <pattern>', "a glob ('/v1/customers/*/disable') or a route pattern ('/v1/customers/:accountNumber/disable')"),
      new Option('--principal <guid-or-email>', 'only this principal’s requests'),
      new Option('--throttle', "the vendor's own throttling answer"),
      new Option('--retry-after <ms>', 'throttle: when the answer says to try again'),
      new Option('--status <code>', 'fail with this status, in the face’s error shape'),
      new Option('--message <text>', 'the error’s message'),
      new Option('--latency <ms>', 'answer normally, this much later'),
      new Option('--drop', 'close the connection without an answer'),
      new Option('--times <n>', 'only the next N matching requests'),
      new Option('--probability <p>', 'fail each matching request with this probability (0 < p ≤ 1)'),
      new Option('--seed <seed>', "the probability's seed (a run with the same seed fails the same requests)"),
    ],
    method: 'POST',
    path: '/faults',
    body: (_args, flags) => ruleBody(flags),
    print: describeRule,
  },
  { words: ['faults', 'remove'], description: 'remove one fault rule', args: ['<guid>'], method: 'DELETE', path: ([g]) => `/faults/${encodeURIComponent(g)}`, print: () => 'Removed' },
  { words: ['faults', 'clear'], description: 'remove every fault rule', method: 'DELETE', path: '/faults', print: (r: { removed: number }) => `Removed ${r.removed} rules` },
];
