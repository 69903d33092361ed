// `iapt publish` and `iapt check-release` end to end through the CLI on a small synthetic data set
// (synth → submit → process with derivations → publish, once, in beforeAll), and the release checker on tampered
// copies of the published files. Each test reads only what beforeAll made, so any one can run alone.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, sha256OfFile } from '../../src/core/release/manifest.js';
import { derivePeriod } from '../../src/derivation/index.js';
import { parseCsv } from '../../src/intake/csvText.js';
import { measureById } from '../../src/measures/catalogue/index.js';
import { processPeriod } from '../../src/linkage/process.js';
import { submit } from '../../src/store/submit.js';
import { run } from '../helpers/cli.js';
import { receivedFor, synthMonths } from '../store/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-publish-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const synth = join(root, 'synth');
const data = join(root, 'data');
const out = join(root, 'out');
const reference = join(synth, 'reference');

const QUARTERLY_HEADER =
  '"REPORTING_PERIOD_START","REPORTING_PERIOD_END","ICB","ICBName","SubICB","SubICBName","Provider","ProviderName","GroupType","VariableType","VariableA","VariableB","MEASURE_ID","MEASURE_NAME","MEASURE_VALUE_SUPPRESSED"\n';
const MONTHLY_HEADER = 'REPORTING_PERIOD_START,REPORTING_PERIOD_END,GROUP_TYPE,ORG_CODE1,ORG_NAME1,ORG_CODE2,ORG_NAME2,MEASURE_ID,MEASURE_NAME,MEASURE_VALUE_SUPPRESSED\n';

let submitted = 0;
let published: Awaited<ReturnType<typeof run>>;
beforeAll(async () => {
  const months = synthMonths(synth, '2024-04..2024-06', 2);
  for (const f of months.files) expect((await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary'), referenceDir: reference })).status).toBe('stored');
  submitted = months.files.length;
  await processPeriod({ dataDir: data, period: '2024-06', referenceDir: reference, afterLink: (folder) => derivePeriod(folder, '2024-06', reference) });
  published = await run('publish', '--data', data, '--period', '2024-06', '--quarter', '2024-Q2', '--year', '2024-25', '--reference', reference, '--out', out);
}, 120_000);

const csv = (file: string) => parseCsv(readFileSync(join(out, file), 'utf8').trimEnd());

describe('iapt publish', () => {
  it('writes the month, quarter and year-to-date files, metadata and summary, and prints the headline', () => {
    const r = published;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Recovery rate/);
    const monthly = readFileSync(join(out, 'iapt-monthly-2024-06.csv'), 'utf8');
    expect(monthly.startsWith(MONTHLY_HEADER)).toBe(true);
    const rows = csv('iapt-monthly-2024-06.csv').slice(1);
    expect(new Set(rows.map((x) => x[2]))).toEqual(new Set(['England', 'CommissioningRegion', 'ICB', 'SubICB', 'Provider', 'SubICB/Provider']));
    expect(rows.every((x) => x[0] === '2024-06-01' && x[1] === '2024-06-30')).toBe(true);
    // Names come from the reference data; England is "all".
    expect(rows.find((x) => x[2] === 'England')!.slice(3, 7)).toEqual(['all', 'all SubICBs', 'all', 'all Providers']);
    expect(rows.find((x) => x[2] === 'Provider')![6]).toMatch(/Synthetic/);
    // Every sub-national count is * or a multiple of 5, at least 5.
    for (const x of rows.filter((y) => y[2] !== 'England' && y[8]!.startsWith('Count_'))) expect(x[9] === '*' || (Number(x[9]) % 5 === 0 && Number(x[9]) >= 5), x.join(',')).toBe(true);
    // Quarterly: three files in NHS England's quarterly layout (header byte-identical, every field quoted), each
    // with England and its group types, the Total and the variables V001–V015; only the measures published quarterly.
    const families: [string, string[]][] = [
      ['icb-subicb', ['England', 'CommissioningRegion', 'ICB', 'SubICB']],
      ['provider', ['England', 'Provider']],
      ['subicb-provider', ['England', 'SubICB-Provider']],
    ];
    for (const [part, groups] of families) {
      const text = readFileSync(join(out, `iapt-quarterly-${part}-2024-Q2.csv`), 'utf8');
      expect(text.startsWith(QUARTERLY_HEADER)).toBe(true);
      expect(text.split('\n')[1]).toMatch(/^"2024-04-01","2024-06-30","All_ICB","null","All_SubICB","null","All_Provider","null","England","Total","Total","null","M001","Count_ReferralsReceived","\d+"$/);
      const rows = csv(`iapt-quarterly-${part}-2024-Q2.csv`).slice(1);
      expect(new Set(rows.map((x) => x[8]))).toEqual(new Set(groups));
      expect(new Set(rows.map((x) => x[9])).size, 'Total and V001–V015').toBe(16);
      expect(rows.some((x) => x[12] === 'M002')).toBe(false);
    }
    const quarterly = csv('iapt-quarterly-icb-subicb-2024-Q2.csv').slice(1);
    // A sub-ICB row carries its ICB (from the reference data) beside it; a region sits in the ICB columns.
    const subIcb = quarterly.find((x) => x[8] === 'SubICB')!;
    expect(subIcb.slice(2, 8)).toEqual([expect.stringMatching(/^Q/), expect.stringMatching(/Integrated Care Board/), expect.any(String), expect.stringMatching(/Sub-ICB Location/), 'All_Provider', 'null']);
    expect(quarterly.find((x) => x[8] === 'CommissioningRegion')!.slice(2, 4)).toEqual(['Y56', 'London']);
    const pair = csv('iapt-quarterly-subicb-provider-2024-Q2.csv').find((x) => x[8] === 'SubICB-Provider')!;
    expect(pair[7]).toMatch(/Synthetic Talking Therapies Service/);
    const england = (file: string, id: string) => Number(csv(file).find((x) => x[2] === 'England' && x[7] === id)![9]);
    const englandQuarter = (id: string, type = 'Total') => quarterly.filter((x) => x[8] === 'England' && x[9] === type && x[12] === id).map((x) => Number(x[14]));
    expect(englandQuarter('M001')[0]).toBeGreaterThan(england('iapt-monthly-2024-06.csv', 'M001'));
    // Age Group's categories, disjoint and complete, add up to the total.
    const ages = englandQuarter('M001', 'Age Group');
    expect(ages.length).toBeGreaterThan(1);
    expect(ages.reduce((sum, n) => sum + n, 0)).toBe(englandQuarter('M001')[0]);
    // The annual file: every organisation × every category; the England total finishers equal the quarter's (April–June = year to date).
    const annual = csv('iapt-annual-main-2024-25-to-2024-06.csv');
    expect(annual[0]!.slice(0, 7)).toEqual(['OrgType', 'OrgCode', 'OrgName', 'VariableType', 'VariableA', 'VariableB', 'Count_ReferralsReceived']);
    const total = annual.find((x) => x[0] === 'England' && x[3] === 'Total')!;
    expect(Number(total[annual[0]!.indexOf('Count_FinishedCourseTreatment')])).toBe(englandQuarter('M076')[0]);
    // The breakdowns of NHS England's 2024-25 file (test/measures/annualLayout.test.ts), in its order.
    expect([...new Set(annual.slice(1).map((x) => x[3]))]).toEqual([
      'Total',
      'Age Group',
      'Consultation Medium',
      'Disability Type',
      'Ethnic Group',
      'BME Group',
      'Gender',
      'Indices of Deprivation Decile',
      'Long Term Condition Status',
      'Mental Health Care Cluster',
      'Presenting Complaint',
      'Religion',
      'Sexual Orientation Type',
      'Stepped Care Pathway',
      'Waiting Time',
    ]);
    // Every referral in one care cluster category (the processed IDS803 read through the careCluster source).
    const received = annual[0]!.indexOf('Count_ReferralsReceived');
    const clusters = annual.filter((x) => x[0] === 'England' && x[3] === 'Mental Health Care Cluster');
    expect(clusters).toHaveLength(10);
    expect(clusters.reduce((sum, x) => sum + Number(x[received]), 0)).toBe(Number(total[received]));
    // NULL where the row does not hold the column: a waiting-time band's referrals received.
    const band = annual.find((x) => x[0] === 'England' && x[3] === 'Waiting Time' && x[5] === '<6 weeks')!;
    expect(band[annual[0]!.indexOf('Count_ReferralsReceived')]).toBe('NULL');
    const meta = readFileSync(join(out, 'iapt-measures-metadata.csv'), 'utf8');
    expect(meta.split('\n')[0]).toBe('MEASURE_ID,MEASURE_NAME,STATISTIC,FREQUENCY,DESCRIPTION,CONSTRUCTION,NOTE');
    expect(meta).toMatch(/^M192,Percentage_Recovery,percentage,/m);
    const publication = JSON.parse(readFileSync(join(out, 'iapt-publication.json'), 'utf8'));
    expect(publication.sources['2024-06'].submissions.length).toBe(submitted);
    expect(readFileSync(join(out, 'iapt-summary-2024-06.html'), 'utf8')).toMatch(/Reliable recovery rate/);
  });

  it('writes a release manifest: public, aggregate, opt-out not applied by policy, every file with its rows and sha256', () => {
    const manifest = readManifest(join(out, 'manifest.json'));
    expect(manifest).toMatchObject({ kind: 'publication', audience: 'public', sensitivity: 'aggregate', agreement: null, personKey: null, optOut: { applied: false } });
    expect(manifest.optOut.applied === false && manifest.optOut.reason).toMatch(/^not applied by policy: aggregate statistics/);
    // Every submission of the three months: 2 providers × 3 months, primary only.
    expect(manifest.source.submissions).toHaveLength(submitted);
    const monthly = manifest.files.find((f) => f.name === 'iapt-monthly-2024-06.csv')!;
    expect(monthly.rows).toBe(csv('iapt-monthly-2024-06.csv').length - 1);
    for (const f of manifest.files) expect(sha256OfFile(join(out, f.name)), f.name).toBe(f.sha256);
    expect(manifest.files.map((f) => f.name)).toContain('iapt-publication.json');
  });

  it('passes its own files through check-release, and catches a tampered count and percentage', async () => {
    for (const f of ['iapt-monthly-2024-06.csv', 'iapt-quarterly-icb-subicb-2024-Q2.csv', 'iapt-quarterly-provider-2024-Q2.csv', 'iapt-quarterly-subicb-provider-2024-Q2.csv', 'iapt-annual-main-2024-25-to-2024-06.csv']) {
      const r = await run('check-release', join(out, f));
      expect(r.code, r.out).toBe(0);
    }
    const lines = readFileSync(join(out, 'iapt-monthly-2024-06.csv'), 'utf8').split('\n');
    const count = lines.findIndex((l) => l.includes(',Provider,') && /,Count_ReferralsReceived,\d+$/.test(l));
    lines[count] = lines[count]!.replace(/\d+$/, '3');
    // A sub-national percentage whose numerator count is suppressed: publish it as if it were not.
    const fields = lines.map((l) => l.split(','));
    const group = (f: string[]) => f.slice(2, 7).join(',');
    const suppressedCounts = new Set(fields.filter((f) => f[2] !== 'England' && f[9] === '*').map((f) => `${group(f)}|${f[7]}`));
    const percentage = fields.findIndex((f) => {
      const m = f[2] !== 'England' ? measureById(f[7] ?? '') : undefined;
      const numerator = m?.statistic === 'percentage' && m.numerator.length === 1 ? m.numerator[0] : undefined;
      return typeof numerator === 'string' && suppressedCounts.has(`${group(f)}|${numerator}`);
    });
    expect(percentage, 'a sub-national percentage over a suppressed count').toBeGreaterThanOrEqual(0);
    lines[percentage] = lines[percentage]!.replace(/,[^,]*$/, ',40');
    const tampered = join(root, 'tampered.csv');
    writeFileSync(tampered, lines.join('\n'));
    const r = await run('check-release', tampered);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`line ${count + 1} `);
    expect(r.out).toContain('count under 5 not suppressed');
    expect(r.out).toContain('percentage published while its numerator is suppressed');
    // The quarterly layout is checked as well: a provider's count of 3 in a variable breakdown.
    const quarterly = readFileSync(join(out, 'iapt-quarterly-provider-2024-Q2.csv'), 'utf8').split('\n');
    const cell = quarterly.findIndex((l) => l.includes('"Provider","Age Group"') && /"Count_ReferralsReceived","\d+"$/.test(l));
    quarterly[cell] = quarterly[cell]!.replace(/"\d+"$/, '"3"');
    writeFileSync(tampered, quarterly.join('\n'));
    const q = await run('check-release', tampered);
    expect(q.code).toBe(1);
    expect(q.out).toContain(`line ${cell + 1} (Provider `);
    expect(q.out).toContain('count under 5 not suppressed');
  });

  it('refuses a file in neither layout, and a period that was not processed, with clear messages', async () => {
    writeFileSync(join(root, 'other.csv'), 'a,b\n1,2\n');
    const r = await run('check-release', join(root, 'other.csv'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/none of the NHS monthly layout, the quarterly layout and the annual main layout/);
    const p = await run('publish', '--data', data, '--period', '2024-05', '--out', join(root, 'none'));
    expect(p.code).toBe(3);
    expect(p.err).toMatch(/run iapt process --period 2024-05 first/);
    const bad = await run('publish', '--data', data, '--period', '2024-06', '--year', '2024-2025', '--out', join(root, 'none'));
    expect(bad.code).toBe(2);
  });
});
