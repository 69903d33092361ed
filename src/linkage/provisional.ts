// The provisional national tables of one stored submission: what `iapt process` would link for its period if that
// submission were the final one, from the history that counts today. The counting submissions of the same provider
// for every period before the submission's, plus the submission itself in place of whatever counts for its
// (provider, period) now, linked under the data directory's key exactly as processPeriod links (linkSubmissions:
// same Person_ID and PathwayID) into a private temporary folder. Nothing of processed/<P> is locked, switched or
// read: a pre-deadline extract (src/extracts/preDeadline.ts) changes nothing that others read.
//
// The temporary folders are DIR/processed/.provisional-<pid>-<n>, each marked as the platform's own (store/owned.ts:
// `<name>.iapt-temporary` beside it, holding pid, host and start time, written before the folder and removed
// after it). withProvisionalFolder removes its folder whatever happens; a folder left by a killed process is
// removed by the next pre-deadline run (its owner is no longer alive). Nothing unmarked is ever removed.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { IaptError } from '../core/errors.js';
import type { SubmissionRow } from '../store/catalog.js';
import { makeTemporary, ownerAlive, removeTemporary, sweepTemporaries } from '../store/owned.js';
import type { Continuity } from './continuity.js';
import { givenKey } from './key.js';
import { linkSubmissions, submissionsAndKey } from './process.js';

export interface ProvisionalOptions {
  dataDir: string;
  /** The stored (accepted) submission to treat as final for its period. */
  submissionId: number;
  referenceDir?: string | undefined;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
  /** The catalog's PostgreSQL database (service mode); null: the data directory's DuckDB file; by default the configuration's. */
  databaseUrl?: string | null;
}

export interface ProvisionalResult {
  /** The submission treated as final. */
  submission: SubmissionRow;
  provider: string;
  period: string;
  /** Every submission linked, in the catalog's order (the given one last). */
  submissions: SubmissionRow[];
  /** The temporary folder holding the national tables, continuity.json and manifest.json; removed after `use`. */
  folder: string;
  rows: Record<string, number>;
  continuity: Continuity;
}

/** The name of every provisional folder in DIR/processed/ begins so (a period's own names begin `.YYYY-MM.`). */
export const PROVISIONAL_PREFIX = '.provisional-';

/**
 * The submissions a provisional link uses: the given submission, after the counting submissions of its provider
 * for every earlier period. Refuses an unknown id and a rejected submission (nothing of it was stored).
 */
export function provisionalSubmissions(all: readonly SubmissionRow[], submissionId: number, dataDir: string): SubmissionRow[] {
  const given = all.find((s) => s.id === submissionId);
  if (!given) throw new IaptError('input', `there is no submission ${submissionId} in ${dataDir}: see iapt submissions --data ${dataDir}`);
  const what = `submission ${submissionId} (${given.provider}, ${given.period}, ${given.file_type})`;
  if (given.outcome !== 'accepted') throw new IaptError('input', `${what} was rejected, so none of its records were stored and it has no extract: see its report in ${join(dataDir, given.folder, 'report')}`);
  if (!existsSync(join(dataDir, given.folder, 'tables'))) throw new IaptError('input', `${what} has no stored records (${join(dataDir, given.folder, 'tables')} is missing)`);
  const history = all.filter((s) => s.counts && s.provider === given.provider && s.period < given.period);
  return [...history, given];
}

/**
 * Links a stored submission as if it were the final one for its period into a new temporary folder (no lock, no
 * switch), hands the result to `use` (the derivation and the extract), and removes the folder, whatever happens.
 * The catalog and the key are checked before anything is made: the key follows the rules of `iapt process`
 * (submissionsAndKey), so a missing key file or another key than the recorded one is refused.
 */
export async function linkProvisional<T>(options: ProvisionalOptions, use: (linked: ProvisionalResult) => Promise<T>): Promise<T> {
  const { dataDir, submissionId } = options;
  const { submissions, key } = await submissionsAndKey(dataDir, givenKey(options), (all) => provisionalSubmissions(all, submissionId, dataDir), options.databaseUrl);
  const submission = submissions[submissions.length - 1]!;
  const period = submission.period;
  return withProvisionalFolder(dataDir, async (folder) => {
    const spill = join(folder, '.link-spill');
    let linked: Pick<ProvisionalResult, 'rows' | 'continuity'>;
    try {
      linked = await linkSubmissions({ dataDir, period, referenceDir: options.referenceDir, submissions, key, folder, spill });
    } finally {
      rmSync(spill, { recursive: true, force: true });
    }
    return use({ submission, provider: submission.provider, period, submissions, folder, ...linked });
  });
}

let made = 0;

/**
 * Runs `work` in a new private temporary folder of the platform's own (marked) in DIR/processed/, and removes the
 * folder afterwards, on success or failure. First removes the provisional folders of processes no longer alive.
 */
export async function withProvisionalFolder<T>(dataDir: string, work: (folder: string) => Promise<T>): Promise<T> {
  const root = join(dataDir, 'processed');
  sweepTemporaries(root, (owner, name) => name.startsWith(PROVISIONAL_PREFIX) && !ownerAlive(owner));
  const name = `${PROVISIONAL_PREFIX}${process.pid}-${++made}`;
  const folder = makeTemporary(root, name);
  try {
    return await work(folder);
  } finally {
    removeTemporary(root, name);
  }
}
