// What each kind of job does: the same functions the CLI calls. A submitted file's folder is removed once the store
// has it (or refused it); a publication goes to DIR/published/<period>/, which the public routes serve.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivePeriod } from '../derivation/index.js';
import { processPeriod } from '../linkage/process.js';
import { publish } from '../measures/publish/index.js';
import { submit } from '../store/submit.js';
import { researchExtract } from '../extracts/research/extract.js';
import { agreementById, finishRelease } from '../store/releases.js';
import { withCatalog } from './context.js';
import { runExtractJob } from './extractJobs.js';
import { filesDigest, releaseFilesFolder, releaseFolder } from './releaseFiles.js';
import type { ServerContext } from './context.js';
import type { JobHandler, JobKind } from './jobs.js';
import { PUBLISHED_FOLDER } from './routes/analyst.js';

export interface JobHandlerOptions {
  /** DuckDB threads of each submission job (a worker working several at once gives each 1); default all cores. */
  submissionThreads?: number;
}

export function jobHandlers(ctx: Omit<ServerContext, 'jobs'>, options: JobHandlerOptions = {}): Record<JobKind, JobHandler> {
  const reference = ctx.referenceDir;
  return {
    submission: async (job) => {
      const { path, folder, provider, received } = job.input as { path: string; folder: string; provider: string; received: string };
      // The upload is removed once the store has answered (stored, duplicate or refused); when submit throws it stays
      // for the queue's retry, unless this was the last attempt.
      let r: Awaited<ReturnType<typeof submit>>;
      try {
        r = await submit(path, { dataDir: ctx.dataDir, databaseUrl: ctx.databaseUrl, received, provider, actor: job.owner.name, role: job.owner.role, requestId: job.id, ...(options.submissionThreads ? { threads: options.submissionThreads } : {}), ...(reference ? { referenceDir: reference } : {}) });
      } catch (error) {
        if (job.lastAttempt) rmSync(folder, { recursive: true, force: true });
        throw error;
      }
      rmSync(folder, { recursive: true, force: true });
      if (r.status === 'duplicate') return { status: 'duplicate', submissionId: r.duplicateOf, outcome: r.outcome };
      if (r.status === 'refused') return { status: 'refused', reason: r.reason };
      return { status: 'stored', submissionId: r.id, outcome: r.outcome, fileType: r.placement.fileType, period: r.period };
    },
    process: async (job) => {
      const period = job.input.period!;
      const r = await processPeriod({ dataDir: ctx.dataDir, databaseUrl: ctx.databaseUrl, period, pseudoKey: ctx.config.pseudoKey, lockWaitMs: 60_000, ...(reference ? { referenceDir: reference } : {}), afterLink: (folder) => derivePeriod(folder, period, reference) });
      return { period, submissions: r.submissions, providers: r.providers, pathways: r.rows.IDS101Referral ?? 0 };
    },
    research: async (job) => {
      const id = Number(job.input.releaseId);
      const folder = releaseFolder(ctx.dataDir, id);
      try {
        const agreement = await withCatalog(ctx, (catalog) => agreementById(catalog, job.input.agreementId!));
        if (!agreement) throw new Error(`agreement ${job.input.agreementId} is not registered`);
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        const agreementFile = join(folder, 'agreement.json');
        writeFileSync(agreementFile, agreement.document, { mode: 0o600 });
        const r = await researchExtract({ dataDir: ctx.dataDir, agreementFile, out: releaseFilesFolder(ctx.dataDir, id), force: true, pseudoKey: ctx.config.pseudoKey, databaseUrl: ctx.databaseUrl });
        const digest = filesDigest(ctx.dataDir, id)!;
        await withCatalog(ctx, (catalog) => finishRelease(catalog, id, { digest }));
        return { releaseId: id, tables: r.tables.length, rows: r.tables.reduce((n, t) => n + t.rows, 0) };
      } catch (error) {
        await withCatalog(ctx, (catalog) => finishRelease(catalog, id, { failed: (error as Error).message.split('\n')[0]! }));
        throw error;
      }
    },
    extract: (job) => runExtractJob(ctx, job),
    publish: async (job) => {
      const { period, quarter, year } = job.input as { period: string; quarter?: string; year?: string };
      const r = await publish({ dataDir: ctx.dataDir, period, policy: 'nhs-tt', out: join(ctx.dataDir, PUBLISHED_FOLDER, period), ...(quarter ? { quarter } : {}), ...(year ? { year } : {}), ...(reference ? { referenceDir: reference } : {}) });
      return { period, files: r.files.length };
    },
  };
}
