// The linkage tables of a period, each built from the ones before it: Person_ID per submitted MPI row and
// PathwayID per submitted referral row (src/linkage/pseudonyms.ts), keys that carry them down to contacts and
// activities, and the latest appearance of each pathway and person. Read by national.ts.
import { join } from 'node:path';
import { TABLES } from '../dataset/index.js';
import type { Db } from '../core/db.js';
import { ident, listValue } from '../core/sql.js';
import type { SubmissionRow } from '../store/catalog.js';
import { pathwayIdSql, personIdSql } from './pseudonyms.js';

/** One view src_<table> per table over the counting submissions' stored Parquet files. */
export async function createSourceViews(db: Db, dataDir: string, counting: readonly SubmissionRow[]): Promise<void> {
  for (const t of TABLES) {
    const files = counting.map((s) => join(dataDir, s.folder, 'tables', `${t.name}.parquet`));
    await db.run(`CREATE OR REPLACE VIEW ${ident(`src_${t.name}`)} AS SELECT * FROM read_parquet(${listValue(files)}, union_by_name = true)`);
  }
}

export interface LinkStep {
  table: string;
  select: string;
}

export const LINK_STEPS: readonly LinkStep[] = [
  {
    table: 'person',
    select:
      `SELECT UniqueSubmissionID, LocalPatientId, Unique_MonthID, OrgID_Provider, d(PersonBirthDate) AS birth_day, ` +
      `${personIdSql('OrgID_Provider', 'NHSNumber', 'LocalPatientId', 'PersonBirthDate')} AS Person_ID FROM src_IDS001MPI`,
  },
  {
    table: 'referral',
    select:
      `SELECT r.*, p.Person_ID, ${pathwayIdSql('r.OrgID_Provider', 'p.Person_ID', 'r.ServiceRequestId')} AS PathwayID, ` +
      `date_sub('year', p.birth_day, d(r.ReferralRequestReceivedDate)) AS Age_ReferralRequest_ReceivedDate, date_sub('year', p.birth_day, d(r.ServDischDate)) AS Age_ServiceDischarge_Date ` +
      `FROM src_IDS101Referral r JOIN person p ON p.UniqueSubmissionID = r.UniqueSubmissionID AND p.LocalPatientId = r.LocalPatientId`,
  },
  {
    table: 'contact_key',
    select:
      `SELECT c.UniqueSubmissionID, c.CareContactId, r.PathwayID, p.birth_day, d(c.CareContDate) AS contact_day FROM src_IDS201CareContact c ` +
      `JOIN referral r ON r.UniqueSubmissionID = c.UniqueSubmissionID AND r.ServiceRequestId = c.ServiceRequestId JOIN person p ON p.UniqueSubmissionID = r.UniqueSubmissionID AND p.LocalPatientId = r.LocalPatientId`,
  },
  {
    table: 'activity_key',
    select:
      'SELECT a.UniqueSubmissionID, a.CareActId, k.PathwayID, k.birth_day, k.contact_day FROM src_IDS202CareActivity a JOIN contact_key k ON k.UniqueSubmissionID = a.UniqueSubmissionID AND k.CareContactId = a.CareContactId',
  },
  // The latest appearance of each pathway and person.
  {
    table: 'latest_referral',
    select: 'SELECT * FROM referral QUALIFY row_number() OVER (PARTITION BY PathwayID ORDER BY Unique_MonthID DESC, UniqueSubmissionID DESC) = 1',
  },
  {
    table: 'latest_person',
    select:
      'SELECT p.*, m.* EXCLUDE (UniqueSubmissionID, LocalPatientId, Unique_MonthID, OrgID_Provider) FROM person p JOIN src_IDS001MPI m USING (UniqueSubmissionID, LocalPatientId) ' +
      'QUALIFY row_number() OVER (PARTITION BY p.Person_ID ORDER BY p.Unique_MonthID DESC, p.UniqueSubmissionID DESC) = 1',
  },
];

/** Builds the linkage tables (the key must be installed: installPseudonymKey). */
export async function linkIdentities(db: Db): Promise<void> {
  for (const s of LINK_STEPS) await db.run(`CREATE TABLE ${s.table} AS ${s.select}`);
}
