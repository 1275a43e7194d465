import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages');

/** Packages whose API reference TypeDoc generates from their TypeScript sources (src/index.ts). */
export const API_PACKAGES = ['lock', 'heap', 'vm', 'scheduler', 'pool', 'bench', 'ui'] as const;

const missing = API_PACKAGES.filter((p) => !existsSync(resolve(packagesDir, p, 'src/index.ts')));
if (missing.length > 0) {
  // Fail the build rather than publish a reference with packages silently left out.
  throw new Error(`API reference: no src/index.ts in packages/${missing.join(', packages/')}`);
}

/** The packages the sidebar and the API index list (all of them). */
export const documentedPackages: string[] = [...API_PACKAGES];
