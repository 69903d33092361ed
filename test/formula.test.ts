// Formula injection (OWASP "CSV injection"), across the platform: the one rule (src/core/formula.ts) in
// TypeScript and in SQL; validation flags formula-like submitted values (IDSFMT05 rejects the record of a code
// or identifier, IDSFMT06 warns on free text); and every CSV the platform writes (findings.csv, the provider
// extract, the publication files) puts a single quote before them, leaving numbers such as -12 alone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formulaLikeSql, isFormulaLike, neutraliseCell, neutraliseSql } from '../src/core/formula.js';
import { csvColumns } from '../src/extracts/provider.js';
import { openDb } from '../src/core/db.js';
import { literal as lit } from '../src/core/sql.js';
import { parseCsv } from '../src/intake/csvText.js';
import { TOTAL } from '../src/measures/breakdowns.js';
import { measureById } from '../src/measures/catalogue/index.js';
import type { MeasureValue } from '../src/measures/compute.js';
import { monthPeriod, quarterPeriod } from '../src/measures/periods.js';
import { annualFile } from '../src/measures/publish/annual.js';
import { metadataFile } from '../src/measures/publish/metadata.js';
import { monthlyFile } from '../src/measures/publish/monthly.js';
import { quarterlyFile } from '../src/measures/publish/quarterly.js';
import { checkRelease } from '../src/measures/release/check.js';
import { validateSubmission } from '../src/validation/index.js';
import { baseTables, PERIOD, PROVIDER, RECEIVED, writeSubmission } from './validation/fixture.js';
import { readRows } from './helpers/db.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-formula-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HYPERLINK = '=HYPERLINK("x")';
/** [text, formula-like?] */
const CASES: [string, boolean][] = [
  [HYPERLINK, true],
  ['=1+1', true],
  ['+44 20 7946 0000', true],
  ['-', true],
  ['-inf', true],
  ['- 5', true],
  ['@SUM(A1)', true],
  ['\t=1', true],
  ['\rx', true],
  ['-12', false],
  ['+44', false],
  ['-12.5', false],
  ['+.5', false],
  ['-1e3', false],
  ['12', false],
  ['RA1', false],
  ['a=b', false],
  [' =1', false],
  ['*', false],
  ['', false],
];

describe('the formula rule', () => {
  it('flags text starting with =, +, -, @, tab or CR unless it is a number, and quotes it', () => {
    for (const [text, formula] of CASES) {
      expect(isFormulaLike(text), JSON.stringify(text)).toBe(formula);
      expect(neutraliseCell(text), JSON.stringify(text)).toBe(formula ? `'${text}` : text);
    }
  });

  it('says the same in SQL as in TypeScript', async () => {
    const db = await openDb();
    try {
      const values = CASES.map(([t], i) => `(${i}, ${lit(t)})`).join(', ');
      const rows = await readRows<{ i: number; formula: boolean; safe: string }>(db, `SELECT i, ${formulaLikeSql('t')} AS formula, ${neutraliseSql('t')} AS safe FROM (VALUES ${values}) v(i, t) ORDER BY i`);
      expect(rows.map((r) => [r.formula, r.safe])).toEqual(CASES.map(([t, f]) => [f, neutraliseCell(t)]));
      expect((await readRows<{ x: boolean | null }>(db, `SELECT ${formulaLikeSql('NULL::VARCHAR')} AS x`))[0]!.x).toBeNull();
    } finally {
      db.close();
    }
  });
});

describe('validation: IDSFMT05 and IDSFMT06', () => {
  it('rejects a referral whose commissioner code is a formula, warns on free text, leaves numbers alone, and writes findings.csv neutralised', async () => {
    const tables = baseTables();
    tables.IDS101Referral.push({ ...tables.IDS101Referral[0]!, ServiceRequestId: 'R2' });
    Object.assign(tables.IDS101Referral[0]!, { OrgIDComm: '=1+1' });
    Object.assign(tables.IDS000Header[0]!, { PrimSystemInUse: HYPERLINK });
    Object.assign(tables.IDS607CodedScoreAssessmentAct[0]!, { PersScore: '-12' }); // a number: not a formula (out of range, though)
    Object.assign(tables.IDS202CareActivity[0]!, { ObsValue: '-12' });
    const out = join(root, 'report');
    const { report } = await validateSubmission(writeSubmission(join(root, 'submission'), tables), { period: PERIOD, provider: PROVIDER, received: RECEIVED, outDir: out });
    const found = (code: string) => report.findings.filter((f) => f.code === code).map((f) => [f.severity, f.table, f.field, f.examples.map((e) => e.value)]);
    expect(found('IDSFMT05')).toEqual([['reject_record', 'IDS101Referral', 'OrgIDComm', ['=1+1']]]);
    expect(found('IDSFMT06')).toEqual([['warning', 'IDS000Header', 'PrimSystemInUse', [HYPERLINK]]]);
    // The referral is not loaded, so its code can never name a group in a publication.
    expect(report.outcome).toBe('accepted');
    expect(report.tables.find((t) => t.table === 'IDS101Referral')).toMatchObject({ received: 2, rejected: 1 });
    expect(report.tables.find((t) => t.table === 'IDS000Header')).toMatchObject({ received: 1, rejected: 0 });

    const csv = readFileSync(join(out, 'findings.csv'), 'utf8');
    const rows = parseCsv(csv.trimEnd());
    const value = (code: string) => rows.find((r) => r[0] === code)![6];
    expect(value('IDSFMT05')).toBe("'=1+1");
    expect(value('IDSFMT06')).toBe(`'${HYPERLINK}`);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    // Every submitted value in the file is safe; a number such as -12 is written as it is.
    expect(rows.slice(1).filter((r) => isFormulaLike(r[5]!) || isFormulaLike(r[6]!))).toEqual([]);
    expect(rows.filter((r) => r[2] === 'IDS607CodedScoreAssessmentAct').map((r) => r[6])).toContain('-12');
  });
});

describe('CSV writers', () => {
  it('the provider extract (DuckDB COPY) neutralises its text columns and leaves numbers, other types and NULL alone', async () => {
    const db = await openDb();
    try {
      await db.run(`CREATE TABLE t AS SELECT * FROM (VALUES ('b', ${lit(HYPERLINK)}, '-12', -12, NULL::VARCHAR), ('a', '@x', '+44', 3, 'ok')) v(ServiceRequestId, Name, Code, Score, Note)`);
      const path = join(root, 'extract.csv');
      await db.run(`COPY (SELECT ${await csvColumns(db, 'SELECT * FROM t')} FROM (SELECT * FROM t) s ORDER BY s.ServiceRequestId) TO ${lit(path)} (HEADER, DELIMITER ',')`);
      expect(readFileSync(path, 'utf8')).toBe(`ServiceRequestId,Name,Code,Score,Note\na,'@x,+44,3,ok\nb,"'=HYPERLINK(""x"")",-12,-12,\n`);
    } finally {
      db.close();
    }
  });

  const m001 = measureById('M001')!;
  const value = (org: string): MeasureValue => ({ groupType: 'Provider', org1: org, org2: 'all', variableA: 'NULL', variableB: 'NULL', measure: m001, value: 10 });
  const names = new Map([[HYPERLINK, '-12']]);

  it('the monthly file neutralises codes and names, and still passes the release check', () => {
    const text = monthlyFile([value(HYPERLINK)], monthPeriod('2024-05'), names, 'nhs-tt', new Set(['M001']));
    expect(text.split('\n')[1]).toBe(`2024-05-01,2024-05-31,Provider,all,all SubICBs,"'=HYPERLINK(""x"")",-12,M001,${m001.name},10`);
    expect(checkRelease(text, 'nhs-tt').violations).toEqual([]);
  });

  it('the quarterly file neutralises codes and names, and still passes the release check', () => {
    const text = quarterlyFile([value(HYPERLINK)], quarterPeriod('2024-Q2'), { names, icbOfSubIcb: new Map() }, 'nhs-tt', new Set(['M001']), ['Provider']);
    expect(text.split('\n')[1]).toContain(`"All_SubICB","null","'=HYPERLINK(""x"")","-12","Provider"`);
    expect(checkRelease(text, 'nhs-tt').violations).toEqual([]);
  });

  it('the annual file neutralises codes and names, and still passes the release check', () => {
    const total = { ...value(HYPERLINK), variableA: TOTAL.categories[0]!.a, variableB: TOTAL.categories[0]!.b };
    const text = annualFile([total], [TOTAL], names, 'nhs-tt');
    expect(text.split('\n')[1]).toMatch(/^Provider,"'=HYPERLINK\(""x""\)",-12,/);
    expect(checkRelease(text, 'nhs-tt').violations).toEqual([]);
  });

  it('the metadata file neutralises every field', () => {
    const text = metadataFile([{ ...m001, note: HYPERLINK }]);
    expect(text.split('\n')[1]!.endsWith(`,"'=HYPERLINK(""x"")"`)).toBe(true);
  });
});
