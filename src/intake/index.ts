// Intake: any accepted form of submission → DuckDB staging tables (stg_<TableName>), plus what was wrong
// with the files themselves.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { contentHash } from './contentHash.js';
import type { Db } from '../core/db.js';
import { openAccess, stageAccess } from './access.js';
import { stageCsv } from './csv.js';
import { limitsWith, type IntakeLimits } from './limits.js';
import { stagedRowCounts } from './stage.js';
import { IntakeError, type StagedSubmission, type SubmissionForm } from './types.js';

export * from './types.js';
export { contentHash } from './contentHash.js';
export { DEFAULT_LIMITS, type IntakeLimits } from './limits.js';

export function formOf(path: string): SubmissionForm {
  if (!existsSync(path)) throw new IntakeError(`${path} does not exist`);
  if (statSync(path).isDirectory()) return 'csv-folder';
  const ext = extname(path).toLowerCase();
  if (ext === '.zip') return 'csv-zip';
  if (ext === '.mdb' || ext === '.accdb') return 'access';
  throw new IntakeError(`${path} is not a submission: expected a .zip or folder of CSV files, or an Access .mdb/.accdb database`);
}


export interface ReadOptions {
  /** Zip limits (limits.ts); the defaults suit every real submission. */
  limits?: Partial<IntakeLimits>;
}

export async function readSubmission(db: Db, path: string, options: ReadOptions = {}): Promise<StagedSubmission> {
  const form = formOf(path);
  const sha256 = await contentHash(path);
  const workDir = mkdtempSync(join(tmpdir(), 'iapt-intake-'));
  try {
    const staged = form === 'access' ? await stageAccess(db, openAccess(path)) : await stageCsv(db, path, form, workDir, limitsWith(options.limits));
    return { file: path, sha256, form, ...staged, rows: await stagedRowCounts(db) };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
