import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DB } from '../store/schema.js';
import type { ChangeFeed, StoreChange } from '../store/changes.js';
import type { FaceName, FaultAnswers, FaultInjector } from '../http/route.js';
import { listFaultRules, takeOneRequest, type FaultAction, type FaultRule } from './fault-rules.js';

/** What a rule is matched against: the request as the face's pipeline sees it after authentication. */
export interface FaultTarget {
  face: FaceName;
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The route's pattern (`/v1/customers/:accountNumber`), when a route matched. */
  pattern?: string;
  principal?: { guid: string; email: string };
}

/** `*` is one path segment (or part of one), `**` any number of segments, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}/?$`, 'i');
}

function pathMatches(rule: FaultRule, t: FaultTarget): boolean {
  if (!rule.path) return true;
  // A Fastify route pattern names the route (any account number); a glob is matched against the path as sent.
  if (rule.path.includes(':')) return !!t.pattern && t.pattern.toLowerCase() === rule.path.toLowerCase();
  return globToRegExp(rule.path).test(t.path);
}

export function ruleMatches(rule: FaultRule, t: FaultTarget): boolean {
  if (rule.remaining !== null && rule.remaining <= 0) return false;
  if (rule.face && rule.face !== t.face) return false;
  if (rule.method && rule.method !== t.method.toUpperCase()) return false;
  if (rule.principal && rule.principal !== t.principal?.guid && rule.principal !== t.principal?.email.toLowerCase()) return false;
  return pathMatches(rule, t);
}

/** The n-th draw of a seeded sequence in [0, 1): counter-based (SHA-256 of `seed:n`), so it needs no state but n. */
export function seededDraw(seed: string, n: number): number {
  return createHash('sha256').update(`${seed}:${n}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The rules every request is checked against, cached in this process and forgotten when the store says
 * `fault_rules` changed (in any process) or anything may have: with no rule, a request costs no statement.
 * Each probability rule draws its own sequence, counted per rule in this process.
 */
export class FaultBook implements FaultInjector {
  #rules: FaultRule[] | null = null;
  #generation = 0;
  readonly #draws = new Map<string, number>();
  readonly #unsubscribe: () => void;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly feed: ChangeFeed,
  ) {
    this.#unsubscribe = feed.subscribe((change) => this.#changed(change));
  }

  async rules(): Promise<FaultRule[]> {
    this.feed.sync();
    if (this.#rules && this.feed.live) return this.#rules;
    const generation = this.#generation;
    const rules = await listFaultRules(this.db);
    if (generation === this.#generation && this.feed.live) this.#rules = rules;
    return rules;
  }

  /** The action of the first rule that fires for this request, if any (a counted rule's request is taken in the store). */
  async decide(t: FaultTarget): Promise<FaultAction | null> {
    const rules = await this.rules();
    for (const rule of rules) {
      if (!ruleMatches(rule, t)) continue;
      if (rule.probability !== null) {
        const n = this.#draws.get(rule.guid) ?? 0;
        this.#draws.set(rule.guid, n + 1);
        if (seededDraw(rule.seed ?? rule.guid, n) >= rule.probability) continue;
      }
      if (rule.remaining !== null && !(await takeOneRequest(this.db, rule.guid))) continue;
      return rule.action;
    }
    return null;
  }

  async apply(face: FaceName, request: FastifyRequest, reply: FastifyReply, answers: FaultAnswers): Promise<void> {
    const actor = request.actor as { guid?: string; email?: string } | null;
    const action = await this.decide({
      face,
      method: request.method,
      path: request.url.split('?')[0],
      pattern: request.is404 ? undefined : request.routeOptions.url,
      principal: actor?.guid ? { guid: actor.guid, email: actor.email ?? '' } : undefined,
    });
    if (!action) return;
    switch (action.kind) {
      case 'latency':
        await sleep(action.ms);
        return;
      case 'drop':
        // No answer at all: the client sees the connection close. The handler does not run.
        reply.hijack();
        request.raw.socket?.destroy();
        return;
      case 'throttle':
        throw answers.throttled(request, reply, action.retryAfterMs);
      case 'error':
        throw answers.failure(action.status, action.message);
    }
  }

  close(): void {
    this.#unsubscribe();
  }

  #changed(change: StoreChange): void {
    if (change.table !== 'fault_rules' && change.table !== 'all') return;
    this.#generation++;
    this.#rules = null;
  }
}
