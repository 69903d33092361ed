// The Access form: the generic sample databases fail the structure check naming what is missing; an IDB
// (given here as an in-memory table source, since nothing on this machine can write Access files) stages
// exactly like the CSV form.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnNames, TABLE_NAMES } from '../../src/dataset/index.js';
import { accessValueText, stageAccess, type DatabaseSource } from '../../src/intake/access.js';
import { openDb } from '../../src/core/db.js';
import { readSubmission } from '../../src/intake/index.js';
import { validateSubmission } from '../../src/validation/index.js';
import { baseTables, writeSubmission } from '../validation/fixture.js';

const SAMPLES = decodeURIComponent(new URL('../fixtures/access/', import.meta.url).pathname);
const root = mkdtempSync(join(tmpdir(), 'iapt-access-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Access intake', () => {
  it.each(['V2003-test.mdb', 'V2010-test.accdb', 'real-ASampleDatabase.accdb'])('rejects the generic sample %s with IDSREJ001 naming every missing table', async (name) => {
    const { report } = await validateSubmission(join(SAMPLES, name), { period: '2024-05' });
    expect(report.outcome).toBe('rejected');
    const structure = report.findings.filter((f) => f.code === 'IDSREJ001');
    expect(structure.map((f) => f.table).sort()).toEqual([...TABLE_NAMES].sort());
    expect(structure.find((f) => f.table === 'IDS000Header')!.examples[0]!.value).toBe('table IDS000Header is missing');
    expect(report.findings.find((f) => f.code === 'IDSFMT04')!.count).toBeGreaterThan(0);
  });

  it('stages an IDB table by table in pages, as the CSV form does', async () => {
    const tables = baseTables();
    tables.IDS607CodedScoreAssessmentAct = Array.from({ length: 25_001 }, (_, i) => ({ CareActId: 'A1', CodedAssToolType: '720433000', PersScore: String(i % 28) }));
    const source: DatabaseSource = {
      getTableNames: () => [...TABLE_NAMES, 'MSysObjectsLike'],
      getTable: (name) => {
        const rows = (tables as Record<string, Record<string, string>[]>)[name] ?? [];
        const dates = new Set(['ReportingPeriodStartDate', 'ReportingPeriodEndDate', 'PersonBirthDate']);
        return {
          rowCount: rows.length,
          getColumnNames: () => (name in tables ? columnNames(name as (typeof TABLE_NAMES)[number]) : ['x']),
          getData: ({ rowOffset, rowLimit }) =>
            rows.slice(rowOffset, rowOffset + rowLimit).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, dates.has(k) && v ? new Date(`${v}T00:00:00Z`) : v]))),
        };
      },
    };
    const access = await openDb();
    const csv = await openDb();
    try {
      const staged = await stageAccess(access, source);
      expect(staged.structureOk).toBe(true);
      expect(staged.findings).toEqual([{ code: 'IDSFMT04', table: 'File', row: null, field: null, value: 'MSysObjectsLike' }]);
      await readSubmission(csv, writeSubmission(join(root, 'same'), tables));
      for (const t of TABLE_NAMES) {
        const query = `SELECT * FROM stg_${t} ORDER BY _row`;
        expect(await access.all(query), t).toEqual(await csv.all(query));
      }
    } finally {
      access.close();
      csv.close();
    }
  });

  it('turns Access values into the text the CSV contract carries', () => {
    expect(accessValueText(new Date('2024-05-07T00:00:00Z'), 'date')).toBe('2024-05-07');
    expect(accessValueText(new Date('1899-12-30T10:15:00Z'), 'time')).toBe('10:15:00');
    expect(accessValueText(new Date('2024-06-05T09:00:00Z'), 'datetime')).toBe('2024-06-05T09:00:00');
    expect(accessValueText(45, 'integer')).toBe('45');
    expect(accessValueText(12n, 'string')).toBe('12');
    expect(accessValueText(null, 'string')).toBeNull();
  });
});
