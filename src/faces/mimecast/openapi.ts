import { Type } from '@sinclair/typebox';
import type { DocumentedRoute, Example, FaceOpenApi, OperationExtras } from '../../http/face-openapi.js';
import { RequestBody, requestFailure } from './envelope.js';
import { FAILURES, type McFailure } from './errors.js';
import { CreateItem, UpdateItem } from './items.js';

/**
 * How the Mimecast face describes itself in the OpenAPI document: the `Authorization: MC …` HMAC scheme and its
 * three x-mc-* headers, the refusals of the whole request, the item schemas of create- and update-account (each
 * `data` item is checked on its own, items.ts), and the examples of seeds 000 and 001.
 */

const SEED_000 = 'seed 000 (Mimecast API 1.0, get-support-info)';
const SEED_001 = 'seed 001 (Mimecast API 1.0, update-account)';

const SIGNATURE = `Mimecast API 1.0 HMAC signature. Every request carries four headers:

- \`Authorization: MC <accessKey>:<signature>\`
- \`x-mc-date\`: the time in RFC 1123 form, e.g. \`Tue, 24 Nov 2015 12:50:11 UTC\`, within \`PARTNERHUB_MIMECAST_DATE_WINDOW_MS\` (15 minutes) of the server's clock
- \`x-mc-req-id\`: a new random id (a GUID) for every request; a used one is refused as a replay
- \`x-mc-app-id\`: the application id registered with the key

\`signature = base64(HMAC-SHA1(base64decode(secretKey), x-mc-date + ":" + x-mc-req-id + ":" + path + ":" + appKey))\`, over the
header strings exactly as sent and the path as sent (e.g. \`/api/account/get-support-info\`).

Keys, application id and key come from \`partnerhub credentials create --kind mimecast\` or the demo's \`demo-credentials.json\`.
Because every request needs a fresh date and request id, sign each one with a client (src/client/mimecast.ts, the seeds'
sample code, \`partnerhub call mimecast …\`); a header pasted into this page works once. Answers to a known user carry
\`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\`.`;

const DESCRIPTION = `Mimecast API 1.0: account (\`/api/account/…\`) and provisioning (\`/api/provisioning/…\`) endpoints, all \`POST\`
with a JSON envelope. Answers are \`{"meta":{"status"},"data":[…],"fail":[…]}\`: each \`data\` item of a request is its own
call, so an item that is refused comes back in \`fail\` (with its \`key\`, the item echoed, and its errors) while the others run.
A refusal of the whole request has one \`fail\` entry without a key. See docs/mimecast.md.`;

/** The x-mc-* headers every signed request carries (the Authorization header is the security scheme). */
const SignedHeaders = Type.Object({
  'x-mc-date': Type.String({ description: 'The request time, RFC 1123', examples: ['Tue, 24 Nov 2015 12:50:11 UTC'] }),
  'x-mc-req-id': Type.String({ description: 'A new random id for every request', examples: ['8578FCFC-A305-4D9A-99CB-F4D5ECEFE297'] }),
  'x-mc-app-id': Type.String({ description: 'The application id registered with the access key' }),
});

const withItems = (item: typeof UpdateItem | typeof CreateItem) => Type.Object({ ...RequestBody.properties, data: Type.Optional(Type.Array(item)) });

/** Bodies whose items the face checks one by one: the document shows the item's shape. */
const ITEM_BODIES: Record<string, ReturnType<typeof withItems>> = { updateAccount: withItems(UpdateItem), createAccount: withItems(CreateItem) };

function operation(r: DocumentedRoute): OperationExtras {
  return { headers: r.config.auth === false ? undefined : SignedHeaders, body: ITEM_BODIES[r.operationId] };
}

const refusal = (summary: string, f: McFailure): Example => ({ summary, value: requestFailure(f.status, f.error) });

const errorExamples: Record<string, Example[]> = {
  '400': [refusal('A header missing', FAILURES.missingCredentials())],
  '401': [refusal('Wrong signature or unknown key', FAILURES.invalidSignature()), refusal('Request id used before', FAILURES.replayed())],
  '403': [refusal('A role the user lacks', FAILURES.forbidden())],
  '418': [refusal('Revoked or expired key', FAILURES.bindingExpired())],
  '429': [refusal('Over the rate limit', FAILURES.rateLimited(1500))],
};

const item = { accountCode: 'String', numberOfUsers: 0, telephone: 'String', accountName: 'String', contactEmail: 'String', products: [9702], contactName: 'String' };
const updated = {
  userCount: 10,
  accountCode: 'String',
  domain: 'String',
  packages: ['String'],
  umbrellaAccounts: ['String'],
  primaryDomain: 'String',
  mimecastId: 'String',
  adminEmail: 'String',
  accountName: 'String',
};
const support = {
  partnerName: 'String',
  supportPackage: 'String',
  customerDevelopmentManager: 'String',
  mailtoLink: 'String',
  supportJurisdiction: 'String',
  renewalDate: 'String',
  hostingJurisdiction: 'String',
  customerAdvocate: 'String',
  mainProduct: 'String',
  officePhone: 'String',
};

export const mimecastOpenApi: FaceOpenApi = {
  description: DESCRIPTION,
  securitySchemeName: 'mimecastSignature',
  errorSchemaName: 'MimecastFailure',
  securityScheme: { type: 'apiKey', in: 'header', name: 'Authorization', description: SIGNATURE },
  errors: {
    '200': 'Also the answer to an `x-mc-app-id` no key is registered with, as Mimecast answers it: `err_developer_key`, empty `data`.',
    '400': '`err_xdk_missing_credentials` (one of the four headers missing), `err_request_malformed` (a body that is not the envelope), `err_validation_invalid_value` (a pageToken this server did not issue).',
    '401': '`err_xdk_invalid_signature`, `err_xdk_invalid_request_date`, `err_xdk_request_date_out_of_range`, `err_xdk_request_replayed`.',
    '403': '`err_xdk_operation_forbidden`: the user lacks the role (Partner Provisioning for update-, create-account). Also an update or create whose every item was refused: each item’s errors are in `fail`.',
    '413': '`err_request_too_large`.',
    '418': '`err_xdk_binding_expired`: a revoked or expired key, with a valid signature.',
    '429': '`err_xdk_rate_limit_exceeded` (retryable): over the user’s rate limit; the operation did not run.',
    '500': '`err_internal_server_error` (retryable), without internals.',
  },
  authStatuses: ['401', '418', '429'],
  errorExamples,
  examples: {
    getSupportInfo: {
      request: [{ summary: 'No items', value: { data: [] }, source: SEED_000 }],
      responses: { '200': [{ summary: 'The support profile', value: { fail: [], meta: { status: 200 }, data: [support] }, source: SEED_000 }] },
    },
    updateAccount: {
      request: [{ summary: 'One account', value: { data: [item] }, source: SEED_001 }],
      responses: { '200': [{ summary: 'The updated account', value: { fail: [], meta: { status: 200 }, data: [updated] }, source: SEED_001 }] },
    },
  },
  operation,
};
