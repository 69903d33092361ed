// `iapt process --period P`: the post-deadline national tables of a reporting period.
//
// Inputs: the counting submission (latest valid, Refresh over Primary) of every provider for every period
// up to P. Outputs, in DIR/processed/<P>/ (replaced atomically):
// - IDS101Referral: one row per PathwayID seen up to P, with the attributes of its latest appearance,
//   Person_ID, PathwayID, UsePathway_Flag (the referral is in P's counting submission: the row used for
//   P's monthly reporting) and UseQuarterReferral_Flag (it is in a counting submission of P's quarter, up to P).
// - IDS001MPI: one row per Person_ID (latest appearance), with ages at P's start and end and derived
//   geography instead of NHS number, birth date and postcode.
// - Event tables (contacts, activities, assessments, IET logs, onward referrals) accumulated over all
//   periods up to P; re-sent tables (patient-level records, presenting complaints, LTCs, pauses) from the
//   latest appearance of their pathway or person.
// - continuity.json: pathway, person-identifier and organisation-code continuity per provider.
// Identifiable items (NHS number, birth date, postcode, LocalPatientId, ServiceRequestId) do not leave the
// provider-scoped store: national tables carry Person_ID and PathwayID instead.
//
// Publication of a period (src/store/periods.ts): one process at a time per period (a lock file), the new set is
// built in processed/.<P>.<pid>.tmp and becomes processed/.<P>.v<n>; processed/<P> is a symbolic link switched to
// it by one rename, so readers of processed/<P>/ always see the old complete set or the new one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IaptError } from '../core/errors.js';
import { mkdirPrivate } from '../core/files.js';
import { TABLES, periodEndOf, type TableName } from '../dataset/index.js';
import { openDb, type Db } from '../core/db.js';
import { ident as q, literal as lit } from '../core/sql.js';
import { Catalog, type SubmissionRow } from '../store/catalog.js';
import { uniqueMonthId } from '../store/identifiers.js';
import { loadReference } from '../validation/reference.js';
import { continuity, type Continuity } from './continuity.js';
import { beginPeriod } from '../store/periods.js';
import { checkKeyFingerprint, KEY_FINGERPRINT_SETTING, keyFingerprint, loadPseudonymKey } from './key.js';
import { installPseudonymKey, pathwayIdSql, personIdSql } from './pseudonyms.js';

export interface ProcessOptions {
  dataDir: string;
  period: string;
  referenceDir?: string;
  /** Runs on the finished national tables before they are published (the derivation stage plugs in here). */
  afterLink?: (folder: string) => Promise<void>;
  /** How long to wait for another process of the same period to finish before failing as busy (default 0). */
  lockWaitMs?: number;
}

export interface ProcessResult {
  period: string;
  folder: string;
  submissions: number;
  providers: number;
  rows: Record<string, number>;
  continuity: Continuity;
}

const EVENT_TABLES: TableName[] = ['IDS105OnwardReferral', 'IDS201CareContact', 'IDS202CareActivity', 'IDS205InternetTherLog', 'IDS606CodedScoreAssessmentRefer', 'IDS607CodedScoreAssessmentAct'];
const REFERRAL_SNAPSHOT: TableName[] = ['IDS108WaitingTimePauses', 'IDS602LongTermCondition', 'IDS603PresentingComplaints'];
const PATIENT_SNAPSHOT: TableName[] = ['IDS002GP', 'IDS003AccommStatus', 'IDS004EmpStatus', 'IDS007DisabilityType', 'IDS011SocPerCircumstances', 'IDS012OverseasVisitorChargCat', 'IDS601MedHistPrevDiag', 'IDS803CareCluster'];
/** Dropped from every national table. */
const IDENTIFIERS = ['LocalPatientId', 'ServiceRequestId', 'Unique_ServiceRequestID', 'NHSNumber', 'PersonBirthDate', 'Postcode', 'CareContactId', 'CareActId', 'CarePersLocalId'];

export function quarterStart(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const start = m - ((m - 1) % 3);
  return `${y}-${String(start).padStart(2, '0')}`;
}

async function sourceViews(db: Db, dataDir: string, counting: SubmissionRow[]): Promise<void> {
  for (const t of TABLES) {
    const files = counting.map((s) => lit(join(dataDir, s.folder, 'tables', `${t.name}.parquet`)));
    await db.run(`CREATE OR REPLACE VIEW ${q(`src_${t.name}`)} AS SELECT * FROM read_parquet([${files.join(', ')}], union_by_name = true)`);
  }
}

/** EXCLUDE clause dropping the identifiable columns a stored table has. */
function identifiersOf(table: TableName): string[] {
  const items = new Set(TABLES.find((t) => t.name === table)!.items.map((i) => i.name));
  if (items.has('ServiceRequestId')) items.add('Unique_ServiceRequestID');
  return IDENTIFIERS.filter((c) => items.has(c)).map(q);
}

function exclude(table: TableName): string {
  const drop = identifiersOf(table);
  return drop.length ? ` EXCLUDE (${drop.join(', ')})` : '';
}

export async function processPeriod(options: ProcessOptions): Promise<ProcessResult> {
  const { dataDir, period } = options;
  // An existing data directory only (never a new one); the catalog is written only to record the key's fingerprint.
  const catalog = await Catalog.open(dataDir, { waitMs: 60_000 });
  let counting: SubmissionRow[];
  let key: Buffer;
  try {
    counting = (await catalog.submissions()).filter((s) => s.counts && s.period <= period);
    if (!counting.some((s) => s.period === period)) throw new IaptError('input', `no accepted submission counts for ${period} yet: submit one first (iapt submissions --data ${dataDir})`);
    const recorded = await catalog.setting(KEY_FINGERPRINT_SETTING);
    key = loadPseudonymKey(dataDir, { mayCreate: recorded === null });
    checkKeyFingerprint(key, recorded, dataDir);
    await catalog.recordSetting(KEY_FINGERPRINT_SETTING, keyFingerprint(key));
  } finally {
    catalog.close();
  }
  const run = await beginPeriod(dataDir, period, { waitMs: options.lockWaitMs ?? 0 });
  const tmp = run.work;
  const spill = run.spill;
  let db: Db;
  try {
    db = await openDb({ spillFolder: spill });
  } catch (error) {
    run.end();
    throw error;
  }
  let open = true;
  const closeDb = () => {
    if (open) db.close();
    open = false;
  };
  try {
    await installPseudonymKey(db, key);
    await sourceViews(db, dataDir, counting);
    if (options.referenceDir) await loadReference(db, options.referenceDir);
    const month = uniqueMonthId(period);
    const quarterMonth = uniqueMonthId(quarterStart(period));
    const start = `${period}-01`;
    const end = periodEndOf(period);

    // Person_ID per submitted MPI row, and PathwayID per submitted referral row.
    await db.run(
      `CREATE TABLE person AS SELECT UniqueSubmissionID, LocalPatientId, Unique_MonthID, OrgID_Provider, d(PersonBirthDate) AS birth_day, ` +
        `${personIdSql('OrgID_Provider', 'NHSNumber', 'LocalPatientId', 'PersonBirthDate')} AS Person_ID FROM src_IDS001MPI`,
    );
    await db.run(
      `CREATE TABLE referral AS SELECT r.*, p.Person_ID, ${pathwayIdSql('r.OrgID_Provider', 'p.Person_ID', 'r.ServiceRequestId')} AS PathwayID, ` +
        `date_sub('year', p.birth_day, d(r.ReferralRequestReceivedDate)) AS Age_ReferralRequest_ReceivedDate, date_sub('year', p.birth_day, d(r.ServDischDate)) AS Age_ServiceDischarge_Date ` +
        `FROM src_IDS101Referral r JOIN person p ON p.UniqueSubmissionID = r.UniqueSubmissionID AND p.LocalPatientId = r.LocalPatientId`,
    );
    await db.run(
      `CREATE TABLE contact_key AS SELECT c.UniqueSubmissionID, c.CareContactId, r.PathwayID, p.birth_day, d(c.CareContDate) AS contact_day FROM src_IDS201CareContact c ` +
        `JOIN referral r ON r.UniqueSubmissionID = c.UniqueSubmissionID AND r.ServiceRequestId = c.ServiceRequestId JOIN person p ON p.UniqueSubmissionID = r.UniqueSubmissionID AND p.LocalPatientId = r.LocalPatientId`,
    );
    await db.run(`CREATE TABLE activity_key AS SELECT a.UniqueSubmissionID, a.CareActId, k.PathwayID, k.birth_day, k.contact_day FROM src_IDS202CareActivity a JOIN contact_key k ON k.UniqueSubmissionID = a.UniqueSubmissionID AND k.CareContactId = a.CareContactId`);
    // Latest appearance of each pathway and person.
    await db.run(`CREATE TABLE latest_referral AS SELECT * FROM referral QUALIFY row_number() OVER (PARTITION BY PathwayID ORDER BY Unique_MonthID DESC, UniqueSubmissionID DESC) = 1`);
    await db.run(`CREATE TABLE latest_person AS SELECT p.*, m.* EXCLUDE (UniqueSubmissionID, LocalPatientId, Unique_MonthID, OrgID_Provider) FROM person p JOIN src_IDS001MPI m USING (UniqueSubmissionID, LocalPatientId) QUALIFY row_number() OVER (PARTITION BY p.Person_ID ORDER BY p.Unique_MonthID DESC, p.UniqueSubmissionID DESC) = 1`);

    mkdirPrivate(tmp);
    const out = (table: string) => lit(join(tmp, `${table}.parquet`));
    const write = async (table: string, select: string) => db.run(`COPY (${select}) TO ${out(table)} (FORMAT parquet, COMPRESSION zstd)`);

    await write(
      'IDS101Referral',
      `SELECT *${exclude('IDS101Referral')}, Unique_MonthID = ${month} AS UsePathway_Flag, Unique_MonthID BETWEEN ${quarterMonth} AND ${month} AS UseQuarterReferral_Flag, ` +
        `CAST(${month} AS INTEGER) AS Processed_MonthID FROM latest_referral ORDER BY PathwayID`,
    );
    const geography = options.referenceDir
      ? `, pc.lsoa2011 AS LSOA2011, pc.imd_decile AS IndicesOfDeprivationDecile, pc.sub_icb_code AS OrgIDSubICBLocResidence, filled(Postcode) AND pc.lsoa2011 IS NOT NULL AS ValidPostcode_Flag`
      : '';
    const geographyJoin = options.referenceDir
      ? ` LEFT JOIN (SELECT upper(regexp_replace(trim(postcode), '\\s+', ' ', 'g')) AS code, any_value(lsoa2011) AS lsoa2011, any_value(try_cast(imd_decile AS INTEGER)) AS imd_decile, any_value(sub_icb_code) AS sub_icb_code FROM read_csv(${lit(join(options.referenceDir, 'postcodes.csv'))}, header = true, all_varchar = true) GROUP BY 1) pc ON pc.code = upper(regexp_replace(trim(p.Postcode), '\\s+', ' ', 'g'))`
      : '';
    await write(
      'IDS001MPI',
      `SELECT p.* EXCLUDE (birth_day, ${identifiersOf('IDS001MPI').join(', ')}), date_sub('year', d(p.PersonBirthDate), DATE ${lit(start)}) AS Age_RP_StartDate, date_sub('year', d(p.PersonBirthDate), DATE ${lit(end)}) AS Age_RP_EndDate, ` +
        `left(p.Postcode, strpos(trim(p.Postcode) || ' ', ' ') - 1) AS Postcode_District${geography} FROM latest_person p${geographyJoin} ORDER BY Person_ID`,
    );
    for (const t of EVENT_TABLES) {
      const join =
        t === 'IDS202CareActivity'
          ? 'JOIN contact_key k ON k.UniqueSubmissionID = s.UniqueSubmissionID AND k.CareContactId = s.CareContactId'
          : t === 'IDS607CodedScoreAssessmentAct'
            ? 'JOIN activity_key k ON k.UniqueSubmissionID = s.UniqueSubmissionID AND k.CareActId = s.CareActId'
            : 'JOIN referral k ON k.UniqueSubmissionID = s.UniqueSubmissionID AND k.ServiceRequestId = s.ServiceRequestId';
      const id = `UniqueID_${TABLES.find((x) => x.name === t)!.id}`;
      const birth = t === 'IDS202CareActivity' || t === 'IDS607CodedScoreAssessmentAct' ? 'k.birth_day' : `(SELECT birth_day FROM person p WHERE p.UniqueSubmissionID = k.UniqueSubmissionID AND p.LocalPatientId = k.LocalPatientId)`;
      const age =
        t === 'IDS201CareContact'
          ? `, date_sub('year', ${birth}, d(s.CareContDate)) AS Age_CareContact_Date`
          : t === 'IDS606CodedScoreAssessmentRefer'
            ? `, date_sub('year', ${birth}, d(s.AssToolCompDate)) AS Age_AssessmentCompletion_Date`
            : t === 'IDS607CodedScoreAssessmentAct'
              ? `, date_sub('year', k.birth_day, k.contact_day) AS Age_AssessmentCompletion_Date`
              : '';
      await write(t, `SELECT s.*${exclude(t)}, k.PathwayID${age} FROM ${q(`src_${t}`)} s ${join} ORDER BY k.PathwayID, s.Unique_MonthID, s.${q(id)}`);
    }
    for (const t of REFERRAL_SNAPSHOT) {
      await write(t, `SELECT s.*${exclude(t)}, r.PathwayID FROM ${q(`src_${t}`)} s JOIN latest_referral r ON r.UniqueSubmissionID = s.UniqueSubmissionID AND r.ServiceRequestId = s.ServiceRequestId ORDER BY r.PathwayID`);
    }
    for (const t of PATIENT_SNAPSHOT) {
      await write(t, `SELECT s.*${exclude(t)}, p.Person_ID FROM ${q(`src_${t}`)} s JOIN latest_person p ON p.UniqueSubmissionID = s.UniqueSubmissionID AND p.LocalPatientId = s.LocalPatientId ORDER BY p.Person_ID`);
    }
    await write('IDS000Header', `SELECT * FROM src_IDS000Header WHERE Unique_MonthID = ${month} ORDER BY OrgID_Provider`);
    await write('IDS902CarePersQual', `SELECT *${exclude('IDS902CarePersQual')} FROM src_IDS902CarePersQual WHERE Unique_MonthID = ${month}`);

    const cont = await continuity(db, period, counting);
    writeFileSync(join(tmp, 'continuity.json'), JSON.stringify(cont, null, 2) + '\n');
    const rows: Record<string, number> = {};
    for (const t of TABLES) rows[t.name] = await db.count(`SELECT count(*) FROM read_parquet(${out(t.name)})`);
    const manifest = { period, submissions: counting.map((s) => ({ id: s.id, provider: s.provider, period: s.period, fileType: s.file_type })), rows };
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    // Everything is in the folder now: release linkage's memory before the derivation opens its own database.
    closeDb();
    if (options.afterLink) await options.afterLink(tmp);
    const final = run.publish();
    return { period, folder: final, submissions: counting.length, providers: new Set(counting.map((s) => s.provider)).size, rows, continuity: cont };
  } finally {
    closeDb();
    run.end();
  }
}
