// Waits (catalogue/waits.ts) on hand-built referrals for May 2024 with known answers: band boundaries in
// days, snapshots at the period end (31 May 2024), first to second treatment and the waits of finishers.
import { describe, expect, it } from 'vitest';
import { quarterPeriod } from '../../src/measures/periods.js';
import { measure, type Row, ids } from './fixture.js';

/** The ISO date `n` days before `iso`. */
const daysBefore = (iso: string, n: number): string => new Date(Date.parse(iso) - n * 86_400_000).toISOString().slice(0, 10);
const END = '2024-05-31';
const referral = (id: string, row: Row): Row => ({ PathwayID: id, ReferralRequestReceivedDate: '2024-01-01', ...row });

describe('referral to first assessment (M024–M027)', () => {
  const assessedAfter = (wait: number, date = '2024-05-20') => referral(`a${wait}-${date}`, { Assessment_FirstDate: date, ReferralRequestReceivedDate: daysBefore(date, wait) });
  const referrals = [0, 28, 29, 56, 57, 90, 91].map((w) => assessedAfter(w)).concat(assessedAfter(10, '2024-04-30'), assessedAfter(10, '2024-06-01'));

  it('bands the wait of referrals first assessed in the period at 28/29, 56/57 and 90/91 days', async () => {
    const { value } = await measure({ referrals }, ids('M023', 'M024', 'M025', 'M026', 'M027'));
    expect(value('M023')).toBe(7);
    expect(value('M024')).toBe(2);
    expect(value('M025')).toBe(2);
    expect(value('M026')).toBe(2);
    expect(value('M027')).toBe(1);
  });
});

describe('referral to first treatment (M032–M035, M048, M049)', () => {
  const treatedAfter = (wait: number, date = '2024-05-20') => referral(`t${wait}-${date}`, { TherapySession_FirstDate: date, ReferralRequestReceivedDate: daysBefore(date, wait) });
  const referrals = [28, 29, 56, 57, 90, 91].map((w) => treatedAfter(w)).concat(treatedAfter(1000, '2024-04-30'), { ...treatedAfter(1000), PathwayID: 'unused', UsePathway_Flag: false });

  it('bands the wait of referrals entering treatment in the period, and gives its mean and median', async () => {
    const { value, cell } = await measure({ referrals }, ids('M032', 'M033', 'M034', 'M035', 'M048', 'M049'));
    expect(value('M032')).toBe(1);
    expect(value('M033')).toBe(2);
    expect(value('M034')).toBe(2);
    expect(value('M035')).toBe(1);
    expect(value('M048')).toBe((28 + 29 + 56 + 57 + 90 + 91) / 6);
    expect(value('M049')).toBe(56.5);
    expect(cell('M049')!.denominator).toBe(6);
  });
});

describe('waits of finishers (M050–M055)', () => {
  const endedAfter = (id: string, wait: number, row: Row = {}) =>
    referral(id, { ServDischDate: '2024-05-25', CompletedTreatment_Flag: true, TreatmentCareContact_Count: 2, TherapySession_FirstDate: '2024-05-01', ReferralRequestReceivedDate: daysBefore('2024-05-01', wait), ...row });
  const referrals: Row[] = [
    endedAfter('w10', 10),
    endedAfter('w42', 42),
    endedAfter('w43', 43),
    endedAfter('w126', 126),
    endedAfter('w127', 127),
    endedAfter('notFinished', 5, { CompletedTreatment_Flag: false, TreatmentCareContact_Count: 1 }),
    endedAfter('endedInApril', 5, { ServDischDate: '2024-04-30', TherapySession_FirstDate: '2024-04-01', ReferralRequestReceivedDate: '2024-03-27' }),
  ];

  it('gives the mean and median wait of finishers and the shares within 6 and 18 weeks', async () => {
    const { value } = await measure({ referrals }, ids('M050', 'M051', 'M052', 'M053', 'M054', 'M055'));
    expect(value('M050')).toBeCloseTo((10 + 42 + 43 + 126 + 127) / 5, 9);
    expect(value('M051')).toBe(43);
    expect(value('M052')).toBe(2);
    expect(value('M053')).toBe(40);
    expect(value('M054')).toBe(4);
    expect(value('M055')).toBe(80);
  });

  it('uses the quarter for the quarterly measures', async () => {
    const { value } = await measure({ referrals }, ids('M051', 'M053'), { period: quarterPeriod('2024-Q2') });
    // April to June: the April finisher (wait 5) joins.
    expect(value('M051')).toBe((42 + 43) / 2);
    expect(value('M053')).toBe(50);
  });
});

describe('first to second treatment (M046, M047, M121–M126)', () => {
  const secondAfter = (gap: number, date = '2024-05-20') => referral(`s${gap}-${date}`, { TherapySession_SecondDate: date, TherapySession_FirstDate: daysBefore(date, gap) });
  const referrals = [1, 28, 29, 90, 91].map((g) => secondAfter(g)).concat(secondAfter(100, '2024-04-30'), secondAfter(100, '2024-06-01'));

  it('bands the gap of referrals with a second treatment in the period at 28/29 and 90/91 days', async () => {
    const { value } = await measure({ referrals }, ids('M046', 'M047', 'M121', 'M122', 'M123', 'M124', 'M125', 'M126'));
    expect(value('M184')).toBe(5);
    expect(value('M121')).toBe(2);
    expect(value('M122')).toBe(2);
    expect(value('M046')).toBe(3);
    expect(value('M047')).toBe(1);
    expect(value('M123')).toBe(40);
    expect(value('M124')).toBe(60);
    expect(value('M125')).toBe(40);
    expect(value('M126')).toBe(20);
  });
});

describe('waiting lists at the period end (M029, M030, M038–M045)', () => {
  const waiting = (days: number, row: Row = {}) => referral(`w${days}`, { ReferralRequestReceivedDate: daysBefore(END, days), ...row });
  const referrals: Row[] = [
    waiting(0, { Assessment_FirstDate: '2024-05-31', TherapySession_FirstDate: '2024-06-05' }), // treated only after the period end
    waiting(14),
    waiting(15),
    waiting(30, { ServDischDate: '2024-06-03' }), // discharged only after the period end
    waiting(42),
    waiting(43, { Assessment_FirstDate: '2024-04-30' }),
    waiting(90),
    waiting(91),
    waiting(126),
    waiting(127),
    referral('discharged', { ReferralRequestReceivedDate: daysBefore(END, 20), ServDischDate: '2024-05-20' }),
    referral('treated', { ReferralRequestReceivedDate: daysBefore(END, 20), Assessment_FirstDate: '2024-05-10', TherapySession_FirstDate: '2024-05-10' }),
    referral('receivedInJune', { ReferralRequestReceivedDate: '2024-06-02' }),
    referral('unused', { ReferralRequestReceivedDate: daysBefore(END, 20), UsePathway_Flag: false }),
  ];
  const ALL = ['M029', 'M030', 'M038', 'M039', 'M040', 'M041', 'M042', 'M043', 'M044', 'M045'];

  it('counts open referrals not yet assessed or treated, banded by days since referral', async () => {
    const { value } = await measure({ referrals }, ids(...ALL));
    expect(value('M029')).toBe(8);
    expect(value('M030')).toBe(3);
    expect(value('M038')).toBe(10);
    expect(value('M039')).toBe(2);
    expect(value('M040')).toBe(3);
    expect(value('M041')).toBe(5);
    expect(value('M042')).toBe(6);
    expect(value('M043')).toBe(9);
    expect(value('M044')).toBe(1);
    expect(value('M045')).toBe(3);
  });

  it('counts the waiting list by provider', async () => {
    const { value } = await measure({ referrals: referrals.map((r, i) => ({ ...r, OrgID_Provider: i % 2 ? 'RB2' : 'RA1' })) }, ids('M038'));
    expect(value('M038', 'Provider', 'RA1')).toBe(5);
    expect(value('M038', 'Provider', 'RB2')).toBe(5);
  });
});

describe('open referrals with no activity (M019–M022)', () => {
  const lastTreated = (days: number, row: Row = {}) => referral(`l${days}`, { TherapySession_FirstDate: '2023-12-01', TherapySession_LastDate: daysBefore(END, days), ...row });
  const referrals: Row[] = [
    lastTreated(0),
    lastTreated(60),
    lastTreated(61),
    lastTreated(90),
    lastTreated(91),
    lastTreated(120),
    lastTreated(121),
    lastTreated(151, { ServDischDate: '2024-06-10' }), // discharged only after the period end
    lastTreated(100, { ServDischDate: '2024-05-15' }),
    referral('neverTreated', {}),
  ];

  it('bands days since the last treatment at 60/61, 90/91 and 120/121, leaving out the never treated', async () => {
    const { value } = await measure({ referrals }, ids('M019', 'M020', 'M021', 'M022'));
    expect(value('M019')).toBe(2);
    expect(value('M020')).toBe(2);
    expect(value('M021')).toBe(2);
    expect(value('M022')).toBe(2);
  });
});
