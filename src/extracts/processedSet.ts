// The processed national tables of a period, as an extract reads them: the link processed/P resolved once (so a
// switch half way through cannot mix two versions), the submissions it was made from (its manifest.json), and the
// version folder, which names the processing run in a release manifest.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { IaptError } from '../core/errors.js';
import { literal } from '../core/sql.js';
import type { SubmissionRef } from '../core/release/manifest.js';

export interface ProcessedSet {
  period: string;
  /** The version folder (resolved). */
  folder: string;
  version: string;
  submissions: SubmissionRef[];
  /** SQL reading one national table of the set. */
  table(name: string): string;
}

const processedManifest = z.object({ submissions: z.array(z.object({ id: z.number(), provider: z.string(), period: z.string(), fileType: z.string() })) });

export function processedSet(dataDir: string, period: string): ProcessedSet {
  const link = join(dataDir, 'processed', period);
  if (!existsSync(join(link, 'IDS101Referral.parquet'))) throw new IaptError('input', `${period} has not been processed: run iapt process --data ${dataDir} --period ${period} first`);
  const folder = realpathSync(link);
  const { submissions } = processedManifest.parse(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')));
  return { period, folder, version: basename(folder), submissions, table: (name) => `read_parquet(${literal(join(folder, `${name}.parquet`))})` };
}
