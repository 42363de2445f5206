import { Type } from '@sinclair/typebox';
import type { Account } from '../../domain/account.js';
import type { Product } from '../../domain/product.js';
import type { SupportProfile } from '../../domain/provisioning.js';
import type { DashboardNotification } from '../../domain/dashboard-notification.js';

/** Mimecast writes packages as "Name [id]". */
export function packageLabel(p: Product): string {
  return `${p.name} [${p.id}]`;
}

/**
 * What each operation answers in `data`: a view function and its schema, side by side. Fastify serializes
 * in the schema's key order, which is the seeds' order.
 */

/** The account as seed 001 shows it (update-account and create-account), in the seed's key order. */
export const ProvisionedAccountView = Type.Object({
  userCount: Type.Integer(),
  accountCode: Type.String(),
  domain: Type.String(),
  packages: Type.Array(Type.String()),
  umbrellaAccounts: Type.Array(Type.String()),
  primaryDomain: Type.String(),
  mimecastId: Type.String(),
  adminEmail: Type.String(),
  accountName: Type.String(),
});

export function provisionedAccountView(a: Account, packages: Product[], umbrellas: Account[]) {
  return {
    userCount: a.userCount,
    accountCode: a.accountCode,
    domain: a.temporaryDomain,
    packages: packages.map(packageLabel),
    umbrellaAccounts: umbrellas.map((u) => u.accountCode),
    primaryDomain: a.primaryDomain ?? '',
    mimecastId: a.mimecastId,
    adminEmail: a.adminEmail ?? '',
    accountName: a.name,
  };
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** get-account: the caller's own account. */
export const AccountView = Type.Object({
  region: Type.String(),
  mimecastId: Type.String(),
  accountCode: Type.String(),
  accountName: Type.String(),
  adminEmail: Type.String(),
  contactEmail: Type.String(),
  contactName: Type.String(),
  telephone: Type.String(),
  domain: Type.String(),
  primaryDomain: Type.String(),
  userCount: Type.Integer(),
  packages: Type.Array(Type.String()),
  umbrellaAccounts: Type.Array(Type.String()),
  mailPlatform: Type.String(),
  type: Type.String(),
  maxRetention: Type.Union([Type.Number(), Type.Null()]),
  status: Type.String(),
  accountCreated: Type.String(),
});

export function accountView(a: Account, packages: Product[], umbrellas: Account[]) {
  const retention = a.extra.maximumRetention;
  return {
    region: str(a.hostingJurisdiction).toLowerCase(),
    mimecastId: a.mimecastId,
    accountCode: a.accountCode,
    accountName: a.name,
    adminEmail: str(a.adminEmail),
    contactEmail: str(a.contactEmail),
    contactName: str(a.contactName),
    telephone: str(a.telephone),
    // The account's primary e-mail domain (shared with the other faces), or its temporary domain before it has one.
    domain: a.primaryDomain ?? a.temporaryDomain,
    primaryDomain: str(a.primaryDomain),
    userCount: a.userCount,
    packages: packages.map(packageLabel),
    umbrellaAccounts: umbrellas.map((u) => u.accountCode),
    mailPlatform: str(a.extra.mailPlatform),
    type: a.kind,
    maxRetention: typeof retention === 'number' ? retention : null,
    status: a.status,
    accountCreated: a.createdAt,
  };
}

/** get-support-info: the ten fields of seed 000, in its order. */
export const SupportView = Type.Object({
  partnerName: Type.String(),
  supportPackage: Type.String(),
  customerDevelopmentManager: Type.String(),
  mailtoLink: Type.String(),
  supportJurisdiction: Type.String(),
  renewalDate: Type.String(),
  hostingJurisdiction: Type.String(),
  customerAdvocate: Type.String(),
  mainProduct: Type.String(),
  officePhone: Type.String(),
});

export function supportView(p: SupportProfile) {
  const a = p.account;
  return {
    partnerName: p.partnerName,
    supportPackage: str(a.supportPackage),
    customerDevelopmentManager: str(a.customerDevelopmentManager),
    mailtoLink: str(a.supportMailto),
    supportJurisdiction: str(a.supportJurisdiction),
    renewalDate: str(a.renewalDate),
    hostingJurisdiction: str(a.hostingJurisdiction),
    customerAdvocate: str(a.customerAdvocate),
    mainProduct: str(a.mainProduct),
    officePhone: str(a.officePhone),
  };
}

/** get-packages: one product a partner may provision; its id is what create and update take. */
export const PackageView = Type.Object({ products: Type.Object({ id: Type.String(), name: Type.String() }) });

export function packageView(p: Product) {
  return { products: { id: String(p.id), name: p.name } };
}

/** get-dashboard-notifications: one notification as the dashboard shows it. */
export const NotificationView = Type.Object({
  id: Type.String(),
  customerCode: Type.String(),
  clusterCode: Type.String(),
  title: Type.String(),
  displayMessage: Type.String(),
  noticeType: Type.String(),
  warningLevel: Type.String(),
  visibleFrom: Type.String(),
  enabled: Type.Boolean(),
});

/** One requested account's notifications. */
export const NotificationsView = Type.Object({ notifications: Type.Array(NotificationView) });

export function notificationsView(account: Account, notifications: DashboardNotification[]) {
  return {
    notifications: notifications.map((n) => ({
      id: n.guid,
      customerCode: account.accountCode,
      clusterCode: str(account.hostingJurisdiction).toLowerCase(),
      title: n.title,
      displayMessage: n.message,
      noticeType: n.noticeType.toUpperCase(),
      warningLevel: n.warningLevel.toUpperCase(),
      visibleFrom: n.visibleFrom,
      enabled: n.enabled,
    })),
  };
}

/** discover-authentication: where the address's account is served (this server) and how to sign in. */
export const DiscoverView = Type.Object({
  emailAddress: Type.String(),
  authenticate: Type.Array(Type.String()),
  region: Type.Object({ api: Type.String() }),
});

export function discoverView(emailAddress: string, baseUrl: string) {
  return { emailAddress, authenticate: ['cloud'], region: { api: baseUrl } };
}
