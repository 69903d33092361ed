import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Most tests take well under a second; a test that needs longer (an end-to-end run) says so itself.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine. The tests wait on DuckDB
    // and child processes as much as they compute, so two workers there halve the wall time.
    maxWorkers: Math.max(2, availableParallelism()),
    // Under CI, also write a JSON report: .ci/run prints its totals as a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/vitest-report.json' }]] : ['default'],
    maxConcurrency: 6,
    // One DuckDB thread per instance: two workers already share the two cores, and on the tests' small files more
    // threads cost more than they save (the suite: 3 min 49 s instead of 4 min 31 s). What one thread would hide,
    // test/robustness/threads.test.ts checks with four. Set IAPT_THREADS to run the suite with more.
    env: { IAPT_THREADS: process.env.IAPT_THREADS ?? '1' },
  },
});
