// How each table of the data set becomes a national table of the period, decided by its role in the spec
// (src/dataset/types.ts TableRole) and stripped of its identifiable items (ItemSpec.identifiable). Reads the
// linkage tables of identities.ts (person, referral, contact_key, activity_key, latest_referral, latest_person)
// and the source views src_<table>.
import { join } from 'node:path';
import { TABLES, type TableName, type TableSpec } from '../dataset/index.js';
import { postcodeKeySql } from '../dataset/checks.js';
import { dateLiteral, ident, literal } from '../core/sql.js';
import { PREFIXED_IDENTIFIERS } from '../store/identifiers.js';

export interface PeriodContext {
  /** Unique_MonthID of the period, and of the first month of its quarter. */
  month: number;
  quarterMonth: number;
  /** First and last day of the period (YYYY-MM-DD). */
  start: string;
  end: string;
  referenceDir?: string;
}

const spec = (name: TableName): TableSpec => TABLES.find((t) => t.name === name)!;
const referralTable = TABLES.find((t) => t.role === 'referral')!;
/** The store's provider-prefixed copy of the referral identifier (Unique_ServiceRequestID): PathwayID takes its place. */
const PREFIXED_REFERRAL_ID = PREFIXED_IDENTIFIERS.find(([item]) => item === referralTable.uniqueKey[0])![1];

/** The columns of a stored table that never reach a national table: its identifiable items, and the prefixed referral identifier. */
export function identifiersOf(table: TableName): string[] {
  const items = spec(table).items;
  const drop = items.filter((i) => i.identifiable).map((i) => i.name);
  if (items.some((i) => i.name === referralTable.uniqueKey[0])) drop.push(PREFIXED_REFERRAL_ID);
  return drop;
}

/** EXCLUDE clause dropping a table's identifiers ('' when it has none). */
function exclude(table: TableName): string {
  const drop = identifiersOf(table).map(ident);
  return drop.length ? ` EXCLUDE (${drop.join(', ')})` : '';
}

/** The linkage table holding PathwayID (and birth_day where it has it) for rows whose parent is this table. */
const PARENT_KEYS: Partial<Record<TableName, { table: string; hasBirthDay: boolean }>> = {
  IDS101Referral: { table: 'referral', hasBirthDay: false },
  IDS201CareContact: { table: 'contact_key', hasBirthDay: true },
  IDS202CareActivity: { table: 'activity_key', hasBirthDay: true },
};

/** Ages at an activity's date (reference §7.1): computed here, the one step that sees the birth date. */
const AGES: Partial<Record<TableName, { name: string; at: string }>> = {
  IDS201CareContact: { name: 'Age_CareContact_Date', at: 'd(s.CareContDate)' },
  IDS606CodedScoreAssessmentRefer: { name: 'Age_AssessmentCompletion_Date', at: 'd(s.AssToolCompDate)' },
  IDS607CodedScoreAssessmentAct: { name: 'Age_AssessmentCompletion_Date', at: 'k.contact_day' },
};

function referral(ctx: PeriodContext): string {
  const t = referralTable.name;
  return (
    `SELECT *${exclude(t)}, Unique_MonthID = ${literal(ctx.month)} AS UsePathway_Flag, Unique_MonthID BETWEEN ${literal(ctx.quarterMonth)} AND ${literal(ctx.month)} AS UseQuarterReferral_Flag, ` +
    `CAST(${literal(ctx.month)} AS INTEGER) AS Processed_MonthID FROM latest_referral ORDER BY PathwayID`
  );
}

function person(table: TableSpec, ctx: PeriodContext): string {
  const geography = ctx.referenceDir
    ? `, pc.lsoa2011 AS LSOA2011, pc.imd_decile AS IndicesOfDeprivationDecile, pc.sub_icb_code AS OrgIDSubICBLocResidence, filled(Postcode) AND pc.lsoa2011 IS NOT NULL AS ValidPostcode_Flag`
    : '';
  const geographyJoin = ctx.referenceDir
    ? ` LEFT JOIN (SELECT ${postcodeKeySql('postcode')} AS code, any_value(lsoa2011) AS lsoa2011, any_value(try_cast(imd_decile AS INTEGER)) AS imd_decile, any_value(sub_icb_code) AS sub_icb_code ` +
      `FROM read_csv(${literal(join(ctx.referenceDir, 'postcodes.csv'))}, header = true, all_varchar = true) GROUP BY 1) pc ON pc.code = ${postcodeKeySql('p.Postcode')}`
    : '';
  return (
    `SELECT p.* EXCLUDE (birth_day, ${identifiersOf(table.name).map(ident).join(', ')}), date_sub('year', d(p.PersonBirthDate), ${dateLiteral(ctx.start)}) AS Age_RP_StartDate, ` +
    `date_sub('year', d(p.PersonBirthDate), ${dateLiteral(ctx.end)}) AS Age_RP_EndDate, ` +
    `left(p.Postcode, strpos(trim(p.Postcode) || ' ', ' ') - 1) AS Postcode_District${geography} FROM latest_person p${geographyJoin} ORDER BY Person_ID`
  );
}

/** An activity table: every row of every month up to the period, with its PathwayID and any age at its date. */
function activity(table: TableSpec): string {
  const parent = table.parent!;
  const key = PARENT_KEYS[parent.table];
  if (!key) throw new Error(`linkage has no key table for rows under ${parent.table}`);
  const on = `k.UniqueSubmissionID = s.UniqueSubmissionID AND k.${ident(parent.item)} = s.${ident(parent.item)}`;
  const birth = key.hasBirthDay ? 'k.birth_day' : '(SELECT birth_day FROM person p WHERE p.UniqueSubmissionID = k.UniqueSubmissionID AND p.LocalPatientId = k.LocalPatientId)';
  const age = AGES[table.name];
  const ageColumn = age ? `, date_sub('year', ${birth}, ${age.at}) AS ${age.name}` : '';
  return `SELECT s.*${exclude(table.name)}, k.PathwayID${ageColumn} FROM ${ident(`src_${table.name}`)} s JOIN ${key.table} k ON ${on} ORDER BY k.PathwayID, s.Unique_MonthID, s.${ident(`UniqueID_${table.id}`)}`;
}

/** A table's SELECT for the national set of the period. */
export function nationalTableSql(table: TableSpec, ctx: PeriodContext): string {
  const source = ident(`src_${table.name}`);
  switch (table.role) {
    case 'referral':
      return referral(ctx);
    case 'person':
      return person(table, ctx);
    case 'activity':
      return activity(table);
    case 'referralRecord':
      return `SELECT s.*${exclude(table.name)}, r.PathwayID FROM ${source} s JOIN latest_referral r ON r.UniqueSubmissionID = s.UniqueSubmissionID AND r.ServiceRequestId = s.ServiceRequestId ORDER BY r.PathwayID, s.${ident(`UniqueID_${table.id}`)}`;
    case 'personRecord':
      return `SELECT s.*${exclude(table.name)}, p.Person_ID FROM ${source} s JOIN latest_person p ON p.UniqueSubmissionID = s.UniqueSubmissionID AND p.LocalPatientId = s.LocalPatientId ORDER BY p.Person_ID, s.${ident(`UniqueID_${table.id}`)}`;
    case 'header':
      return `SELECT *${exclude(table.name)} FROM ${source} WHERE Unique_MonthID = ${literal(ctx.month)} ORDER BY OrgID_Provider`;
    case 'staff':
      return `SELECT *${exclude(table.name)} FROM ${source} WHERE Unique_MonthID = ${literal(ctx.month)} ORDER BY ${ident(`UniqueID_${table.id}`)}`;
  }
}
