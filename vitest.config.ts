import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser and emulator suites start real processes; two workers match the two cores here.
    maxWorkers: 2,
  },
});
