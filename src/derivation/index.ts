// Derivations over a period's linked national tables (written by `iapt process` before they are published):
// pathway items on IDS101, validated codes on IDS603 and IDS001, contact waits on IDS201.
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { periodEndOf } from '../dataset/index.js';
import { openDb, processingMemoryLimit, quoteLiteral as lit, type Db } from '../intake/duckdb.js';
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

async function replaceTable(db: Db, folder: string, table: string, select: string): Promise<void> {
  const path = join(folder, `${table}.parquet`);
  await db.run(`COPY (${select}) TO ${lit(`${path}.new`)} (FORMAT parquet, COMPRESSION zstd)`);
  renameSync(`${path}.new`, path);
}

/** Reference look-ups (docs/reference-data.md) as tables: sub-ICB → ICB → region, GP practice → sub-ICB. */
async function loadOrganisations(db: Db, referenceDir: string): Promise<void> {
  const csv = (file: string) => `read_csv(${lit(join(referenceDir, file))}, header = true, all_varchar = true)`;
  await db.run(`CREATE TEMP TABLE sub_icb AS SELECT s.sub_icb_code, s.icb_code, i.region_code FROM ${csv('sub_icbs.csv')} s LEFT JOIN ${csv('icbs.csv')} i USING (icb_code)`);
  await db.run(`CREATE TEMP TABLE gp AS SELECT practice_code, sub_icb_code FROM ${csv('gp_practices.csv')}`);
}

/** Adds the derived items to the national tables in `folder` (a period's processed folder, before publication). */
export async function derivePeriod(folder: string, period: string, referenceDir?: string): Promise<void> {
  const db = await openDb({ memoryLimit: processingMemoryLimit(), tempDirectory: join(folder, '.duckdb-tmp') });
  try {
    const source = (table: string) => lit(join(folder, `${table}.parquet`));
    for (const [view, table] of Object.entries(VIEWS)) await db.run(`CREATE VIEW ${view} AS SELECT * FROM read_parquet(${source(table)})`);
    await derivePathways(db, periodEndOf(period));
    if (referenceDir) await loadOrganisations(db, referenceDir);
    const organisation = referenceDir
      ? `, (SELECT region_code FROM sub_icb s WHERE s.sub_icb_code = upper(trim(t.OrgIDComm))) AS CommissioningRegion, (SELECT icb_code FROM sub_icb s WHERE s.sub_icb_code = upper(trim(t.OrgIDComm))) AS OrgIDICBComm`
      : '';
    await db.run(`CREATE TEMP TABLE out101 AS SELECT t.*${organisation} FROM derived_ids101 t ORDER BY PathwayID`);
    await db.run(`CREATE TEMP TABLE out603 AS SELECT *, ${validatedCodeSql('FindSchemeInUse', 'PresComp')} AS Validated_PresentingComplaint FROM n603`);
    await db.run(
      `CREATE TEMP TABLE out201 AS SELECT c.*, date_diff('day', d(r.ReferralRequestReceivedDate), d(c.CareContDate)) AS Time_Referral_to_CareContact FROM n201 c LEFT JOIN (SELECT PathwayID, ReferralRequestReceivedDate FROM n101) r USING (PathwayID)`,
    );
    const residence = referenceDir ? `, (SELECT icb_code FROM sub_icb s WHERE s.sub_icb_code = m.OrgIDSubICBLocResidence) AS OrgIDICBRes` : '';
    const quartile = `, CASE WHEN m.IndicesOfDeprivationDecile IS NULL THEN NULL ELSE CAST(ceil(m.IndicesOfDeprivationDecile * 4 / 10.0) AS INTEGER) END AS IndicesOfDeprivationQuartile`;
    const hasImd = (await db.all<{ n: bigint }>(`SELECT count(*) AS n FROM (DESCRIBE SELECT * FROM read_parquet(${source('IDS001MPI')})) WHERE column_name = 'IndicesOfDeprivationDecile'`))[0]!.n > 0n;
    await db.run(`CREATE TEMP TABLE out001 AS SELECT m.*, ${validatedEthnicSql('EthnicCategory')} AS Validated_EthnicCategory${hasImd ? quartile : ''}${hasImd && referenceDir ? residence : ''} FROM read_parquet(${source('IDS001MPI')}) m`);
    if (referenceDir) {
      await replaceTable(
        db,
        folder,
        'IDS002GP',
        `SELECT g.*, gp.sub_icb_code AS OrgIDSubICBLocGP, s.icb_code AS OrgIDICBGPPractice FROM read_parquet(${source('IDS002GP')}) g LEFT JOIN gp ON gp.practice_code = upper(trim(g.GMPCodeReg)) LEFT JOIN sub_icb s ON s.sub_icb_code = gp.sub_icb_code`,
      );
    }
    const [start, end] = [`DATE ${lit(`${period}-01`)}`, `DATE ${lit(periodEndOf(period))}`];
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
