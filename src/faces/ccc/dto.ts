/** Domain objects as CCC DTOs (camelCase, properties in the order of the vendor's samples). */
import type { Account } from '../../domain/account.js';
import type { StatusChangeView } from '../../domain/status-search.js';
import { trialEndsAt, type ServiceRelatives } from '../../domain/customer-directory.js';
import type { ServiceUsageView, UsageCounters } from '../../domain/service-usage.js';

/** ServiceStack writes DateTime as ISO 8601 UTC with the fraction only when there is one. */
export function cccDate(iso: string | null | undefined): string | null {
  if (!iso) return null;
  return new Date(iso).toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}

function branding(a: Account): Record<string, string> | null {
  const b = a.extra?.branding;
  if (!b || typeof b !== 'object') return null;
  return Object.fromEntries(Object.entries(b as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

function contact(a: Account) {
  if (!a.contactName && !a.contactEmail && !a.telephone) return null;
  return { name: a.contactName, email: a.contactEmail, phoneNumber: a.telephone };
}

function company(a: Account) {
  const extra = a.extra ?? {};
  return {
    name: typeof extra.companyName === 'string' ? extra.companyName : a.name,
    address: a.addressLine1,
    city: a.city,
    stateProvince: a.state,
    postalCode: a.zip,
    country: a.country,
    website: typeof extra.website === 'string' ? extra.website : null,
  };
}

function counters(u: UsageCounters | null, totalUsersOverride?: number) {
  const c = u ?? null;
  return {
    totalUserCount: totalUsersOverride ?? c?.totalUsers ?? 0,
    proUserCount: c?.proUsers ?? 0,
    guestUserCount: c?.guestUsers ?? 0,
    disabledUserCount: c?.disabledUsers ?? 0,
    unregisteredUserCount: c?.unregisteredUsers ?? 0,
    featureUsageSecureMessagingGateway: c?.secureMessagingGateway ?? 0,
    featureUsageSecureMessagingPlus: c?.secureMessagingPlus ?? 0,
    featureUsageDataLeakPrevention: c?.dataLeakPrevention ?? 0,
    featureUsageSecureLargeFiles: c?.secureLargeFiles ?? 0,
    featureUsageSecureForms: c?.secureForms ?? 0,
    totalMessageCount: c?.messages ?? 0,
    totalAttachmentCount: c?.attachments ?? 0,
    attachmentStorageUsage: c?.attachmentStorageBytes ?? 0,
  };
}

interface UsageShape {
  account: Account;
  relatives: ServiceRelatives;
  status: string;
  effectiveDate: string | null;
  periodType: 'Daily' | 'Monthly';
  period: string;
  usage: UsageCounters | null;
  totalUsers?: number;
}

function usageDto(u: UsageShape) {
  const a = u.account;
  return {
    serviceGuid: a.guid,
    name: a.name,
    status: u.status,
    serviceCode: a.accountCode,
    referenceId: a.referenceNumber,
    primaryDomain: a.primaryDomain,
    createdOn: cccDate(a.createdAt),
    trialEndDate: cccDate(trialEndsAt(a)),
    effectiveDate: cccDate(u.effectiveDate),
    initialTerm: null,
    // A CCC collection is the group a service is billed in: here, its reseller.
    collectionGuid: u.relatives.reseller?.guid ?? null,
    collectionName: u.relatives.reseller?.name ?? null,
    clientGuid: null,
    contact: contact(a),
    company: company(a),
    periodType: u.periodType,
    period: cccDate(u.period),
    ...counters(u.usage, u.totalUsers),
  };
}

export function statusChangeDto(v: StatusChangeView) {
  const a = v.account;
  const day = v.change.changedAt.slice(0, 10);
  return {
    serviceGuid: a.guid,
    serviceName: a.name,
    serviceCode: a.accountCode,
    primaryDomain: a.primaryDomain,
    jurisdiction: a.hostingJurisdiction,
    branding: branding(a),
    serviceUsage: usageDto({
      account: a,
      relatives: v,
      status: v.change.newStatus,
      effectiveDate: v.change.changedAt,
      periodType: 'Daily',
      period: `${day}T00:00:00.000Z`,
      usage: v.usage,
      // The head count recorded with the change, whatever the usage import said that day.
      totalUsers: v.change.userCount,
    }),
    createdOn: cccDate(a.createdAt),
    resellerGuid: v.change.resellerGuid,
    resellerName: v.reseller?.name ?? null,
    partnerGuid: v.change.partnerGuid,
    partnerName: v.partner?.name ?? null,
    operationGuid: v.change.operationGuid,
    serviceStatusChangeGuid: v.change.guid,
    status: v.change.newStatus,
    changedOn: cccDate(v.change.changedAt),
    changedByUserGuid: v.change.changedByGuid,
    changedByUserEmailAddress: v.change.changedByEmail,
  };
}

export function serviceDto(a: Account, rel: ServiceRelatives) {
  return {
    serviceGuid: a.guid,
    serviceName: a.name,
    serviceCode: a.accountCode,
    referenceId: a.referenceNumber,
    primaryDomain: a.primaryDomain,
    jurisdiction: a.hostingJurisdiction,
    branding: branding(a),
    status: a.status,
    statusChangedOn: cccDate(a.statusChangedAt),
    createdOn: cccDate(a.createdAt),
    trialEndDate: cccDate(trialEndsAt(a)),
    resellerGuid: rel.reseller?.guid ?? null,
    resellerName: rel.reseller?.name ?? null,
    partnerGuid: rel.partner?.guid ?? null,
    partnerName: rel.partner?.name ?? null,
    totalUserCount: a.userCount,
    contact: contact(a),
    company: company(a),
  };
}

export function resellerDto(a: Account, partner: Account | null) {
  return {
    resellerGuid: a.guid,
    resellerName: a.name,
    referenceId: a.referenceNumber,
    status: a.status,
    createdOn: cccDate(a.createdAt),
    partnerGuid: partner?.guid ?? null,
    partnerName: partner?.name ?? null,
    contact: contact(a),
    company: company(a),
  };
}

export function serviceUsageDto(v: ServiceUsageView, rel: ServiceRelatives) {
  return usageDto({
    account: v.account,
    relatives: rel,
    status: v.account.status,
    effectiveDate: v.account.statusChangedAt,
    periodType: v.period.kind === 'daily' ? 'Daily' : 'Monthly',
    period: `${v.period.firstDay}T00:00:00.000Z`,
    usage: v.usage,
  });
}

export function publicServiceDto(a: Account) {
  return { serviceCode: a.accountCode, serviceName: a.name, primaryDomain: a.primaryDomain, status: a.status, branding: branding(a) };
}
