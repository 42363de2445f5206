import type { Kysely } from 'kysely';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DB } from '../store/schema.js';
import type { Clock } from '../domain/clock.js';
import * as journalRepo from '../store/repositories/journal.js';
import { redactHeaders, redactText, redactValue } from './redact.js';

/**
 * The request journal: the last N requests to the vendor faces and their responses, secrets replaced, kept
 * in the store so every process's requests are in one place (WireMock's `verify`). Nothing is written in a
 * request's own transaction: each answered request is queued in onResponse and the queue is written as one
 * batch on the next turn of the event loop (one insert and one prune per batch).
 */

export interface JournalEntry {
  seq: number;
  at: string;
  requestId: string;
  face: string | null;
  principal: string | null;
  method: string;
  path: string;
  query: string | null;
  operation: string | null;
  status: number;
  durationMs: number;
  request: { headers: Record<string, unknown>; body: unknown };
  response: { headers: Record<string, unknown>; body: string | null };
}

export interface JournalQuery {
  face?: string;
  principal?: string;
  method?: string;
  /** An exact path, or a glob: `*` matches any run of characters. */
  path?: string;
  operation?: string;
  /** 404, or a class: 4xx. */
  status?: string;
  limit?: number;
}

/** Request bodies and response payloads are kept up to this many characters each. */
const MAX_BODY_CHARS = 16_384;
const MAX_ROWS_PER_BATCH = 500;
const payloadKey = Symbol('journal payload');

type Journaled = FastifyRequest & { [payloadKey]?: string | null };

export function toFilter(q: JournalQuery): journalRepo.JournalFilter {
  const f: journalRepo.JournalFilter = { face: q.face, principalGuid: q.principal, method: q.method?.toUpperCase(), operation: q.operation };
  if (q.path) f.pathLike = q.path.replace(/\*+/g, '%');
  if (q.status) {
    const cls = /^([1-5])xx$/i.exec(q.status);
    const n = Number(q.status);
    if (cls) f.status = [Number(cls[1]) * 100, Number(cls[1]) * 100 + 99];
    else if (Number.isInteger(n)) f.status = [n, n];
  }
  return f;
}

function fromRow(r: journalRepo.JournalRow): JournalEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    requestId: r.request_id,
    face: r.face,
    principal: r.principal_guid,
    method: r.method,
    path: r.path,
    query: r.query,
    operation: r.operation,
    status: r.status,
    durationMs: r.duration_ms,
    request: JSON.parse(r.request_json),
    response: JSON.parse(r.response_json),
  };
}

export class RequestJournal {
  #queue: journalRepo.NewJournalRow[] = [];
  #writing: Promise<void> = Promise.resolve();
  #scheduled = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    /** How many requests are kept. */
    readonly size: number,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  /** Hooks onto the app: the payload as sent (onSend) and the whole exchange once answered (onResponse). */
  install(app: FastifyInstance, skip: (request: FastifyRequest) => boolean): void {
    app.addHook('onSend', async (request, _reply, payload) => {
      if (!skip(request)) (request as Journaled)[payloadKey] = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => {
      if (!skip(request)) this.record(request, reply);
    });
  }

  record(request: FastifyRequest, reply: FastifyReply): void {
    const actor = request.actor as { guid?: string } | null;
    const [path, query] = splitUrl(request.url);
    const payload = (request as Journaled)[payloadKey];
    const body = request.body === undefined ? null : typeof request.body === 'string' ? redactText(request.body, MAX_BODY_CHARS) : redactValue(request.body);
    this.#queue.push({
      at: this.clock.now().toISOString(),
      request_id: request.id,
      face: (request.routeOptions.config?.face as string | undefined) ?? null,
      principal_guid: actor?.guid ?? null,
      method: request.method,
      path,
      query: query === null ? null : redactText(query, MAX_BODY_CHARS),
      operation: (request.routeOptions.config?.operationId as string | undefined) ?? null,
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime),
      request_json: JSON.stringify({ headers: redactHeaders(request.headers), body }),
      response_json: JSON.stringify({ headers: redactHeaders(reply.getHeaders()), body: payload == null ? null : redactText(payload, MAX_BODY_CHARS) }),
    });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  /** Writes what is queued; resolves once everything queued so far is in the store. */
  flush(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#queue.splice(0, this.#queue.length);
    this.#writing = this.#writing.then(async () => {
      for (let i = 0; i < batch.length; i += MAX_ROWS_PER_BATCH) {
        await journalRepo.append(this.db, batch.slice(i, i + MAX_ROWS_PER_BATCH), this.size).catch(this.onError);
      }
    });
    return this.#writing;
  }

  async list(q: JournalQuery): Promise<JournalEntry[]> {
    await this.flush();
    const limit = Math.min(Math.max(q.limit ?? 100, 1), this.size);
    return (await journalRepo.list(this.db, toFilter(q), limit)).map(fromRow);
  }

  async count(q: JournalQuery): Promise<number> {
    await this.flush();
    return journalRepo.count(this.db, toFilter(q));
  }

  async clear(): Promise<number> {
    await this.flush();
    return journalRepo.clear(this.db);
  }
}

function splitUrl(url: string): [string, string | null] {
  const i = url.indexOf('?');
  return i < 0 ? [url, null] : [url.slice(0, i), url.slice(i + 1)];
}
