import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests with the default timeouts, and the e2e tests
// under test/e2e/ (real collector, VictoriaLogs, Chromium) with long ones.
export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each e2e file starts its own processes; on a 2-core machine run
          // the files one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
