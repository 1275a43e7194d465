import { defineConfig } from 'vitest/config';

// One root config: `npx vitest` runs every project; a package's own `npm test` runs just its tests
// through that package's vitest.config.ts.
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      {
        test: {
          name: 'repo',
          include: ['scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
