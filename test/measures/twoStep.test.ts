// Additive statistics (count, sum, mean, max, min, ratio) are computed per finest group (sub-ICB × provider) and then
// rolled up to every group type (compute.ts); medians over the rows. The values below are worked out by hand from the
// rows, for England and for groups that take rows from two finest groups, so a roll-up that dropped or double-counted
// a finest group, or averaged averages, would fail. The measures (catalogue): M089 Σ TreatmentCareContact_Count of
// finishers (CompletedTreatment_Flag, ServDischDate in the period), M141 its mean, M142 median, M143 max, M144 min,
// M351 Σ days from first to last treatment / Σ (treatment contacts − 1) over finishers with more than one.
// Submitted dates are parsed once by createSources (sources.ts): the NHS date form with a midnight time counts, a
// blank of spaces or a malformed date does not.
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { createSources } from '../../src/measures/sources.js';
import { monthPeriod } from '../../src/measures/periods.js';
import { createTable, ids, measure, REFERRAL_DEFAULTS, type Row } from './fixture.js';

const finisher = (id: string, subIcb: string, provider: string, contacts: number, first: string, last: string, ended = '2024-05-15'): Row => ({
  PathwayID: id,
  OrgIDComm: subIcb,
  OrgID_Provider: provider,
  ServDischDate: ended,
  CompletedTreatment_Flag: true,
  TreatmentCareContact_Count: contacts,
  TherapySession_FirstDate: first,
  TherapySession_LastDate: last,
});

const referrals: Row[] = [
  finisher('a1', '00X', 'RA1', 2, '2024-03-01', '2024-03-21'), // 20 days
  finisher('a2', '00X', 'RA1', 6, '2024-01-01', '2024-03-01'), // 60 days
  finisher('a3', '00X', 'RA2', 3, '2024-02-01', '2024-02-21'), // 20 days
  finisher('a4', '00Y', 'RA2', 9, '2024-01-10', '2024-04-29'), // 110 days
  finisher('a5', '00Y', 'RA2', 1, '2024-04-01', '2024-04-01'), // one contact: not in M351
  finisher('a7', '00Y', 'RA1', 4, '2024-04-01', '2024-04-16', '2024-05-15 00:00:00'), // 15 days; midnight time part
  finisher('a6', '00Y', 'RA1', 50, '2024-04-01', '2024-04-30', '   '), // blank end date: not a May finisher
  finisher('a8', '00Y', 'RA1', 70, '2024-04-01', '2024-04-30', '2024-5-15'), // malformed end date: not one either
  { PathwayID: 'a9', OrgIDComm: '00Z', OrgID_Provider: 'RA3' }, // no finisher at RA3: its statistics are undefined
];

describe('additive statistics rolled up from sub-ICB × provider groups', () => {
  let result: Awaited<ReturnType<typeof measure>>;
  beforeAll(async () => {
    result = await measure({ referrals }, ids('M089', 'M141', 'M142', 'M143', 'M144', 'M351'));
  });

  it('England: contacts 2, 6, 3, 9, 1, 4 of six May finishers (a6 and a8 not counted)', () => {
    expect(result.value('M089')).toBe(25);
    expect(result.value('M141')).toBeCloseTo(25 / 6, 12);
    expect(result.value('M142')).toBe(3.5);
    expect(result.value('M143')).toBe(9);
    expect(result.value('M144')).toBe(1);
    // (20 + 60 + 20 + 110 + 15) / (1 + 5 + 2 + 8 + 3)
    expect(result.value('M351')).toBeCloseTo(225 / 19, 12);
  });

  it('provider RA2 from two sub-ICBs: a3, a4, a5', () => {
    expect(result.value('M089', 'Provider', 'RA2')).toBe(13);
    expect(result.value('M141', 'Provider', 'RA2')).toBeCloseTo(13 / 3, 12);
    expect(result.value('M142', 'Provider', 'RA2')).toBe(3);
    expect(result.value('M143', 'Provider', 'RA2')).toBe(9);
    expect(result.value('M144', 'Provider', 'RA2')).toBe(1);
    expect(result.value('M351', 'Provider', 'RA2')).toBe(13); // (20 + 110) / (2 + 8)
  });

  it('sub-ICB 00Y from two providers: a4, a5, a7', () => {
    expect(result.value('M089', 'SubICB', '00Y')).toBe(14);
    expect(result.value('M141', 'SubICB', '00Y')).toBeCloseTo(14 / 3, 12);
    expect(result.value('M142', 'SubICB', '00Y')).toBe(4);
    expect(result.value('M351', 'SubICB', '00Y')).toBeCloseTo(125 / 11, 12);
  });

  it('provider RA3, with no finisher: a row whose statistics are undefined (null), and no contacts counted', () => {
    for (const id of ['M141', 'M142', 'M143', 'M144', 'M351']) expect(result.cell(id, 'Provider', 'RA3')).toMatchObject({ value: null });
    expect(result.cell('M089', 'Provider', 'RA3')?.value ?? null).toBeNull();
  });

  it('one finest group, 00X × RA1: a1, a2', () => {
    expect(result.value('M089', 'SubICB/Provider', '00X', 'RA1')).toBe(8);
    expect(result.value('M141', 'SubICB/Provider', '00X', 'RA1')).toBe(4);
    expect(result.value('M143', 'SubICB/Provider', '00X', 'RA1')).toBe(6);
    expect(result.value('M144', 'SubICB/Provider', '00X', 'RA1')).toBe(2);
    expect(result.value('M351', 'SubICB/Provider', '00X', 'RA1')).toBeCloseTo(80 / 6, 12);
  });
});

describe('submitted dates in the sources', () => {
  it('are DATE columns after createSources, and d() refuses text that was not parsed', async () => {
    const db = await openDb();
    try {
      await createTable(db, 'ids101', referrals, REFERRAL_DEFAULTS);
      await createSources(db, { IDS101Referral: 'ids101' }, monthPeriod('2024-05'), []);
      const rows = await db.all(`SELECT PathwayID, CAST(ServDischDate AS VARCHAR) AS ended, typeof(ServDischDate) AS type FROM m_referral ORDER BY PathwayID`);
      expect(rows.map((r) => [r.PathwayID, r.ended])).toEqual([
        ['a1', '2024-05-15'],
        ['a2', '2024-05-15'],
        ['a3', '2024-05-15'],
        ['a4', '2024-05-15'],
        ['a5', '2024-05-15'],
        ['a6', null],
        ['a7', '2024-05-15'],
        ['a8', null],
        ['a9', null],
      ]);
      expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['DATE']));
      await expect(db.all(`SELECT d(OrgIDComm) FROM m_referral`)).rejects.toThrow(/Binder Error/);
    } finally {
      db.close();
    }
  });
});
