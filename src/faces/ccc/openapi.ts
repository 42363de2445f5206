/**
 * How the CCC face describes itself in the OpenAPI document: its API key, ServiceStack's ResponseStatus errors,
 * its formats (every static path also answers with a .json/.xml/.csv suffix: each suffix is its own operation in
 * the document, answering that one format), and the example of seed 004.
 */
import type { DocumentedRoute, Example, FaceOpenApi, OperationExtras } from '../../http/face-openapi.js';
import { CccError, keyRefused, notAuthenticated } from './errors.js';

const SEED_004 = 'seed 004 (DeliverySlip CCC API v8.4.0.0, SearchServiceStatusChanges)';

const API_KEY = `A ServiceStack API key: \`Authorization: Bearer <key>\` (or Basic auth with the key as the user name, password ignored).
Keys come from \`partnerhub credentials create --kind ccc\` or the demo's \`demo-credentials.json\`; paste one into "Authorize" to try
operations from this page. No key or an unknown one is a 401 "Not Authenticated"; an expired or revoked one a 403.`;

const DESCRIPTION = `DeliverySlip Cloud Command Center API v8.4.0.0, a ServiceStack API under \`/api/services\`, \`/api/resellers\`,
\`/api/partners\`, \`/api/ping\` and \`/api/public\`. The format is chosen by \`?format=json|xml|csv\`, then a \`.json\`/\`.xml\`/\`.csv\`
path suffix (also on a trailing path parameter: \`/api/services/{guid}.xml\`), then \`Accept\`; JSON by default; \`?callback=name\` wraps JSON as JSONP. Query keys and body properties match in any letter
case; GUIDs are accepted in any of .NET's forms and written as 32 hex digits. Another method on a known path is a 405 naming the
operation. Errors are \`{"responseStatus":{"errorCode","message","errors":[…]}}\` in the negotiated format. See docs/ccc.md.`;

const FORMATS: Record<string, string> = { json: 'application/json', xml: 'application/xml', csv: 'text/csv' };
const SUFFIX = /\.(json|xml|csv)$/i;
const BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'application/xml'];

function operation(r: DocumentedRoute): OperationExtras {
  const suffix = SUFFIX.exec(r.url)?.[1].toLowerCase();
  if (r.config.cccVariant && suffix) {
    return {
      operationId: `${r.operationId}_${suffix}`,
      produces: [FORMATS[suffix]],
      consumes: BODY_TYPES,
      description: `${r.operationId}, answered as ${suffix.toUpperCase()} whatever Accept says (ServiceStack's format suffix).`,
    };
  }
  return { produces: Object.values(FORMATS), consumes: BODY_TYPES };
}

const failure = (summary: string, e: CccError): Example => ({ summary, value: { responseStatus: { errorCode: e.errorCode, message: e.message, errors: e.errors } } });

const serializationError = (prop: string, value: string) => {
  const message = `'${value}' is an Invalid value for '${prop}'`;
  return { responseStatus: { errorCode: 'SerializationException', message, errors: [{ errorCode: 'SerializationException', fieldName: prop, message }] } };
};

const errorExamples: Record<string, Example[]> = {
  '400': [{ summary: 'A value that does not convert', value: serializationError('PageSize', 'ten') }],
  '401': [failure('No key or an unknown one', notAuthenticated())],
  '403': [failure('An expired key', keyRefused(false))],
  '404': [{ summary: 'Not found', value: { responseStatus: { errorCode: 'NotFound', message: 'Service not found', errors: [] } } }],
};

const GUID = '00000000000000000000000000000000';
const DATE = '0001-01-01T00:00:00Z';

/** The seed's sample answer, as printed (including the error part ServiceStack always declares). */
const statusChanges = {
  pageSize: 0,
  totalPages: 0,
  totalItems: 0,
  currentPage: 0,
  results: [
    {
      serviceGuid: GUID,
      serviceName: 'String',
      serviceCode: 'String',
      primaryDomain: 'String',
      jurisdiction: 'String',
      branding: { String: 'String' },
      serviceUsage: {
        serviceGuid: GUID,
        name: 'String',
        status: 'Blocked',
        serviceCode: 'String',
        referenceId: 'String',
        primaryDomain: 'String',
        createdOn: DATE,
        trialEndDate: DATE,
        effectiveDate: DATE,
        initialTerm: 0,
        collectionGuid: GUID,
        collectionName: 'String',
        clientGuid: GUID,
        contact: { name: 'String', email: 'String', phoneNumber: 'String' },
        company: { name: 'String', address: 'String', city: 'String', stateProvince: 'String', postalCode: 'String', country: 'String', website: 'String' },
        periodType: 'Daily',
        period: DATE,
        totalUserCount: 0,
        proUserCount: 0,
        guestUserCount: 0,
        disabledUserCount: 0,
        unregisteredUserCount: 0,
        featureUsageSecureMessagingGateway: 0,
        featureUsageSecureMessagingPlus: 0,
        featureUsageDataLeakPrevention: 0,
        featureUsageSecureLargeFiles: 0,
        featureUsageSecureForms: 0,
        totalMessageCount: 0,
        totalAttachmentCount: 0,
        attachmentStorageUsage: 0,
      },
      createdOn: DATE,
      resellerGuid: GUID,
      resellerName: 'String',
      partnerGuid: GUID,
      partnerName: 'String',
      operationGuid: GUID,
      serviceStatusChangeGuid: GUID,
      status: 'Blocked',
      changedOn: DATE,
      changedByUserGuid: GUID,
      changedByUserEmailAddress: 'String',
    },
  ],
  responseStatus: {
    errorCode: 'String',
    message: 'String',
    stackTrace: 'String',
    errors: [{ errorCode: 'String', fieldName: 'String', message: 'String', meta: { String: 'String' } }],
    meta: { String: 'String' },
  },
};

export const cccOpenApi: FaceOpenApi = {
  description: DESCRIPTION,
  securitySchemeName: 'cccApiKey',
  errorSchemaName: 'CccErrorResponse',
  securityScheme: { type: 'http', scheme: 'bearer', bearerFormat: 'ServiceStack API key', description: API_KEY },
  errors: {
    '400': '`SerializationException` (a value or body that does not convert), a FluentValidation code (`NotEmpty`, `MaximumLength`, `Email`, `GreaterThanOrEqual`, `Predicate`) with one `errors[]` entry per field, `ArgumentException` (an unsafe JSONP callback).',
    '401': '`Unauthorized`: "Not Authenticated" (no key, unknown key).',
    '403': '`Forbidden`: "API Key has expired", "API Key has been cancelled", "Invalid Role".',
    '404': '`NotFound`: "Service not found" (also outside the key’s subtree), "Reseller not found" …',
    '500': '`Exception`: "An internal error occurred", without internals.',
  },
  authStatuses: ['401', '403'],
  errorExamples,
  examples: {
    SearchServiceStatusChanges: { responses: { '200': [{ summary: 'The seed’s sample answer', value: statusChanges, source: SEED_004 }] } },
  },
  operation,
};
