import { createRequire } from 'node:module';
import type { FastifyInstance, FastifySchemaCompiler, FastifySerializerCompiler, FastifyServerOptions } from 'fastify';

/**
 * Route schemas compiled on first use instead of at start-up. Fastify compiles every route's validators (Ajv,
 * TypeBox) and response serializers (fast-json-stringify) while the app gets ready; with some 250 routes on
 * three faces that was most of a start's time, for routes most processes never see. Here each compiler hands
 * Fastify a stand-in that compiles the real function the first time it is called and then only forwards to
 * it, so what validates and serializes, and every error it reports, is the same function's as before.
 *
 * What changes: a schema that cannot compile fails its route's first request instead of the start (a test
 * compiles every route's schemas, test/app/lazy-schemas.test.ts). Fastify lower-cases a header schema's
 * property names only for its own default compiler, not a custom one such as this; no route declares a
 * header schema (the same test says so).
 */

export interface SchemaUse {
  kind: 'validator' | 'serializer';
  method: string;
  url: string;
  /** The request part (params, querystring, body, headers) or the response status. */
  part: string;
  /** Compiles the schema now if it is not yet (tests compile every route's this way). */
  compile(): void;
}

export interface SchemaWatcher {
  /** A route's schema was handed to Fastify, not compiled. */
  deferred?(use: SchemaUse): void;
  /** A schema was compiled (on its route's first use, or through SchemaUse.compile). */
  compiled?(use: SchemaUse): void;
}

const watchers = new Set<SchemaWatcher>();

/** Tells a watcher of every schema deferred and compiled from now on, in any app of this process; returns its removal. */
export function watchSchemas(watcher: SchemaWatcher): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type RouteSchemaInput = { schema: unknown; method?: string; url?: string; httpPart?: string; httpStatus?: string; contentType?: string };

const lazyCompilers = new WeakSet<object>();

function lazyFunction(kind: SchemaUse['kind'], input: RouteSchemaInput, build: () => Compiled): Compiled {
  let real: Compiled | undefined;
  // Described only for watchers (tests): a start makes some 3,000 of these.
  const describe = (): SchemaUse => ({
    kind,
    method: String(input.method ?? ''),
    url: String(input.url ?? ''),
    part: String(input.httpPart ?? input.httpStatus ?? '') + (input.contentType ? ` ${input.contentType}` : ''),
    compile: () => void get(),
  });
  const get = (): Compiled => {
    if (real) return real;
    real = build();
    if (watchers.size) {
      const use = describe();
      for (const w of watchers) w.compiled?.(use);
    }
    return real;
  };
  const stand = function (this: unknown, ...args: unknown[]) {
    const fn = get();
    const result = fn.apply(this, args);
    // Ajv leaves a failed call's errors on the function, where Fastify reads them.
    if (kind === 'validator') stand.errors = fn.errors;
    return result;
  } as Compiled;
  // Fastify hands an Ajv function its parent object (so Ajv can coerce the value in place) when it has a schemaEnv.
  if (kind === 'validator') Object.defineProperty(stand, 'schemaEnv', { get: () => get().schemaEnv });
  if (watchers.size) {
    const use = describe();
    for (const w of watchers) w.deferred?.(use);
  }
  return stand;
}

/** A validator compiler that defers each schema's compilation by `compile` to its first use. */
export function lazyValidatorCompiler<C extends FastifySchemaCompiler<any>>(compile: C): C {
  if (lazyCompilers.has(compile)) return compile;
  const lazy = ((input: RouteSchemaInput) => lazyFunction('validator', input, () => compile(input as never) as Compiled)) as unknown as C;
  lazyCompilers.add(lazy);
  return lazy;
}

/** A serializer compiler that defers each response schema's compilation by `compile` to its first use. */
export function lazySerializerCompiler<C extends FastifySerializerCompiler<any>>(compile: C): C {
  if (lazyCompilers.has(compile)) return compile;
  const lazy = ((input: RouteSchemaInput) => lazyFunction('serializer', input, () => compile(input as never) as Compiled)) as unknown as C;
  lazyCompilers.add(lazy);
  return lazy;
}

type Builder = (externalSchemas: unknown, options: unknown) => (input: RouteSchemaInput) => unknown;

/** Loads a CommonJS package when it is first needed (a compiler's library: Ajv, fast-json-stringify), not at start-up. */
export const requireWhenNeeded = createRequire(import.meta.url);

/** A schema compiler made on its first use: the library behind it is loaded only when a route first needs it. */
export function compilerOnFirstUse<C extends (input: any) => unknown>(make: () => C): C {
  let compiler: C | undefined;
  return ((input: unknown) => (compiler ??= make())(input)) as C;
}

/**
 * Fastify's own compilers (the Ajv and fast-json-stringify ones it uses when none is set), made lazy: the
 * `schemaController` option of the app. Both are loaded from Fastify's own dependencies, so they are the
 * very ones Fastify would have used, and only when the first schema is compiled.
 */
export function lazyDefaultCompilers(): NonNullable<FastifyServerOptions['schemaController']> {
  const fromFastify = (name: string) => createRequire(requireWhenNeeded.resolve('fastify'))(name) as () => Builder;
  const builder = (name: string) => (external: unknown, options: unknown) => compilerOnFirstUse(() => fromFastify(name)()(external, options));
  const validators = builder('@fastify/ajv-compiler');
  const serializers = builder('@fastify/fast-json-stringify-compiler');
  return {
    compilersFactory: {
      buildValidator: ((external: unknown, options: unknown) => lazyValidatorCompiler(validators(external, options) as never)) as never,
      buildSerializer: ((external: unknown, options: unknown) => lazySerializerCompiler(serializers(external, options) as never)) as never,
    },
  };
}

/** Makes the compilers a scope set for itself (a face's codec) lazy too; the ones it inherits already are. */
export function compileScopeLazily(scope: FastifyInstance): void {
  const validator = scope.validatorCompiler;
  if (validator && !lazyCompilers.has(validator)) scope.setValidatorCompiler(lazyValidatorCompiler(validator));
  const serializer = scope.serializerCompiler;
  if (serializer && !lazyCompilers.has(serializer)) scope.setSerializerCompiler(lazySerializerCompiler(serializer));
}
