// A small submission with a handful of known defects, and the verdict worked out by hand from the NHS rules
// (the expected values below are not copied from the validator's output). Then the report's layout against two
// small committed files, which are written only on purpose:
//   UPDATE_GOLDEN=1 npx vitest run test/validation/golden.test.ts   (never under CI=true), then review the diff.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Defect } from '../../src/synth/defects.js';
import { generate } from '../../src/synth/generate.js';
import { validateSubmission } from '../../src/validation/index.js';
import type { ValidationReport } from '../../src/validation/report/types.js';
import { baseTables, PERIOD, PROVIDER, RECEIVED, writeReference, writeSubmission, type Tables } from './fixture.js';

const GOLDEN = new URL('../golden/validation/', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'iapt-golden-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The rule fixture (one patient, all tables valid for May 2024) with five defects. */
function withDefects(): Tables {
  const t = baseTables();
  const [patient, referral, contact, activity, score, complaint] = [t.IDS001MPI[0]!, t.IDS101Referral[0]!, t.IDS201CareContact[0]!, t.IDS202CareActivity[0]!, t.IDS607CodedScoreAssessmentAct[0]!, t.IDS603PresentingComplaints[0]!];
  // 1. Gender Q is not in the Gender code list (1, 2, 9, X).
  patient.Gender = 'Q';
  // 2. A second referral, received on 3 June 2024, after the end of the May period (not discharged, so nothing else about it fails).
  t.IDS101Referral.push({ ...referral, ServiceRequestId: 'R2', ReferralRequestReceivedDate: '2024-06-03', EndCode: '', ServDischDate: '' });
  // 3. A contact for referral R9, which the file does not have, with a care activity and a score of its own.
  t.IDS201CareContact.push({ ...contact, CareContactId: 'C2', ServiceRequestId: 'R9' });
  t.IDS202CareActivity.push({ ...activity, CareActId: 'A2', CareContactId: 'C2' });
  t.IDS607CodedScoreAssessmentAct.push({ ...score, CareActId: 'A2' });
  // 4. The presenting complaint submitted twice.
  t.IDS603PresentingComplaints.push({ ...complaint });
  return t;
}

let report: ValidationReport;
let reportDir: string;
beforeAll(async () => {
  reportDir = join(root, 'report');
  const submission = writeSubmission(join(root, 'submission'), withDefects());
  ({ report } = await validateSubmission(submission, { period: PERIOD, provider: PROVIDER, received: RECEIVED, referenceDir: writeReference(join(root, 'reference')), outDir: reportDir }));
});

describe('a submission with known defects', () => {
  it('has exactly the findings the NHS rules give, most severe first', () => {
    expect(report.findings.map((f) => ({ code: f.code, severity: f.severity, table: f.table, rows: f.examples.map((e) => e.row), count: f.count }))).toEqual([
      // IDS20142: contact C2's ServiceRequestId R9 has no valid IDS101 row; a group rejection.
      { code: 'IDS20142', severity: 'reject_group', table: 'IDS201CareContact', rows: [2], count: 1 },
      // IDS20224: activity A2's contact C2 was rejected, so it has no valid parent: the cascade.
      { code: 'IDS20224', severity: 'reject_group', table: 'IDS202CareActivity', rows: [2], count: 1 },
      // IDS60302: both complaint rows share ServiceRequestId + PresCompDate + PresComp; every row of the group fails.
      { code: 'IDS60302', severity: 'reject_group', table: 'IDS603PresentingComplaints', rows: [1, 2], count: 2 },
      // IDS60708: score of activity A2, rejected one level up: the cascade reaches the leaves.
      { code: 'IDS60708', severity: 'reject_group', table: 'IDS607CodedScoreAssessmentAct', rows: [2], count: 1 },
      // IDS10113: R2 was received after the RP end date (31 May 2024).
      { code: 'IDS10113', severity: 'reject_record', table: 'IDS101Referral', rows: [2], count: 1 },
      // IDS00131: Gender populated and not in its code list; a warning, so the patient is kept.
      { code: 'IDS00131', severity: 'warning', table: 'IDS001MPI', rows: [1], count: 1 },
    ]);
  });

  it('accepts the file, loading every row that no reject rule touched', () => {
    expect(report.outcome).toBe('accepted');
    const rejected = Object.fromEntries(report.tables.filter((t) => t.rejected > 0).map((t) => [t.table, [t.received, t.accepted, t.rejected]]));
    // [received, accepted, rejected]: R2; C2 and what hangs from it; both complaint rows (a group rule).
    expect(rejected).toEqual({
      IDS101Referral: [2, 1, 1],
      IDS201CareContact: [2, 1, 1],
      IDS202CareActivity: [2, 1, 1],
      IDS603PresentingComplaints: [2, 0, 2],
      IDS607CodedScoreAssessmentAct: [2, 1, 1],
    });
    expect(report.notRun).toEqual([]);
  });

  it('counts Gender Q as invalid in the data quality table, but R2 as valid: a date window is not a format', () => {
    const quality = (table: string, field: string) => report.dataQuality.find((q) => q.table === table && q.field === field);
    expect(quality('IDS001MPI', 'Gender')).toEqual({ table: 'IDS001MPI', field: 'Gender', valid: 0, default: 0, invalid: 1, missing: 0, denominator: 1 });
    expect(quality('IDS101Referral', 'ReferralRequestReceivedDate')).toEqual({ table: 'IDS101Referral', field: 'ReferralRequestReceivedDate', valid: 2, default: 0, invalid: 0, missing: 0, denominator: 2 });
  });
});

/** Compares with a committed file; writes it only with UPDATE_GOLDEN=1 and never under CI. */
function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1' && !process.env.CI) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(existsSync(path), `${path} is missing: write it with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('the report layout', () => {
  it('report.json keeps its keys, their order and their form (each list cut to two entries)', () => {
    const written = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as ValidationReport;
    const layout = {
      ...written,
      submission: { ...written.submission, file: 'SUBMISSION' },
      tables: written.tables.slice(0, 2),
      findings: written.findings.slice(0, 2),
      dataQuality: written.dataQuality.slice(0, 2),
    };
    golden('layout.report.json', JSON.stringify(layout, null, 2) + '\n');
  });

  it('findings.csv has one line per failing row and rule', () => {
    golden('layout.findings.csv', readFileSync(join(reportDir, 'findings.csv'), 'utf8'));
  });
});

describe('a synthetic month with injected defects', () => {
  it('finds every injected defect on its row with its code', async () => {
    const out = join(root, 'synth');
    const result = generate({ providers: 1, months: '2024-06..2024-06', seed: 'golden', out, scale: 'small', refresh: false, defects: 0.03 });
    const file = result.files[0]!;
    const { report } = await validateSubmission(join(out, file.path), { period: '2024-06', provider: file.provider, received: '2024-07-10T09:00:00', referenceDir: join(out, 'reference'), exampleLimit: 100_000 });
    expect(result.defects.length).toBeGreaterThan(5);
    for (const d of result.defects as Defect[]) {
      const finding = report.findings.find((f) => f.code === d.code && (d.severity === 'reject_file' || f.table === d.table));
      expect(finding, `${d.code} (${d.defect}) not found`).toBeDefined();
      if (d.severity !== 'reject_file') expect(finding!.examples.map((e) => e.row), `${d.code} row ${d.row}`).toContain(d.row);
    }
  });
});
