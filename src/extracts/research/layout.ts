// The UK LLC layout of a research extract, as data: the nine themed tables in which NHS England sends IAPT to the
// UK Longitudinal Linkage Collaboration's Trusted Research Environment (schema nhsd), each the union of some of the
// data set's tables. Source: UK LLC guidebook, "Understanding the IAPT dataset", section 9 "Availability in the UK
// LLC TRE", Table 2 ("IAPT tables available in the UK LLC TRE, including summary and key variables"), last
// modified 27 January 2026; the table names are those of the TRE. Section 11 names the linkage key: "The cohort key
// variable (cohortkey_e) is available within each table to enable researchers to link between tables", and
// section 10 the encryption of organisation and area codes (suffix _e).
//
// Which items a table carries is never listed here: a research agreement names them, and they are checked against
// the national tables' columns (src/extracts/research/extract.ts). Only the table names (TableName of the spec) and
// the record keys that let a researcher join rows within a table are written down.
import { item, type TableName } from '../../dataset/index.js';

/**
 * A key made for the agreement from one of the platform's system keys (src/extracts/agreementKey.ts,
 * recordKeySql), so that rows of one record can be joined (a contact to its activities, an activity to its
 * member of staff) without releasing the system key itself.
 */
export interface RecordKey {
  /** The column of the extract. */
  name: string;
  /** The national column it is made from (a system key: columnClass(column).systemKey). */
  column: string;
  /** The label the key is made under, so that different records never share a key value. */
  kind: string;
}

export const CARE_CONTACT_KEY: RecordKey = { name: 'CareContactKey_e', column: 'Unique_CareContactID', kind: 'care-contact' };
export const CARE_ACTIVITY_KEY: RecordKey = { name: 'CareActivityKey_e', column: 'Unique_CareActivityID', kind: 'care-activity' };
export const CARE_PERSONNEL_KEY: RecordKey = { name: 'CarePersonnelKey_e', column: 'Unique_CarePersonnelID_Local', kind: 'care-personnel' };

export interface ResearchTable {
  /** The table's name in the UK LLC TRE. */
  name: string;
  /** The data set's tables it is made of (Table 2, "Summary of constituent tables"), in the guidebook's order. */
  sources: readonly TableName[];
  /** Record keys on the rows of the sources that hold their column. */
  recordKeys: readonly RecordKey[];
}

export const RESEARCH_TABLES = [
  {
    name: 'IAPT_demographics_and_referral',
    sources: ['IDS001MPI', 'IDS002GP', 'IDS003AccommStatus', 'IDS007DisabilityType', 'IDS011SocPerCircumstances', 'IDS012OverseasVisitorChargCat', 'IDS101Referral'],
    recordKeys: [],
  },
  { name: 'IAPT_employment_status', sources: ['IDS004EmpStatus'], recordKeys: [] },
  // IDS902 rows: the qualifications of the staff who logged the table's IET rows (IDS205), joined by CarePersonnelKey_e.
  { name: 'IAPT_internet_enabled_therapies', sources: ['IDS205InternetTherLog', 'IDS902CarePersQual'], recordKeys: [CARE_PERSONNEL_KEY] },
  // A contact's activities join it by CareContactKey_e; an activity's member of staff by CarePersonnelKey_e.
  // CareActivityKey_e joins an activity to the scores recorded at it (IDS607, in IAPT_coded_scored_assessments).
  {
    name: 'IAPT_care_activities',
    sources: ['IDS201CareContact', 'IDS202CareActivity', 'IDS902CarePersQual'],
    recordKeys: [CARE_CONTACT_KEY, CARE_ACTIVITY_KEY, CARE_PERSONNEL_KEY],
  },
  // IDS607 scores have no date of their own: CareActivityKey_e leads to the activity, and through it to the contact.
  { name: 'IAPT_coded_scored_assessments', sources: ['IDS606CodedScoreAssessmentRefer', 'IDS607CodedScoreAssessmentAct'], recordKeys: [CARE_ACTIVITY_KEY] },
  { name: 'IAPT_care_cluster', sources: ['IDS803CareCluster'], recordKeys: [] },
  // Table 2 lists IDS602 and IDS603. IDS601 (medical history: previous diagnoses) is the table v2.1 added (guidebook
  // section 8, Table 1: "addition of medical history (previous diagnosis) table"); it holds coded conditions of the
  // patient, so it belongs here, the table of conditions.
  { name: 'IAPT_mental_and_physical_health_conditions', sources: ['IDS602LongTermCondition', 'IDS603PresentingComplaints', 'IDS601MedHistPrevDiag'], recordKeys: [] },
  { name: 'IAPT_onward_referrals', sources: ['IDS105OnwardReferral'], recordKeys: [] },
  { name: 'IAPT_waiting_time_pauses', sources: ['IDS108WaitingTimePauses'], recordKeys: [] },
] as const satisfies readonly ResearchTable[];

export type ResearchTableName = (typeof RESEARCH_TABLES)[number]['name'];

export const RESEARCH_TABLE_NAMES: readonly ResearchTableName[] = RESEARCH_TABLES.map((t) => t.name);

export const researchTable = (name: ResearchTableName): ResearchTable => RESEARCH_TABLES.find((t) => t.name === name)!;

/** The column naming the data set table a row came from, in a table made of several. */
export const SOURCE_TABLE_COLUMN = 'SourceTable';

/** The column PersonBirthDate is released as, by the agreement's dateOfBirth (never the date itself). */
export const BIRTH_RELEASE = {
  'age-at-referral': { column: 'Age_ReferralRequest_ReceivedDate', source: 'IDS101Referral' },
  'year-month': { column: 'PersonBirthYearMonth', source: 'IDS001MPI' },
} as const satisfies Record<string, { column: string; source: TableName }>;

/** The one identifiable item a research extract may carry, in the coarsened form of BIRTH_RELEASE. */
export const BIRTH_DATE_ITEM = item('IDS001MPI', 'PersonBirthDate').name;
/** The table it is released in. */
export const BIRTH_DATE_TABLE: ResearchTableName = 'IAPT_demographics_and_referral';
