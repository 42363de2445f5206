/**
 * The CCC face's schema validator: Fastify's own Ajv, set up as FluentValidation reports. Two settings
 * differ from Fastify's defaults, for reasons the schemas cannot carry:
 * - allErrors: FluentValidation reports every failing rule (Page and PageSize both), where Ajv would stop
 *   at the first. The CCC request DTOs are flat and small and bodies are size-limited, which is what keeps
 *   allErrors from being the denial-of-service Fastify's default guards against.
 * - no type coercion: the binder converts text the way .NET does (Int32 parse refuses "1e3" and "0x10",
 *   which Ajv's coercion would take); what it leaves unconverted fails the schema's type.
 * verbose puts the refused value on each error, for ServiceStack's "'<value>' is an Invalid value" message.
 */
import type { Ajv } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { isEmail } from '../../domain/account.js';
import { compilerOnFirstUse, requireWhenNeeded } from '../../http/lazy-schemas.js';
import { DATETIME_FORMAT, GUID_FORMAT } from './binding.js';

/** Made (and Ajv loaded) when the first CCC schema is compiled: route schemas compile on first use. */
function cccAjv(): Ajv {
  const ajv = new (requireWhenNeeded('ajv') as typeof import('ajv')).Ajv({ allErrors: true, coerceTypes: false, useDefaults: true, removeAdditional: false, verbose: true, strict: false });
  // The binder has already turned every accepted form into these canonical ones.
  ajv.addFormat(GUID_FORMAT, /^[0-9a-f]{32}$/);
  ajv.addFormat(DATETIME_FORMAT, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  ajv.addFormat('ccc-email', { type: 'string', validate: (s: string) => isEmail(s) });
  // Names a client may send for a property instead of its own; read by the binder, nothing to validate.
  ajv.addKeyword({ keyword: 'aliases', schemaType: 'array' });
  return ajv;
}

export const validatorCompiler: FastifySchemaCompiler<unknown> = compilerOnFirstUse(() => {
  const ajv = cccAjv();
  return ({ schema }: { schema: unknown }) => ajv.compile(schema as object) as never;
});
