import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/validation/report/html.js';
import type { ReportFinding, ValidationReport } from '../../src/validation/report/types.js';

const HOSTILE = `<script>alert(1)</script>"&'`;
const HOSTILE_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;';

function finding(overrides: Partial<ReportFinding>): ReportFinding {
  return {
    code: 'IDS00000',
    severity: 'reject_record',
    table: 'IDS101Referral',
    field: 'ReferralRequestReceivedDate',
    count: 1,
    message: 'A message.',
    examples: [{ row: 1, key: 'R1', value: 'x' }],
    ...overrides,
  };
}

const accepted: ValidationReport = {
  dataset: { name: 'IAPT', version: '2.1' },
  submission: {
    file: `submission-${HOSTILE}.csv`,
    sha256: 'ab'.repeat(32),
    provider: 'RXX',
    reportingPeriodStart: '2025-04-01',
    reportingPeriodEnd: '2025-04-30',
    received: '2025-05-10T09:00:00Z',
  },
  outcome: 'accepted',
  tables: [
    { table: 'IDS000Header', received: 1, accepted: 1, rejected: 0 },
    { table: 'IDS101Referral', received: 12_345, accepted: 12_342, rejected: 3 },
  ],
  findings: [
    finding({
      code: 'IDS11001',
      severity: 'warning',
      count: 2,
      message: 'Warning message.',
      examples: [
        { row: 4, key: 'R4', value: null },
        { row: 5, key: 'R5', value: '' },
      ],
    }),
    finding({
      code: 'IDS10101',
      severity: 'reject_record',
      count: 3,
      message: `Bad value ${HOSTILE}`,
      examples: [
        { row: 1, key: `R1 | ${HOSTILE}`, value: HOSTILE },
        { row: 2, key: 'R2', value: '2025-13-01' },
      ],
    }),
    finding({ code: 'IDS11002', severity: 'warning', count: 5, examples: [{ row: 7, key: 'R7', value: 'y' }] }),
  ],
  dataQuality: [
    { table: 'IDS101Referral', field: 'ReferralRequestReceivedDate', valid: 2, default: 0, invalid: 1, missing: 0, denominator: 3 },
    { table: 'IDS101Referral', field: 'SourceOfReferralMH', valid: 0, default: 0, invalid: 0, missing: 0, denominator: 0 },
  ],
  exampleLimit: 2,
  notRun: [{ code: 'IDS00030', table: 'File', fields: ['OrgIDProv', 'OrgIDSubmit'], reason: 'no submitting organisation given (--provider)' }],
  submittedVersion: '2.0',
};

const rejected: ValidationReport = {
  ...accepted,
  submission: { ...accepted.submission, sha256: '', provider: null },
  outcome: 'rejected',
  findings: [
    finding({ code: 'IDS11001', severity: 'warning' }),
    finding({ code: 'IDS00001', severity: 'reject_file', table: 'File', field: null, examples: [{ row: null, key: '', value: null }] }),
    finding({ code: 'IDS20001', severity: 'reject_group' }),
  ],
  notRun: [],
  submittedVersion: '2.1',
};

const headingAt = (html: string, heading: string) => html.search(new RegExp(`<h3[^>]*>${heading.replace(/[()]/g, '\\$&')}</h3>`));

describe('renderReportHtml', () => {
  it('puts the verdict with its numbers before the findings', () => {
    const html = renderReportHtml(accepted);
    const verdict = html.indexOf('>Accepted</p>');
    const sentence = html.indexOf(
      'The submission can be loaded. 3 records were rejected and will not be loaded; 7 warnings do not stop loading.',
    );
    expect(verdict).toBeGreaterThan(0);
    expect(sentence).toBeGreaterThan(verdict);
    expect(html.indexOf('id="findings"')).toBeGreaterThan(sentence);

    const rejectedHtml = renderReportHtml(rejected);
    const rejectedVerdict = rejectedHtml.indexOf(
      "The whole submission was rejected: fix the problems marked 'Whole file rejected' and submit again.",
    );
    expect(rejectedHtml).toContain('>Rejected</p>');
    expect(rejectedVerdict).toBeGreaterThan(0);
    expect(rejectedVerdict).toBeLessThan(rejectedHtml.indexOf('id="findings"'));
  });

  it('groups findings by severity in order and leaves out empty groups', () => {
    const html = renderReportHtml(rejected);
    const file = headingAt(html, 'Whole file rejected');
    const group = headingAt(html, 'Records rejected with everything that depends on them');
    const warning = headingAt(html, 'Warnings (records kept)');
    expect(file).toBeGreaterThan(0);
    expect(group).toBeGreaterThan(file);
    expect(warning).toBeGreaterThan(group);
    expect(headingAt(html, 'Records rejected')).toBe(-1);

    const acceptedHtml = renderReportHtml(accepted);
    expect(headingAt(acceptedHtml, 'Whole file rejected')).toBe(-1);
    expect(headingAt(acceptedHtml, 'Records rejected with everything that depends on them')).toBe(-1);
    expect(headingAt(acceptedHtml, 'Warnings (records kept)')).toBeGreaterThan(headingAt(acceptedHtml, 'Records rejected'));
  });

  it('says so when there are no findings', () => {
    expect(renderReportHtml({ ...accepted, findings: [] })).toContain('No problems found.');
    expect(renderReportHtml(accepted)).not.toContain('No problems found.');
  });

  it('escapes every value taken from the report', () => {
    const html = renderReportHtml(accepted);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain(HOSTILE);
    // The file name (twice: title and facts), the message, the example key and the example value.
    expect(html.split(HOSTILE_ESCAPED).length - 1).toBe(5);
  });

  it('notes when a finding shows fewer examples than rows, and the example cap', () => {
    const html = renderReportHtml(accepted);
    expect(html).toContain('Showing the first 2 of 3 rows; findings.csv lists them all.');
    expect(html).toContain('Showing the first 1 of 5 rows; findings.csv lists them all.');
    expect(html).not.toContain('Showing the first 2 of 2 rows');
    expect(html).toContain('at most 2 example rows');
  });

  it('shows the facts, counts with separators and the rules not run', () => {
    const html = renderReportHtml(accepted);
    expect(html).toContain('2.0 (read as v2.0 and uplifted to v2.1)');
    expect(html).toContain('2025-04-01 – 2025-04-30');
    expect(html).toContain('<td class="num">12,345</td>');
    expect(html).toMatch(/<tr class="attention"><th scope="row">IDS101Referral<\/th>/);
    expect(html).toContain('OrgIDProv, OrgIDSubmit');
    expect(html).toContain('Rules not run');
    expect(renderReportHtml(rejected)).not.toContain('Rules not run');
  });

  it('computes valid % to one decimal place, with a dash for an empty denominator', () => {
    const html = renderReportHtml(accepted);
    expect(html).toMatch(/ReferralRequestReceivedDate<\/th>.*<td class="num">66\.7<\/td><\/tr>/);
    expect(html).toMatch(/SourceOfReferralMH<\/th>.*<td class="num">—<\/td><\/tr>/);
  });

  it('renders the same report to the same bytes', () => {
    expect(renderReportHtml(accepted)).toBe(renderReportHtml(structuredClone(accepted)));
    expect(renderReportHtml(rejected)).toBe(renderReportHtml(rejected));
  });
});
