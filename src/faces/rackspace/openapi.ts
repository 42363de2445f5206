import type { DocumentedRoute, Example, FaceOpenApi, OperationExamples, OperationExtras } from '../../http/face-openapi.js';
import { MESSAGES } from './errors.js';

/**
 * How the Rackspace face describes itself in the OpenAPI document: the X-Api-Signature scheme, its faults, the
 * media types of v0/v1 (JSON or XML, by Accept) and v2 (JSON), and the JSON examples of seeds 002 (v1, v2) and
 * 003 (v0). The customer operations are served under /v1, /v0 and the unversioned v0 URLs; each URL is its own
 * operation in the document, so its operation id carries the version.
 */

const SEED_V1 = 'seed 002 (Rackspace Email & Apps API v1 customers)';
const SEED_V2 = 'seed 002 (Rackspace Email & Apps API v2 contacts and invoices)';
const SEED_V0 = 'seed 003 (Rackspace Email & Apps API v0 customers)';

const SIGNATURE = `Every request carries \`X-Api-Signature: <userKey>:<timestamp>:<hash>\`:

- \`timestamp\` is \`yyyyMMddHHmmss\` (UTC, or the client's local time: any zone from UTC−12 to UTC+14 is accepted by default);
- \`hash\` is \`base64(SHA1(userKey + User-Agent + timestamp + secretKey))\`, over the request's \`User-Agent\` header exactly as sent.

A signature stays usable for \`PARTNERHUB_RACKSPACE_SIGNATURE_MAX_AGE\` seconds (default one day), so a client may sign once per
session. Keys come from \`partnerhub credentials create --kind rackspace\` or the demo's \`demo-credentials.json\`;
\`partnerhub call rackspace …\` signs and sends one request. To try an operation from this page, sign with your browser's
User-Agent (it sends its own). Every failure is the same 403 \`unauthorizedFault\` "Authentication failed.", and each principal
may make 60 reads and 30 writes a minute (403 "Exceeded request limits" beyond).`;

const FAULTS = `Every error carries an \`x-error-message\` header and a fault document, \`{"<kind>":{"message","details","code"[,"resourceType"]}}\`
(v0 and v1 also as XML, by Accept), where \`details\` is the server's time. v2 answers in JSON only.`;

const DESCRIPTION = `Rackspace Email & Apps API: customers v0 (\`/v0/customers\` and the v0 page's unversioned \`/customers\`) and v1
(\`/v1/customers\`), company contacts and invoices v2 (\`/v2/customers/{accountNumber}/…\`). v0 and v1 answer XML unless
\`Accept\` asks for JSON, and read form, JSON or XML bodies. ${FAULTS} See docs/rackspace.md.`;

const fault = (kind: string, code: number, message: string, resourceType?: string) => ({
  [kind]: { message, details: '3/2/2026 10:00:00 AM', code, ...(resourceType ? { resourceType } : {}) },
});

const errorExamples: Record<string, Example[]> = {
  '400': [{ summary: 'A field the seed words', value: fault('validationFault', 400, 'Missing required field: name'), source: SEED_V1 }],
  '403': [
    { summary: 'Authentication failed', value: fault('unauthorizedFault', 403, MESSAGES.authenticationFailed) },
    { summary: 'Throttled, or the enable/disable window', value: fault('unauthorizedFault', 403, MESSAGES.exceededLimits), source: SEED_V1 },
  ],
  '404': [
    { summary: 'v0/v1: unknown or invisible customer', value: fault('itemNotFoundFault', 404, MESSAGES.customerNotFound, 'customer') },
    { summary: 'v2: anything not found', value: fault('itemNotFoundFault', 404, MESSAGES.unknownUrl), source: SEED_V2 },
  ],
};

const ex = (summary: string, value: unknown, source: string): Example => ({ summary, value, source });

const customerList = {
  offset: 0,
  size: 50,
  total: 3,
  customers: [
    { name: 'API Customer 17', accountNumber: '460182', referenceNumber: '49' },
    { name: 'API Customer 39', accountNumber: '460181', referenceNumber: '23' },
    { name: 'API Customer 50', accountNumber: '460183', referenceNumber: '10' },
  ],
};
const customerV0 = { name: 'API Customer 17', accountNumber: '460182', referenceNumber: '49' };
const customerV1 = {
  ...customerV0,
  addressLine1: '555 Address',
  addressLine2: 'Suite 555',
  city: 'Austin',
  state: 'Texas',
  zip: '78703',
  country: 'USA',
  phone: '1-555-555-5555',
  email: 'user@example.com',
};

function customerExamples(source: string, shown: object): Record<string, OperationExamples> {
  return {
    ListCustomers: { responses: { '200': [ex('The index', customerList, source), ex('?referenceNumber=49', shown, source)] } },
    ShowCustomer: { responses: { '200': [ex('/customers/me', shown, source)] } },
    AddCustomer: { request: [ex('Add', { name: 'Name' }, source)] },
    CreateLoginToken: {
      request: [ex('A virtual user', { userName: 'dev_cust_limitedadmin', virtualUser: 'true' }, SEED_V1)],
      responses: {
        '200': [ex('A login token', { user: 'dev_cust_limitedadmin_460896_vu', token: 'EEB0012D8DBC2CAC26E28365D44B537FFF0D79350', dateCreated: '6/11/2010 10:53:46 AM' }, SEED_V1)],
      },
    },
  };
}

const v1Edit = {
  name: 'NewName',
  referenceNumber: '12345',
  addressLine1: '555 Address',
  addressLine2: 'Suite 555',
  city: 'Austin',
  state: 'Texas',
  zip: '78703',
  country: 'USA',
  phone: '1-555-555-5555',
};

const contact = (Id: string, Email: string) => ({
  CustomerNumber: '999999',
  Email,
  Id,
  Name: 'Contact first - Ellie',
  Phone: '1235555555',
  ReceivesAlerts: true,
  ReceivesBilling: true,
  ReceivesUpdates: true,
  SecurityAnswer: 'A',
  SecurityQuestion: 'Q',
});
const contactBody = {
  Email: 'user@example.com',
  Name: 'Best Contact',
  Phone: '1235555555',
  ReceivesAlerts: false,
  ReceivesBilling: false,
  ReceivesUpdates: false,
  SecurityAnswer: 'A',
  SecurityQuestion: 'Q',
};
const samir = { ...contact('4', 'user4@example.com'), Name: 'Contact after hours - Samir', ReceivesAlerts: false, ReceivesBilling: false, ReceivesUpdates: false };

const v2Examples: Record<string, OperationExamples> = {
  ListInvoices: {
    responses: {
      '200': [
        ex(
          'Invoices',
          { Size: 50, Offset: 0, Total: 1, Items: [{ InvoiceId: '123', InvoiceDate: '2017-12-07T00:00:00', InvoiceType: 'Billing', TotalDue: '1122.55', IsPaid: true, CsvAvailable: true }] },
          SEED_V2,
        ),
      ],
    },
  },
  ListContacts: {
    responses: {
      '200': [
        ex('All contacts', { Size: 50, Offset: 0, Total: 1, Items: [contact('1', 'user@example.com')] }, SEED_V2),
        ex('?size=2&offset=2', { Size: 2, Offset: 2, Total: 4, Items: [contact('3', 'user3@example.com'), samir] }, SEED_V2),
      ],
    },
  },
  ShowContact: { responses: { '200': [ex('Contact 4', contact('4', 'user@example.com'), SEED_V2)] } },
  AddContact: { request: [ex('A new contact', contactBody, SEED_V2)] },
  EditContact: { request: [ex('Update contact 4', contactBody, SEED_V2)] },
};

/** Examples by the document's operation id: the customer operations once per URL family. */
function examplesByOperation(): Record<string, OperationExamples> {
  const out: Record<string, OperationExamples> = { ...v2Examples };
  const families: [string, Record<string, OperationExamples>][] = [
    ['V1', { ...customerExamples(SEED_V1, customerV1), EditCustomer: { request: [ex('Edit', v1Edit, SEED_V1)] } }],
    ['V0', customerExamples(SEED_V0, customerV0)],
    ['V0Unversioned', customerExamples(SEED_V0, customerV0)],
  ];
  for (const [suffix, examples] of families) for (const [id, e] of Object.entries(examples)) out[id + suffix] = e;
  return out;
}

const FIELD_SET_TYPES = ['application/x-www-form-urlencoded', 'application/json', 'text/xml'];

/** Which family a URL belongs to: its operation ids differ by it (ListCustomersV1, ListCustomersV0, ListCustomersV0Unversioned). */
function familySuffix(url: string): string {
  if (url.startsWith('/v1/')) return 'V1';
  if (url.startsWith('/v0/')) return 'V0';
  if (url.startsWith('/customers')) return 'V0Unversioned';
  return '';
}

function operation(r: DocumentedRoute): OperationExtras {
  if (r.config.version === 'v2') return { produces: r.operationId === 'ShowInvoice' ? undefined : ['application/json'], consumes: ['application/json'] };
  const suffix = familySuffix(r.url);
  const description = suffix === 'V0Unversioned' ? 'The v0 page’s unversioned URL: behaves as v0.' : undefined;
  return { operationId: r.operationId + suffix, produces: ['text/xml', 'application/json'], consumes: FIELD_SET_TYPES, description };
}

export const rackspaceOpenApi: FaceOpenApi = {
  description: DESCRIPTION,
  securitySchemeName: 'rackspaceSignature',
  errorSchemaName: 'RackspaceFault',
  securityScheme: { type: 'apiKey', in: 'header', name: 'X-Api-Signature', description: SIGNATURE },
  errors: {
    '400': '`badRequestFault` or `validationFault`: a field the rules refuse (the seeds’ messages), malformed bodies, bad paging, an unsupported content type.',
    '403': '`unauthorizedFault`: "Authentication failed." (any signature failure), "Not authorized" (a missing role; enable/disable of a customer the caller cannot act on), "Exceeded request limits" (throttled; the enable/disable window). v2 says "Unauthorized." for a missing role.',
    '404': '`itemNotFoundFault`: "Customer Not Found" (v0/v1, resourceType customer), "Admin user not found" (login tokens, resourceType user); v2: "Make sure the URL is correct." for anything not found.',
    '409': '`appsFault`: deleting an account that still has sub-accounts.',
    '413': '`badRequestFault`: "Request body too large".',
    '500': '`appsFault`: "Internal Server Error", without internals.',
  },
  authStatuses: ['403'],
  errorExamples,
  examples: examplesByOperation(),
  operation,
};
