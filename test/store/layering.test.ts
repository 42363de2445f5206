import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_STATUSES } from '../../src/domain/status.js';
import { CREDENTIAL_KINDS } from '../../src/domain/credential.js';
import { ROLES } from '../../src/domain/principal.js';
import type { CredentialKind, Role, ServiceStatus } from '../../src/store/records.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every module a file names: static imports and re-exports, `import()` in code or in a type. */
export function importedModules(text: string): string[] {
  const specifiers = [...text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('.'));
}

/** Store files that name a module under src/domain, as "file -> module". */
export function storeImportsOfDomain(base = root): string[] {
  const store = join(base, 'src/store');
  const domain = join(base, 'src/domain') + '/';
  return sourceFiles(store).flatMap((file) =>
    importedModules(readFileSync(file, 'utf8'))
      .filter((spec) => (resolve(dirname(file), spec) + '/').startsWith(domain))
      .map((spec) => `${relative(base, file)} -> ${spec}`),
  );
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('layering between domain and store', () => {
  it('no file under src/store imports from src/domain', () => {
    assert.deepEqual(storeImportsOfDomain(), []);
  });

  it('the check sees every form of import', () => {
    const forms = [
      "import type { Account } from '../../domain/account.js';",
      "import { x } from '../domain/y.js'",
      "export { Account } from '../../domain/account.js';",
      "type A = import('../../domain/account.js').Account;",
      "const m = await import('../domain/jobs.js');",
    ];
    for (const f of forms) assert.equal(importedModules(f).length, 1, f);
    assert.deepEqual(importedModules("import { sql } from 'kysely';"), []);
  });

  it("the domain's lists name exactly the records' values", () => {
    const statuses: Same<(typeof SERVICE_STATUSES)[number], ServiceStatus> = true;
    const kinds: Same<(typeof CREDENTIAL_KINDS)[number], CredentialKind> = true;
    const roles: Same<(typeof ROLES)[number], Role> = true;
    assert.deepEqual([statuses, kinds, roles], [true, true, true]);
    assert.equal(new Set(SERVICE_STATUSES).size, SERVICE_STATUSES.length);
  });
});
