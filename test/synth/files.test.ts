// The synthetic submissions honour the CSV contract and the data set: every table, the spec's columns,
// valid codes and formats, unique keys, resolvable foreign keys and the date-window rules.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeList, columnNames, isValidNhsNumber, POSTCODE_PATTERN, TABLE_NAMES, TABLES, toolBySnomed } from '../../src/dataset/index.js';
import { generate } from '../../src/synth/generate.js';
import { readSubmission } from '../helpers/submission.js';

let dir: string;
const args = { providers: 3, months: '2024-04..2024-09', seed: '1', scale: 'small' as const, refresh: true, defects: 0 };

function zips(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.zip'))
    .sort();
}

function sums(root: string): Record<string, string> {
  return Object.fromEntries(zips(root).map((f) => [f, createHash('sha256').update(readFileSync(join(root, f))).digest('hex')]));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iapt-synth-'));
  generate({ ...args, out: join(dir, 'a') });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('iapt synth output', () => {
  it('writes one Primary and one Refresh zip per provider and month, in the documented layout', () => {
    const files = zips(join(dir, 'a'));
    expect(files).toHaveLength(36);
    for (const f of files) expect(f).toMatch(/^([A-Z0-9]{3,5})\/(2024-0[4-9])\/\1_\2_(primary|refresh)\.zip$/);
    const reference = readdirSync(join(dir, 'a', 'reference')).sort();
    expect(reference).toEqual(['gp_practices.csv', 'icbs.csv', 'organisations.csv', 'postcodes.csv', 'providers.csv', 'regions.csv', 'sites.csv', 'sub_icbs.csv']);
  });

  it('is byte-identical when run again with the same arguments, and differs with another seed', () => {
    generate({ ...args, out: join(dir, 'b') });
    expect(sums(join(dir, 'b'))).toEqual(sums(join(dir, 'a')));
    expect(readFileSync(join(dir, 'b', 'manifest.json'), 'utf8')).toBe(readFileSync(join(dir, 'a', 'manifest.json'), 'utf8'));
    generate({ ...args, refresh: false, seed: '2', out: join(dir, 'c') });
    const other = sums(join(dir, 'c'));
    const first = Object.keys(other)[0]!;
    expect(other[first]).not.toBe(sums(join(dir, 'a'))[first]);
  });

  it('holds all 21 tables with the spec columns as the header, in every zip', () => {
    for (const f of zips(join(dir, 'a'))) {
      const sub = readSubmission(join(dir, 'a', f));
      expect([...sub.keys()]).toEqual([...TABLE_NAMES]);
      for (const t of TABLE_NAMES) {
        expect(sub.get(t)!.header).toEqual(columnNames(t));
        for (const row of sub.get(t)!.rows) expect(row.length).toBe(columnNames(t).length);
      }
    }
  });

  describe('every Primary and Refresh file', () => {
    it('uses only listed codes, fits the formats, and keeps keys unique and resolvable', () => {
      // Every cell is checked; what fails is collected and compared once (an expect per cell takes ~20 s here).
      const problems: string[] = [];
      const fail = (ok: boolean, message: string) => void (ok || problems.push(message));
      const codes = new Map<string, Set<string>>();
      const codesOf = (list: string) => codes.get(list) ?? codes.set(list, new Set(codeList(list).values.map((x) => x.code))).get(list)!;
      for (const f of zips(join(dir, 'a'))) {
        const sub = readSubmission(join(dir, 'a', f));
        const header = sub.get('IDS000Header')!.rows;
        expect(header).toHaveLength(1);
        const [rpStart, rpEnd] = [header[0]![4]!, header[0]![5]!];
        for (const spec of TABLES) {
          const { rows } = sub.get(spec.name)!;
          const keys = new Set<string>();
          const keyColumns = spec.uniqueKey.map((k) => spec.items.findIndex((i) => i.name === k));
          for (const [r, row] of rows.entries()) {
            const where = `${f} ${spec.name} row ${r + 1}`;
            spec.items.forEach((it, c) => {
              const v = row[c]!;
              if (v === '') {
                fail(it.mandation !== 'M', `${where} ${it.name} blank`);
                return;
              }
              if (it.codeList) fail(codesOf(it.codeList).has(v), `${where} ${it.name}=${v} not in ${it.codeList}`);
              const fmt = it.format;
              if (fmt.kind === 'an' || fmt.kind === 'n') {
                fail(v.length <= fmt.max && v.length >= (fmt.min ?? 1), `${where} ${it.name}=${v} length`);
                if (fmt.kind === 'n') fail(/^\d+$/.test(v), `${where} ${it.name}=${v} not a number`);
              }
              if (fmt.kind === 'date') fail(/^\d{4}-\d{2}-\d{2}$/.test(v), `${where} ${it.name}=${v} not a date`);
              if (fmt.kind === 'nhsNumber') fail(isValidNhsNumber(v), `${where} NHS number ${v}`);
              if (fmt.kind === 'postcode') fail(POSTCODE_PATTERN.test(v), `${where} postcode ${v}`);
            });
            if (keyColumns.length > 0) {
              const key = keyColumns.map((c) => row[c]).join('|');
              fail(!keys.has(key), `${where} duplicate key ${key}`);
              keys.add(key);
            }
          }
          if (spec.parent) {
            const parent = sub.get(spec.parent.table)!;
            const pcol = columnNames(spec.parent.table).indexOf(spec.parent.item);
            const parentKeys = new Set(parent.rows.map((row) => row[pcol]));
            const col = columnNames(spec.name).indexOf(spec.parent.item);
            for (const row of rows) fail(parentKeys.has(row[col]!), `${f} ${spec.name} orphan ${row[col]}`);
          }
        }
        // Date windows (IDS20170/IDS20108, IDS60618/IDS60610): each month's file holds only that month's contacts and assessments.
        for (const c of sub.get('IDS201CareContact')!.rows) fail(c[2]! >= rpStart && c[2]! <= rpEnd, `${f} contact ${c[0]} on ${c[2]}`);
        for (const a of sub.get('IDS606CodedScoreAssessmentRefer')!.rows) fail(a[3]! >= rpStart && a[3]! <= rpEnd, `${f} assessment ${a[0]} on ${a[3]}`);
        for (const r of sub.get('IDS101Referral')!.rows) {
          fail(r[3]! <= rpEnd, `${f} referral ${r[0]} received ${r[3]}`);
          if (r[8]) fail(r[8] >= r[3]! && r[8] <= rpEnd, `${f} referral ${r[0]} discharged ${r[8]}`);
        }
        // Scores are in the tool's range.
        for (const sc of sub.get('IDS607CodedScoreAssessmentAct')!.rows) {
          const tool = toolBySnomed(sc[1]!);
          fail(tool !== undefined, `${f} unknown tool ${sc[1]}`);
          if (tool && tool.score.kind !== 'coded') fail(Number(sc[2]) >= tool.score.min && Number(sc[2]) <= tool.score.max, `${f} ${tool.name} score ${sc[2]} out of range`);
        }
        // Every patient has a GP registration (IDS00145) and a referral (IDS00146).
        const gp = new Set(sub.get('IDS002GP')!.rows.map((r) => r[0]));
        const referred = new Set(sub.get('IDS101Referral')!.rows.map((r) => r[1]));
        for (const p of sub.get('IDS001MPI')!.rows) fail(gp.has(p[0]!) && referred.has(p[0]!), `${f} patient ${p[0]} without a GP or a referral`);
      }
      expect(problems.slice(0, 20)).toEqual([]);
    });
  });

  it('re-submits open referrals every month until discharged', () => {
    const file = (period: string, type: string) => {
      const provider = zips(join(dir, 'a'))[0]!.split('/')[0]!;
      return readSubmission(join(dir, 'a', provider, period, `${provider}_${period}_${type}.zip`)).get('IDS101Referral')!.rows;
    };
    // April as corrected by its Refresh: a discharge recorded late shows only there.
    const april = file('2024-04', 'refresh');
    const may = new Set(file('2024-05', 'primary').map((r) => r[0]));
    const stillOpen = april.filter((r) => r[8] === '');
    expect(stillOpen.length).toBeGreaterThan(10);
    for (const r of stillOpen) expect(may.has(r[0]!), `open referral ${r[0]} missing in May`).toBe(true);
  });

  it('carries in the Refresh what was recorded late, so Refresh files differ from Primary', () => {
    const provider = zips(join(dir, 'a'))[0]!.split('/')[0]!;
    const primary = readSubmission(join(dir, 'a', provider, '2024-06', `${provider}_2024-06_primary.zip`));
    const refresh = readSubmission(join(dir, 'a', provider, '2024-06', `${provider}_2024-06_refresh.zip`));
    expect(refresh.get('IDS201CareContact')!.rows.length).toBeGreaterThan(primary.get('IDS201CareContact')!.rows.length);
  });
});
