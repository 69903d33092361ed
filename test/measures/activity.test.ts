// Referrals by source, first assessment and treatment, and endings (catalogue/activity.ts) on hand-built
// referrals for May 2024 with known answers.
import { beforeAll, describe, expect, it } from 'vitest';
import { codeList } from '../../src/dataset/index.js';
import { ACTIVITY } from '../../src/measures/catalogue/activity.js';
import { measure, type Row, ids } from './fixture.js';

const referral = (id: string, row: Row): Row => ({ PathwayID: id, ReferralRequestReceivedDate: '2024-05-10', ...row });

describe('referrals by source (M001–M018, M287, M345)', () => {
  const SOURCE_MEASURES = ['M002', 'M003', 'M004', 'M005', 'M006', 'M007', 'M008', 'M009', 'M010', 'M011', 'M012', 'M013', 'M014', 'M017', 'M018', 'M287', 'M345'];
  // One May referral per source code of the spec (with the v2.1 codes N4 and Q1 the NHS constructions name).
  const codes = codeList('SourceOfReferral').values.map((v) => v.code);
  const referrals: Row[] = [
    ...codes.map((code) => referral(`r${code}`, { SourceOfReferralIAPT: code })),
    referral('none', { SourceOfReferralIAPT: null }),
    referral('april', { SourceOfReferralIAPT: 'B1', ReferralRequestReceivedDate: '2024-04-30' }),
    referral('june', { SourceOfReferralIAPT: 'B1', ReferralRequestReceivedDate: '2024-06-01' }),
    referral('unused', { SourceOfReferralIAPT: 'B1', UsePathway_Flag: false }),
  ];

  let value: Awaited<ReturnType<typeof measure>>['value'];
  beforeAll(async () => {
    ({ value } = await measure({ referrals }, ids('M001', ...SOURCE_MEASURES)));
  });

  it('counts referrals received in the period by source group, as each NHS construction lists the codes', () => {
    expect(value('M001')).toBe(codes.length + 1);
    const expected: Record<string, number> = {
      M002: 1, // B1
      M003: 1, // A1
      M004: 1, // A2
      M005: 1, // A3
      M006: 1, // B2
      M007: 3, // C1–C3
      M008: 2, // D1, D2
      M009: 6, // E1–E6
      M010: 3, // F1–F3
      M011: 4, // G1–G4
      M012: 2, // H1, H2
      M013: 2, // I1, I2
      M014: 1, // P1
      M017: 8, // M1–M8
      M018: 3, // N1, N2, N4
      M287: 1, // Q1
      M345: 1, // A4
    };
    for (const id of SOURCE_MEASURES) expect(value(id), id).toBe(expected[id]);
  });

  it('counts every source code of the spec in exactly one source measure', () => {
    expect(SOURCE_MEASURES.reduce((sum, id) => sum + value(id)!, 0)).toBe(codes.length);
  });
});

describe('endings by end code (M056–M072, M340–M344)', () => {
  const BY_CODE: [string, string][] = [
    ['M057', '10'],
    ['M058', '11'],
    ['M059', '12'],
    ['M060', '13'],
    ['M061', '14'],
    ['M340', '16'],
    ['M062', '17'],
    ['M063', '95'],
    ['M066', '46'],
    ['M344', '47'],
    ['M341', '48'],
    ['M069', '49'],
    ['M342', '50'],
    ['M070', '96'],
  ];
  const ended = (id: string, code: string | null, date = '2024-05-15') => referral(id, { EndCode: code, ServDischDate: date });
  const referrals: Row[] = [
    ...BY_CODE.map(([, code]) => ended(`e${code}`, code)),
    ended('invalid99', '99'),
    ended('invalid1', '1'),
    ended('noCode', null),
    ended('firstDay', '46', '2024-05-01'),
    ended('lastDay', '46', '2024-05-31'),
    ended('april', '10', '2024-04-30'),
    ended('june', '10', '2024-06-01'),
    referral('open', { EndCode: '10' }),
    { ...ended('unused', '10'), UsePathway_Flag: false },
  ];

  let value: Awaited<ReturnType<typeof measure>>['value'];
  beforeAll(async () => {
    ({ value } = await measure({ referrals }, ids('M056', 'M071', 'M072', ...BY_CODE.map(([id]) => id))));
  });

  it('counts referrals ended in the period with each end code, invalid codes and none', () => {
    expect(value('M056')).toBe(BY_CODE.length + 5);
    for (const [id, code] of BY_CODE) expect(value(id), `${id} (${code})`).toBe(code === '46' ? 3 : 1);
    expect(value('M071')).toBe(2);
    expect(value('M072')).toBe(1);
  });

  it('accounts for every ended referral once across the end code measures (every spec code has its measure)', () => {
    const codes = codeList('EndCode').values.map((v) => v.code);
    expect(BY_CODE.map(([, code]) => code).sort()).toEqual([...codes].sort());
    expect([...BY_CODE.map(([id]) => id), 'M071', 'M072'].reduce((sum, id) => sum + value(id)!, 0)).toBe(value('M056'));
  });
});

describe('endings by how far the referral got (M028, M073–M081, M141, M153, M288)', () => {
  const ended = (id: string, row: Row): Row => referral(id, { ServDischDate: '2024-05-20', ReferralRequestReceivedDate: '2024-03-01', ...row });
  const referrals: Row[] = [
    ended('notSeen', {}),
    ended('seenNotTreated', { CareContact_Count: 1, Assessment_FirstDate: '2024-04-10' }),
    ended('treatedOnce', { CareContact_Count: 2, TreatmentCareContact_Count: 1, Assessment_FirstDate: '2024-04-10', TherapySession_FirstDate: '2024-04-20' }),
    ended('finished4', { CareContact_Count: 5, TreatmentCareContact_Count: 4, CompletedTreatment_Flag: true, Assessment_FirstDate: '2024-03-10', TherapySession_FirstDate: '2024-03-20' }),
    ended('finished2', { CareContact_Count: 3, TreatmentCareContact_Count: 2, CompletedTreatment_Flag: true, Assessment_FirstDate: '2024-03-10', TherapySession_FirstDate: '2024-03-20' }),
    // Treatment appointments only: no assessment date, so it ended "before assessment" as the NHS counts it.
    ended('finishedUnassessed', { CareContact_Count: 3, TreatmentCareContact_Count: 3, CompletedTreatment_Flag: true, TherapySession_FirstDate: '2024-03-20' }),
    ended('aprilFinisher', { ServDischDate: '2024-04-30', CareContact_Count: 9, TreatmentCareContact_Count: 9, CompletedTreatment_Flag: true, TherapySession_FirstDate: '2024-03-20' }),
    ended('aprilNotSeen', { ServDischDate: '2024-04-30' }),
    referral('open', { TherapySession_FirstDate: '2024-05-02', TreatmentCareContact_Count: 1, CareContact_Count: 1 }),
  ];

  let value: Awaited<ReturnType<typeof measure>>['value'];
  beforeAll(async () => {
    ({ value } = await measure({ referrals }, ids('M056', 'M028', 'M073', 'M074', 'M075', 'M076', 'M153', 'M141', 'M077', 'M078', 'M079', 'M080', 'M081', 'M288')));
  });

  it('counts ended referrals by contacts and treatments', () => {
    expect(value('M056')).toBe(6);
    expect(value('M028')).toBe(2);
    expect(value('M073')).toBe(1);
    expect(value('M074')).toBe(1);
    expect(value('M075')).toBe(1);
    expect(value('M076')).toBe(3);
    expect(value('M153')).toBe(2);
    expect(value('M141')).toBe(3);
  });

  it('gives the shares of endings', () => {
    expect(value('M077')).toBeCloseTo((100 * 2) / 6, 6);
    expect(value('M078')).toBeCloseTo(100 / 6, 6);
    expect(value('M079')).toBe(50);
    expect(value('M080')).toBeCloseTo((100 * 4) / 6, 6);
    // Of the 4 ended after a first treatment: 3 finished, 1 treated once.
    expect(value('M081')).toBe(75);
    expect(value('M288')).toBe(25);
  });

  it('gives a share with no endings as undefined', async () => {
    const none = await measure({ referrals: referrals.filter((r) => r.ServDischDate !== '2024-05-20') }, ids('M077', 'M081', 'M288'));
    expect(none.value('M077')).toBeNull();
    expect(none.value('M081')).toBeNull();
    expect(none.value('M288')).toBeNull();
  });
});

describe('first assessment, access and second treatment (M023, M031, M036, M037, M184)', () => {
  const referrals: Row[] = [
    referral('wait42', { ReferralRequestReceivedDate: '2024-03-20', Assessment_FirstDate: '2024-05-01', TherapySession_FirstDate: '2024-05-01', TherapySession_SecondDate: '2024-05-15' }),
    referral('wait43', { ReferralRequestReceivedDate: '2024-03-19', Assessment_FirstDate: '2024-05-31', TherapySession_FirstDate: '2024-05-01' }),
    referral('wait126', { ReferralRequestReceivedDate: '2024-01-01', Assessment_FirstDate: '2024-04-30', TherapySession_FirstDate: '2024-05-06' }),
    referral('wait127', { ReferralRequestReceivedDate: '2023-12-31', Assessment_FirstDate: '2024-06-01', TherapySession_FirstDate: '2024-05-06' }),
    referral('secondInMay', { ReferralRequestReceivedDate: '2024-03-01', TherapySession_FirstDate: '2024-04-30', TherapySession_SecondDate: '2024-05-31' }),
    referral('secondInJune', { ReferralRequestReceivedDate: '2024-03-01', TherapySession_FirstDate: '2024-04-30', TherapySession_SecondDate: '2024-06-01' }),
    referral('unused', { UsePathway_Flag: false, Assessment_FirstDate: '2024-05-10', TherapySession_FirstDate: '2024-05-10', TherapySession_SecondDate: '2024-05-12' }),
  ];

  it('counts first assessments, first and second treatments in the period, with the 6- and 18-week bounds', async () => {
    const { value } = await measure({ referrals }, ids('M023', 'M031', 'M036', 'M037', 'M184'));
    expect(value('M023')).toBe(2);
    expect(value('M031')).toBe(4);
    expect(value('M036')).toBe(1);
    expect(value('M037')).toBe(3);
    expect(value('M184')).toBe(2);
  });
});

it('defines every activity measure over a date in the period', () => {
  // Snapshot measures (no date) live in waits.ts; an activity measure without a date would count all time.
  for (const m of ACTIVITY) if (m.statistic !== 'percentage' && m.statistic !== 'total') expect(m.date, m.id).toBeDefined();
});
