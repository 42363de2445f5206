import { createHmac, randomUUID } from 'node:crypto';

/**
 * A typed client for partnerhub's Mimecast API 1.0 face (and for Mimecast itself): it builds the
 * `Authorization: MC accessKey:signature` header exactly as Mimecast documents it and sends the
 * `{"meta":…,"data":[…]}` envelope.
 */

export interface MimecastCredentials {
  accessKey: string;
  /** Base64, as issued. */
  secretKey: string;
  appId: string;
  appKey: string;
}

export interface MimecastError {
  code: string;
  message: string;
  retryable: boolean;
  field?: string;
}

export interface MimecastFail<K = unknown> {
  key?: K;
  errors: MimecastError[];
}

export interface MimecastPagination {
  pageSize?: number;
  pageToken?: string;
  next?: string;
  previous?: string;
}

export interface MimecastEnvelope<T = Record<string, unknown>, K = unknown> {
  meta: { status: number; pagination?: MimecastPagination };
  data: T[];
  fail: MimecastFail<K>[];
}

export interface MimecastResponse<T = Record<string, unknown>, K = unknown> {
  status: number;
  headers: Record<string, string>;
  /** The parsed envelope; null when the body was not JSON (it never should be). */
  body: MimecastEnvelope<T, K> | null;
  text: string;
}

/** How a request reaches the server: fetch over HTTP by default; tests hand in app.inject(). */
export type MimecastTransport = (request: {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<{ status: number; headers: Record<string, string>; text: string }>;

/** `Tue, 24 Nov 2015 12:50:11 UTC`, the form of the seed samples; `zone: 'GMT'` gives .NET's "R" form. */
export function mimecastDate(at: Date, zone: 'UTC' | 'GMT' = 'UTC'): string {
  return at.toUTCString().replace(/GMT$/, zone);
}

/** base64(HMAC-SHA1(base64decode(secretKey), "date:requestId:path:appKey")). */
export function mimecastSignature(input: { date: string; requestId: string; path: string; appKey: string; secretKey: string }): string {
  return createHmac('sha1', Buffer.from(input.secretKey, 'base64'))
    .update(`${input.date}:${input.requestId}:${input.path}:${input.appKey}`, 'utf8')
    .digest('base64');
}

export interface SignOptions {
  /** The x-mc-date header exactly as sent; default: now in the seed's UTC form. */
  date?: string;
  requestId?: string;
  now?: () => Date;
}

/** The four authentication headers for one request to `path`. */
export function mimecastHeaders(credentials: MimecastCredentials, path: string, options: SignOptions = {}): Record<string, string> {
  const date = options.date ?? mimecastDate(options.now ? options.now() : new Date());
  const requestId = options.requestId ?? randomUUID();
  const signature = mimecastSignature({ date, requestId, path, appKey: credentials.appKey, secretKey: credentials.secretKey });
  return {
    Authorization: `MC ${credentials.accessKey}:${signature}`,
    'x-mc-app-id': credentials.appId,
    'x-mc-date': date,
    'x-mc-req-id': requestId,
  };
}

export function fetchTransport(): MimecastTransport {
  return async (req) => {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, text: await res.text() };
  };
}

/** What `POST /oauth/token` answers: a token, or OAuth's error (RFC 6749 §5.2). */
export type MimecastTokenResponse =
  | { ok: true; status: number; accessToken: string; expiresIn: number }
  | { ok: false; status: number; error: string; description: string };

/**
 * API 2.0: a bearer token by OAuth 2.0 client credentials. partnerhub's client id is the access key and
 * its client secret the secret key; both are form-encoded in the body.
 */
export async function requestMimecastToken(
  baseUrl: string,
  client: { clientId: string; clientSecret: string },
  transport: MimecastTransport = fetchTransport(),
): Promise<MimecastTokenResponse> {
  const res = await transport({
    method: 'POST',
    url: baseUrl.replace(/\/$/, '') + '/oauth/token',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString(),
  });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(res.text);
  } catch {
    // Not OAuth's JSON: reported below with the status.
  }
  if (res.status === 200 && typeof json.access_token === 'string') return { ok: true, status: res.status, accessToken: json.access_token, expiresIn: Number(json.expires_in) };
  return { ok: false, status: res.status, error: String(json.error ?? 'unreadable_response'), description: String(json.error_description ?? res.text.slice(0, 200)) };
}

export interface MimecastClientOptions {
  baseUrl: string;
  /** API 1.0: every request is signed with these. */
  credentials?: MimecastCredentials;
  /** API 2.0: every request carries `Authorization: Bearer <token>` instead (see requestMimecastToken). */
  bearerToken?: string;
  transport?: MimecastTransport;
  /** Time source for x-mc-date (tests pass the server's manual clock). */
  now?: () => Date;
}

export interface AccountView {
  accountCode: string;
  accountName: string;
  mimecastId: string;
  domain: string;
  primaryDomain: string;
  adminEmail: string;
  userCount: number;
  packages: string[];
  umbrellaAccounts: string[];
}

export interface SupportInfo {
  partnerName: string;
  supportPackage: string;
  customerDevelopmentManager: string;
  mailtoLink: string;
  supportJurisdiction: string;
  renewalDate: string;
  hostingJurisdiction: string;
  customerAdvocate: string;
  mainProduct: string;
  officePhone: string;
}

export interface UpdateAccountItem {
  accountCode: string;
  accountName?: string;
  contactEmail?: string;
  contactName?: string;
  telephone?: string;
  numberOfUsers?: number;
  products?: (number | string)[];
}

export interface CreateAccountItem {
  accountName: string;
  addressLine1: string;
  city: string;
  country: string;
  state?: string;
  postalCode?: string;
  telephone?: string;
  contactEmail?: string;
  contactName?: string;
  adminPassword?: string;
  adminRole?: string;
  forcePasswordChange?: boolean;
  companyRegistrationNumber?: string;
  mailPlatform?: string;
  products?: (number | string)[];
  primaryDomain?: string;
  maximumRetention?: number;
  numberOfUsers?: number;
  umbrellaAccounts?: string[];
}

export class MimecastClient {
  private readonly transport: MimecastTransport;
  constructor(private readonly options: MimecastClientOptions) {
    this.transport = options.transport ?? fetchTransport();
  }

  private authorization(path: string, sign: Omit<SignOptions, 'now'>): Record<string, string> {
    if (this.options.bearerToken !== undefined) return { Authorization: `Bearer ${this.options.bearerToken}` };
    if (!this.options.credentials) throw new Error('MimecastClient needs credentials or a bearer token');
    return mimecastHeaders(this.options.credentials, path, { ...sign, now: this.options.now });
  }

  /** Signs (or sends the bearer token with) and posts any body (an object is sent as JSON; a string is sent as given). */
  async call<T = Record<string, unknown>, K = unknown>(path: string, body: unknown = { data: [] }, sign: Omit<SignOptions, 'now'> = {}): Promise<MimecastResponse<T, K>> {
    const headers = {
      ...this.authorization(path, sign),
      'Content-Type': 'application/json',
      Accept: 'application/json',
    };
    const res = await this.transport({
      method: 'POST',
      url: this.options.baseUrl.replace(/\/$/, '') + path,
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    let parsed: MimecastEnvelope<T, K> | null = null;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      parsed = null;
    }
    return { status: res.status, headers: res.headers, body: parsed, text: res.text };
  }

  getSupportInfo() {
    return this.call<SupportInfo>('/api/account/get-support-info', { data: [] });
  }

  getAccount() {
    return this.call<AccountView & Record<string, unknown>>('/api/account/get-account', { data: [] });
  }

  updateAccount(items: UpdateAccountItem[]) {
    return this.call<AccountView, UpdateAccountItem>('/api/account/update-account', { data: items });
  }

  createAccount(items: CreateAccountItem[]) {
    return this.call<AccountView, CreateAccountItem>('/api/account/create-account', { data: items });
  }

  getPackages(pagination: { pageSize?: number; pageToken?: string } = {}) {
    const meta = pagination.pageSize !== undefined || pagination.pageToken !== undefined ? { meta: { pagination } } : {};
    return this.call<{ products: { id: string; name: string } }>('/api/provisioning/get-packages', { ...meta, data: [] });
  }
}
