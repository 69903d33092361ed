// Publishing data processed without organisation reference data (a provider's or a researcher's normal case),
// end to end through the CLI: synth → submit → process (no --reference) → publish without and with --reference.
// England and provider figures do not depend on commissioner geography; the region and ICB groups are UNKNOWN
// (the group NHS England publishes unresolved commissioners under: measures_annual, OrgCode/OrgName "UNKNOWN")
// unless publish is given reference data, and the metadata file says which happened.
//
// Expected figures are counted by hand from the submitted CSV files themselves (not from our output):
// M001 Count_ReferralsReceived = referrals of the month's submissions received in the month, M056
// Count_EndedReferrals = those discharged in the month (metadata_measures_monthly constructions); below England a
// count is rounded to the nearest 5 and a count under 5 is * (nhs-tt, measures-and-outcomes.md §2.4).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { parseCsv } from '../../src/intake/csvText.js';
import { run } from '../helpers/cli.js';
import { readSubmission } from '../helpers/submission.js';
import { receivedFor } from '../store/helpers.js';
import { readRows } from '../helpers/db.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-noref-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const synth = join(root, 'synth');
const reference = join(synth, 'reference');
const data = join(root, 'data');
const bare = join(root, 'published-bare');
const withReference = join(root, 'published-reference');

const csv = (path: string) => parseCsv(readFileSync(path, 'utf8').trimEnd());
const referenceRows = (file: string) => {
  const [header, ...rows] = csv(join(reference, file));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};
/** nhs-tt below England: under 5 → *, else the nearest multiple of 5 (halves up). */
const subNational = (n: number) => (n < 5 ? '*' : String(Math.floor(n / 5 + 0.5) * 5));

/** Per provider, from its June submission: referrals received in June, discharged in June, and its commissioners. */
const june = new Map<string, { received: number; ended: number; commissioners: Set<string> }>();

beforeAll(async () => {
  expect((await run('synth', '--providers', '2', '--months', '2024-05..2024-06', '--seed', 'noref', '--out', synth)).code).toBe(0);
  for (const provider of readdirSync(synth).filter((f) => /^[A-Z0-9]{3,5}$/.test(f))) {
    for (const month of ['2024-05', '2024-06']) {
      const zip = join(synth, provider, month, `${provider}_${month}_primary.zip`);
      const r = await run('submit', '--data', data, '--received', receivedFor(month, 'primary'), zip);
      expect(r.code, r.err).toBe(0);
      if (month !== '2024-06') continue;
      const { header, rows } = readSubmission(zip).get('IDS101Referral')!;
      const col = (name: string) => header.indexOf(name);
      june.set(provider, {
        received: rows.filter((x) => x[col('ReferralRequestReceivedDate')]!.startsWith('2024-06')).length,
        ended: rows.filter((x) => x[col('ServDischDate')]!.startsWith('2024-06')).length,
        commissioners: new Set(rows.map((x) => x[col('OrgIDComm')]!)),
      });
    }
  }
  const processed = await run('process', '--data', data, '--period', '2024-06');
  expect(processed.code, processed.err).toBe(0);
}, 180_000);

const total = (k: 'received' | 'ended') => [...june.values()].reduce((n, p) => n + p[k], 0);
const monthly = (dir: string) => csv(join(dir, 'iapt-monthly-2024-06.csv')).slice(1);
const value = (rows: string[][], group: string, org1: string, org2: string, id: string) => rows.find((x) => x[2] === group && x[3] === org1 && x[5] === org2 && x[7] === id)?.[9];

describe('iapt process without --reference', () => {
  it('writes the derived organisation columns, empty', async () => {
    const db = await openDb();
    try {
      const folder = join(data, 'processed', '2024-06');
      const [ids101] = await readRows<{ n: bigint; region: bigint; icb: bigint }>(db, `SELECT count(*) AS n, count(CommissioningRegion) AS region, count(OrgIDICBComm) AS icb FROM read_parquet('${join(folder, 'IDS101Referral.parquet')}')`);
      expect(Number(ids101!.n)).toBeGreaterThan(0);
      expect([Number(ids101!.region), Number(ids101!.icb)]).toEqual([0, 0]);
      const [ids002] = await readRows<{ gp: bigint; icb: bigint }>(db, `SELECT count(OrgIDSubICBLocGP) AS gp, count(OrgIDICBGPPractice) AS icb FROM read_parquet('${join(folder, 'IDS002GP.parquet')}')`);
      expect([Number(ids002!.gp), Number(ids002!.icb)]).toEqual([0, 0]);
      const [ids001] = await readRows<{ icb: bigint }>(db, `SELECT count(OrgIDICBRes) AS icb FROM read_parquet('${join(folder, 'IDS001MPI.parquet')}')`);
      expect(Number(ids001!.icb)).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('iapt publish of data processed without reference data', () => {
  it('without --reference: England and provider figures as counted from the submissions; every region and ICB UNKNOWN; the metadata says so', async () => {
    const r = await run('publish', '--data', data, '--period', '2024-06', '--quarter', '2024-Q2', '--year', '2024-25', '--out', bare);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = monthly(bare);
    expect(value(rows, 'England', 'all', 'all', 'M001')).toBe(String(total('received')));
    expect(value(rows, 'England', 'all', 'all', 'M056')).toBe(String(total('ended')));
    for (const [provider, counts] of june) {
      expect(value(rows, 'Provider', 'all', provider, 'M001'), provider).toBe(subNational(counts.received));
      expect(value(rows, 'Provider', 'all', provider, 'M056'), provider).toBe(subNational(counts.ended));
    }
    // One region and one ICB, UNKNOWN (code and name), holding every referral.
    for (const group of ['CommissioningRegion', 'ICB']) {
      const groupRows = rows.filter((x) => x[2] === group);
      expect(new Set(groupRows.map((x) => x.slice(3, 7).join('|'))), group).toEqual(new Set(['UNKNOWN|UNKNOWN|all|all Providers']));
      expect(value(rows, group, 'UNKNOWN', 'all', 'M001')).toBe(subNational(total('received')));
    }
    // Sub-ICBs are the submitted commissioner codes, named by their code.
    const commissioners = new Set([...june.values()].flatMap((p) => [...p.commissioners]));
    expect(new Set(rows.filter((x) => x[2] === 'SubICB').map((x) => `${x[3]}|${x[4]}`))).toEqual(new Set([...commissioners].map((c) => `${c}|${c}`)));

    // Quarterly: the region and ICB rows are UNKNOWN; a sub-ICB row's unresolved ICB beside it is InvalidCode / Unknown.
    const quarterly = csv(join(bare, 'iapt-quarterly-icb-subicb-2024-Q2.csv')).slice(1);
    for (const group of ['CommissioningRegion', 'ICB']) expect(new Set(quarterly.filter((x) => x[8] === group).map((x) => x.slice(2, 4).join('|'))), group).toEqual(new Set(['UNKNOWN|UNKNOWN']));
    expect(new Set(quarterly.filter((x) => x[8] === 'SubICB').map((x) => x.slice(2, 4).join('|')))).toEqual(new Set(['InvalidCode|Unknown']));

    // Annual: "Commissioning Region" and "ICB" rows under OrgCode and OrgName UNKNOWN, as NHS England publishes them.
    const annual = csv(join(bare, 'iapt-annual-main-2024-25-to-2024-06.csv')).slice(1);
    for (const type of ['Commissioning Region', 'ICB']) expect(new Set(annual.filter((x) => x[0] === type).map((x) => `${x[1]}|${x[2]}`)), type).toEqual(new Set(['UNKNOWN|UNKNOWN']));

    const metadata = csv(join(bare, 'iapt-measures-metadata.csv'));
    for (const group of ['CommissioningRegion', 'ICB']) {
      const row = metadata.find((x) => x[0] === group)!;
      expect(row[4]).toContain('published under UNKNOWN');
      for (const label of ['2024-06', '2024-Q2', '2024-25 to 2024-06']) expect(row[6]).toContain(`${label}: every referral is under UNKNOWN (the data were processed without --reference and iapt publish was given no --reference).`);
    }
  }, 120_000);

  it('with --reference: the same England and provider figures; regions and ICBs looked up from OrgIDComm; the metadata says so', async () => {
    const r = await run('publish', '--data', data, '--period', '2024-06', '--quarter', '2024-Q2', '--reference', reference, '--out', withReference);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = monthly(withReference);
    const bareRows = monthly(bare);
    for (const id of ['M001', 'M056', 'M076', 'M192']) {
      expect(value(rows, 'England', 'all', 'all', id), id).toBe(value(bareRows, 'England', 'all', 'all', id));
      for (const provider of june.keys()) expect(value(rows, 'Provider', 'all', provider, id), `${provider} ${id}`).toBe(value(bareRows, 'Provider', 'all', provider, id));
    }
    expect(value(rows, 'England', 'all', 'all', 'M001')).toBe(String(total('received')));
    // Hand-traced through the reference files: commissioner (sub_icbs.csv) → ICB → region (icbs.csv), names from them.
    const subIcbs = referenceRows('sub_icbs.csv');
    const icbs = referenceRows('icbs.csv');
    const commissioners = new Set([...june.values()].flatMap((p) => [...p.commissioners]));
    const icbCodes = new Set([...commissioners].map((c) => subIcbs.find((s) => s.sub_icb_code === c)!.icb_code!));
    const regionCodes = new Set([...icbCodes].map((c) => icbs.find((i) => i.icb_code === c)!.region_code!));
    const regionNames = new Map(referenceRows('regions.csv').map((x) => [x.region_code!, x.region_name!]));
    expect(new Set(rows.filter((x) => x[2] === 'ICB').map((x) => `${x[3]}|${x[4]}`))).toEqual(new Set([...icbCodes].map((c) => `${c}|${icbs.find((i) => i.icb_code === c)!.icb_name}`)));
    expect(new Set(rows.filter((x) => x[2] === 'CommissioningRegion').map((x) => `${x[3]}|${x[4]}`))).toEqual(new Set([...regionCodes].map((c) => `${c}|${regionNames.get(c)}`)));
    if (regionCodes.size === 1) expect(value(rows, 'CommissioningRegion', [...regionCodes][0]!, 'all', 'M001')).toBe(subNational(total('received')));
    // The quarterly sub-ICB rows carry their ICB, looked up the same way.
    const quarterly = csv(join(withReference, 'iapt-quarterly-icb-subicb-2024-Q2.csv')).slice(1);
    expect(new Set(quarterly.filter((x) => x[8] === 'SubICB').map((x) => x[2]))).toEqual(icbCodes);
    const metadata = csv(join(withReference, 'iapt-measures-metadata.csv'));
    expect(metadata.find((x) => x[0] === 'ICB')![6]).toBe(
      '2024-06: looked up by iapt publish in its --reference data (the data were processed without). 2024-Q2: looked up by iapt publish in its --reference data (the data were processed without).',
    );
  }, 120_000);
});
