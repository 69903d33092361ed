// Hand-built derived national tables for measure tests: rows as objects, typed by the column's name
// (derived dates are DATE, flags BOOLEAN, counts, scores and ages numbers; submitted items stay text).
import { openDb, type Db } from '../../src/core/db.js';
import { ident, listValue, literal } from '../../src/core/sql.js';
import { createSources, type SourceTables } from '../../src/measures/sources.js';
import { computeMeasures, type MeasureValue } from '../../src/measures/compute.js';
import type { MeasureDefinition } from '../../src/measures/definition.js';
import { itemsUsedBy, measureById, REFERRAL_ITEMS, withDependencies } from '../../src/measures/catalogue/index.js';
import { ANNUAL_ITEMS } from '../../src/measures/publish/annual.js';
import { VARIABLE_ITEMS } from '../../src/measures/variables.js';
import type { Breakdown } from '../../src/measures/breakdowns.js';
import { monthPeriod, type ReportingPeriod } from '../../src/measures/periods.js';
import { GROUPS } from '../../src/measures/groups.js';
import { THERAPY_TYPES } from '../../src/dataset/index.js';
import { SCORED_TOOLS } from '../../src/derivation/sqlConfig.js';

/** Catalogue measures by id, with the measures their percentages refer to. */
export const ids = (...list: string[]): MeasureDefinition[] => withDependencies(list.map((id) => measureById(id)!));

export type Row = Record<string, string | number | boolean | null | string[]>;

const DERIVED_DATE = /^(TherapySession_\w+Date|Assessment_\w+Date|\w+_FirstDate|\w+_LastDate)$/;
/** Derived counts and scores: numbers even when every test row leaves them null. */
const DERIVED_NUMBER = /^\w+(_Count|_FirstScore|_LastScore)$/;
function typeOf(column: string, values: unknown[]): string {
  if (DERIVED_DATE.test(column)) return 'DATE';
  if (DERIVED_NUMBER.test(column)) return 'DOUBLE';
  if (values.some((v) => Array.isArray(v))) return 'VARCHAR[]';
  if (values.some((v) => typeof v === 'boolean')) return 'BOOLEAN';
  if (values.some((v) => typeof v === 'number')) return 'DOUBLE';
  return 'VARCHAR';
}

const value = (v: Row[string] | undefined): string => (v === undefined ? 'NULL' : Array.isArray(v) ? listValue(v) : literal(v));

/** Creates table `name` from rows (columns: the union of the rows' keys; missing values are NULL). */
export async function createTable(db: Db, name: string, rows: readonly Row[], defaults: Row = {}): Promise<void> {
  const all = rows.map((r) => ({ ...defaults, ...r }));
  const columns = [...new Set(all.flatMap((r) => Object.keys(r)))];
  const types = columns.map((c) => typeOf(c, all.map((r) => r[c])));
  const tuples = all.map((r) => `(${columns.map((c, i) => `CAST(${value(r[c])} AS ${types[i]})`).join(', ')})`);
  await db.run(`CREATE TABLE ${ident(name)} AS SELECT * FROM (VALUES ${tuples.join(', ')}) t(${columns.map(ident).join(', ')})`);
}

/** Organisation and use defaults for a referral row of the test data set. */
export const REFERRAL_DEFAULTS: Row = {
  UsePathway_Flag: true,
  UseQuarterReferral_Flag: true,
  Unique_MonthID: 1502,
  Person_ID: 'person',
  CommissioningRegion: 'Y56',
  OrgIDICBComm: 'QAA',
  OrgIDComm: '00X',
  OrgID_Provider: 'RA1',
  SourceOfReferralIAPT: null,
  EndCode: null,
  ServDischDate: null,
  Assessment_FirstDate: null,
  TherapySession_FirstDate: null,
  TherapySession_SecondDate: null,
  TherapySession_LastDate: null,
  EmpSupport_FirstDate: null,
  EmpSupport_LastDate: null,
  CareContact_Count: 0,
  TreatmentCareContact_Count: 0,
  CompletedTreatment_Flag: false,
  NotCaseness_Flag: false,
  Recovery_Flag: false,
  ReliableImprovement_Flag: false,
  ReliableDeterioration_Flag: false,
  NoChange_Flag: false,
  Caseness_Flag: false,
  // Therapy counts, first/last scores and other derived items the catalogue reads: null unless a test sets them.
  ...Object.fromEntries(
    [
      ...THERAPY_TYPES.map((t) => t.countColumn),
      ...SCORED_TOOLS.flatMap((t) => [`${t.key}_FirstScore`, `${t.key}_LastScore`]),
      ...['InternetEnabledTherapy_Count', 'PresentingComplaint', 'ADSM', 'ADSM_FirstScore', 'ADSM_LastScore', 'SickpayIndicator_First', 'SickpayIndicator_Last'],
    ].map((c) => [c, null]),
  ),
};

export interface Fixture {
  referrals: readonly Row[];
  people?: readonly Row[];
  contacts?: readonly Row[];
  activities?: readonly Row[];
  internetLogs?: readonly Row[];
  employmentStatuses?: readonly Row[];
  staffQualifications?: readonly Row[];
  disabilities?: readonly Row[];
  socialCircumstances?: readonly Row[];
  longTermConditions?: readonly Row[];
}

/**
 * Computes `definitions` over the fixture for `period` (default May 2024) and returns a lookup:
 * value(id, group = England, org1, org2) — for England the codes are 'all'.
 */
export async function measure(fixture: Fixture, definitions: readonly MeasureDefinition[], options: { period?: ReportingPeriod; breakdown?: Breakdown } = {}) {
  const db = await openDb();
  try {
    const tables: SourceTables = { IDS101Referral: 'ids101' };
    await createTable(db, 'ids101', fixture.referrals, REFERRAL_DEFAULTS);
    if (fixture.people) await createTable(db, (tables.IDS001MPI = 'ids001'), fixture.people);
    if (fixture.contacts) await createTable(db, (tables.IDS201CareContact = 'ids201'), fixture.contacts, { Unique_MonthID: 1502 });
    if (fixture.activities) await createTable(db, (tables.IDS202CareActivity = 'ids202'), fixture.activities);
    if (fixture.internetLogs) await createTable(db, (tables.IDS205InternetTherLog = 'ids205'), fixture.internetLogs);
    if (fixture.employmentStatuses) await createTable(db, (tables.IDS004EmpStatus = 'ids004'), fixture.employmentStatuses);
    if (fixture.staffQualifications) await createTable(db, (tables.IDS902CarePersQual = 'ids902'), fixture.staffQualifications);
    if (fixture.disabilities) await createTable(db, (tables.IDS007DisabilityType = 'ids007'), fixture.disabilities);
    if (fixture.socialCircumstances) await createTable(db, (tables.IDS011SocPerCircumstances = 'ids011'), fixture.socialCircumstances);
    if (fixture.longTermConditions) await createTable(db, (tables.IDS602LongTermCondition = 'ids602'), fixture.longTermConditions);
    const period = options.period ?? monthPeriod('2024-05');
    const units = await createSources(db, tables, period, itemsUsedBy([...definitions, ...(options.breakdown ? [options.breakdown] : [])], [...REFERRAL_ITEMS, ANNUAL_ITEMS, ...VARIABLE_ITEMS]));
    const values = await computeMeasures(db, { definitions, period, groups: GROUPS.map((g) => g.type), units, ...(options.breakdown ? { breakdown: options.breakdown } : {}) });
    return lookup(values);
  } finally {
    db.close();
  }
}

export function lookup(values: MeasureValue[]) {
  const find = (id: string, group = 'England', org1 = 'all', org2 = 'all', a?: string, b?: string) =>
    values.find((v) => v.measure.id === id && v.groupType === group && v.org1 === org1 && v.org2 === org2 && (a === undefined || v.variableA === a) && (b === undefined || v.variableB === b));
  return {
    values,
    value: (id: string, group?: string, org1?: string, org2?: string) => find(id, group, org1, org2)?.value,
    cell: find,
  };
}
