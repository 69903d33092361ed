// `iapt process` on six synthetic months of two providers, processed once (with the derivations, as the CLI does)
// in beforeAll; every test reads that result, or works on its own copy of the data directory, so none depends on
// another or on their order. The key is handed in (the option the CLI fills from IAPT_PSEUDO_KEY).
import { createHmac } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidNhsNumber, TABLES } from '../../src/dataset/index.js';
import { openDb } from '../../src/core/db.js';
import { derivePeriod } from '../../src/derivation/index.js';
import { providerExtract } from '../../src/extracts/provider.js';
import { processPeriod, type ProcessResult } from '../../src/linkage/process.js';
import { Catalog } from '../../src/store/catalog.js';
import { submit } from '../../src/store/submit.js';
import { receivedFor, synthMonths } from '../store/helpers.js';
import { readRows } from '../helpers/db.js';
import { readSubmission } from '../helpers/submission.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-linkage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const synth = join(root, 'synth');
const reference = join(synth, 'reference');
const months = synthMonths(synth, '2024-04..2024-09', 2);
const data = join(root, 'data');
const KEY = 'a1'.repeat(32);

async function all<T>(sql: string): Promise<T[]> {
  const db = await openDb();
  try {
    return (await readRows<T>(db, sql)).map((r) => Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as T);
  } finally {
    db.close();
  }
}

/** The documented scheme, recomputed with node:crypto (independently of the SQL). */
function expectedIds(key: string, provider: string, nhs: string, localId: string, birth: string, sri: string) {
  const h = (m: string) => createHmac('sha256', Buffer.from(key, 'hex')).update(m).digest('hex').slice(0, 31);
  const person = nhs && isValidNhsNumber(nhs) ? `1${h(`nhs:${nhs}`)}` : `U${h(`local:${provider}|${localId}|${birth}`)}`;
  return { person, pathway: `P${h(`pathway:${provider}|${person}|${sri}`)}` };
}

/** A copy of the processed data directory, for a test that changes it. */
function copyOfData(name: string): string {
  const copy = join(root, name);
  cpSync(data, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

const parquet = (folder: string, table: string) => `read_parquet('${join(folder, `${table}.parquet`)}')`;
const stored = (table: string) => `read_parquet('${join(data, 'submissions', '*', 'tables', `${table}.parquet`)}')`;

let result: ProcessResult;
beforeAll(async () => {
  for (const f of months.files) expect((await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary'), referenceDir: reference })).status).toBe('stored');
  result = await processPeriod({ dataDir: data, period: '2024-09', referenceDir: reference, pseudoKey: KEY, afterLink: (folder) => derivePeriod(folder, '2024-09', reference) });
});

describe('iapt process', () => {
  it("links six months into one history per PathwayID, with UsePathway_Flag on the period's referrals", async () => {
    const [{ referrals }] = (await all<{ referrals: number }>(`SELECT count(DISTINCT Unique_ServiceRequestID) AS referrals FROM ${stored('IDS101Referral')}`)) as [{ referrals: number }];
    const [national] = await all<{ n: number; d: number; use: number; quarter: number }>(
      `SELECT count(*) AS n, count(DISTINCT PathwayID) AS d, count(*) FILTER (WHERE UsePathway_Flag) AS use, count(*) FILTER (WHERE UseQuarterReferral_Flag) AS quarter FROM ${parquet(result.folder, 'IDS101Referral')}`,
    );
    expect(national!.n).toBe(referrals);
    expect(national!.d).toBe(referrals);
    // September is Unique_MonthID 1494; its quarter began in July (1492). A referral's row is its latest appearance.
    const [months] = await all<{ september: number; quarter: number }>(
      `SELECT count(*) FILTER (WHERE latest = 1494) AS september, count(*) FILTER (WHERE latest BETWEEN 1492 AND 1494) AS quarter ` +
        `FROM (SELECT Unique_ServiceRequestID, max(Unique_MonthID) AS latest FROM ${stored('IDS101Referral')} GROUP BY 1)`,
    );
    expect(national!.use).toBe(months!.september);
    expect(national!.quarter).toBe(months!.quarter);
    expect(months!.quarter).toBeGreaterThan(months!.september);
    // Contacts accumulate: every stored contact of every month is in the national history exactly once.
    const [{ contacts }] = (await all<{ contacts: number }>(`SELECT count(*) AS contacts FROM ${stored('IDS201CareContact')}`)) as [{ contacts: number }];
    const [{ history }] = (await all<{ history: number }>(`SELECT count(DISTINCT Unique_CareContactID) AS history FROM ${parquet(result.folder, 'IDS201CareContact')}`)) as [{ history: number }];
    expect(history).toBe(contacts);
    expect(result.rows.IDS201CareContact).toBe(contacts);
  });

  it('gives each referral the same PathwayID and Person_ID in every month, as the documented HMAC scheme says', async () => {
    const rows = await all<{ OrgID_Provider: string; ServiceRequestId: string; NHSNumber: string | null; LocalPatientId: string; PersonBirthDate: string | null }>(
      `SELECT r.OrgID_Provider, r.ServiceRequestId, m.NHSNumber, m.LocalPatientId, m.PersonBirthDate FROM ${stored('IDS101Referral')} r ` +
        `JOIN ${stored('IDS001MPI')} m ON m.UniqueSubmissionID = r.UniqueSubmissionID AND m.LocalPatientId = r.LocalPatientId`,
    );
    const national = new Set((await all<{ ids: string }>(`SELECT PathwayID || '/' || Person_ID AS ids FROM ${parquet(result.folder, 'IDS101Referral')}`)).map((r) => r.ids));
    const byReferral = new Map<string, { months: number; ids: Set<string> }>();
    for (const r of rows) {
      const ids = expectedIds(KEY, r.OrgID_Provider, r.NHSNumber ?? '', r.LocalPatientId, r.PersonBirthDate ?? '', r.ServiceRequestId);
      const k = `${r.OrgID_Provider}/${r.ServiceRequestId}`;
      const seen = byReferral.get(k) ?? { months: 0, ids: new Set<string>() };
      byReferral.set(k, { months: seen.months + 1, ids: seen.ids.add(`${ids.pathway}/${ids.person}`) });
    }
    // Most referrals of six months appear in more than one: the check below is about them.
    expect([...byReferral.values()].filter((r) => r.months > 1).length).toBeGreaterThan(byReferral.size / 2);
    for (const [k, { ids }] of byReferral) {
      expect(ids.size, `${k} changed pseudonyms between months`).toBe(1);
      expect(national.has([...ids][0]!), `${k} missing from the national table`).toBe(true);
    }
  });

  it("holds none of the spec's identifiable items in the national tables, and never writes the key", async () => {
    const identifiable = [...new Set(TABLES.flatMap((t) => t.items.filter((i) => i.identifiable).map((i) => i.name)))];
    expect(identifiable).toEqual(expect.arrayContaining(['NHSNumber', 'PersonBirthDate', 'Postcode', 'LocalPatientId', 'ServiceRequestId']));
    const files = readdirSync(result.folder).filter((x) => x.endsWith('.parquet'));
    expect(files).toHaveLength(TABLES.length);
    for (const f of files) {
      const columns = (await all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet('${join(result.folder, f)}')`)).map((c) => c.column_name);
      for (const forbidden of [...identifiable, 'Unique_ServiceRequestID', 'birth_day']) expect(columns, `${f} has ${forbidden}`).not.toContain(forbidden);
    }
    // The only date an MPI row holds is the birth date: no DATE column may survive into the national table.
    expect(await all(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${parquet(result.folder, 'IDS001MPI')}) WHERE column_type = 'DATE'`)).toEqual([]);
    // The key was handed in: no key file is made, and no output or report holds the key.
    expect(existsSync(join(data, 'pseudo.key'))).toBe(false);
    for (const dir of [result.folder, ...readdirSync(join(data, 'submissions')).map((s) => join(data, 'submissions', s, 'report'))]) {
      for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes(KEY), `${f} contains the key`).toBe(false);
    }
  });

  it('refuses another key on a data directory processed under its key, and gives different pseudonyms under a different key', async () => {
    await expect(processPeriod({ dataDir: data, period: '2024-09', pseudoKey: 'b'.repeat(64) })).rejects.toThrow(/IAPT_PSEUDO_KEY.*is not the key earlier periods .* were processed with/);
    // A copy with no key history (as a new data directory would be) under the other key.
    const copy = copyOfData('other-key');
    rmSync(join(copy, 'processed'), { recursive: true, force: true });
    const catalog = await Catalog.open(copy);
    await catalog.exec('DELETE FROM settings');
    catalog.close();
    const other = await processPeriod({ dataDir: copy, period: '2024-09', pseudoKey: 'b'.repeat(64) });
    const first = await all<{ PathwayID: string }>(`SELECT PathwayID FROM ${parquet(result.folder, 'IDS101Referral')} ORDER BY PathwayID LIMIT 50`);
    const second = new Set((await all<{ PathwayID: string }>(`SELECT PathwayID FROM ${parquet(other.folder, 'IDS101Referral')}`)).map((r) => r.PathwayID));
    expect(second.size).toBe(result.rows.IDS101Referral);
    for (const r of first) expect(second.has(r.PathwayID)).toBe(false);
  });

  it('reports an open referral dropped from the next month in continuity.json, by its PathwayID', async () => {
    const copy = copyOfData('continuity');
    const before = await processPeriod({ dataDir: copy, period: '2024-06', pseudoKey: KEY });
    // Drop one referral that was open at the end of May from one provider's June file, with its records, and send that
    // file as June's Refresh, which then counts instead of the Primary.
    const june = months.files.find((f) => f.period === '2024-06')!;
    const may = readSubmission(join(synth, june.path.replace(/2024-06/g, '2024-05')));
    const column = (table: string, name: string) => may.get(table)!.header.indexOf(name);
    const referrals = may.get('IDS101Referral')!;
    const junes = new Set(readSubmission(join(synth, june.path)).get('IDS101Referral')!.rows.map((r) => r[0]));
    const droppedRow = referrals.rows.find((r) => !r[column('IDS101Referral', 'ServDischDate')] && junes.has(r[0]))!;
    const dropped = droppedRow[column('IDS101Referral', 'ServiceRequestId')]!;
    const entries = unzipSync(readFileSync(join(synth, june.path)));
    for (const [name, bytes] of Object.entries(entries)) {
      entries[name] = strToU8(new TextDecoder().decode(bytes).split('\r\n').filter((l) => !l.split(',').includes(dropped)).join('\r\n'));
    }
    const droppedFile = join(root, 'dropped.zip');
    writeFileSync(droppedFile, zipSync(entries));
    expect(await submit(droppedFile, { dataDir: copy, received: receivedFor('2024-06', 'refresh') })).toMatchObject({ status: 'stored', placement: { fileType: 'Refresh' } });
    const after = await processPeriod({ dataDir: copy, period: '2024-06', pseudoKey: KEY });

    const patient = may.get('IDS001MPI')!.rows.find((r) => r[column('IDS001MPI', 'LocalPatientId')] === droppedRow[column('IDS101Referral', 'LocalPatientId')])!;
    const { pathway } = expectedIds(KEY, june.provider, patient[column('IDS001MPI', 'NHSNumber')]!, patient[column('IDS001MPI', 'LocalPatientId')]!, patient[column('IDS001MPI', 'PersonBirthDate')]!, dropped);
    const was = before.continuity.providers.find((p) => p.provider === june.provider)!;
    const now = after.continuity.providers.find((p) => p.provider === june.provider)!;
    expect(now.missingThisPeriod).toBe(was.missingThisPeriod + 1);
    expect(was.missingExamples).not.toContain(pathway);
    expect(now.missingExamples).toContain(pathway);
    expect(JSON.parse(readFileSync(join(after.folder, 'continuity.json'), 'utf8'))).toEqual(after.continuity);
  });

  it('refuses a period with no counting submission, with a clear message', async () => {
    await expect(processPeriod({ dataDir: data, period: '2025-01', pseudoKey: KEY })).rejects.toThrow(/no accepted submission counts for 2025-01/);
  });
});

describe('iapt extract provider', () => {
  it("writes the provider's pathways used for the period, with its own identifiers put back in front, owner-only", async () => {
    const provider = months.files[0]!.provider;
    const out = join(root, 'extract.csv');
    const { rows } = await providerExtract({ dataDir: data, period: '2024-09', provider, out, pseudoKey: KEY });
    expect(statSync(out).mode & 0o777, 'the extract holds identifiers: owner only').toBe(0o600);
    const [{ used }] = (await all<{ used: number }>(`SELECT count(*) AS used FROM ${parquet(result.folder, 'IDS101Referral')} WHERE OrgID_Provider = '${provider}' AND UsePathway_Flag`)) as [{ used: number }];
    expect(rows).toBe(used);
    const extract = await all<Record<string, string>>(`SELECT * FROM read_csv('${out}', all_varchar = true)`);
    expect(extract).toHaveLength(used);
    const national = (await all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${parquet(result.folder, 'IDS101Referral')}`)).map((c) => c.column_name);
    expect(Object.keys(extract[0]!)).toEqual(['ServiceRequestId', 'LocalPatientId', ...national]);
    // Each row's identifiers are the ones its PathwayID was made from (recomputed from the stored September MPI).
    const mpi = new Map(
      (await all<{ LocalPatientId: string; NHSNumber: string | null; PersonBirthDate: string | null }>(`SELECT LocalPatientId, NHSNumber, PersonBirthDate FROM ${stored('IDS001MPI')} WHERE OrgID_Provider = '${provider}' AND Unique_MonthID = 1494`)).map((m) => [m.LocalPatientId, m]),
    );
    for (const row of extract) {
      const m = mpi.get(row.LocalPatientId!)!;
      expect(expectedIds(KEY, provider, m.NHSNumber ?? '', m.LocalPatientId, m.PersonBirthDate ?? '', row.ServiceRequestId!).pathway).toBe(row.PathwayID);
    }
    expect(extract.map((r) => r.ServiceRequestId)).toEqual([...extract.map((r) => r.ServiceRequestId!)].sort());
  });
});
