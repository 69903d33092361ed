// The provider's pre-deadline extract: for one stored (accepted) submission, the extract the provider would get
// if that submission were the final one for its period, derived with the history that counts today plus this
// file. The submission and the counting submissions of its provider for every earlier period are linked as
// `iapt process` links them (same key, same Person_ID and PathwayID: linkage/provisional.ts) into a private
// temporary folder, derived there (derivePeriod), and the provider's rows are written from it exactly as the
// final extract writes them (provider.ts). The published processed/<P> is neither read, locked nor switched; the
// temporary folder is removed whatever happens.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { literal } from '../core/sql.js';
import { derivePeriod } from '../derivation/index.js';
import { linkProvisional } from '../linkage/provisional.js';
import type { SubmissionRef } from '../core/release/manifest.js';
import { ExtractError, extractFormat, PROVIDER_MANIFEST, releaseWithManifest, submissionRef, writeProviderRows } from './provider.js';

export interface PreDeadlineOptions {
  dataDir: string;
  /** The stored submission to treat as final for its period. */
  submissionId: number;
  out: string;
  /** Reference data, as `iapt process --reference` uses it (postcode and organisation geography). */
  referenceDir?: string | undefined;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
  /** The catalog's PostgreSQL database (service mode); null: the data directory's DuckDB file; by default the configuration's. */
  databaseUrl?: string | null;
}

export interface PreDeadlineResult {
  rows: number;
  out: string;
  manifest: string;
  provider: string;
  period: string;
  /** The submissions linked (the given one last). */
  submissions: SubmissionRef[];
}

export async function preDeadlineExtract(options: PreDeadlineOptions): Promise<PreDeadlineResult> {
  const { dataDir, submissionId, out, referenceDir } = options;
  const format = extractFormat(out);
  if (!existsSync(dataDir)) throw new ExtractError(`no data directory at ${dataDir}: check --data`);
  return linkProvisional({ dataDir, submissionId, referenceDir, ...(options.pseudoKey !== undefined ? { pseudoKey: options.pseudoKey } : {}), ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}) }, async (linked) => {
    await derivePeriod(linked.folder, linked.period, referenceDir);
    const { provider, period } = linked;
    const submissions = linked.submissions.map(submissionRef);
    const referrals = `read_parquet(${literal(join(linked.folder, 'IDS101Referral.parquet'))})`;
    const written = await releaseWithManifest(out, (staged) => writeProviderRows({ dataDir, provider, referrals, ownFolder: linked.submission.folder, pseudoKey: options.pseudoKey }, staged, format), {
      kind: 'provider-pre-deadline',
      ...PROVIDER_MANIFEST,
      scope: { provider, period, submission: String(submissionId) },
      source: { periods: [period], submissions, processingRun: null },
    });
    return { rows: written.rows, out, manifest: written.manifest, provider, period, submissions };
  });
}
