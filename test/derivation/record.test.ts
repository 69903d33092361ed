// Record-level derivations: validated codes, organisation look-ups, IMD quartile, care-cluster flags.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivePeriod } from '../../src/derivation/index.js';
import { openDb } from '../../src/core/db.js';
import { literal } from '../../src/core/sql.js';
import { validatedCodeSql, validatedEthnicSql } from '../../src/derivation/record.js';
import { buildNational, readDerived, readTable } from './builder.js';
import { readRows } from '../helpers/db.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-record-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dir = join(root, 'national');

beforeAll(async () => {
  const reference = join(root, 'reference');
  mkdirSync(reference);
  writeFileSync(join(reference, 'sub_icbs.csv'), 'sub_icb_code,sub_icb_name,icb_code\n00X,Sub-ICB X,QAA\n');
  writeFileSync(join(reference, 'icbs.csv'), 'icb_code,icb_name,region_code\nQAA,ICB A,Y56\n');
  writeFileSync(join(reference, 'gp_practices.csv'), 'practice_code,practice_name,sub_icb_code,postcode,open_date,close_date\nA81001,Practice,00X,LS1 4AP,2000-01-01,\n');
  await buildNational(dir, [{ id: 'p', received: '2024-05-01' }]);
  await derivePeriod(dir, '2024-05', reference);
});

async function evaluate(sql: string): Promise<unknown> {
  const db = await openDb();
  try {
    return (await readRows<{ v: unknown }>(db, `SELECT ${sql} AS v`))[0]!.v;
  } finally {
    db.close();
  }
}

describe('record-level derivations', () => {
  it.each([
    ['01', 'F32.1', 'F321'],
    ['01', 'f33', 'F33X'],
    ['01', 'F10.0', 'F100'],
    ['01', '12345', '-3'],
    ['04', '83482000', '83482000'],
  ])('Validated_PresentingComplaint: scheme %s code %s → %s', async (scheme, code, expected) => {
    expect(await evaluate(validatedCodeSql(literal(scheme), literal(code)))).toBe(expected);
  });

  it.each([
    ['A', 'A'],
    ['', '-1'],
    ['0', '-1'],
    ['9', '99'],
    ['99', '99'],
    ['Q', '-3'],
  ])('Validated_EthnicCategory: %s → %s', async (code, expected) => {
    expect(await evaluate(validatedEthnicSql(literal(code)))).toBe(expected);
  });

  it('derives the commissioning region and ICB of the commissioner, and the GP practice’s sub-ICB and ICB', async () => {
    expect((await readDerived(dir)).get('p')).toMatchObject({ CommissioningRegion: 'Y56', OrgIDICBComm: 'QAA' });
    expect(await readTable(dir, 'IDS002GP')).toEqual([
      { Person_ID: 'U1', GMPCodeReg: 'A81001', OrgIDSubICBLocGP: '00X', OrgIDICBGPPractice: 'QAA' },
      { Person_ID: 'U2', GMPCodeReg: 'Z99999', OrgIDSubICBLocGP: null, OrgIDICBGPPractice: null },
    ]);
  });

  it('derives the ICB of residence, the IMD quartile and the validated ethnic category on IDS001', async () => {
    const people = await readTable(dir, 'IDS001MPI');
    expect(people.map((p) => [p.Person_ID, p.Validated_EthnicCategory, p.IndicesOfDeprivationQuartile, p.OrgIDICBRes])).toEqual([
      ['U1', 'A', 2, 'QAA'],
      ['U2', '99', 4, null],
      ['U3', '-3', null, null],
    ]);
  });

  it('flags care clusters started, ended or open in the period, with their day count in it', async () => {
    const clusters = await readTable(dir, 'IDS803CareCluster');
    expect(clusters.map((c) => [c.Person_ID, c.CareCluster_StartedInRP_Flag, c.CareCluster_EndedInRP_Flag, c.CareCluster_OpenAtRPEnd_Flag, c.CareCluster_DayCount])).toEqual([
      ['U1', true, false, true, 22],
      ['U2', false, true, false, 20],
    ]);
  });
});
