// One test case per rule: how to break the fixture so that exactly this rule must fire, and where.
// Most cases follow from the rule's kind and the spec (blank → blank it, code list → an unlisted code …);
// custom and file-level rules have hand-written cases.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeList, type TableName } from '../../src/dataset/index.js';
import { itemSpec } from '../../src/validation/compile.js';
import type { Rule } from '../../src/validation/types.js';
import type { Row, Tables } from './fixture.js';

export interface RuleCase {
  version: '2.0' | '2.1';
  /** Changes the (v2.1-shaped) fixture tables. */
  mutate: (tables: Tables) => void;
  /** Changes the written files (raw bytes, extra lines, extra files). */
  afterWrite?: (dir: string) => void;
  /** Rows that must carry the finding; [] for findings without a row. */
  rows: number[];
  /** The rule must NOT fire (placeholders). */
  absent?: boolean;
}

const first = (tables: Tables, table: TableName): Row => tables[table][0]!;
const set = (table: TableName, values: Row, rows: number[] = [1]): RuleCase => ({ version: '2.1', mutate: (t) => Object.assign(first(t, table), values), rows });
const duplicateFirst = (table: TableName, change: Row = {}): RuleCase => ({
  version: '2.1',
  mutate: (t) => {
    Object.assign(first(t, table), change);
    t[table].push({ ...first(t, table) });
  },
  rows: [1, 2],
});

function badFormat(rule: Rule): string {
  const check = rule.check as Extract<Rule['check'], { kind: 'format' }>;
  if (check.format === 'timestamp') return 'not a timestamp';
  if (check.format === 'version') return 'x.y';
  if (check.format === 'yearMonthLoose') return 'Nov-23';
  const spec = itemSpec(rule.table as TableName, rule.fields[0]!)!;
  const f = spec.format;
  switch (f.kind) {
    case 'an':
      return 'X'.repeat(f.max + 1);
    case 'n':
      return 'A1';
    case 'date':
      return '2024-02-30';
    case 'datetime':
      return 'not a timestamp';
    case 'version':
      return 'x.y';
    case 'yearMonth':
      return 'Nov-23';
    case 'snomed':
      return '12';
    case 'score':
      return '123456';
    default:
      throw new Error(`${rule.code}: no bad value for format ${f.kind}`);
  }
}

function unlisted(rule: Rule): string {
  const check = rule.check as Extract<Rule['check'], { kind: 'codeList' }>;
  if (check.list === 'AssessmentTool') return '123456';
  const spec = itemSpec(rule.table as TableName, rule.fields[0]!)!;
  const id = typeof check.list === 'string' ? check.list : (check.list?.['2.1'] ?? spec.codeList!);
  const codes = new Set(codeList(id).values.map((v) => v.code));
  const f = spec.format;
  const fits = (v: string) => (f.kind === 'an' ? v.length <= f.max && v.length >= (f.min ?? 1) : true);
  return ['Q', 'QQ', 'QQQ', '9Q', 'Q9Q'].find((v) => !codes.has(v) && fits(v))!;
}

const CUSTOM: Record<string, RuleCase> = {
  IDSREJ001: { version: '2.1', mutate: (t) => void delete (t as Partial<Tables>).IDS202CareActivity, rows: [] },
  IDSREJ002: { version: '2.1', mutate: (t) => void (t.IDS000Header = []), rows: [] },
  IDSREJ003: { version: '2.1', mutate: (t) => void (t.IDS001MPI = []), rows: [] },
  IDSREJ004: { version: '2.1', mutate: (t) => void (t.IDS101Referral = []), rows: [] },
  IDSREJ005: { version: '2.1', mutate: (t) => void (t.IDS002GP = []), rows: [] },
  IDSREJ006: set('IDS001MPI', { NHSNumber: '9434765918' }),
  IDSREJ007: set('IDS001MPI', { Postcode: 'NOT A PC' }),
  IDSREJ008: set('IDS001MPI', { PersonBirthDate: '2024-06-15' }),
  IDSREJ009: { version: '2.1', mutate: (t) => void t.IDS001MPI.push({ ...first(t, 'IDS001MPI'), LocalPatientId: 'P2' }), rows: [1, 2] },
  IDSREJ010: { version: '2.1', mutate: (t) => void t.IDS001MPI.push({ ...first(t, 'IDS001MPI'), NHSNumber: '4010232137' }), rows: [1, 2] },
  IDSREJ012: {
    version: '2.1',
    mutate: (t) => {
      Object.assign(first(t, 'IDS101Referral'), { ServDischDate: '2024-04-25' });
      Object.assign(first(t, 'IDS201CareContact'), { CareContDate: '2024-04-25' });
    },
    rows: [],
  },
  IDSREJ015: { version: '2.1', mutate: (t) => void t.IDS000Header.push({ ...first(t, 'IDS000Header') }), rows: [1, 2] },
  IDSREJ101: set('IDS101Referral', { ServiceRequestId: '' }, []),
  IDSFMT01: {
    version: '2.1',
    mutate: (t) => Object.assign(first(t, 'IDS000Header'), { PrimSystemInUse: 'Systeme' }),
    afterWrite: (dir) => {
      const header = 'DatSetVer,OrgIDProv,OrgIDSubmit,PrimSystemInUse,ReportingPeriodStartDate,ReportingPeriodEndDate,DateTimeDatSetCreate\r\n';
      writeFileSync(join(dir, 'IDS000Header.csv'), Buffer.concat([Buffer.from(header + '2.1,RA1,RA1,Syst'), Buffer.from([0xe8]), Buffer.from('me,2024-05-01,2024-05-31,2024-06-05T09:00:00\r\n')]));
    },
    rows: [],
  },
  IDSFMT02: { version: '2.1', mutate: (t) => Object.assign(first(t, 'IDS101Referral'), { ExtraColumn: 'x' }), rows: [] },
  IDSFMT03: { version: '2.1', mutate: () => undefined, afterWrite: (dir) => appendFileSync(join(dir, 'IDS101Referral.csv'), 'R9,P1,00X\r\n'), rows: [2] },
  IDSFMT04: { version: '2.1', mutate: () => undefined, afterWrite: (dir) => writeFileSync(join(dir, 'notes.csv'), 'a,b\r\n1,2\r\n'), rows: [] },
  // A formula in an organisation code (it would name a group in the publication) and in free text.
  // A quote opened on data row 2 and never closed: the rest of the file cannot be read as rows, so the file is rejected.
  IDSFMT07: { version: '2.1', mutate: () => undefined, afterWrite: (dir) => appendFileSync(join(dir, 'IDS101Referral.csv'), 'R9,"P1,00X\r\n'), rows: [2] },
  // The same table saved by Excel as "Unicode text" (UTF-16 LE with its byte-order mark): read, with a warning.
  IDSFMT08: {
    version: '2.1',
    mutate: () => undefined,
    afterWrite: (dir) => {
      const path = join(dir, 'IDS101Referral.csv');
      writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(path, 'utf8'), 'utf16le')]));
    },
    rows: [],
  },
  IDSFMT05: set('IDS101Referral', { OrgIDComm: '=1+1' }),
  IDSFMT06: set('IDS000Header', { PrimSystemInUse: '=HYPERLINK("x")' }),
  IDS00003: set('IDS000Header', { DatSetVer: '3.0' }),
  IDS00004: set('IDS000Header', { DatSetVer: 'abc' }),
  IDS00005: { version: '2.0', mutate: () => undefined, rows: [1] },
  IDS00030: set('IDS000Header', { OrgIDProv: 'RZZ' }),
  IDS00033: set('IDS000Header', { OrgIDSubmit: 'RZZ' }),
  IDS00016: set('IDS000Header', { ReportingPeriodStartDate: '2024-04-01' }),
  IDS00019: set('IDS000Header', { ReportingPeriodEndDate: '2024-06-30' }),
  IDS00027: set('IDS000Header', { DateTimeDatSetCreate: '2024-07-01T00:00:00' }),
  IDS00145: { version: '2.1', mutate: (t) => void (t.IDS002GP = []), rows: [1] },
  IDS00146: { version: '2.1', mutate: (t) => void (t.IDS101Referral = []), rows: [1] },
  IDS00153: set('IDS001MPI', { OrgIDLocalPatientId: 'RB2' }),
  IDS00117: set('IDS001MPI', { NHSNumberStatus: '07' }),
  IDS00118: set('IDS001MPI', { NHSNumber: '', NHSNumberStatus: '' }),
  IDS00161: set('IDS001MPI', { NHSNumber: '' }),
  IDS00223: set('IDS002GP', { EndDateGMPRegistration: '2024-05-10' }),
  IDS00433: set('IDS004EmpStatus', { EmpSupportInd: '' }),
  IDS00435: set('IDS004EmpStatus', { EmpSupportReferral: '', EmpSupportDischargeDate: '' }),
  IDS00440: duplicateFirst('IDS004EmpStatus', { EmployStatusRecDate: '' }),
  IDS10142: set('IDS101Referral', { OnsetDate: '2023/11' }),
  IDS10141: set('IDS101Referral', { OnsetDate: '1979-01' }),
  IDS10137: set('IDS101Referral', { EndCode: '' }),
  IDS10129: set('IDS101Referral', { ServDischDate: '2024-04-28' }),
  IDS10138: set('IDS101Referral', { ServDischDate: '' }),
  IDS20169: { version: '2.1', mutate: (t) => void (t.IDS202CareActivity = []), rows: [1] },
  IDS20166: set('IDS201CareContact', { AttendOrDNACode: '2', Cancellation: '' }),
  IDS20167: set('IDS201CareContact', { Cancellation: 'Y' }),
  IDS20214: set('IDS202CareActivity', { FindSchemeInUse: '' }),
  IDS20216: set('IDS202CareActivity', { CodeFind: '' }),
  IDS20226: set('IDS202CareActivity', { ObsValue: '5', UnitMeasure: '' }),
  IDS60607: set('IDS606CodedScoreAssessmentRefer', { PersScore: '35' }),
  IDS60707: set('IDS607CodedScoreAssessmentAct', { PersScore: '35' }),
  IDS60615: set('IDS606CodedScoreAssessmentRefer', { PersScore: '1.5' }),
  IDS60711: set('IDS607CodedScoreAssessmentAct', { PersScore: '1.5' }),
  IDS90213: set('IDS902CarePersQual', { QualPlannedCompletionDate: '2016-01-01' }),
  IDS90214: set('IDS902CarePersQual', { QualAwardedDate: '' }),
};

const REFERENCE_VALUE = { organisation: 'ZZZ', postcode: 'ZZ9 9ZZ', gpPractice: 'Z99999', site: 'ZZZ99' } as const;

export function caseFor(rule: Rule): RuleCase {
  if (CUSTOM[rule.code]) return CUSTOM[rule.code]!;
  const table = rule.table as TableName;
  const field = rule.fields[0]!;
  const version = rule.versions?.length === 1 ? rule.versions[0]! : '2.1';
  const on = (value: string): RuleCase => ({ version, mutate: (t) => Object.assign(first(t, table), { [field]: value }), rows: [1] });
  const check = rule.check;
  switch (check.kind) {
    case 'blank':
      return on('');
    case 'format':
      if (check.format === 'icd10OrSnomed') {
        const scheme = table === 'IDS601MedHistPrevDiag' ? 'DiagSchemeInUse' : 'FindSchemeInUse';
        return { version, mutate: (t) => Object.assign(first(t, table), { [scheme]: '01', [field]: '12345' }), rows: [1] };
      }
      return on(badFormat(rule));
    case 'codeList':
      return on(unlisted(rule));
    case 'dateWindow': {
      if (typeof check.bound === 'object') return on('2004-12-31');
      if (check.op === '<') return on('2024-04-30');
      return on(check.offsetYears ? '2026-06-01' : check.offsetDays ? '2024-06-02' : '2024-06-01');
    }
    case 'comparison':
      return on('1900-01-02');
    case 'uniqueness':
      return duplicateFirst(table, check.onlyWhereBlank ? { [check.onlyWhereBlank]: '' } : {});
    case 'referential':
      return on('ORPHAN');
    case 'reference':
      return on(REFERENCE_VALUE[check.lookup]);
    case 'placeholder':
      return { ...on('99:99:99x'), absent: true };
    default:
      throw new Error(`${rule.code}: no test case for a ${check.kind} rule`);
  }
}
