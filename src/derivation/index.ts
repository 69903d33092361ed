// Derivations over a period's linked national tables (written by `iapt process` before they are published):
// pathway items on IDS101, validated codes on IDS603 and IDS001, contact waits on IDS201.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { periodBounds } from '../dataset/index.js';
import { openDb, type Db } from '../core/db.js';
import { dateLiteral, literal } from '../core/sql.js';
import { derivePathways } from './pathway.js';
import { validatedCodeSql, validatedEthnicSql } from './record.js';

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
  const code = (column: string) => `upper(trim(${column}))`;
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

/** A sub-ICB code column as the look-up tables key it. */
export const subIcbKey = (column: string): string => `upper(trim(${column}))`;
const NO_CODE = 'CAST(NULL AS VARCHAR)';

/** Adds the derived items to the national tables in `folder` (a period's processed folder, before publication). */
export async function derivePeriod(folder: string, period: string, referenceDir?: string): Promise<void> {
  const db = await openDb({ spillFolder: join(folder, '.duckdb-tmp') });
  try {
    const source = (table: string) => literal(join(folder, `${table}.parquet`));
    const bounds = periodBounds(period);
    await createSourceViews(db, folder);
    await derivePathways(db, bounds.end);
    // The organisation columns are always written: NULL where there is no reference data or the code is unknown to it
    // (publish then groups the referral's region and ICB under UNKNOWN, or looks them up with its own --reference).
    if (referenceDir) await loadOrganisations(db, referenceDir);
    const commissioner = referenceDir
      ? `, sc.region_code AS CommissioningRegion, sc.icb_code AS OrgIDICBComm FROM derived_ids101 t LEFT JOIN org_sub_icb sc ON sc.sub_icb_code = ${subIcbKey('t.OrgIDComm')}`
      : `, ${NO_CODE} AS CommissioningRegion, ${NO_CODE} AS OrgIDICBComm FROM derived_ids101 t`;
    await db.run(`CREATE TEMP TABLE out101 AS SELECT t.*${commissioner} ORDER BY PathwayID`);
    await db.run(`CREATE TEMP TABLE out603 AS SELECT *, ${validatedCodeSql('FindSchemeInUse', 'PresComp')} AS Validated_PresentingComplaint FROM n603`);
    await db.run(
      `CREATE TEMP TABLE out201 AS SELECT c.*, date_diff('day', d(r.ReferralRequestReceivedDate), d(c.CareContDate)) AS Time_Referral_to_CareContact FROM n201 c LEFT JOIN (SELECT PathwayID, ReferralRequestReceivedDate FROM n101) r USING (PathwayID)`,
    );
    const mpiColumns = await db.columns(`read_parquet(${source('IDS001MPI')})`);
    const hasImd = mpiColumns.includes('IndicesOfDeprivationDecile');
    const quartile = `, CASE WHEN m.IndicesOfDeprivationDecile IS NULL THEN NULL ELSE CAST(ceil(m.IndicesOfDeprivationDecile * 4 / 10.0) AS INTEGER) END AS IndicesOfDeprivationQuartile`;
    // OrgIDSubICBLocResidence comes from the postcode in linkage, with reference data only.
    const residence = referenceDir && mpiColumns.includes('OrgIDSubICBLocResidence');
    const icbOfResidence = residence ? `, rs.icb_code AS OrgIDICBRes` : `, ${NO_CODE} AS OrgIDICBRes`;
    const residenceJoin = residence ? ` LEFT JOIN org_sub_icb rs ON rs.sub_icb_code = ${subIcbKey('m.OrgIDSubICBLocResidence')}` : '';
    await db.run(`CREATE TEMP TABLE out001 AS SELECT m.*, ${validatedEthnicSql('m.EthnicCategory')} AS Validated_EthnicCategory${hasImd ? quartile : ''}${icbOfResidence} FROM read_parquet(${source('IDS001MPI')}) m${residenceJoin} ORDER BY m.Person_ID`);
    await replaceTable(
      db,
      folder,
      'IDS002GP',
      referenceDir
        ? `SELECT g.*, gp.sub_icb_code AS OrgIDSubICBLocGP, s.icb_code AS OrgIDICBGPPractice FROM read_parquet(${source('IDS002GP')}) g LEFT JOIN org_gp gp ON gp.practice_code = ${subIcbKey('g.GMPCodeReg')} LEFT JOIN org_sub_icb s ON s.sub_icb_code = gp.sub_icb_code`
        : `SELECT g.*, ${NO_CODE} AS OrgIDSubICBLocGP, ${NO_CODE} AS OrgIDICBGPPractice FROM read_parquet(${source('IDS002GP')}) g`,
    );
    const [start, end] = [dateLiteral(bounds.start), dateLiteral(bounds.end)];
    await replaceTable(
      db,
      folder,
      'IDS803CareCluster',
      `SELECT c.*, d(StartDateCareClust) BETWEEN ${start} AND ${end} AS CareCluster_StartedInRP_Flag, coalesce(d(EndDateCareClust) BETWEEN ${start} AND ${end}, false) AS CareCluster_EndedInRP_Flag, ` +
        `d(EndDateCareClust) IS NULL AS CareCluster_OpenAtRPEnd_Flag, date_diff('day', greatest(d(StartDateCareClust), ${start}), least(coalesce(d(EndDateCareClust), ${end}), ${end})) + 1 AS CareCluster_DayCount ` +
        `FROM read_parquet(${source('IDS803CareCluster')}) c`,
    );
    await replaceTable(db, folder, 'IDS101Referral', 'SELECT * FROM out101');
    await replaceTable(db, folder, 'IDS603PresentingComplaints', 'SELECT * FROM out603');
    await replaceTable(db, folder, 'IDS201CareContact', 'SELECT * FROM out201');
    await replaceTable(db, folder, 'IDS001MPI', 'SELECT * FROM out001');
  } finally {
    db.close();
    rmSync(join(folder, '.duckdb-tmp'), { recursive: true, force: true });
  }
}
