import { accessSync, chmodSync, constants, mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (10–36 s each on 2 cores), slowest first. Vitest orders files by the durations of the
 * last run, which a fresh checkout (CI) does not have: it then goes by file size, and started the three small
 * rules-* files (14 s each) last, so one worker ran on alone for a minute. Started first, the long files share the
 * two workers and the short ones fill the gaps.
 */
const SLOW_FIRST = [
  'server/service', 'cli/cli', 'web/portal.test', 'store/crash', 'linkage/process', 'linkage/atomic', 'store/postgresServer', 'cli/publishWithoutReference',
  'web/hub', 'measures/publish', 'robustness/faults', 'robustness/threads', 'validation/rules-a', 'validation/rules-b', 'validation/rules-c',
  'extracts/provider', 'server/authorisation', 'store/access', 'extracts/research', 'store/datadir', 'server/api', 'extracts/commissioner',
];

const UNIT = ['test/core/**/*.test.ts', 'test/dataset/**/*.test.ts', 'test/derivation/**/*.test.ts', 'test/measures/**/*.test.ts', 'test/synth/**/*.test.ts', 'test/*.test.ts'];

/** A RAM-backed folder for the tests' temporary files where the system has one (Linux's /dev/shm), else undefined. */
function ramFolder(): string | undefined {
  try {
    if (!statSync('/dev/shm').isDirectory()) return undefined;
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}
const ram = process.env.TMPDIR ? undefined : ramFolder();
/** This run's own folder there (test/scratch.ts removes it at the end, with whatever killed processes left in it). */
const RAM = ram ? `${ram}/iapt-test-run-${process.pid}` : undefined; // the config is read more than once per run
if (RAM) {
  // As /tmp: other users reach it too (the PostgreSQL cluster runs as postgres, a read-only test as another uid).
  mkdirSync(RAM, { recursive: true });
  chmodSync(RAM, 0o1777);
  process.env.IAPT_TEST_SCRATCH = RAM;
}

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const at = SLOW_FIRST.findIndex((name) => f.moduleId.includes(`/test/${name}`));
      return at < 0 ? SLOW_FIRST.length : at;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
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
    sequence: { sequencer: SlowFirst },
    globalSetup: ['test/scratch.ts'],
    // One DuckDB thread per instance: two workers already share the two cores, and on the tests' small files more
    // threads cost more than they save (the suite: 3 min 49 s instead of 4 min 31 s). What one thread would hide,
    // test/robustness/threads.test.ts checks with four. Set IAPT_THREADS to run the suite with more.
    // Temporary folders (data directories, PostgreSQL clusters, uploads) in RAM where there is a /dev/shm: every stored
    // submission is fsynced file by file, which on a disk is most of the tests' system time. TMPDIR set wins.
    env: { IAPT_THREADS: process.env.IAPT_THREADS ?? '1', ...(RAM ? { TMPDIR: RAM } : {}) },
    projects: [
      // Tests of the stages that start no process, server or browser share one module graph per worker (isolate:
      // false): importing src/ again for each of these files cost more than running them (the suite 4 min 30 s →
      // 3 min 46 s). Each works in a folder of its own and keeps no state between files.
      { extends: true, test: { name: 'unit', include: UNIT, isolate: false } },
      { extends: true, test: { name: 'end-to-end', include: ['test/**/*.test.ts'], exclude: UNIT } },
    ],
  },
});
