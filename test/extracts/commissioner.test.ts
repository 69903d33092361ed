// Commissioner extracts, the national data opt-out register and the privacy check, on hand-set commissioner codes
// (test/extracts/fixture.ts: C1X has 3 + 2 = 5 pathways in 2024-09, C2Y has 1; the register holds one C1X patient).
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IaptError } from '../../src/core/errors.js';
import { checkExtract } from '../../src/extracts/check.js';
import { commissionerExtract } from '../../src/extracts/commissioner.js';
import { readManifest } from '../../src/core/release/manifest.js';
import { importOptOutRegister, latestOptOutRegister } from '../../src/extracts/optOut/register.js';
import { providerExtract } from '../../src/extracts/provider.js';
import { parseCsv } from '../../src/intake/csvText.js';
import { run } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { buildExtractFixture, C1X, C2Y, KEY, PERIOD, type ExtractFixture } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-commissioner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let fx: ExtractFixture;

const readCsv = (file: string) => {
  const [header = [], ...rows] = parseCsv(readFileSync(file, 'utf8'));
  return { header, rows, col: (name: string) => header.indexOf(name) };
};
const out = (name: string) => join(root, name);
const extract = (name: string, commissioner: string, extra: { optOutExemption?: string | null; period?: string } = {}) =>
  commissionerExtract({ dataDir: fx.data, period: extra.period ?? PERIOD, commissioner, out: out(name), pseudoKey: KEY, optOutExemption: extra.optOutExemption ?? null });

async function failure(promise: Promise<unknown>): Promise<IaptError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(IaptError);
  return error as IaptError;
}

// The CLI reads the key from the environment, as in production.
const savedKey = process.env.IAPT_PSEUDO_KEY;
beforeAll(async () => {
  process.env.IAPT_PSEUDO_KEY = KEY;
  fx = await buildExtractFixture(root);
}, 120_000);
afterAll(() => {
  if (savedKey === undefined) delete process.env.IAPT_PSEUDO_KEY;
  else process.env.IAPT_PSEUDO_KEY = savedKey;
});

describe('iapt optout import / status', () => {
  it('refuses commissioner extracts until a register is imported', async () => {
    const error = await failure(extract('before.csv', C1X));
    expect(error.kind).toBe('input');
    expect(error.message).toMatch(/no opt-out register: import one first \(iapt optout import FILE\.csv/);
  });

  it('imports the register as pseudonyms only: version 1, one person, no NHS number kept', async () => {
    const r = await importOptOutRegister(fx.registerFile, { dataDir: fx.data, pseudoKey: KEY, importedAt: '2024-10-05T09:00:00Z' });
    expect(r).toMatchObject({ version: 1, people: 1, source: 'optout.csv', importedAt: '2024-10-05T09:00:00Z' });
    expect(latestOptOutRegister(fx.data)?.version).toBe(1);
    for (const name of readdirSync(join(fx.data, 'optout'))) expect(readFileSync(join(fx.data, 'optout', name)).includes(Buffer.from(fx.optedOut.nhsNumber))).toBe(false);
    const status = await run('optout', 'status', '--data', fx.data);
    expect(status.code).toBe(0);
    expect(status.out).toContain('version 1 (in force): 1 people');
    expect(status.out).toMatch(/commissioner\s+applied \(exemption by configuration\)/);
  });

  it.each([
    ['no NHSNumber column', 'nhs\n9434765919\n', /no NHSNumber column/],
    ['a blank row', 'NHSNumber\n9434765919\n\n', /line 3: blank/],
    ['a number failing Modulus 11', 'NHSNumber\n9434765918\n', /line 2: "9434765918" is not a valid NHS number/],
  ])('refuses a register with %s, naming the line, and imports nothing', async (_what, content, message) => {
    const file = out(`bad-${_what.replace(/\W/g, '')}.csv`);
    writeFileSync(file, content);
    const error = await failure(importOptOutRegister(file, { dataDir: fx.data, pseudoKey: KEY }));
    expect(error.kind).toBe('input');
    expect(error.message).toMatch(message);
    expect(latestOptOutRegister(fx.data)?.version).toBe(1);
  });
});

describe('iapt extract commissioner', () => {
  it('holds exactly the pathways carrying the code, from both providers, less the opted-out person (5 − 1 = 4)', async () => {
    const r = await extract('c1x.csv', C1X);
    const optedOutReferrals = fx.referrals[C1X]!.filter((x) => x.provider === fx.optedOut.provider && x.localPatientId === fx.optedOut.localPatientId).length;
    expect(fx.referrals[C1X]).toHaveLength(5);
    expect(optedOutReferrals).toBe(1);
    expect(r).toMatchObject({ rows: 4, providers: [...fx.providers].sort(), peopleRemoved: 1, optOutApplied: true });
    const csv = readCsv(out('c1x.csv'));
    expect(csv.rows).toHaveLength(4);
    expect(new Set(csv.rows.map((row) => row[csv.col('OrgIDComm')]))).toEqual(new Set([C1X]));
  });

  it('keeps the opted-out person when the configuration records an exemption, and says why in the manifest', async () => {
    const r = await extract('c1x-exempt.parquet', C1X, { optOutExemption: 'CAG 99/CAG/0001 (test)' });
    expect(r).toMatchObject({ rows: 5, peopleRemoved: 0, optOutApplied: false });
    expect(readManifest(out('c1x-exempt.parquet.manifest.json')).optOut).toEqual({ applied: false, reason: 'exempt: CAG 99/CAG/0001 (test)' });
  });

  it('gives C2Y its one pathway', async () => {
    expect((await extract('c2y.csv', C2Y)).rows).toBe(1);
  });

  it("has the provider's final extract columns less every identifiable item, plus residence at sub-ICB level", async () => {
    await providerExtract({ dataDir: fx.data, period: PERIOD, provider: fx.providers[0], out: out('provider.csv'), pseudoKey: KEY });
    const provider = readCsv(out('provider.csv')).header;
    const commissioner = readCsv(out('c1x.csv')).header;
    expect(commissioner).toEqual([...provider.filter((c) => !['ServiceRequestId', 'LocalPatientId', 'UniqueSubmissionID', 'UniqueID_IDS101', 'RecordNumber'].includes(c)), 'OrgIDSubICBLocResidence', 'IndicesOfDeprivationDecile']);
    for (const c of ['NHSNumber', 'PersonBirthDate', 'Postcode', 'LSOA2011', 'Postcode_District']) expect(commissioner).not.toContain(c);
    expect(commissioner).toContain('Person_ID');
    expect(commissioner).toContain('PathwayID');
  });

  it('holds no identifier value of any submitted patient (an independent scan of every cell), and passes the check', async () => {
    const identifiers = new Set(fx.patients.flatMap((p) => [p.nhsNumber, p.localPatientId, p.postcode, p.postcode.replace(' ', ''), p.birthDate]).filter((v) => v !== ''));
    for (const file of ['c1x.csv', 'c2y.csv']) {
      const cells = readCsv(out(file)).rows.flat().map((c) => c.trim());
      expect(cells.filter((c) => identifiers.has(c))).toEqual([]);
      expect((await checkExtract(out(file), { dataDir: fx.data, pseudoKey: KEY })).findings).toEqual([]);
    }
  });

  it.each([
    ['a bad code', { commissioner: 'C#1' }, 'usage', /"C#1" is not a commissioner code/],
    ['a code with no data', { commissioner: 'ZZZ' }, 'input', /no pathway of 2024-09 carries commissioner code ZZZ/],
    ['an unprocessed period', { commissioner: C1X, period: '2024-08' }, 'input', /2024-08 has not been processed/],
  ])('refuses %s clearly, writing nothing', async (_what, args, kind, message) => {
    const name = `refused-${_what.replace(/\W/g, '')}.csv`;
    const error = await failure(extract(name, args.commissioner, { period: (args as { period?: string }).period }));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
    expect(existsSync(out(name))).toBe(false);
    expect(readdirSync(root).filter((n) => n.startsWith('.iapt-release-'))).toEqual([]);
  });

  it('writes the documented manifest (golden, volatile fields masked)', () => {
    const manifest = readManifest(out('c1x.csv.manifest.json'));
    expect(manifest.files[0]).toMatchObject({ name: 'c1x.csv', rows: 4 });
    const masked = { ...manifest, createdAt: '<createdAt>', files: manifest.files.map((f) => ({ ...f, bytes: '<bytes>', sha256: '<sha256>' })), source: { ...manifest.source, processingRun: { ...manifest.source.processingRun, version: '<version>' } } };
    expectGolden('extracts/commissioner-manifest.json', JSON.stringify(masked, null, 2) + '\n');
  });

  it('runs from the CLI and prints what it wrote', async () => {
    const r = await run('extract', 'commissioner', '--data', fx.data, '--period', PERIOD, '--commissioner', 'c2y', '--out', out('cli.parquet'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Wrote 1 pathways of commissioner C2Y for 2024-09 from provider \w+ to .* national data opt-out applied \(0 people left out\); checked by check-extract/);
  });
});

describe('iapt check-extract', () => {
  /** Person_ID as docs/linkage.md defines it, recomputed with node:crypto (independently of the SQL). */
  const personId = (nhs: string) => `1${createHmac('sha256', Buffer.from(KEY, 'hex')).update(`nhs:${nhs}`).digest('hex').slice(0, 31)}`;
  const tampered = (name: string, edit: (csv: ReturnType<typeof readCsv>) => void) => {
    const csv = readCsv(out('c1x.csv'));
    edit(csv);
    writeFileSync(out(name), [csv.header, ...csv.rows].map((r) => r.join(',')).join('\n') + '\n');
    writeFileSync(out(`${name}.manifest.json`), readFileSync(out('c1x.csv.manifest.json'), 'utf8').replace('"c1x.csv"', JSON.stringify(name)));
  };

  it('passes a clean extract (exit 0)', async () => {
    const r = await run('check-extract', out('c1x.csv'), '--data', fx.data);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/passed \(commissioner extract, 1 file, 4 rows\)/);
  });

  it("finds an NHS number, a postcode, a person's own birth date, an opted-out person and a forbidden column (exit 1)", async () => {
    const exempt = await extract('c1x-exempt.csv', C1X, { optOutExemption: 'test' });
    expect(exempt.rows).toBe(5);
    const optedOutRow = readCsv(out('c1x-exempt.csv')).rows.find((row) => row.includes(personId(fx.optedOut.nhsNumber)))!;
    expect(optedOutRow).toBeDefined();
    const traced = fx.referrals[C1X]!.map((x) => fx.patients.find((p) => p.provider === x.provider && p.localPatientId === x.localPatientId && p.nhsNumber)).find((p) => p && p !== fx.optedOut && p.nhsNumber !== fx.optedOut.nhsNumber)!;
    tampered('bad.csv', (csv) => {
      csv.rows[0]![csv.col('SourceOfReferralIAPT')] = fx.patients[0]!.nhsNumber;
      csv.rows[1]![csv.col('EndCode')] = fx.patients[1]!.postcode.toLowerCase();
      const own = csv.rows.find((row) => row[csv.col('Person_ID')] === personId(traced.nhsNumber))!;
      own[csv.col('OnsetDate')] = traced.birthDate;
      csv.rows.push(optedOutRow);
      csv.header.push('NHSNumber');
      for (const row of csv.rows) row.push('');
    });
    const r = await run('check-extract', out('bad.csv'), '--data', fx.data);
    expect(r.code).toBe(1);
    for (const line of [
      'bad.csv: differs from the manifest (sha256): changed since it was written',
      'bad.csv, column NHSNumber: a forbidden column (an identifiable item of the data set)',
      'bad.csv, column SourceOfReferralIAPT: values equal to an NHS number of the data directory (1 row)',
      'bad.csv, column EndCode: values equal to a postcode of the data directory (1 row)',
      "bad.csv, column OnsetDate: values equal to the person's own date of birth (1 row)",
      'bad.csv, column Person_ID: rows of people who opted out (the manifest says the opt-out was applied) (1 row)',
    ]) expect(r.err).toContain(line);
  });

  it('refuses to check a provider extract, which carries identifiers by design', async () => {
    const r = await run('check-extract', out('provider.csv'), '--data', fx.data);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is a provider-final release \(identifiable\): check-extract checks commissioner and research extracts/);
  });
});
