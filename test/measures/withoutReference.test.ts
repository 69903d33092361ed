// Commissioner geography at publication (groups.ts withCommissionerGeography): the region and ICB derived by
// `iapt process --reference`, else looked up by publish in its own reference data from OrgIDComm, else UNKNOWN —
// the group NHS England publishes unresolved commissioners under (measures_annual: OrgCode/OrgName "UNKNOWN").
// Six hand-built referrals, five used for May 2024, counted (M001) per region and ICB by hand below.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { computeMeasures } from '../../src/measures/compute.js';
import { icbsOfSubIcbs, UNKNOWN_GEOGRAPHY, withCommissionerGeography } from '../../src/measures/groups.js';
import { monthPeriod } from '../../src/measures/periods.js';
import { resolutionText } from '../../src/measures/publish/metadata.js';
import { createSources } from '../../src/measures/sources.js';
import { createTable, ids, lookup, REFERRAL_DEFAULTS, type Row } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-geography-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const reference = join(root, 'reference');
beforeAll(() => {
  mkdirSync(reference);
  writeFileSync(join(reference, 'sub_icbs.csv'), 'sub_icb_code,sub_icb_name,icb_code\n00X,Sub-ICB X,QAA\n00Y,Sub-ICB Y,QBB\n');
  writeFileSync(join(reference, 'icbs.csv'), 'icb_code,icb_name,region_code\nQAA,ICB A,Y56\nQBB,ICB B,Y58\n');
  writeFileSync(join(reference, 'gp_practices.csv'), 'practice_code,practice_name,sub_icb_code,postcode,open_date,close_date\n');
});

const period = monthPeriod('2024-05');
const referral = (id: string, comm: string, region: string | null, icb: string | null, row: Row = {}): Row => ({
  PathwayID: id,
  Person_ID: `p-${id}`,
  ReferralRequestReceivedDate: '2024-05-10',
  OrgIDComm: comm,
  CommissioningRegion: region,
  OrgIDICBComm: icb,
  ...row,
});
const REFERRALS: Row[] = [
  referral('r1', '00X', 'Y56', 'QAA'), // processed with reference data
  referral('r2', ' 00y', null, null), // processed without; the look-up trims and upper-cases: 00Y → QBB → Y58
  referral('r3', '99Z', null, null), // unknown to the reference data
  referral('r4', '00X', null, null), // processed without: 00X → QAA → Y56
  referral('r5', '00Y', '', ''), // empty processed values count as none: 00Y → QBB → Y58
  referral('r6', '99Z', null, null, { UsePathway_Flag: false }), // not used for May: in no figure
];

async function publishGeography(rows: readonly Row[], referenceDir: string | undefined, dropColumns = false) {
  const db = await openDb();
  try {
    await createTable(db, 'ids101', rows, REFERRAL_DEFAULTS);
    if (dropColumns) await db.run('ALTER TABLE ids101 DROP COLUMN CommissioningRegion; ALTER TABLE ids101 DROP COLUMN OrgIDICBComm');
    const { relation, resolution } = await withCommissionerGeography(db, 'ids101', period.useFilter(), referenceDir);
    const units = await createSources(db, { IDS101Referral: relation }, period, []);
    const values = await computeMeasures(db, { definitions: ids('M001'), period, groups: ['England', 'CommissioningRegion', 'ICB', 'SubICB'], units });
    const counts = (group: string) => Object.fromEntries(values.filter((v) => v.groupType === group).map((v) => [v.org1, v.value]));
    return { resolution, region: counts('CommissioningRegion'), icb: counts('ICB'), england: lookup(values).value('M001'), icbOf: Object.fromEntries(await icbsOfSubIcbs(db)) };
  } finally {
    db.close();
  }
}

describe('commissioner geography at publication', () => {
  it('without reference data: the processed region and ICB, every other referral under UNKNOWN', async () => {
    const r = await publishGeography(REFERRALS, undefined);
    expect(r.england).toBe(5);
    // r1 is the only referral processed with reference data; r2–r5 are UNKNOWN.
    expect(r.region).toEqual({ Y56: 1, [UNKNOWN_GEOGRAPHY]: 4 });
    expect(r.icb).toEqual({ QAA: 1, [UNKNOWN_GEOGRAPHY]: 4 });
    expect(r.resolution).toEqual({ referrals: 5, processed: 1, atPublication: 0, unknown: 4, reference: false });
    expect(resolutionText('2024-05', r.resolution)).toBe('2024-05: derived by iapt process from organisation reference data; the others (a commissioner code unknown to the reference data) are under UNKNOWN.');
  });

  it('with reference data: the processed values kept, the missing ones looked up from OrgIDComm, an unknown code under UNKNOWN', async () => {
    const r = await publishGeography(REFERRALS, reference);
    expect(r.england).toBe(5);
    // Y56/QAA: r1 (processed), r4 (00X); Y58/QBB: r2 (" 00y"), r5 (00Y); UNKNOWN: r3 (99Z).
    expect(r.region).toEqual({ Y56: 2, Y58: 2, [UNKNOWN_GEOGRAPHY]: 1 });
    expect(r.icb).toEqual({ QAA: 2, QBB: 2, [UNKNOWN_GEOGRAPHY]: 1 });
    expect(r.resolution).toEqual({ referrals: 5, processed: 1, atPublication: 3, unknown: 1, reference: true });
    // The quarterly files' ICB beside each sub-ICB (by the code as submitted).
    expect(r.icbOf).toEqual({ '00X': 'QAA', ' 00y': 'QBB', '00Y': 'QBB', '99Z': UNKNOWN_GEOGRAPHY });
    expect(resolutionText('2024-05', r.resolution)).toBe(
      '2024-05: derived by iapt process from organisation reference data, and looked up by iapt publish in its --reference data where the processed data have none; the others (a commissioner code unknown to the reference data) are under UNKNOWN.',
    );
  });

  it('data processed before the organisation columns were always written (no such columns) publish too', async () => {
    const withoutReference = await publishGeography(REFERRALS, undefined, true);
    expect(withoutReference.region).toEqual({ [UNKNOWN_GEOGRAPHY]: 5 });
    expect(resolutionText('2024-05', withoutReference.resolution)).toBe('2024-05: every referral is under UNKNOWN (the data were processed without --reference and iapt publish was given no --reference).');
    const withReference = await publishGeography(REFERRALS, reference, true);
    // r1 is now looked up as well (00X → Y56).
    expect(withReference.region).toEqual({ Y56: 2, Y58: 2, [UNKNOWN_GEOGRAPHY]: 1 });
    expect(withReference.resolution).toEqual({ referrals: 5, processed: 0, atPublication: 4, unknown: 1, reference: true });
  });

  it('refuses reference data without the organisation files, as bad input', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await expect(publishGeography(REFERRALS, empty)).rejects.toMatchObject({ kind: 'input', message: expect.stringContaining(`${join(empty, 'sub_icbs.csv')} is missing`) });
  });
});
