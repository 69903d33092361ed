// The IAPT v2.1 data set as data: one entry point for every stage.
import { TABLES } from './tables.js';
import { CODE_LISTS } from './codeLists.js';
import type { CodeList, ItemSpec, TableName, TableSpec } from './types.js';

export * from './types.js';
export { TABLES } from './tables.js';
export { APPOINTMENT_TYPES, ATTENDED_CODES, CODE_LISTS } from './codeLists.js';
export { attendedContactSql, treatmentTypeSql, assessmentTypeSql, UNPLANNED_CONTACT } from './appointments.js';
export { ASSESSMENT_TOOLS, toolByKey, toolBySnomed } from './assessments.js';
export type { AssessmentTool, ScoreFormat } from './assessments.js';
export { THERAPY_TYPES, LONG_TERM_CONDITIONS, SOCIAL_CIRCUMSTANCES, IET_PROGRAMMES } from './therapies.js';
export type { TherapyType } from './therapies.js';
export { PROBLEM_DESCRIPTORS, problemDescriptorOf } from './problemDescriptors.js';
export type { ProblemDescriptorGroup } from './problemDescriptors.js';
export { OUTCOME_MEASURES, outcomeMeasure, anxietyMeasureFor, atCaseness, usableForOutcomes, hasUnconfirmedThreshold } from './outcomes.js';
export type { OutcomeMeasure, Threshold } from './outcomes.js';
export { RENAMED_IN_V21, REMOVED_IN_V21, TABLES_NEW_IN_V21 } from './v20.js';
export { formatNotation } from './formats.js';
export { isPeriod, periodBounds, periodEndOf, PeriodFormatError } from './periods.js';
export { GEOGRAPHY_LEVELS, NATIONAL_COLUMNS, coarseEnough, columnClass, identifiableItem, IDENTIFIABLE_ITEMS } from './release.js';
export type { ColumnClass, GeographyLevel } from './release.js';

export const DATASET_NAME = 'IAPT';
export const DATASET_VERSION = '2.1';

const byName = new Map<string, TableSpec>(TABLES.map((t) => [t.name, t]));
const codeListById = new Map<string, CodeList>(CODE_LISTS.map((c) => [c.id, c]));

/** Look a table up by IDB name (IDS101Referral) or short id (IDS101), case-insensitively. */
export function findTable(nameOrId: string): TableSpec | undefined {
  const wanted = nameOrId.toLowerCase();
  return TABLES.find((t) => t.name.toLowerCase() === wanted || t.id.toLowerCase() === wanted);
}

export function table(name: TableName): TableSpec {
  const found = byName.get(name);
  if (!found) throw new Error(`Table ${name} is not in the spec`);
  return found;
}

export function item(tableName: TableName, itemName: string): ItemSpec {
  const found = table(tableName).items.find((i) => i.name === itemName);
  if (!found) throw new Error(`Item ${itemName} is not in ${tableName}`);
  return found;
}

export function columnNames(tableName: TableName): string[] {
  return table(tableName).items.map((i) => i.name);
}

export function codeList(id: string): CodeList {
  const found = codeListById.get(id);
  if (!found) throw new Error(`Code list ${id} is not in the spec`);
  return found;
}

export { POSTCODE_PATTERN, isValidNhsNumber, nhsNumberCheckDigit } from './checks.js';
