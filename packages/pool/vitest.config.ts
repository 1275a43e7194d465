import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'pool',
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
