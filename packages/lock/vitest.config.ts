import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'lock',
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
