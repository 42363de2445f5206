import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import { DomainError, ErrorCode, validationError } from '../domain/errors.js';
import { newGuid } from '../domain/ids.js';
import * as faultsRepo from '../store/repositories/faults.js';

/**
 * Sandbox fault rules: which requests fail and how. A rule matches by face, method, path (a glob such as
 * `/v1/customers/*\/disable`, or the Fastify route pattern `/v1/customers/:accountNumber/disable`) and
 * principal (its guid or e-mail); every criterion left out matches anything. It acts once per matching
 * request, for the next `times` requests or for ever, each time or with a `probability` drawn from a PRNG
 * seeded by `seed`, so a run repeats.
 */
export type FaultAction =
  /** The vendor's own throttling answer (Rackspace 403 "Exceeded request limits", Mimecast 429 with X-RateLimit-*, CCC 429). */
  | { kind: 'throttle'; retryAfterMs?: number }
  /** Any status, in the face's own error shape. */
  | { kind: 'error'; status: number; message?: string }
  /** The request is answered normally, this much later. */
  | { kind: 'latency'; ms: number }
  /** The connection is closed without an answer. */
  | { kind: 'drop' };

export interface FaultRuleInput {
  face?: string;
  method?: string;
  path?: string;
  principal?: string;
  action: FaultAction;
  /** Only the next N matching requests (default: every one). */
  times?: number;
  /** 0 < p ≤ 1: each matching request fails with this probability. */
  probability?: number;
  /** Seeds the probability's PRNG (default: a random seed, listed with the rule so a run can be repeated). */
  seed?: string;
}

export interface FaultRule {
  guid: string;
  face: string | null;
  method: string | null;
  path: string | null;
  principal: string | null;
  action: FaultAction;
  /** Requests it still fails (null: no limit). */
  remaining: number | null;
  probability: number | null;
  seed: string | null;
  createdAt: string;
}

export const FAULT_FACES = ['rackspace', 'mimecast', 'ccc'] as const;
const MAX_LATENCY_MS = 120_000;

function invalid(field: string, message: string): DomainError {
  return validationError([{ field, problem: 'invalid', message }]);
}

function checkAction(a: FaultAction): FaultAction {
  switch (a?.kind) {
    case 'throttle':
      if (a.retryAfterMs !== undefined && !(Number.isInteger(a.retryAfterMs) && a.retryAfterMs >= 0)) throw invalid('retryAfterMs', 'retryAfterMs must be a whole number of 0 or more');
      return a.retryAfterMs === undefined ? { kind: 'throttle' } : { kind: 'throttle', retryAfterMs: a.retryAfterMs };
    case 'error':
      if (!(Number.isInteger(a.status) && a.status >= 400 && a.status <= 599)) throw invalid('status', 'status must be from 400 to 599');
      return a.message === undefined ? { kind: 'error', status: a.status } : { kind: 'error', status: a.status, message: String(a.message) };
    case 'latency':
      if (!(Number.isInteger(a.ms) && a.ms >= 0 && a.ms <= MAX_LATENCY_MS)) throw invalid('ms', `ms must be from 0 to ${MAX_LATENCY_MS}`);
      return { kind: 'latency', ms: a.ms };
    case 'drop':
      return { kind: 'drop' };
    default:
      throw invalid('action', 'action.kind must be throttle, error, latency or drop');
  }
}

/** A rule as given, checked and completed (its guid, seed and count), before it is stored. */
export function newFaultRule(input: FaultRuleInput, now: Date): FaultRule {
  if (input.face !== undefined && !(FAULT_FACES as readonly string[]).includes(input.face)) throw invalid('face', `face must be one of ${FAULT_FACES.join(', ')}`);
  if (input.times !== undefined && !(Number.isInteger(input.times) && input.times >= 1)) throw invalid('times', 'times must be a whole number of 1 or more');
  if (input.probability !== undefined && !(input.probability > 0 && input.probability <= 1)) throw invalid('probability', 'probability must be more than 0 and at most 1');
  if (input.path !== undefined && !input.path.startsWith('/')) throw invalid('path', 'path must start with /');
  return {
    guid: newGuid(),
    face: input.face ?? null,
    method: input.method ? input.method.toUpperCase() : null,
    path: input.path ?? null,
    principal: input.principal ? input.principal.toLowerCase() : null,
    action: checkAction(input.action),
    remaining: input.times ?? null,
    probability: input.probability ?? null,
    seed: input.probability === undefined ? null : (input.seed ?? randomBytes(8).toString('hex')),
    createdAt: now.toISOString(),
  };
}

function fromRow(r: faultsRepo.FaultRuleRow): FaultRule {
  return {
    guid: r.guid,
    face: r.face,
    method: r.method,
    path: r.path,
    principal: r.principal_guid,
    action: JSON.parse(r.action_json) as FaultAction,
    remaining: r.remaining,
    probability: r.probability === null ? null : Number(r.probability),
    seed: r.seed,
    createdAt: r.created_at,
  };
}

export async function addFaultRule(db: Kysely<DB>, input: FaultRuleInput, now: Date): Promise<FaultRule> {
  const rule = newFaultRule(input, now);
  await faultsRepo.insert(db, {
    guid: rule.guid,
    face: rule.face,
    method: rule.method,
    path: rule.path,
    principal_guid: rule.principal,
    action_json: JSON.stringify(rule.action),
    remaining: rule.remaining,
    probability: rule.probability,
    seed: rule.seed,
    created_at: rule.createdAt,
  });
  return rule;
}

export async function listFaultRules(db: Kysely<DB>): Promise<FaultRule[]> {
  return (await faultsRepo.list(db)).map(fromRow);
}

export async function removeFaultRule(db: Kysely<DB>, guid: string): Promise<void> {
  if (!(await faultsRepo.remove(db, guid))) throw new DomainError(ErrorCode.NotFound, `No fault rule ${guid}`, { resource: 'fault rule' });
}

export async function clearFaultRules(db: Kysely<DB>): Promise<number> {
  return faultsRepo.clear(db);
}

export const takeOneRequest = faultsRepo.takeOne;
