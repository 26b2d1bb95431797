import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Native SQLite and child-process tests are happier in forks; two cores on the CI machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
