// Writing a released file safely: the file and its manifest are built in a private staging folder beside the
// destination (same file system), checked there, and only then renamed into place, data file first. A failure at
// any step removes the staging folder and leaves an earlier file at the destination untouched. The staging folder
// is marked as the platform's own temporary (src/store/owned.ts: the marker names this process), so the staging
// folder of a run that was killed is removed by the next release into the same folder, and nothing else is.
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { makePrivate, writePrivateFile } from '../core/files.js';
import { me, ownerAlive, removeTemporary, sweepTemporaries, TEMPORARY_MARKER } from '../store/owned.js';
import { assertExtractClean, type CheckOptions } from './check.js';
import { manifestPathOf } from '../core/release/manifest.js';

/** The prefix of staging folders; only folders of this name are ever removed by the platform. */
export const STAGING_PREFIX = '.iapt-release-';

/**
 * Runs `build(staged)`, which must write the data file at `staged` and its manifest at manifestPathOf(staged); then
 * the privacy check (when `check` is given), then moves both to `out`.
 */
export async function releaseFile<T>(out: string, build: (staged: string) => Promise<T>, check: CheckOptions | null): Promise<T> {
  const parent = dirname(out);
  sweepTemporaries(parent, (owner, name) => name.startsWith(STAGING_PREFIX) && !ownerAlive(owner));
  const name = `${STAGING_PREFIX}${randomUUID()}`;
  // Marker first, then the folder (as makeTemporary does, without making the caller's own folder private).
  writePrivateFile(join(parent, `${name}${TEMPORARY_MARKER}`), JSON.stringify(me()));
  const staging = join(parent, name);
  mkdirSync(staging, { mode: 0o700 });
  try {
    const staged = join(staging, basename(out));
    const result = await build(staged);
    makePrivate(staging);
    if (check) await assertExtractClean(staged, check);
    renameSync(staged, out);
    renameSync(manifestPathOf(staged), manifestPathOf(out));
    return result;
  } finally {
    removeTemporary(parent, name);
  }
}
