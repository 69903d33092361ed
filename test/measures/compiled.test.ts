// What runs, and what it gives: for a few measures (the M192 recovery rate over M191, M076 and M179; the M086
// attended appointments; a V006 Ex-BAF category) the SQL compute.ts compiles, asserted as text, and its result on a
// small fixture whose answers are worked out by hand below; and the period's part of that SQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { aggregates } from '../../src/measures/compute.js';
import { bindPeriod, monthPeriod, quarterPeriod, yearPeriod } from '../../src/measures/periods.js';
import { VARIABLE_BREAKDOWNS } from '../../src/measures/variables.js';
import { ids, measure, type Row } from './fixture.js';

const MAY = monthPeriod('2024-05');
const IN_MAY = (date: string) => `(${date}) BETWEEN DATE '2024-05-01' AND DATE '2024-05-31'`;
const compiled = (...list: string[]) => Object.fromEntries(aggregates(ids(...list), MAY));

const finisher = (id: string, ended: string, flags: Row = {}): Row => ({ PathwayID: id, ServDischDate: ended, CompletedTreatment_Flag: true, ...flags });
const referrals: Row[] = [
  finisher('f1', '2024-05-10', { Recovery_Flag: true }),
  finisher('f2', '2024-05-20', { NotCaseness_Flag: true }),
  finisher('f3', '2024-05-31'),
  // Not counted: finished in April; ended in May without finishing; finished in May but not used for May.
  finisher('f4', '2024-04-30', { Recovery_Flag: true }),
  { PathwayID: 'f5', ServDischDate: '2024-05-15', Recovery_Flag: true },
  finisher('f6', '2024-05-12', { Recovery_Flag: true, UsePathway_Flag: false }),
];
const contact = (id: string, pathway: string, date: string, attendance: string): Row => ({ Unique_CareContactID: id, PathwayID: pathway, CareContDate: date, AttendOrDNACode: attendance });
const contacts: Row[] = [
  contact('c1', 'f1', '2024-05-02', '5'),
  contact('c2', 'f1', '2024-05-09', '6'), // attended late: M087, not M086
  contact('c3', 'f2', '2024-05-03', '3'),
  contact('c4', 'f2', '2024-04-30', '5'), // April
  contact('c5', 'f6', '2024-05-04', '5'), // a referral not used for May
  contact('c6', 'f3', '2024-05-31', '5'),
];

describe('M192 recovery rate: Σ M191 / (M076 − M179)', () => {
  it('compiles each term to a FILTERed count over finishers discharged in the period', () => {
    const finishedInMay = `${IN_MAY('d(ServDischDate)')} AND (CompletedTreatment_Flag`;
    expect(compiled('M192')).toEqual({
      referral: [
        ['M191', `count(*) FILTER (WHERE ${finishedInMay} AND (Recovery_Flag)))`],
        ['M076', `count(*) FILTER (WHERE ${finishedInMay}))`],
        ['M179', `count(*) FILTER (WHERE ${finishedInMay} AND (NotCaseness_Flag)))`],
      ],
    });
  });

  let result: Awaited<ReturnType<typeof measure>>;
  beforeAll(async () => {
    result = await measure({ referrals, contacts }, ids('M192', 'M086'));
  });

  it('counts f1–f3 as finishers (M076), f2 not at caseness (M179), f1 recovered (M191): 1 of 2 at caseness', () => {
    expect(result.value('M076')).toBe(3);
    expect(result.value('M179')).toBe(1);
    expect(result.value('M191')).toBe(1);
    expect(result.cell('M192')).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
  });

  it('M086 compiles to the attended-on-time code of May contacts, and counts c1 and c6', () => {
    expect(compiled('M086')).toEqual({ contact: [['M086', `count(*) FILTER (WHERE ${IN_MAY('d(CareContDate)')} AND (AttendOrDNACode = '5'))`]] });
    expect(result.value('M086')).toBe(2);
  });
});

describe('a breakdown category: V006 Ex British Armed Forces and Dependants', () => {
  const v006 = VARIABLE_BREAKDOWNS.find((v) => v.id === 'V006')!;

  it('compiles each category to a condition on ExBAFIndicator, the not stated one over the stated codes', () => {
    expect(v006.categories.map((c) => [c.a, c.when])).toEqual([
      ['Ex-services member', "ExBAFIndicator = '02'"],
      ['Not an ex-services member or their dependant', "ExBAFIndicator = '03'"],
      ['Dependant of an ex-services member', "ExBAFIndicator = '05'"],
      ['Not stated/Not known/Invalid', "((ExBAFIndicator IS NULL) OR (ExBAFIndicator NOT IN ('02', '03', '05')))"],
    ]);
  });

  it('counts May referrals (M001) by their person\'s indicator: ZZ and none are not stated, April\'s referral is not counted', async () => {
    const received = (id: string, person: string, date = '2024-05-06'): Row => ({ PathwayID: id, Person_ID: person, ReferralRequestReceivedDate: date });
    const people: Row[] = [
      { Person_ID: 'p1', ExBAFIndicator: '02' },
      { Person_ID: 'p2', ExBAFIndicator: '03' },
      { Person_ID: 'p3', ExBAFIndicator: 'ZZ' },
      { Person_ID: 'p4', ExBAFIndicator: null },
    ];
    // b4 first, so that DuckDB meets the not stated category before the others.
    const { cell, values } = await measure({ referrals: [received('b4', 'p4'), received('b3', 'p3'), received('b2', 'p2'), received('b1', 'p1'), received('b5', 'p1', '2024-04-30')], people }, ids('M001'), { breakdown: v006 });
    const count = (a: string) => cell('M001', 'England', 'all', 'all', a)?.value;
    expect(count('Ex-services member')).toBe(1);
    expect(count('Not an ex-services member or their dependant')).toBe(1);
    expect(count('Dependant of an ex-services member')).toBeUndefined();
    expect(count('Not stated/Not known/Invalid')).toBe(2);
    // The values come in the breakdown's category order (the order of the published rows), whatever DuckDB's.
    expect(values.filter((v) => v.groupType === 'England').map((v) => v.variableA)).toEqual(['Ex-services member', 'Not an ex-services member or their dependant', 'Not stated/Not known/Invalid']);
  });
});

describe('the period in the SQL', () => {
  it('fills $start and $end with DATE literals, and refuses any other placeholder', () => {
    expect(bindPeriod('d(ServDischDate) BETWEEN $start AND $end', MAY)).toBe("d(ServDischDate) BETWEEN DATE '2024-05-01' AND DATE '2024-05-31'");
    expect(() => bindPeriod('x <= $ending', MAY)).toThrow(/no value for \$ending/);
  });

  it('builds the use filter with the alias of the referral rows, or without one', () => {
    expect(MAY.useFilter('r')).toBe('r."UsePathway_Flag"');
    expect(quarterPeriod('2024-Q2').useFilter()).toBe('"UseQuarterReferral_Flag"');
    // April 2024 is Unique_MonthID 1489 (store/identifiers.ts): the year to September, 1489 to 1494.
    expect(yearPeriod('2024-25', '2024-09').useFilter('r')).toBe('r."Unique_MonthID" BETWEEN 1489 AND 1494');
  });

  it('takes a month as the data set writes reporting periods, YYYY-MM with a month 01–12', () => {
    expect(MAY).toMatchObject({ start: '2024-05-01', end: '2024-05-31', lastMonth: '2024-05' });
    expect(monthPeriod('2024-02').end).toBe('2024-02-29');
    for (const bad of ['2024-13', '2024-00', '2024-5', '24-05']) expect(() => monthPeriod(bad), bad).toThrow(/is not a month \(YYYY-MM\)/);
  });
});
