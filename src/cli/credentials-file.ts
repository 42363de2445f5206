import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCallCredentials, type CallCredentials } from '../demo/credentials.js';
import { CliError } from './context.js';

export interface CredentialsFileFlags {
  /** A demo credentials file; without it, PARTNERHUB_DEMO_OUT or <data-dir>/demo-credentials.json when it exists. */
  credentials?: string;
  role?: string;
}

/**
 * The principal of `--role` in a demo credentials file, for `partnerhub call`. A file named with
 * --credentials must be readable; the default file is used only when it exists (null otherwise).
 */
export function demoPrincipal(
  flags: CredentialsFileFlags,
  env: NodeJS.ProcessEnv,
  defaultRole: string,
): { principal: CallCredentials['principals'][string]; baseUrl?: string; file: string } | null {
  const file = flags.credentials ?? env.PARTNERHUB_DEMO_OUT ?? join(env.PARTNERHUB_DATA_DIR ?? './data', 'demo-credentials.json');
  if (!flags.credentials && !existsSync(file)) return null;
  let doc;
  try {
    doc = parseCallCredentials(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`cannot read credentials file ${file}: ${(e as Error).message}`);
  }
  const role = flags.role ?? defaultRole;
  const principal = doc.principals[role];
  if (!principal) throw new CliError(`${file} has no principal "${role}" (roles: ${Object.keys(doc.principals).join(', ') || 'none'})`);
  return { principal, baseUrl: doc.baseUrl, file };
}
