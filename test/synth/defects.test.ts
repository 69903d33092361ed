import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnNames, type TableName } from '../../src/dataset/index.js';
import { DEFECT_KINDS, FILE_DEFECT_KINDS, type Defect } from '../../src/synth/defects.js';
import { generate } from '../../src/synth/generate.js';
import { readSubmission } from '../helpers/submission.js';

const dir = mkdtempSync(join(tmpdir(), 'iapt-defects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const args = { providers: 2, months: '2024-04..2024-06', seed: '7', scale: 'small' as const, refresh: false, defects: 0.02 };

describe('the defect injector (--defects)', () => {
  const result = generate({ ...args, out: join(dir, 'with') });
  generate({ ...args, defects: 0, out: join(dir, 'clean') });
  const listed = JSON.parse(readFileSync(join(dir, 'with', 'defects.json'), 'utf8')) as Defect[];

  it('writes defects.json listing every injected defect with file, table, 1-based row, field and NHS code', () => {
    expect(listed).toEqual(result.defects);
    expect(listed.length).toBeGreaterThan(20);
    const codes = new Set([...DEFECT_KINDS, ...FILE_DEFECT_KINDS].map((k) => k.code));
    for (const d of listed) {
      expect(codes.has(d.code), d.code).toBe(true);
      expect(d.row).toBeGreaterThanOrEqual(1);
      expect(columnNames(d.table)).toContain(d.field);
    }
  });

  it('puts each listed value at the listed row and field, and leaves every other row as the clean generator wrote it', () => {
    const byFile = new Map<string, Defect[]>();
    for (const d of listed) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
    for (const [file, defects] of byFile) {
      const dirty = readSubmission(join(dir, 'with', file));
      const clean = readSubmission(join(dir, 'clean', file));
      for (const d of defects) {
        const row = dirty.get(d.table)!.rows[d.row - 1]!;
        expect(row[columnNames(d.table).indexOf(d.field)], `${file} ${d.table} row ${d.row}`).toBe(d.value);
      }
      for (const [table, { rows }] of dirty) {
        const touched = new Set(defects.filter((d) => d.table === table).map((d) => d.row - 1));
        rows.forEach((row, i) => {
          if (!touched.has(i)) expect(row).toEqual(clean.get(table as TableName)!.rows[i]);
        });
      }
    }
  });

  it('never puts two defects on one row, and is deterministic', () => {
    const keys = listed.map((d) => `${d.file}|${d.table}|${d.row}`);
    expect(new Set(keys).size).toBe(keys.length);
    const again = generate({ ...args, out: join(dir, 'again') });
    expect(again.defects).toEqual(listed);
  });
});
