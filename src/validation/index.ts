// `iapt validate`: intake → rules → report, for one submission.
import { mkdirSync, readFileSync } from 'node:fs';
import { makePrivate, PRIVATE_DIR_MODE, writePrivateFile } from '../core/files.js';
import { join } from 'node:path';
import { periodBounds } from '../dataset/index.js';
import { openDb, type Db } from '../core/db.js';
import { ident } from '../core/sql.js';
import { readSubmission, stagingTable, type StagedSubmission } from '../intake/index.js';
import type { RunContext } from './context.js';
import { runRules } from './engine.js';
import { loadReference } from './reference.js';
import { buildReport, writeFindingsCsv } from './report/build.js';
import { renderReportHtml } from './report/html.js';
import { fileEntry, writeManifest } from '../core/release/manifest.js';
import { notAppliedByPolicy } from '../core/release/optOutPolicy.js';
import type { ValidationReport } from './report/types.js';
import { z } from 'zod';

export interface ValidateOptions {
  /** Reporting period selected at upload, YYYY-MM. */
  period?: string;
  /** Organisation of the submitting login. */
  provider?: string;
  /** Upload time, ISO 8601 (default: now). */
  received?: string;
  referenceDir?: string;
  /** Where report.json, findings.csv and report.html go; nothing is written when absent. */
  outDir?: string;
  exampleLimit?: number;
  /** DuckDB threads for this validation (default: all cores); batch runners validating several files at once use 1. */
  threads?: number;
  /** Keep the DuckDB connection open (the store reads the accepted rows from it); the caller closes it. */
  keepDb?: boolean;
}

export interface Validation {
  report: ValidationReport;
  staged: StagedSubmission;
  db: Db | null;
}

async function headerContext(db: Db): Promise<{ provider: string | null; start: string | null; end: string | null }> {
  const rows = await db.rows(
    z.object({ p: z.string().nullable(), s: z.string().nullable(), e: z.string().nullable() }),
    `SELECT trim(OrgIDProv) AS p, CAST(d(ReportingPeriodStartDate) AS VARCHAR) AS s, CAST(d(ReportingPeriodEndDate) AS VARCHAR) AS e FROM ${ident(stagingTable('IDS000Header'))} ORDER BY _row LIMIT 1`,
  );
  return { provider: rows[0]?.p ?? null, start: rows[0]?.s ?? null, end: rows[0]?.e ?? null };
}

/** Writes report.json, findings.csv and report.html of a validation whose DuckDB tables are in `db`. */
export async function writeReportFiles(db: Db, report: ValidationReport, outDir: string): Promise<void> {
  // Findings quote submitted values (identifiers among them): the files are the owner's only. A folder made here is
  // too; an existing folder of the user's keeps its permissions.
  mkdirSync(outDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  writePrivateFile(join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFindingsCsv(db, join(outDir, 'findings.csv'));
  makePrivate(join(outDir, 'findings.csv'));
  writePrivateFile(join(outDir, 'report.html'), renderReportHtml(report));
  writeReportManifest(report, outDir);
}

/** The release manifest of a report: for the submitting provider, identifiable (findings quote submitted values). */
function writeReportManifest(report: ValidationReport, outDir: string): void {
  const csvRows = (name: string) => Math.max(0, readFileSync(join(outDir, name), 'utf8').split('\n').filter((l) => l !== '').length - 1);
  const { submission } = report;
  const period = submission.reportingPeriodStart?.slice(0, 7) ?? null;
  writeManifest(join(outDir, 'manifest.json'), {
    kind: 'validation-report',
    audience: 'provider',
    sensitivity: 'identifiable',
    scope: { file: submission.file, sha256: submission.sha256, ...(submission.provider ? { provider: submission.provider } : {}), ...(period ? { period } : {}) },
    source: { periods: period ? [period] : [], submissions: [], processingRun: null },
    optOut: notAppliedByPolicy('provider'),
    agreement: null,
    personKey: null,
    files: [fileEntry(join(outDir, 'report.json'), report.findings.length), fileEntry(join(outDir, 'findings.csv'), csvRows('findings.csv')), fileEntry(join(outDir, 'report.html'), 0)],
  });
}

export async function validateSubmission(path: string, options: ValidateOptions = {}): Promise<Validation> {
  const db = await openDb(options.threads ? { threads: options.threads } : {});
  try {
    if (options.referenceDir) await loadReference(db, options.referenceDir);
    const staged = await readSubmission(db, path);
    const header = await headerContext(db);
    const selected = options.period ? periodBounds(options.period) : null;
    const ctx: RunContext = {
      version: staged.version,
      rpStart: selected?.start ?? header.start,
      rpEnd: selected?.end ?? header.end,
      periodStart: selected?.start ?? null,
      periodEnd: selected?.end ?? null,
      provider: options.provider ?? null,
      headerProvider: header.provider,
      received: options.received ?? new Date().toISOString().slice(0, 19),
      hasReference: Boolean(options.referenceDir),
    };
    const engine = await runRules(db, staged, ctx);
    const report = await buildReport(db, staged, ctx, engine, options.exampleLimit ?? 10);
    if (options.outDir) await writeReportFiles(db, report, options.outDir);
    if (options.keepDb) return { report, staged, db };
    db.close();
    return { report, staged, db: null };
  } catch (error) {
    db.close();
    throw error;
  }
}
