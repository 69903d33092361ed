// The defect injector: seeds named defects into clean synthetic tables, each tied to the NHS rule code
// it must trigger, and records where (file, table, 1-based data row, field) for defects.json.
// It runs after the clean generator, on its output, and never changes what the generator draws.
import { columnNames, toolByKey, type TableName } from '../dataset/index.js';
import { isoDate, type Month } from './calendar.js';
import { Rng } from './random.js';
import type { Tables } from './emit.js';

export type Severity = 'reject_file' | 'reject_group' | 'reject_record' | 'warning';

export interface Defect {
  file: string;
  table: TableName;
  /** 1-based data row (header excluded). */
  row: number;
  field: string;
  code: string;
  severity: Severity;
  defect: string;
  value: string;
}

interface Ctx {
  rows: string[][];
  /** Claims another row of the same table so no other defect changes it (a duplicate key's source). */
  claim: (index: number) => boolean;
  col: (name: string) => number;
  rng: Rng;
  month: Month;
}

interface DefectKind {
  id: string;
  code: string;
  severity: Severity;
  table: TableName;
  field: string;
  /** Returns the new value, or null when this row cannot take the defect. */
  apply: (row: string[], ctx: Ctx, index: number) => string | null;
}

const value = (v: string) => () => v;
const PHQ9 = toolByKey('PHQ9').snomed;

export const DEFECT_KINDS: readonly DefectKind[] = [
  { id: 'blank-ServiceRequestId', code: 'IDS10104', severity: 'reject_record', table: 'IDS101Referral', field: 'ServiceRequestId', apply: value('') },
  { id: 'blank-OrgIDComm', code: 'IDS10108', severity: 'reject_record', table: 'IDS101Referral', field: 'OrgIDComm', apply: value('') },
  { id: 'invalid-date-ReferralRequestReceivedDate', code: 'IDS10112', severity: 'reject_record', table: 'IDS101Referral', field: 'ReferralRequestReceivedDate', apply: (_r, c) => `${c.month.id}-32` },
  { id: 'referral-after-period', code: 'IDS10113', severity: 'reject_record', table: 'IDS101Referral', field: 'ReferralRequestReceivedDate', apply: (_r, c) => isoDate(c.month.endDay + 5) },
  { id: 'duplicate-ServiceRequestId', code: 'IDS10103', severity: 'reject_group', table: 'IDS101Referral', field: 'ServiceRequestId', apply: (_r, c, i) => copyFromOther(c, i, 'ServiceRequestId') },
  { id: 'code-not-in-list-EndCode', code: 'IDS10136', severity: 'warning', table: 'IDS101Referral', field: 'EndCode', apply: (r, c) => (r[c.col('ServDischDate')] ? '99' : null) },
  { id: 'blank-CareContDate', code: 'IDS20106', severity: 'reject_record', table: 'IDS201CareContact', field: 'CareContDate', apply: value('') },
  { id: 'contact-before-period', code: 'IDS20170', severity: 'reject_record', table: 'IDS201CareContact', field: 'CareContDate', apply: (_r, c) => isoDate(c.month.startDay - 3) },
  { id: 'contact-after-period', code: 'IDS20108', severity: 'reject_record', table: 'IDS201CareContact', field: 'CareContDate', apply: (_r, c) => isoDate(c.month.endDay + 3) },
  { id: 'code-not-in-list-AppType', code: 'IDS20156', severity: 'reject_record', table: 'IDS201CareContact', field: 'AppType', apply: value('09') },
  { id: 'code-not-in-list-AttendOrDNACode', code: 'IDS20128', severity: 'reject_record', table: 'IDS201CareContact', field: 'AttendOrDNACode', apply: value('8') },
  { id: 'duplicate-CareContactId', code: 'IDS20143', severity: 'reject_group', table: 'IDS201CareContact', field: 'CareContactId', apply: (_r, c, i) => copyFromOther(c, i, 'CareContactId') },
  { id: 'orphan-contact', code: 'IDS20142', severity: 'reject_group', table: 'IDS201CareContact', field: 'ServiceRequestId', apply: (_r, _c, i) => `RORPHAN${i}` },
  { id: 'blank-CareActId', code: 'IDS20201', severity: 'reject_record', table: 'IDS202CareActivity', field: 'CareActId', apply: value('') },
  { id: 'duplicate-CareActId', code: 'IDS20225', severity: 'reject_group', table: 'IDS202CareActivity', field: 'CareActId', apply: (_r, c, i) => copyFromOther(c, i, 'CareActId') },
  { id: 'orphan-activity-score', code: 'IDS60708', severity: 'reject_group', table: 'IDS607CodedScoreAssessmentAct', field: 'CareActId', apply: (_r, _c, i) => `AORPHAN${i}` },
  { id: 'unknown-assessment-tool', code: 'IDS60710', severity: 'reject_record', table: 'IDS607CodedScoreAssessmentAct', field: 'CodedAssToolType', apply: value('123456789') },
  { id: 'bad-score-format-PHQ9', code: 'IDS60711', severity: 'reject_record', table: 'IDS607CodedScoreAssessmentAct', field: 'PersScore', apply: (r, c) => (r[c.col('CodedAssToolType')] === PHQ9 ? '1.5' : null) },
  { id: 'score-out-of-range-PHQ9', code: 'IDS60707', severity: 'warning', table: 'IDS607CodedScoreAssessmentAct', field: 'PersScore', apply: (r, c) => (r[c.col('CodedAssToolType')] === PHQ9 ? '35' : null) },
  { id: 'assessment-after-period', code: 'IDS60610', severity: 'reject_record', table: 'IDS606CodedScoreAssessmentRefer', field: 'AssToolCompDate', apply: (_r, c) => isoDate(c.month.endDay + 2) },
  { id: 'code-not-in-list-Gender', code: 'IDS00131', severity: 'warning', table: 'IDS001MPI', field: 'Gender', apply: value('Q') },
  { id: 'bad-format-GMPCodeReg', code: 'IDS00204', severity: 'reject_record', table: 'IDS002GP', field: 'GMPCodeReg', apply: (r, c) => r[c.col('GMPCodeReg')]!.slice(0, 5) },
  { id: 'blank-PresComp', code: 'IDS60308', severity: 'reject_record', table: 'IDS603PresentingComplaints', field: 'PresComp', apply: value('') },
];

/** Defects that reject the whole file; at most one per file, injected with probability RATE per file. */
export const FILE_DEFECT_KINDS: readonly DefectKind[] = [
  {
    id: 'invalid-NHSNumber',
    code: 'IDSREJ006',
    severity: 'reject_file',
    table: 'IDS001MPI',
    field: 'NHSNumber',
    apply: (r, c) => {
      const nhs = r[c.col('NHSNumber')]!;
      return nhs ? `${nhs.slice(0, 9)}${(Number(nhs[9]) + 1) % 10}` : null;
    },
  },
  { id: 'invalid-Postcode', code: 'IDSREJ007', severity: 'reject_file', table: 'IDS001MPI', field: 'Postcode', apply: (r, c) => (r[c.col('Postcode')] ? 'NOT A POSTCODE' : null) },
  { id: 'duplicate-NHSNumber', code: 'IDSREJ009', severity: 'reject_file', table: 'IDS001MPI', field: 'NHSNumber', apply: (r, c, i) => (r[c.col('NHSNumber')] ? copyFromOther(c, i, 'NHSNumber') : null) },
];

function copyFromOther(ctx: Ctx, index: number, field: string): string | null {
  if (ctx.rows.length < 2) return null;
  const col = ctx.col(field);
  for (let tries = 0; tries < 20; tries++) {
    const other = ctx.rng.int(0, ctx.rows.length - 1);
    const v = ctx.rows[other]![col]!;
    if (other !== index && v !== '' && v !== ctx.rows[index]![col] && ctx.claim(other)) return v;
  }
  return null;
}

/**
 * Injects defects in place: about `rate` × (rows in the file) record-level defects, and with probability
 * `rate` one file-level defect. Returns what was injected; a row never receives two defects.
 */
export function injectDefects(tables: Tables, rate: number, file: string, month: Month, seed: string): Defect[] {
  const rng = new Rng(`${seed}/defects/${file}`);
  const injected: Defect[] = [];
  const touched = new Set<string>();
  let total = 0;
  for (const rows of tables.values()) total += rows.length;
  const tryInject = (kind: DefectKind): boolean => {
    const rows = tables.get(kind.table)!;
    if (rows.length === 0) return false;
    const columns = columnNames(kind.table);
    const col = (name: string): number => columns.indexOf(name);
    for (let attempt = 0; attempt < 10; attempt++) {
      const index = rng.int(0, rows.length - 1);
      const key = `${kind.table}:${index}`;
      if (touched.has(key)) continue;
      const row = rows[index]!;
      const claim = (other: number): boolean => {
        const otherKey = `${kind.table}:${other}`;
        if (touched.has(otherKey)) return false;
        touched.add(otherKey);
        return true;
      };
      const next = kind.apply(row, { rows, col, rng, month, claim }, index);
      if (next === null || next === row[col(kind.field)]) continue;
      row[col(kind.field)] = next;
      touched.add(key);
      injected.push({ file, table: kind.table, row: index + 1, field: kind.field, code: kind.code, severity: kind.severity, defect: kind.id, value: next });
      return true;
    }
    return false;
  };
  const count = rng.poisson(rate * total);
  for (let k = 0; k < count; k++) tryInject(rng.pick(DEFECT_KINDS));
  if (rng.chance(rate)) tryInject(rng.pick(FILE_DEFECT_KINDS));
  return injected;
}
