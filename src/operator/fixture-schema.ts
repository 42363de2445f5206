import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ROLES } from '../domain/principal.js';
import { SERVICE_STATUSES } from '../domain/status.js';
import { EDITABLE_FIELDS } from '../domain/account.js';

/**
 * The fixture file's JSON Schema (TypeBox): what `serve --fixtures FILE` and `POST /_partnerhub/v1/fixtures`
 * accept. Published as docs/fixtures.schema.json and at `GET /_partnerhub/v1/fixtures/schema`.
 */
const Instant = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$', description: 'ISO 8601 time with a zone, e.g. 2026-01-01T00:00:00Z' });
const Guid = Type.String({ pattern: '^(\\{)?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}(\\})?$', description: 'a fixed GUID (default: derived from the names above it, the same on every load)' });
const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });

const Keys = Type.Object(
  {
    rackspace: Type.Optional(Type.Object({ userKey: Type.String({ pattern: '^[A-Za-z0-9]{8,64}$' }), secretKey: Type.String({ pattern: '^[A-Za-z0-9]{8,128}$' }) }, { additionalProperties: false })),
    mimecast: Type.Optional(
      Type.Object(
        {
          accessKey: Type.String({ pattern: '^[A-Za-z0-9_-]{16,200}$' }),
          secretKey: Type.String({ pattern: '^[A-Za-z0-9+/]{16,}={0,2}$', description: 'base64, as Mimecast issues it (clients decode it to sign)' }),
          appId: Uuid,
          appKey: Uuid,
        },
        { additionalProperties: false },
      ),
    ),
    ccc: Type.Optional(Type.Object({ apiKey: Type.String({ pattern: '^\\S{16,200}$' }) }, { additionalProperties: false })),
  },
  { additionalProperties: false, description: 'fixed API keys: the credentials exist with exactly these secrets' },
);

const Principal = Type.Object(
  {
    guid: Type.Optional(Guid),
    email: Type.String({ minLength: 3 }),
    name: Type.String({ minLength: 1 }),
    roles: Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r))), { minItems: 1 }),
    keys: Type.Optional(Keys),
  },
  { additionalProperties: false },
);

const Contact = Type.Object(
  {
    name: Type.String(),
    email: Type.String(),
    phone: Type.String(),
    receivesAlerts: Type.Optional(Type.Boolean()),
    receivesBilling: Type.Optional(Type.Boolean()),
    receivesUpdates: Type.Optional(Type.Boolean()),
    securityQuestion: Type.Optional(Type.String()),
    securityAnswer: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Status = Type.Union(SERVICE_STATUSES.map((s) => Type.Literal(s)));
const HistoryEntry = Type.Object({ status: Status, at: Instant, reason: Type.Optional(Type.String()) }, { additionalProperties: false });

const fieldProps: Record<string, TSchema> = {};
for (const f of EDITABLE_FIELDS) if (f !== 'name') fieldProps[f] = Type.Optional(Type.String());

const accountProps = {
  guid: Type.Optional(Guid),
  name: Type.String({ minLength: 1 }),
  createdAt: Type.Optional(Instant),
  userCount: Type.Optional(Type.Integer({ minimum: 0 })),
  products: Type.Optional(Type.Array(Type.Integer(), { description: 'product ids' })),
  principals: Type.Optional(Type.Array(Principal)),
  contacts: Type.Optional(Type.Array(Contact)),
  ...fieldProps,
};

const Customer = Type.Object(
  { ...accountProps, status: Type.Optional(Status), history: Type.Optional(Type.Array(HistoryEntry, { description: 'later status changes, oldest first' })) },
  { additionalProperties: false },
);
const Reseller = Type.Object({ ...accountProps, customers: Type.Optional(Type.Array(Customer)) }, { additionalProperties: false });
const Partner = Type.Object({ ...accountProps, resellers: Type.Optional(Type.Array(Reseller)), customers: Type.Optional(Type.Array(Customer)) }, { additionalProperties: false });

const Product = Type.Object(
  { id: Type.Integer({ minimum: 1 }), name: Type.String({ minLength: 1 }), packageLabel: Type.String(), monthlyRate: Type.String({ pattern: '^\\d+\\.\\d{2}$' }) },
  { additionalProperties: false },
);

export const FixtureFile = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    clock: Type.Optional(
      Type.Object(
        {
          at: Type.Optional(Instant),
          frozen: Type.Optional(Type.Boolean({ description: 'keep the business time standing still after loading (default false: it runs on)' })),
        },
        { additionalProperties: false, description: 'the business time the data is created at, and the test clock after loading (default 2026-01-01T00:00:00Z)' },
      ),
    ),
    products: Type.Optional(Type.Array(Product, { description: "the product catalog (default: the demo's)" })),
    partners: Type.Array(Partner, { minItems: 1 }),
    invoices: Type.Optional(
      Type.Array(Type.Object({ period: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }) }, { additionalProperties: false }), {
        description: 'billing periods (YYYY-MM) to issue invoices for, as the monthly run does; each must end by clock.at',
      }),
    ),
  },
  { additionalProperties: false, title: 'partnerhub fixtures', $id: 'https://partnerhub.dev/schemas/fixtures.json' },
);

export type FixtureFile = Static<typeof FixtureFile>;
export type FixtureAccount = Static<typeof Customer> & { resellers?: Static<typeof Reseller>[]; customers?: Static<typeof Customer>[] };
export type FixturePrincipal = Static<typeof Principal>;

/** The schema as a JSON document (what docs/fixtures.schema.json holds). */
export function fixtureJsonSchema(): string {
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...FixtureFile }, null, 2) + '\n';
}
