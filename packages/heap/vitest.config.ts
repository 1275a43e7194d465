import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'heap',
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
