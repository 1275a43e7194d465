import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'docs',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The e2e test drives a real Chromium against the built site; on a loaded 2-core machine page
    // loads and simulated runs can take seconds. Generous limits, no timing assertions.
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // Two Chromium instances at once would only compete for the same two cores.
    fileParallelism: false,
  },
});
