import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * partnerhub's own package.json: found by walking up from this module, which works from a clone (src/),
 * from its build (dist/src/) and from an installed package (node_modules/partnerhub/dist/src/) alike.
 */
export interface PackageInfo {
  name: string;
  version: string;
  description: string;
}

let cached: PackageInfo | null = null;

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as Partial<PackageInfo>;
      cached = { name: pkg.name ?? 'partnerhub', version: pkg.version ?? '0.0.0', description: pkg.description ?? '' };
      return cached;
    }
    const up = dirname(dir);
    if (up === dir) return (cached = { name: 'partnerhub', version: '0.0.0', description: '' });
    dir = up;
  }
}
