/**
 * A typed client for the DeliverySlip Cloud Command Center API (ServiceStack), as served by partnerhub
 * or the vendor. Authenticates with an API key (Bearer by default, or as the Basic-auth user name).
 * The transport is pluggable so tests can drive an in-process app; by default it is fetch.
 */

export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export const fetchTransport: Transport = async (req) => {
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, headers, body: await res.text() };
};

export interface CccClientOptions {
  baseUrl: string;
  apiKey?: string;
  /** How the key travels: `Authorization: Bearer <key>` (default) or Basic auth with the key as user name. */
  auth?: 'bearer' | 'basic';
  transport?: Transport;
}

export interface ResponseError {
  errorCode: string;
  fieldName: string;
  message: string;
  meta?: Record<string, string>;
}

export interface ResponseStatus {
  errorCode: string;
  message: string;
  stackTrace?: string;
  errors?: ResponseError[];
  meta?: Record<string, string>;
}

/** A non-2xx answer, with ServiceStack's ResponseStatus when the body had one. */
export class CccApiError extends Error {
  constructor(
    readonly status: number,
    readonly responseStatus: ResponseStatus | null,
    readonly body: string,
  ) {
    super(responseStatus ? `${status} ${responseStatus.errorCode}: ${responseStatus.message}` : `HTTP ${status}`);
    this.name = 'CccApiError';
  }
}

export type ServiceStatus =
  | 'Blocked'
  | 'AccountCancelled'
  | 'AccountSuspended'
  | 'Provisioning'
  | 'TrialExpired'
  | 'TrialActive'
  | 'DemoAccount'
  | 'CertifiedSecure';

export interface ContactInfo {
  name?: string;
  email?: string;
  phoneNumber?: string;
}

export interface Company {
  name?: string;
  address?: string;
  city?: string;
  stateProvince?: string;
  postalCode?: string;
  country?: string;
  website?: string;
}

export interface ServiceUsage {
  serviceGuid: string;
  name?: string;
  status?: ServiceStatus;
  serviceCode?: string;
  referenceId?: string;
  primaryDomain?: string;
  createdOn?: string;
  trialEndDate?: string;
  effectiveDate?: string;
  initialTerm?: number;
  collectionGuid?: string;
  collectionName?: string;
  clientGuid?: string;
  contact?: ContactInfo;
  company?: Company;
  periodType?: 'Daily' | 'Monthly';
  period?: string;
  totalUserCount: number;
  proUserCount: number;
  guestUserCount: number;
  disabledUserCount: number;
  unregisteredUserCount: number;
  featureUsageSecureMessagingGateway: number;
  featureUsageSecureMessagingPlus: number;
  featureUsageDataLeakPrevention: number;
  featureUsageSecureLargeFiles: number;
  featureUsageSecureForms: number;
  totalMessageCount: number;
  totalAttachmentCount: number;
  attachmentStorageUsage: number;
}

export interface ServiceStatusChange {
  serviceGuid: string;
  serviceName?: string;
  serviceCode?: string;
  primaryDomain?: string;
  jurisdiction?: string;
  branding?: Record<string, string>;
  serviceUsage?: ServiceUsage;
  createdOn?: string;
  resellerGuid?: string;
  resellerName?: string;
  partnerGuid?: string;
  partnerName?: string;
  operationGuid: string;
  serviceStatusChangeGuid: string;
  status: ServiceStatus;
  changedOn: string;
  changedByUserGuid: string;
  changedByUserEmailAddress: string;
}

export interface Service {
  serviceGuid: string;
  serviceName: string;
  serviceCode: string;
  referenceId?: string;
  primaryDomain?: string;
  jurisdiction?: string;
  branding?: Record<string, string>;
  status: ServiceStatus;
  statusChangedOn?: string;
  createdOn: string;
  trialEndDate?: string;
  resellerGuid?: string;
  resellerName?: string;
  partnerGuid?: string;
  partnerName?: string;
  totalUserCount?: number;
  contact?: ContactInfo;
  company?: Company;
}

export interface Reseller {
  resellerGuid: string;
  resellerName: string;
  referenceId?: string;
  status?: ServiceStatus;
  createdOn?: string;
  partnerGuid?: string;
  partnerName?: string;
}

export interface Paged<T> {
  pageSize: number;
  totalPages: number;
  totalItems: number;
  currentPage: number;
  results: T[];
  responseStatus?: ResponseStatus;
}

type Query = Record<string, string | number | Date | undefined | null>;

export interface SearchServiceStatusChanges {
  ServiceGuid?: string;
  ResellerGuid?: string;
  PartnerGuid?: string;
  ChangedByUserGuid?: string;
  ChangedByUserEmail?: string;
  ChangedAfterDateTime?: string | Date;
  ChangedBeforeDateTime?: string | Date;
  Page?: number;
  PageSize?: number;
}

export interface SearchServices {
  Domain?: string;
  Name?: string;
  Code?: string;
  CreatedAfterDateTime?: string | Date;
  CreatedBeforeDateTime?: string | Date;
  Page?: number;
  PageSize?: number;
}

export interface CreateService {
  PrimaryDomain: string;
  ResellerGuid: string;
  ServiceName?: string;
  ReferenceId?: string;
  Contact?: { Name: string; Email: string; PhoneNumber: string };
  Company?: { Name?: string; Address?: string; City?: string; StateProvince?: string; PostalCode?: string; Country?: string; Website?: string };
}

export interface UsageQuery {
  PartnerGuid?: string;
  ResellerGuid?: string;
  ServiceGuid?: string;
  PeriodType?: 'Daily' | 'Monthly';
  Period?: string | Date;
  Page?: number;
  PageSize?: number;
}

export interface RawResponse extends TransportResponse {
  json<T = unknown>(): T;
}

export function buildQuery(q: Query | undefined): string {
  if (!q) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, v instanceof Date ? v.toISOString() : String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export class CccClient {
  private readonly baseUrl: string;
  private readonly transport: Transport;

  constructor(private readonly options: CccClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.transport = options.transport ?? fetchTransport;
  }

  private authHeader(): Record<string, string> {
    const key = this.options.apiKey;
    if (!key) return {};
    if (this.options.auth === 'basic') return { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` };
    return { authorization: `Bearer ${key}` };
  }

  /** Sends any request; `path` may carry its own query string. Never throws for an HTTP status. */
  async request(method: string, path: string, init: { query?: Query; body?: unknown; headers?: Record<string, string> } = {}): Promise<RawResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.authHeader(), ...init.headers };
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const q = buildQuery(init.query);
    const url = `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}${q ? (path.includes('?') ? `&${q.slice(1)}` : q) : ''}`;
    const res = await this.transport({ method: method.toUpperCase(), url, headers, body });
    return { ...res, json: <T>() => JSON.parse(res.body) as T };
  }

  private async call<T>(method: string, path: string, init: { query?: Query; body?: unknown } = {}): Promise<T> {
    const res = await this.request(method, path, init);
    if (res.status < 200 || res.status >= 300) {
      let rs: ResponseStatus | null = null;
      try {
        rs = (JSON.parse(res.body) as { responseStatus?: ResponseStatus }).responseStatus ?? null;
      } catch {
        rs = null;
      }
      throw new CccApiError(res.status, rs, res.body);
    }
    return JSON.parse(res.body) as T;
  }

  ping() {
    return this.call<{ result: string; serverTime: string }>('GET', '/api/ping');
  }

  searchServiceStatusChanges(q: SearchServiceStatusChanges = {}) {
    return this.call<Paged<ServiceStatusChange>>('GET', '/api/services/status', { query: q as Query });
  }

  searchServices(q: SearchServices = {}) {
    return this.call<Paged<Service>>('GET', '/api/services', { query: q as Query });
  }

  getService(serviceGuid: string) {
    return this.call<Service>('GET', `/api/services/${encodeURIComponent(serviceGuid)}`);
  }

  createService(req: CreateService) {
    return this.call<Service>('POST', '/api/services', { body: req });
  }

  getReseller(resellerGuid: string) {
    return this.call<Reseller>('GET', `/api/resellers/${encodeURIComponent(resellerGuid)}`);
  }

  getResellerServices(resellerGuid: string, page: { Page?: number; PageSize?: number } = {}) {
    return this.call<Paged<Service>>('GET', `/api/resellers/${encodeURIComponent(resellerGuid)}/services`, { query: page });
  }

  getPartnerResellers(partnerGuid: string, page: { Page?: number; PageSize?: number } = {}) {
    return this.call<Paged<Reseller>>('GET', `/api/partners/${encodeURIComponent(partnerGuid)}/resellers`, { query: page });
  }

  searchServiceUsage(q: UsageQuery = {}) {
    return this.call<Paged<ServiceUsage>>('GET', '/api/services/usage', { query: q as Query });
  }

  getServiceUsage(serviceGuid: string, q: { PeriodType?: 'Daily' | 'Monthly'; Period?: string | Date } = {}) {
    return this.call<ServiceUsage>('GET', `/api/services/${encodeURIComponent(serviceGuid)}/serviceusage`, { query: q as Query });
  }
}
