/**
 * The records the domain and the store share: plain data shapes with no logic, imported by both sides so
 * that repositories never import the domain (the domain imports the store, never the other way round).
 * Domain modules re-export each under its old name, so code importing them from the domain is unchanged.
 */

/** The service statuses (CCC's names); the domain's SERVICE_STATUSES lists them in order. */
export type ServiceStatus =
  | 'Blocked'
  | 'AccountCancelled'
  | 'AccountSuspended'
  | 'Provisioning'
  | 'TrialExpired'
  | 'TrialActive'
  | 'DemoAccount'
  | 'CertifiedSecure';

/** The faces a credential authenticates on; the domain's CREDENTIAL_KINDS lists them. */
export type CredentialKind = 'mimecast' | 'rackspace' | 'ccc';

/** A principal's roles; the domain's ROLES lists them and ROLE_ACTIONS says what each may do. */
export type Role = 'partner_provisioning' | 'account_read' | 'reseller_admin' | 'customer_admin';

export type AccountKind = 'partner' | 'reseller' | 'customer';

export interface Account {
  guid: string;
  parentGuid: string | null;
  path: string;
  kind: AccountKind;
  name: string;
  referenceNumber: string | null;
  accountNumber: string;
  accountCode: string;
  mimecastId: string;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
  phone: string | null;
  email: string | null;
  contactName: string | null;
  contactEmail: string | null;
  telephone: string | null;
  userCount: number;
  primaryDomain: string | null;
  temporaryDomain: string;
  adminEmail: string | null;
  hostingJurisdiction: string | null;
  supportJurisdiction: string | null;
  supportPackage: string | null;
  customerAdvocate: string | null;
  customerDevelopmentManager: string | null;
  mainProduct: string | null;
  renewalDate: string | null;
  officePhone: string | null;
  supportMailto: string | null;
  extra: Record<string, unknown>;
  status: ServiceStatus;
  statusChangedAt: string;
  trialStartedAt: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export type AccountKey = { guid: string } | { accountNumber: string } | { accountCode: string } | { referenceNumber: string };

export interface AccountSearch {
  /** Direct children of this account … */
  childrenOf?: string;
  /** … or every account in this account's subtree (excluding the account itself). */
  descendantsOf?: string;
  kind?: AccountKind;
  /** Case-insensitive prefix of name, account number or reference number; `digit` means "starts with 0-9". */
  startsWith?: string | { digit: true };
  contains?: string;
  limit: number;
  offset: number;
}

export interface Page<T> {
  total: number;
  items: T[];
}

export interface StatusChange {
  guid: string;
  accountGuid: string;
  resellerGuid: string | null;
  partnerGuid: string | null;
  oldStatus: ServiceStatus | null;
  newStatus: ServiceStatus;
  changedAt: string;
  changedByGuid: string;
  changedByEmail: string;
  operationGuid: string;
  userCount: number;
  reason: string | null;
}

export interface StatusChangeSearch {
  accountGuid?: string;
  resellerGuid?: string;
  partnerGuid?: string;
  changedByGuid?: string;
  changedByEmail?: string;
  /** Inclusive. */
  changedFrom?: string;
  /** Exclusive: a client pins what it pages through by passing the time of its first request. */
  changedBefore?: string;
  limit: number;
  offset: number;
}

export interface LoginTokenRecord {
  tokenHash: string;
  accountGuid: string;
  userName: string;
  virtualUser: boolean;
  principalGuid: string | null;
  issuedByGuid: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface AuditEntry {
  guid: string;
  at: string;
  actorGuid: string;
  actorEmail: string;
  action: string;
  entityType: string;
  entityGuid: string;
  accountGuid: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditQuery {
  accountGuid?: string;
  since?: string;
  limit?: number;
}

export interface Credential {
  guid: string;
  principalGuid: string;
  kind: CredentialKind;
  publicId: string | null;
  secretSealed: string | null;
  secretHash: string | null;
  appId: string | null;
  appKeySealed: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface Principal {
  guid: string;
  accountGuid: string;
  email: string;
  name: string;
  roles: Role[];
  createdAt: string;
  disabledAt: string | null;
}

/** One change of an account's number of users; billing reads these to find upgrades within a month. */
export interface UserCountChange {
  accountGuid: string;
  changedAt: string;
  oldCount: number;
  newCount: number;
  changedByGuid: string;
}

/** A catalog entry: what accounts subscribe to and what billing charges per user per month. */
export interface Product {
  id: number;
  name: string;
  packageLabel: string;
  /** Decimal string, e.g. "7.00". */
  monthlyRate: string;
}

/** The counters CCC reports for a service over a period. */
export interface UsageCounters {
  totalUsers: number;
  proUsers: number;
  guestUsers: number;
  disabledUsers: number;
  unregisteredUsers: number;
  secureMessagingGateway: number;
  secureMessagingPlus: number;
  dataLeakPrevention: number;
  secureLargeFiles: number;
  secureForms: number;
  messages: number;
  attachments: number;
  attachmentStorageBytes: number;
}

export interface DailyUsage extends UsageCounters {
  accountGuid: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
}
