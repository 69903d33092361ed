// Derivations over a period's linked national tables (written by `iapt process` before they are published):
// pathway items on IDS101, validated codes on IDS603 and IDS001, contact waits on IDS201.
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, processingMemoryLimit, quoteLiteral as lit, type Db } from '../intake/duckdb.js';
import { derivePathways } from './pathway.js';
import { validatedCodeSql, validatedEthnicSql } from './record.js';

const VIEWS: Record<string, string> = {
  n101: 'IDS101Referral',
  n201: 'IDS201CareContact',
  n202: 'IDS202CareActivity',
  n205: 'IDS205InternetTherLog',
  n603: 'IDS603PresentingComplaints',
  n606: 'IDS606CodedScoreAssessmentRefer',
  n607: 'IDS607CodedScoreAssessmentAct',
};

export function periodEndOf(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

async function replaceTable(db: Db, folder: string, table: string, select: string): Promise<void> {
  const path = join(folder, `${table}.parquet`);
  await db.run(`COPY (${select}) TO ${lit(`${path}.new`)} (FORMAT parquet, COMPRESSION zstd)`);
  renameSync(`${path}.new`, path);
}

/** Adds the derived items to the national tables in `folder` (a period's processed folder, before publication). */
export async function derivePeriod(folder: string, period: string): Promise<void> {
  const db = await openDb({ memoryLimit: processingMemoryLimit(), tempDirectory: join(folder, '.duckdb-tmp') });
  try {
    const source = (table: string) => lit(join(folder, `${table}.parquet`));
    for (const [view, table] of Object.entries(VIEWS)) await db.run(`CREATE VIEW ${view} AS SELECT * FROM read_parquet(${source(table)})`);
    await derivePathways(db, periodEndOf(period));
    await db.run(`CREATE TEMP TABLE out101 AS SELECT * FROM derived_ids101 ORDER BY PathwayID`);
    await db.run(`CREATE TEMP TABLE out603 AS SELECT *, ${validatedCodeSql('FindSchemeInUse', 'PresComp')} AS Validated_PresentingComplaint FROM n603`);
    await db.run(
      `CREATE TEMP TABLE out201 AS SELECT c.*, date_diff('day', d(r.ReferralRequestReceivedDate), d(c.CareContDate)) AS Time_Referral_to_CareContact FROM n201 c LEFT JOIN (SELECT PathwayID, ReferralRequestReceivedDate FROM n101) r USING (PathwayID)`,
    );
    await db.run(`CREATE TEMP TABLE out001 AS SELECT *, ${validatedEthnicSql('EthnicCategory')} AS Validated_EthnicCategory FROM read_parquet(${source('IDS001MPI')})`);
    await replaceTable(db, folder, 'IDS101Referral', 'SELECT * FROM out101');
    await replaceTable(db, folder, 'IDS603PresentingComplaints', 'SELECT * FROM out603');
    await replaceTable(db, folder, 'IDS201CareContact', 'SELECT * FROM out201');
    await replaceTable(db, folder, 'IDS001MPI', 'SELECT * FROM out001');
  } finally {
    db.close();
    rmSync(join(folder, '.duckdb-tmp'), { recursive: true, force: true });
  }
}
