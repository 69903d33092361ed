// Derivations over a period's linked national tables (written by `iapt process` before they are published):
// pathway items on IDS101 (pathway.ts, outcomes.ts), then the record items of each table (records.ts).
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { periodBounds } from '../dataset/index.js';
import { openDb, type Db } from '../core/db.js';
import { ident, literal } from '../core/sql.js';
import { derivePathways } from './pathway.js';
import { RECORD_STEPS, subIcbKey, type RecordContext } from './records.js';

export { subIcbKey };

const VIEWS: Record<string, string> = {
  n101: 'IDS101Referral',
  n201: 'IDS201CareContact',
  n202: 'IDS202CareActivity',
  n205: 'IDS205InternetTherLog',
  n004: 'IDS004EmpStatus',
  n603: 'IDS603PresentingComplaints',
  n606: 'IDS606CodedScoreAssessmentRefer',
  n607: 'IDS607CodedScoreAssessmentAct',
};

/** The views (n101, n201, …) over the national tables in `folder` that derivePathways reads. */
export async function createSourceViews(db: Db, folder: string): Promise<void> {
  for (const [view, table] of Object.entries(VIEWS)) await db.run(`CREATE VIEW ${view} AS SELECT * FROM read_parquet(${literal(join(folder, `${table}.parquet`))})`);
}

async function replaceTable(db: Db, folder: string, table: string, select: string): Promise<void> {
  const path = join(folder, `${table}.parquet`);
  await db.run(`COPY (${select}) TO ${literal(`${path}.new`)} (FORMAT parquet, COMPRESSION zstd)`);
  renameSync(`${path}.new`, path);
}

/** The reference files the organisation columns are derived from (docs/reference-data.md). */
const ORGANISATION_FILES = ['sub_icbs.csv', 'icbs.csv', 'gp_practices.csv'] as const;

/**
 * Reference look-ups as temporary tables, codes upper-cased and trimmed (one row per code): `org_sub_icb`
 * (sub-ICB → its ICB → the ICB's region) and `org_gp` (GP practice → sub-ICB). Used by the derivation and, for data
 * processed without reference data, by `iapt publish --reference` (measures/groups.ts). A missing or unreadable
 * file is bad input.
 */
export async function loadOrganisations(db: Db, referenceDir: string): Promise<void> {
  const csv = (file: (typeof ORGANISATION_FILES)[number]) => `read_csv(${literal(join(referenceDir, file))}, header = true, all_varchar = true)`;
  const code = subIcbKey;
  for (const file of ORGANISATION_FILES) {
    const path = join(referenceDir, file);
    if (!existsSync(path)) throw inputError(`reference data: ${path} is missing (see docs/reference-data.md for the files expected)`);
  }
  try {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE org_sub_icb AS SELECT ${code('s.sub_icb_code')} AS sub_icb_code, max(${code('s.icb_code')}) AS icb_code, max(${code('i.region_code')}) AS region_code ` +
        `FROM ${csv('sub_icbs.csv')} s LEFT JOIN ${csv('icbs.csv')} i ON ${code('i.icb_code')} = ${code('s.icb_code')} WHERE filled(s.sub_icb_code) GROUP BY 1`,
    );
    await db.run(`CREATE OR REPLACE TEMP TABLE org_gp AS SELECT ${code('practice_code')} AS practice_code, max(${code('sub_icb_code')}) AS sub_icb_code FROM ${csv('gp_practices.csv')} WHERE filled(practice_code) GROUP BY 1`);
  } catch (error) {
    throw inputError(`reference data: ${ORGANISATION_FILES.map((f) => join(referenceDir, f)).join(', ')} could not be read as the documented layout (${(error as Error).message.split('\n')[0]})`, error);
  }
}

/** Adds the derived items to the national tables in `folder` (a period's processed folder, before publication). */
export async function derivePeriod(folder: string, period: string, referenceDir?: string): Promise<void> {
  const db = await openDb({ spillFolder: join(folder, '.duckdb-tmp') });
  try {
    const { start, end } = periodBounds(period);
    await createSourceViews(db, folder);
    await derivePathways(db, end);
    if (referenceDir) await loadOrganisations(db, referenceDir);
    const mpiColumns = await db.columns(`read_parquet(${literal(join(folder, 'IDS001MPI.parquet'))})`);
    const ctx: RecordContext = { folder, start, end, reference: referenceDir !== undefined, mpiColumns };
    const staged = (table: string) => ident(`derived_${table}`);
    for (const s of RECORD_STEPS) {
      if (s.staged) await db.run(`CREATE TEMP TABLE ${staged(s.table)} AS ${s.select(ctx)}`);
      else await replaceTable(db, folder, s.table, s.select(ctx));
    }
    for (const s of RECORD_STEPS.filter((x) => x.staged)) await replaceTable(db, folder, s.table, `SELECT * FROM ${staged(s.table)}`);
  } finally {
    db.close();
    rmSync(join(folder, '.duckdb-tmp'), { recursive: true, force: true });
  }
}
