import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'pool',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Generous: CI is a loaded 2-core machine; tests assert behaviour, never speed.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
