/**
 * A client for partnerhub's operator API (`/_partnerhub/v1/…`): the sandbox's controls (test clock, reset,
 * snapshots …). `partnerhub sandbox …` is a thin layer over it; integrators' test suites can use it too.
 */
import { fetchTransport, type Transport } from './ccc.js';

export const OPERATOR_PREFIX = '/_partnerhub/v1';

export interface OperatorClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  token: string;
  transport?: Transport;
}

/** A refusal of the operator API: its status and `{error: {code, message}}`. */
export class OperatorApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

export class OperatorClient {
  readonly #transport: Transport;
  constructor(private readonly options: OperatorClientOptions) {
    this.#transport = options.transport ?? fetchTransport;
  }

  /** Sends one request (path below the prefix, e.g. `/clock/advance`) and returns the parsed JSON answer. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = this.options.baseUrl.replace(/\/$/, '') + OPERATOR_PREFIX + path;
    const res = await this.#transport({ method, url, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const parsed = res.body ? safeJson(res.body) : undefined;
    if (res.status >= 400) {
      const e = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      throw new OperatorApiError(res.status, e?.code ?? 'http_error', e?.message ?? (res.body.slice(0, 200) || 'no body'), e?.details);
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
