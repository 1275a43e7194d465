import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'playground',
    include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    environment: 'node',
    // The end-to-end file drives a real browser against `vite preview`.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
