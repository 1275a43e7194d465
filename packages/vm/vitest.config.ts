import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'vm',
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
