import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages');

/** Packages whose API reference TypeDoc generates from their TypeScript sources. */
export const API_PACKAGES = ['lock', 'heap', 'vm', 'scheduler', 'pool', 'bench', 'ui'] as const;

/** Only packages that have sources can be documented; the sidebar and the API index use this list. */
export const documentedPackages: string[] = API_PACKAGES.filter((p) =>
  existsSync(resolve(packagesDir, p, 'src/index.ts')),
);
