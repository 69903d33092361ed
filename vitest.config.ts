import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Most tests take well under a second; a test that needs longer (an end-to-end run) says so itself.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Under CI, also write a JSON report: .ci/run prints its totals as a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/vitest-report.json' }]] : ['default'],
    maxConcurrency: 6,
  },
});
