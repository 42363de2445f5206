import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ROLES } from '../domain/principal.js';

/**
 * The demo credentials document (`demo --out FILE`, `serve --demo`). Its shape is documented in the README and
 * kept stable: the schema is the one definition of it, for the type, for writing and for reading it back.
 */
const AccountSummary = Type.Object({
  guid: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  accountNumber: Type.String(),
  accountCode: Type.String(),
  mimecastId: Type.String(),
});

export const DemoPrincipalSchema = Type.Object({
  guid: Type.String(),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r)))),
  account: AccountSummary,
  mimecast: Type.Object({ accessKey: Type.String(), secretKey: Type.String(), appId: Type.String(), appKey: Type.String() }),
  rackspace: Type.Object({ userKey: Type.String(), secretKey: Type.String() }),
  ccc: Type.Object({ apiKey: Type.String() }),
});

export const DemoCredentialsSchema = Type.Object({
  version: Type.Literal(1),
  generatedAt: Type.String(),
  baseUrl: Type.String(),
  partner: AccountSummary,
  resellers: Type.Array(AccountSummary),
  customerCount: Type.Integer(),
  principals: Type.Object(Object.fromEntries(ROLES.map((r) => [r, DemoPrincipalSchema])) as Record<(typeof ROLES)[number], typeof DemoPrincipalSchema>),
});

export type DemoPrincipal = Static<typeof DemoPrincipalSchema>;
export type DemoCredentials = Static<typeof DemoCredentialsSchema>;

/**
 * What `partnerhub call` needs of such a file: per role, the keys of the faces it has. A hand-written file
 * with only those parts works too.
 */
export const CallCredentialsSchema = Type.Object({
  baseUrl: Type.Optional(Type.String()),
  principals: Type.Record(Type.String(), Type.Partial(Type.Pick(DemoPrincipalSchema, ['mimecast', 'rackspace', 'ccc']))),
});
export type CallCredentials = Static<typeof CallCredentialsSchema>;

function parseWith<T extends typeof DemoCredentialsSchema | typeof CallCredentialsSchema>(schema: T, text: string): Static<T> {
  const doc: unknown = JSON.parse(text);
  if (!Value.Check(schema, doc)) {
    const first = Value.Errors(schema, doc).First();
    throw new Error(`not a partnerhub credentials document: ${first ? `${first.path || '/'} ${first.message}` : 'unexpected shape'}`);
  }
  return doc;
}

/** Parses a whole demo credentials document; throws an Error naming the first field that does not fit. */
export function parseDemoCredentials(text: string): DemoCredentials {
  return parseWith(DemoCredentialsSchema, text);
}

export function parseCallCredentials(text: string): CallCredentials {
  return parseWith(CallCredentialsSchema, text);
}
