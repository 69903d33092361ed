// Provider and commissioner extracts as jobs: the request queues the extract, a worker (or, embedded, the serve
// process) writes it into DIR/extracts/<job>/ — the storage folder every process shares — and the file is fetched
// from there by its job. A folder is kept EXTRACT_RETENTION_HOURS and removed by the next extract job after that
// (or, for an extract fetched within its request, once sent). A refusal the caller caused (no processed data for
// the period, no approval on record) is the job's result, not a failure: running it again would refuse again.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { asIaptError, IaptError, type ErrorKind } from '../core/errors.js';
import { manifestPathOf } from '../core/release/manifest.js';
import { commissionerExtract } from '../extracts/commissioner.js';
import { preDeadlineExtract } from '../extracts/preDeadline.js';
import { providerExtract } from '../extracts/provider.js';
import { approvalInForce } from '../store/approvals.js';
import { withCatalog, type ServerContext } from './context.js';
import type { Job } from './jobs.js';

export const EXTRACTS_FOLDER = 'extracts';
export const EXTRACT_RETENTION_HOURS = 24;

export type ExtractType = 'provider' | 'preDeadline' | 'commissioner';

/** What an extract job is asked for (a job's input is strings). */
export interface ExtractInput {
  type: ExtractType;
  /** The provider (provider, preDeadline) or commissioner code. */
  org: string;
  period?: string;
  submission?: string;
  format: 'csv' | 'parquet';
}

/** A finished extract job's result: the file, or the refusal. */
export type ExtractResult =
  | { status: 'written'; file: string; releaseKind: string; sha256: string; rows: number; bytes: number }
  | { status: 'refused'; errorKind: ErrorKind; reason: string };

/** The job's folder: its id made safe as a folder name (a pg-boss id is `extract.<uuid>`). */
export const extractFolder = (dataDir: string, jobId: string): string => join(dataDir, EXTRACTS_FOLDER, jobId.replace(/[^A-Za-z0-9._-]/g, '_'));

export function extractName(input: ExtractInput): string {
  if (input.type === 'commissioner') return `commissioner-extract-${input.org}-${input.period}`;
  if (input.type === 'preDeadline') return `provider-extract-${input.org}-submission-${input.submission}`;
  return `provider-extract-${input.org}-${input.period}`;
}

/** Whether the commissioner may have its extract now: an approval on record, neither revoked nor expired. */
export async function assertCommissionerApproved(ctx: Pick<ServerContext, 'dataDir' | 'databaseUrl' | 'sharedCatalog' | 'lease'>, commissioner: string): Promise<void> {
  const approval = await withCatalog(ctx, (catalog) => approvalInForce(catalog, commissioner, new Date().toISOString().slice(0, 10)));
  if (!approval) throw new IaptError('forbidden', `no approved access agreement is on record for commissioner ${commissioner} (commissioner access is subject to approval: ask an administrator)`);
}

/** Removes extract folders older than the retention (only folders under DIR/extracts/, which extract jobs made). */
function sweepExpired(dataDir: string, now = Date.now()): void {
  const root = join(dataDir, EXTRACTS_FOLDER);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(root, name);
    try {
      if (now - statSync(path).mtimeMs > EXTRACT_RETENTION_HOURS * 3600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // gone meanwhile (another worker swept it)
    }
  }
}

/** The extract job's work: writes the file into the job's folder (replacing what an earlier attempt left). */
export async function runExtractJob(ctx: Omit<ServerContext, 'jobs'>, job: Job): Promise<ExtractResult> {
  const input = job.input as unknown as ExtractInput;
  sweepExpired(ctx.dataDir);
  const folder = extractFolder(ctx.dataDir, job.id);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const out = join(folder, `${extractName(input)}.${input.format}`);
  try {
    let rows: number;
    if (input.type === 'commissioner') {
      await assertCommissionerApproved(ctx, input.org);
      rows = (await commissionerExtract({ dataDir: ctx.dataDir, period: input.period!, commissioner: input.org, out, pseudoKey: ctx.config.pseudoKey, databaseUrl: ctx.databaseUrl, optOutExemption: ctx.config.commissionerOptOutExemption })).rows;
    } else if (input.type === 'preDeadline') {
      rows = (await preDeadlineExtract({ dataDir: ctx.dataDir, submissionId: Number(input.submission), out, pseudoKey: ctx.config.pseudoKey, databaseUrl: ctx.databaseUrl, ...(ctx.referenceDir ? { referenceDir: ctx.referenceDir } : {}) })).rows;
    } else {
      rows = (await providerExtract({ dataDir: ctx.dataDir, period: input.period!, provider: input.org, out, pseudoKey: ctx.config.pseudoKey, databaseUrl: ctx.databaseUrl })).rows;
    }
    const manifest = JSON.parse(readFileSync(manifestPathOf(out), 'utf8')) as { files: { sha256: string }[]; kind: string };
    return { status: 'written', file: `${extractName(input)}.${input.format}`, releaseKind: manifest.kind, sha256: manifest.files[0]!.sha256, rows, bytes: statSync(out).size };
  } catch (error) {
    const known = asIaptError(error);
    if (!known || known.kind === 'internal' || known.kind === 'busy') {
      if (job.lastAttempt) rmSync(folder, { recursive: true, force: true });
      throw error; // ours, or a held catalog: the queue retries it
    }
    rmSync(folder, { recursive: true, force: true });
    return { status: 'refused', errorKind: known.kind, reason: known.message.split('\n')[0]! };
  }
}

/** The written file of a finished extract job; an IaptError for a refused, failed or unfinished one. */
export function extractFileOf(dataDir: string, job: Job): { path: string; folder: string; result: Extract<ExtractResult, { status: 'written' }> } {
  if (job.status === 'failed') throw new IaptError('internal', `extract job ${job.id} failed: ${job.error ?? 'no reason given'}`);
  if (job.status !== 'succeeded') throw new IaptError('busy', `extract job ${job.id} is ${job.status}: follow /api/v1/jobs/${job.id} until it has succeeded`);
  const result = job.result as ExtractResult;
  if (result.status === 'refused') throw new IaptError(result.errorKind, result.reason);
  const folder = extractFolder(dataDir, job.id);
  const path = join(folder, result.file);
  try {
    statSync(path);
  } catch {
    throw new IaptError('notFound', `extract job ${job.id}'s file is no longer kept (extracts are kept ${EXTRACT_RETENTION_HOURS} hours, or until fetched within their request): ask for it again`);
  }
  return { path, folder, result };
}
