// Writing a released file safely: the file and its manifest are built in a private staging folder beside the
// destination (same file system), checked there, and only then renamed into place, data file first. A failure at
// any step removes the staging folder and leaves an earlier file at the destination untouched.
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { makePrivate } from '../core/files.js';
import { assertExtractClean, type CheckOptions } from './check.js';
import { manifestPathOf } from '../core/release/manifest.js';

/** The prefix of staging folders; only folders of this name are ever removed by the platform. */
export const STAGING_PREFIX = '.iapt-release-';

/**
 * Runs `build(staged)`, which must write the data file at `staged` and its manifest at manifestPathOf(staged); then
 * the privacy check (when `check` is given), then moves both to `out`.
 */
export async function releaseFile<T>(out: string, build: (staged: string) => Promise<T>, check: CheckOptions | null): Promise<T> {
  const staging = mkdtempSync(join(dirname(out), STAGING_PREFIX));
  try {
    const staged = join(staging, basename(out));
    const result = await build(staged);
    makePrivate(staging);
    if (check) await assertExtractClean(staged, check);
    renameSync(staged, out);
    renameSync(manifestPathOf(staged), manifestPathOf(out));
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
