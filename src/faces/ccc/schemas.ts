/**
 * The CCC request and response DTOs as TypeBox schemas. Request properties carry ServiceStack's PascalCase
 * names (the binder maps whatever case a client sends onto them); response properties are camelCase in the
 * order of the vendor's samples, because Fastify's serializer writes them in schema order. A response's
 * `title` is its DTO name: the XML root element, and the element name of each item of a list.
 */
import { Type, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { DATETIME_FORMAT, GUID_FORMAT } from './binding.js';
import { SERVICE_DOMAIN_MAX } from '../../domain/customer-directory.js';
import { SERVICE_STATUSES } from '../../domain/status.js';

// ---- request properties ----

/** PostgreSQL text cannot hold U+0000: such a value does not convert, on both stores alike. */
const NO_NUL = '^[^\\x00]*$';

export const Text = (options: object = {}) => Type.String({ pattern: NO_NUL, ...options });
export const Guid = () => Type.String({ format: GUID_FORMAT });
export const DateTime = () => Type.String({ format: DATETIME_FORMAT });
/** Int32: the binder converts only what .NET's Int32 parse takes. */
export const Int32 = (options: object = {}) => Type.Integer(options);
export const Email = () => Type.String({ format: 'ccc-email' });
/** A .NET enum: `title` is its type name in the metadata and the DTO sources. */
export const Enum = <T extends string>(values: readonly T[], title: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], title });

const opt = Type.Optional;

/** ServiceStack's paging properties; FluentValidation refuses negatives, 0 means the default. */
export const Paging = {
  Page: opt(Int32({ minimum: 0 })),
  PageSize: opt(Int32({ minimum: 0 })),
};

export const ServiceGuidParams = Type.Object({ ServiceGuid: Guid() });
export const ResellerGuidParams = Type.Object({ ResellerGuid: Guid() });
export const PartnerGuidParams = Type.Object({ PartnerGuid: Guid() });

export const SearchServices = Type.Object({
  Domain: opt(Text()),
  Name: opt(Text()),
  Code: opt(Text()),
  CreatedAfterDateTime: opt(DateTime()),
  CreatedBeforeDateTime: opt(DateTime()),
  ...Paging,
});

export const SearchServiceStatusChanges = Type.Object({
  ServiceGuid: opt(Guid()),
  ResellerGuid: opt(Guid()),
  PartnerGuid: opt(Guid()),
  ChangedByUserGuid: opt(Guid()),
  ChangedByUserEmail: opt(Text()),
  ChangedAfterDateTime: opt(DateTime()),
  ChangedBeforeDateTime: opt(DateTime()),
  ...Paging,
});

export const PERIOD_TYPES = ['Daily', 'Monthly'] as const;
const Period = {
  PeriodType: opt(Enum(PERIOD_TYPES, 'PeriodType')),
  Period: opt(DateTime()),
};

export const SearchServiceUsage = Type.Object({
  PartnerGuid: opt(Guid()),
  ResellerGuid: opt(Guid()),
  ServiceGuid: opt(Guid()),
  ...Period,
  ...Paging,
});

export const GetServiceUsage = Type.Object(Period);
export const PagingQuery = Type.Object(Paging);
export const GetPublicService = Type.Object({ ServiceCode: Text() });

/** A contact, when given, must be complete: CCC marks all three of its fields required. */
const ContactInfo = Type.Object(
  { Name: Text(), Email: Email(), PhoneNumber: Text({ aliases: ['Phone'] }) },
  { aliases: ['ContactInfo'], title: 'ContactInfo' },
);

const CompanyInfo = Type.Object(
  {
    Name: opt(Text()),
    Address: opt(Text()),
    City: opt(Text()),
    StateProvince: opt(Text({ aliases: ['State'] })),
    PostalCode: opt(Text()),
    Country: opt(Text()),
    Website: opt(Text()),
  },
  { aliases: ['CompanyInfo'], title: 'Company' },
);

/**
 * The required domain and reseller and the domain's length are the DTO's own rules (seed 004); the
 * domain checks them again, with the account rules (name and field lengths, the user count's range),
 * which the error map words the same way.
 */
export const CreateService = Type.Object({
  PrimaryDomain: Text({ maxLength: SERVICE_DOMAIN_MAX }),
  ResellerGuid: Guid(),
  ServiceName: opt(Text({ aliases: ['Name'] })),
  ReferenceId: opt(Text()),
  Contact: opt(ContactInfo),
  Company: opt(CompanyInfo),
  TotalUserCount: opt(Int32()),
});

// ---- response DTOs ----

/** Every response property may be absent: ServiceStack leaves nulls out of JSON. */
function dto<P extends TProperties>(title: string, properties: P): TObject {
  return Type.Partial(Type.Object(properties), { title });
}

const str = Type.String;
const int = Type.Integer;
// What a string stands for in .NET (`dotnet`, read by the metadata and DTO sources; the wire is the same).
const guid = () => Type.String({ dotnet: 'Guid' });
const date = () => Type.String({ dotnet: 'DateTime' });
const status = () => Type.String({ title: 'ServiceStatus', enum: [...SERVICE_STATUSES] });
const periodType = () => Type.String({ title: 'PeriodType', enum: [...PERIOD_TYPES] });
const StringMap = () => Type.Record(Type.String(), Type.String());

const Contact = dto('ContactInfo', { name: str(), email: str(), phoneNumber: str() });
const Company = dto('Company', {
  name: str(),
  address: str(),
  city: str(),
  stateProvince: str(),
  postalCode: str(),
  country: str(),
  website: str(),
});

function paged(title: string, item: TSchema) {
  return dto(title, { pageSize: int(), totalPages: int(), totalItems: int(), currentPage: int(), results: Type.Array(item) });
}

export const Service = dto('Service', {
  serviceGuid: guid(),
  serviceName: str(),
  serviceCode: str(),
  referenceId: str(),
  primaryDomain: str(),
  jurisdiction: str(),
  branding: StringMap(),
  status: status(),
  statusChangedOn: date(),
  createdOn: date(),
  trialEndDate: date(),
  resellerGuid: guid(),
  resellerName: str(),
  partnerGuid: guid(),
  partnerName: str(),
  totalUserCount: int(),
  contact: Contact,
  company: Company,
});

export const ServiceUsage = dto('ServiceUsage', {
  serviceGuid: guid(),
  name: str(),
  status: status(),
  serviceCode: str(),
  referenceId: str(),
  primaryDomain: str(),
  createdOn: date(),
  trialEndDate: date(),
  effectiveDate: date(),
  initialTerm: int(),
  collectionGuid: guid(),
  collectionName: str(),
  clientGuid: guid(),
  contact: Contact,
  company: Company,
  periodType: periodType(),
  period: date(),
  totalUserCount: int(),
  proUserCount: int(),
  guestUserCount: int(),
  disabledUserCount: int(),
  unregisteredUserCount: int(),
  featureUsageSecureMessagingGateway: int(),
  featureUsageSecureMessagingPlus: int(),
  featureUsageDataLeakPrevention: int(),
  featureUsageSecureLargeFiles: int(),
  featureUsageSecureForms: int(),
  totalMessageCount: int(),
  totalAttachmentCount: int(),
  attachmentStorageUsage: Type.Number(),
});

export const ServiceStatusChange = dto('ServiceStatusChange', {
  serviceGuid: guid(),
  serviceName: str(),
  serviceCode: str(),
  primaryDomain: str(),
  jurisdiction: str(),
  branding: StringMap(),
  serviceUsage: ServiceUsage,
  createdOn: date(),
  resellerGuid: guid(),
  resellerName: str(),
  partnerGuid: guid(),
  partnerName: str(),
  operationGuid: guid(),
  serviceStatusChangeGuid: guid(),
  status: status(),
  changedOn: date(),
  changedByUserGuid: guid(),
  changedByUserEmailAddress: str(),
});

export const Reseller = dto('Reseller', {
  resellerGuid: guid(),
  resellerName: str(),
  referenceId: str(),
  status: str(),
  createdOn: date(),
  partnerGuid: guid(),
  partnerName: str(),
  contact: Contact,
  company: Company,
});

export const PublicService = dto('PublicService', {
  serviceCode: str(),
  serviceName: str(),
  primaryDomain: str(),
  status: status(),
  branding: StringMap(),
});

export const PingResponse = dto('PingResponse', { result: str(), serverTime: str() });
export const ServicesResponse = paged('ServicesResponse', Service);
export const ServiceStatusChangesResponse = paged('ServiceStatusChangesResponse', ServiceStatusChange);
export const ServiceUsageResponse = paged('ServiceUsageResponse', ServiceUsage);
export const ResellersResponse = paged('ResellersResponse', Reseller);

const ResponseError = dto('ResponseError', { errorCode: str(), fieldName: str(), message: str(), meta: StringMap() });

/** ServiceStack's error body; ResponseStatus lives in ServiceStack's own XML namespace. */
export const ErrorResponse = dto('ErrorResponse', {
  responseStatus: dto('ResponseStatus', {
    errorCode: str(),
    message: str(),
    stackTrace: str(),
    errors: Type.Array(ResponseError),
    meta: StringMap(),
  }),
});

/** A route's responses: its DTO on success, ServiceStack's error body otherwise. */
export function responses(ok: TSchema) {
  return { 200: ok, '4xx': ErrorResponse, '5xx': ErrorResponse };
}
