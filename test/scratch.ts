// Vitest's global set-up: at the end of the run, removes the run's scratch folder (vitest.config.ts: the tests'
// TMPDIR in RAM), with what processes the tests killed outright, or vitest's own workers, could not remove.
import { rmSync } from 'node:fs';

export default function setup(): () => void {
  return () => {
    const scratch = process.env.IAPT_TEST_SCRATCH;
    if (scratch?.includes('/iapt-test-run-')) rmSync(scratch, { recursive: true, force: true });
  };
}
