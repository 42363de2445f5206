/**
 * A typed client for the Rackspace Email & Apps customer API (as partnerhub and Rackspace serve it).
 * `signRackspaceRequest` makes the X-Api-Signature header; `callRackspace` sends one signed request.
 * The transport is pluggable so tests can call an in-process server.
 */
import { createHash } from 'node:crypto';

export interface RackspaceCredentials {
  userKey: string;
  secretKey: string;
}

export type TimestampZone = 'utc' | 'local';

/** yyyyMMddHHmmss in UTC (the official C# example) or in the machine's local time (Ruby, most PHP and Python clients). */
export function rackspaceTimestamp(at: Date, zone: TimestampZone = 'utc'): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const parts =
    zone === 'utc'
      ? [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()]
      : [at.getFullYear(), at.getMonth() + 1, at.getDate(), at.getHours(), at.getMinutes(), at.getSeconds()];
  return pad(parts[0], 4) + parts.slice(1).map((n) => pad(n)).join('');
}

/** base64(SHA1(userKey + userAgent + timestamp + secretKey)). */
export function rackspaceSignatureHash(userKey: string, userAgent: string, timestamp: string, secretKey: string): string {
  return createHash('sha1').update(userKey + userAgent + timestamp + secretKey, 'utf8').digest('base64');
}

export interface SignOptions extends RackspaceCredentials {
  userAgent: string;
  /** When to sign; a fixed timestamp string may be given instead to reuse one signature. */
  at?: Date;
  timestamp?: string;
  zone?: TimestampZone;
}

/** The X-Api-Signature header value: `userKey:timestamp:hash`. */
export function signRackspaceRequest(options: SignOptions): string {
  const timestamp = options.timestamp ?? rackspaceTimestamp(options.at ?? new Date(), options.zone ?? 'utc');
  return `${options.userKey}:${timestamp}:${rackspaceSignatureHash(options.userKey, options.userAgent, timestamp, options.secretKey)}`;
}

export interface RackspaceRawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RackspaceRawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type RackspaceTransport = (request: RackspaceRawRequest) => Promise<RackspaceRawResponse>;

/** The default transport: global fetch against a base URL. */
export function fetchTransport(baseUrl: string): RackspaceTransport {
  return async (req) => {
    const res = await fetch(baseUrl.replace(/\/$/, '') + req.url, { method: req.method, headers: req.headers, body: req.body });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, body: await res.text() };
  };
}

export type RackspaceFormat = 'json' | 'xml';

export interface CallOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** e.g. `/v1/customers`; query parameters go in `query`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Fields to send; form-encoded like the documentation's examples unless `bodyType` is json. */
  fields?: Record<string, string | number | boolean | null | undefined>;
  bodyType?: 'form' | 'json';
  /** Response format asked for with Accept; none sends no Accept header. */
  format?: RackspaceFormat | 'none';
  headers?: Record<string, string>;
}

export interface RackspaceResponse extends RackspaceRawResponse {
  /** The `x-error-message` header of a failed call. */
  errorMessage?: string;
  /** The JSON body parsed, when the answer is JSON. */
  json?: unknown;
}

export const ACCEPT: Record<RackspaceFormat, string> = { json: 'application/json', xml: 'text/xml' };

/** Signs and sends one request. */
export async function callRackspace(
  transport: RackspaceTransport,
  sign: Omit<SignOptions, 'timestamp'> & { timestamp?: string },
  options: CallOptions,
): Promise<RackspaceResponse> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) query.set(k, String(v));
  const qs = query.toString();
  const headers: Record<string, string> = {
    'user-agent': sign.userAgent,
    'x-api-signature': signRackspaceRequest(sign),
    ...(options.format && options.format !== 'none' ? { accept: ACCEPT[options.format] } : {}),
  };
  let body: string | undefined;
  if (options.fields) {
    const entries = Object.entries(options.fields).filter(([, v]) => v !== undefined);
    if (options.bodyType === 'json') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(Object.fromEntries(entries));
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(entries.map(([k, v]) => [k, v === null ? '' : String(v)])).toString();
    }
  }
  Object.assign(headers, options.headers ?? {});
  const raw = await transport({ method: options.method, url: options.path + (qs ? `?${qs}` : ''), headers, body });
  const out: RackspaceResponse = { ...raw };
  if (raw.headers['x-error-message']) out.errorMessage = raw.headers['x-error-message'];
  if ((raw.headers['content-type'] ?? '').includes('json') && raw.body) {
    try {
      out.json = JSON.parse(raw.body);
    } catch {
      // Leave json unset: the caller still has the raw body.
    }
  }
  return out;
}

export interface CustomerFields {
  name?: string;
  referenceNumber?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  country?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface CustomerSummary {
  name: string;
  accountNumber: string;
  referenceNumber: string | null;
}

export interface CustomerList {
  offset: number;
  size: number;
  total: number;
  customers: CustomerSummary[];
}

export interface LoginToken {
  user: string;
  token: string;
  dateCreated: string;
}

export class RackspaceError extends Error {
  constructor(readonly response: RackspaceResponse) {
    super(`Rackspace call failed with ${response.status}: ${response.errorMessage ?? response.body.slice(0, 200)}`);
  }
}

export interface RackspaceClientOptions extends RackspaceCredentials {
  /** A base URL, or a transport (tests pass one that calls app.inject()). */
  baseUrl?: string;
  transport?: RackspaceTransport;
  userAgent?: string;
  version?: 'v0' | 'v1';
  zone?: TimestampZone;
  /** The signing time source (defaults to the wall clock). */
  now?: () => Date;
}

/** The customer operations, JSON on the wire; failures throw RackspaceError with the response. */
export class RackspaceClient {
  private readonly transport: RackspaceTransport;
  constructor(private readonly options: RackspaceClientOptions) {
    if (options.transport) this.transport = options.transport;
    else if (options.baseUrl) this.transport = fetchTransport(options.baseUrl);
    else throw new Error('RackspaceClient needs a baseUrl or a transport');
  }

  /** One signed call; does not throw on error statuses. */
  call(options: CallOptions): Promise<RackspaceResponse> {
    const o = this.options;
    return callRackspace(
      this.transport,
      { userKey: o.userKey, secretKey: o.secretKey, userAgent: o.userAgent ?? 'partnerhub-client/0.1', at: (o.now ?? (() => new Date()))(), zone: o.zone },
      options,
    );
  }

  private path(rest: string): string {
    return `/${this.options.version ?? 'v1'}/customers${rest}`;
  }

  private async ok(options: CallOptions): Promise<RackspaceResponse> {
    const res = await this.call({ format: 'json', ...options });
    if (res.status !== 200) throw new RackspaceError(res);
    return res;
  }

  async listCustomers(query: { size?: number; offset?: number; startswith?: string; contains?: string } = {}): Promise<CustomerList> {
    return (await this.ok({ method: 'GET', path: this.path(''), query })).json as CustomerList;
  }

  async showCustomer(accountNumber: string | 'me'): Promise<Record<string, string | null>> {
    return (await this.ok({ method: 'GET', path: this.path(`/${encodeURIComponent(accountNumber)}`) })).json as Record<string, string | null>;
  }

  async findByReference(referenceNumber: string): Promise<Record<string, string | null>> {
    return (await this.ok({ method: 'GET', path: this.path(''), query: { referenceNumber } })).json as Record<string, string | null>;
  }

  /** Adds a customer and returns its new account number (from the Location header). */
  async addCustomer(fields: CustomerFields & { name: string }): Promise<string> {
    const res = await this.ok({ method: 'POST', path: this.path(''), fields: { ...fields } });
    const location = res.headers['location'] ?? '';
    return location.slice(location.lastIndexOf('/') + 1);
  }

  async editCustomer(accountNumber: string, fields: CustomerFields): Promise<void> {
    await this.ok({ method: 'PUT', path: this.path(`/${encodeURIComponent(accountNumber)}`), fields: { ...fields } });
  }

  async deleteCustomer(accountNumber: string): Promise<void> {
    await this.ok({ method: 'DELETE', path: this.path(`/${encodeURIComponent(accountNumber)}`) });
  }

  async enableCustomer(accountNumber: string): Promise<void> {
    await this.ok({ method: 'POST', path: this.path(`/${encodeURIComponent(accountNumber)}/enable`) });
  }

  async disableCustomer(accountNumber: string): Promise<void> {
    await this.ok({ method: 'POST', path: this.path(`/${encodeURIComponent(accountNumber)}/disable`) });
  }

  async createLoginToken(accountNumber: string, userName: string, virtualUser: boolean): Promise<LoginToken> {
    const res = await this.ok({
      method: 'POST',
      path: this.path(`/${encodeURIComponent(accountNumber)}/loginToken`),
      fields: { userName, virtualUser: virtualUser ? 'true' : 'false' },
    });
    return res.json as LoginToken;
  }
}
