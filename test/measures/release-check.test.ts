// check-release on hand-written monthly files: each offending cell is named by its line, also when a quoted
// field spans lines or the file has Windows line ends, and a percentage is checked against its own counts.
import { describe, expect, it } from 'vitest';
import { checkRelease } from '../../src/measures/release/check.js';
import { MONTHLY_HEADER } from '../../src/measures/publish/monthly.js';

const HEADER = MONTHLY_HEADER.join(',');
const row = (group: string, org: string, orgName: string, id: string, name: string, value: string) =>
  ['2024-04-01', '2024-04-30', group, org, orgName, 'NONE', 'NONE', id, name, value].join(',');

describe('check-release, monthly layout (M052, M053, M076)', () => {
  const clean = [
    HEADER,
    row('England', 'ENG', 'England', 'M076', 'Count_FinishedCourseTreatment', '1234'),
    row('Provider', 'RX1', 'Provider one', 'M076', 'Count_FinishedCourseTreatment', '20'),
    row('Provider', 'RX1', 'Provider one', 'M052', 'Count_AccessingServices6WeeksFinishedCourseTreatment', '15'),
    row('Provider', 'RX1', 'Provider one', 'M053', 'Percentage_AccessingServices6WeeksFinishedCourseTreatment', '75'),
  ];

  it('passes a file whose cells all follow nhs-tt', () => {
    const check = checkRelease(clean.join('\n') + '\n', 'nhs-tt');
    expect(check).toEqual({ layout: 'monthly', cells: 4, violations: [] });
  });

  it('names the line of an unrounded count and of a percentage over a suppressed numerator', () => {
    const lines = [...clean];
    lines[1] = row('Provider', 'RX2', '"Provider, two\nlines"', 'M076', 'Count_FinishedCourseTreatment', '12');
    lines.push(row('Provider', 'RX3', 'Provider three', 'M052', 'Count_AccessingServices6WeeksFinishedCourseTreatment', '*'));
    lines.push(row('Provider', 'RX3', 'Provider three', 'M053', 'Percentage_AccessingServices6WeeksFinishedCourseTreatment', '50'));
    const check = checkRelease(lines.join('\r\n') + '\r\n', 'nhs-tt');
    expect(check.cells).toBe(6);
    expect(check.violations.map((v) => [v.where.split(' ')[1], v.value, v.problem])).toEqual([
      ['2', '12', 'count not rounded to a multiple of 5'],
      ['8', '50', 'percentage published while its numerator is suppressed'],
    ]);
  });

  it("reports reporting period dates that are not a month's first and last day", () => {
    const shifted = (start: string, end: string) => [start, end, ...clean[1]!.split(',').slice(2)].join(',');
    const check = checkRelease([HEADER, shifted('2024-04-02', '2024-04-30'), shifted('2024-04-01', '2024-04-31'), shifted('2024-07-01', '2024-09-30')].join('\n'), 'nhs-tt');
    expect(check.violations.map((v) => [v.where.split(' ')[1], v.value, v.problem])).toEqual([
      ['2', '2024-04-02 2024-04-30', "reporting period dates are not a month's first and last day (YYYY-MM-DD)"],
      ['3', '2024-04-01 2024-04-31', "reporting period dates are not a month's first and last day (YYYY-MM-DD)"],
    ]);
  });

  it('reports a record with the wrong number of fields as structural', () => {
    const check = checkRelease([...clean, '2024-04-01,2024-04-30,Provider'].join('\n'), 'nhs-tt');
    expect(check.violations).toHaveLength(1);
    expect(check.violations[0]!.where).toMatch(/^line 6 /);
    expect(check.violations[0]!.problem).toBe('has 3 fields, not 10');
  });
});
