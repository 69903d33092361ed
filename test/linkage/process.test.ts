import { createHmac } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../src/dataset/index.js';
import { openDb } from '../../src/core/db.js';
import { processPeriod } from '../../src/linkage/process.js';
import { Catalog } from '../../src/store/catalog.js';
import { submit } from '../../src/store/submit.js';
import { receivedFor, synthMonths } from '../store/helpers.js';
import { readRows } from '../helpers/db.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-linkage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => void delete process.env.IAPT_PSEUDO_KEY);
const synth = join(root, 'synth');
const months = synthMonths(synth, '2024-04..2024-09', 2);

async function all<T>(sql: string): Promise<T[]> {
  const db = await openDb();
  try {
    return (await readRows<T>(db, sql)).map((r) => Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as T);
  } finally {
    db.close();
  }
}

/** The documented scheme, recomputed with node:crypto (independently of the SQL). */
function expectedIds(key: Buffer, provider: string, nhs: string, localId: string, birth: string, sri: string) {
  const h = (m: string) => createHmac('sha256', key).update(m).digest('hex').slice(0, 31);
  const person = nhs && isValidNhsNumber(nhs) ? `1${h(`nhs:${nhs}`)}` : `U${h(`local:${provider}|${localId}|${birth}`)}`;
  return { person, pathway: `P${h(`pathway:${provider}|${person}|${sri}`)}` };
}

async function submitAll(data: string) {
  for (const f of months.files) {
    const result = await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary'), referenceDir: join(synth, 'reference') });
    expect(result.status).toBe('stored');
  }
}

describe('iapt process', () => {
  const data = join(root, 'data');

  it('links six months into one history per PathwayID, with UsePathway_Flag on the period\'s referrals', async () => {
    await submitAll(data);
    const result = await processPeriod({ dataDir: data, period: '2024-09', referenceDir: join(synth, 'reference') });
    const out = (t: string) => `read_parquet('${join(result.folder, `${t}.parquet`)}')`;
    const stored = (t: string) => `read_parquet('${join(data, 'submissions', '*', 'tables', `${t}.parquet`)}')`;
    const { referrals } = (await all<{ referrals: number }>(`SELECT count(DISTINCT Unique_ServiceRequestID) AS referrals FROM ${stored('IDS101Referral')}`))[0]!;
    const [national] = await all<{ n: number; d: number; use: number; quarter: number }>(
      `SELECT count(*) AS n, count(DISTINCT PathwayID) AS d, count(*) FILTER (WHERE UsePathway_Flag) AS use, count(*) FILTER (WHERE UseQuarterReferral_Flag) AS quarter FROM ${out('IDS101Referral')}`,
    );
    expect(national!.n).toBe(referrals);
    expect(national!.d).toBe(referrals);
    const { september } = (await all<{ september: number }>(`SELECT count(*) AS september FROM ${stored('IDS101Referral')} WHERE Unique_MonthID = 1494`))[0]!;
    expect(national!.use).toBe(september);
    expect(national!.quarter).toBeGreaterThan(september);
    // Contacts accumulate: every stored contact of every month is in the national history exactly once.
    const { contacts } = (await all<{ contacts: number }>(`SELECT count(*) AS contacts FROM ${stored('IDS201CareContact')}`))[0]!;
    const { history } = (await all<{ history: number }>(`SELECT count(DISTINCT Unique_CareContactID) AS history FROM ${out('IDS201CareContact')}`))[0]!;
    expect(history).toBe(contacts);
  });

  it('gives each referral the same PathwayID and Person_ID in every month, as the documented HMAC scheme says', async () => {
    const key = Buffer.from(readFileSync(join(data, 'pseudo.key'), 'utf8').trim(), 'hex');
    const rows = await all<{ OrgID_Provider: string; ServiceRequestId: string; NHSNumber: string | null; LocalPatientId: string; PersonBirthDate: string | null; Unique_MonthID: number }>(
      `SELECT r.OrgID_Provider, r.ServiceRequestId, m.NHSNumber, m.LocalPatientId, m.PersonBirthDate, r.Unique_MonthID FROM read_parquet('${join(data, 'submissions', '*', 'tables', 'IDS101Referral.parquet')}') r ` +
        `JOIN read_parquet('${join(data, 'submissions', '*', 'tables', 'IDS001MPI.parquet')}') m ON m.UniqueSubmissionID = r.UniqueSubmissionID AND m.LocalPatientId = r.LocalPatientId`,
    );
    const national = new Set((await all<{ PathwayID: string; Person_ID: string }>(`SELECT PathwayID || '/' || Person_ID AS PathwayID FROM read_parquet('${join(data, 'processed', '2024-09', 'IDS101Referral.parquet')}')`)).map((r) => r.PathwayID));
    const byReferral = new Map<string, Set<string>>();
    for (const r of rows) {
      const ids = expectedIds(key, r.OrgID_Provider, r.NHSNumber ?? '', r.LocalPatientId, r.PersonBirthDate ?? '', r.ServiceRequestId);
      const k = `${r.OrgID_Provider}/${r.ServiceRequestId}`;
      byReferral.set(k, (byReferral.get(k) ?? new Set()).add(`${ids.pathway}/${ids.person}`));
    }
    const multiMonth = [...byReferral.keys()].filter((k) => rows.filter((r) => `${r.OrgID_Provider}/${r.ServiceRequestId}` === k).length > 1);
    expect(multiMonth.length).toBeGreaterThan(50);
    for (const [k, ids] of byReferral) {
      expect(ids.size, `${k} changed pseudonyms between months`).toBe(1);
      expect(national.has([...ids][0]!), `${k} missing from the national table`).toBe(true);
    }
  });

  it('holds no identifiable item in the national tables, and never writes the key', async () => {
    const folder = join(data, 'processed', '2024-09');
    const key = readFileSync(join(data, 'pseudo.key'), 'utf8').trim();
    for (const f of readdirSync(folder).filter((x) => x.endsWith('.parquet'))) {
      const columns = (await all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet('${join(folder, f)}')`)).map((c) => c.column_name);
      for (const forbidden of ['NHSNumber', 'PersonBirthDate', 'Postcode', 'LocalPatientId', 'ServiceRequestId']) expect(columns, `${f} has ${forbidden}`).not.toContain(forbidden);
      expect(columns, `${f} has a working birth-date column`).not.toContain('birth_day');
    }
    // The only date an MPI row holds is the birth date: no DATE column may survive into the national table.
    const mpiDates = await all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('${join(folder, 'IDS001MPI.parquet')}')) WHERE column_type = 'DATE'`);
    expect(mpiDates).toEqual([]);
    for (const dir of [folder, ...readdirSync(join(data, 'submissions')).map((s) => join(data, 'submissions', s, 'report'))]) {
      for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes(key), `${f} contains the key`).toBe(false);
    }
  });

  it('refuses another key (IAPT_PSEUDO_KEY) on a data directory processed under its key, and gives different pseudonyms under a different key', async () => {
    const first = await all<{ PathwayID: string }>(`SELECT PathwayID FROM read_parquet('${join(data, 'processed', '2024-09', 'IDS101Referral.parquet')}') ORDER BY PathwayID LIMIT 50`);
    process.env.IAPT_PSEUDO_KEY = 'b'.repeat(64);
    await expect(processPeriod({ dataDir: data, period: '2024-09' })).rejects.toThrow(/IAPT_PSEUDO_KEY.*is not the key earlier periods .* were processed with/);
    // A copy of the store with no key history (as a new data directory would be) under the other key.
    const copy = join(root, 'other-key');
    cpSync(data, copy, { recursive: true, verbatimSymlinks: true });
    rmSync(join(copy, 'processed'), { recursive: true, force: true });
    const catalog = await Catalog.open(copy);
    await catalog.exec('DELETE FROM settings');
    catalog.close();
    const other = await processPeriod({ dataDir: copy, period: '2024-09' });
    const second = new Set((await all<{ PathwayID: string }>(`SELECT PathwayID FROM read_parquet('${join(other.folder, 'IDS101Referral.parquet')}')`)).map((r) => r.PathwayID));
    for (const r of first) expect(second.has(r.PathwayID)).toBe(false);
  });

  it('reports an open referral dropped from the next month in continuity.json', async () => {
    const before = await processPeriod({ dataDir: data, period: '2024-06' });
    const baseline = new Map(before.continuity.providers.map((p) => [p.provider, p.missingThisPeriod]));
    // Drop one referral that was open at the end of May from one provider's June file, with its contacts.
    const june = months.files.find((f) => f.period === '2024-06')!;
    const may = unzipSync(readFileSync(join(synth, june.path.replace(/2024-06/g, '2024-05'))));
    const openInMay = strFromU8(may['IDS101Referral.csv']!).split('\r\n').slice(1).filter((l) => l && l.endsWith(',,')).map((l) => l.split(',')[0]!);
    const entries = unzipSync(readFileSync(join(synth, june.path)));
    const lines = (t: string) => strFromU8(entries[`${t}.csv`]!).split('\r\n');
    const junes = new Set(lines('IDS101Referral').map((l) => l.split(',')[0]));
    const dropped = openInMay.find((sri) => junes.has(sri))!;
    for (const t of ['IDS101Referral', 'IDS201CareContact', 'IDS603PresentingComplaints', 'IDS602LongTermCondition', 'IDS606CodedScoreAssessmentRefer', 'IDS205InternetTherLog', 'IDS105OnwardReferral', 'IDS108WaitingTimePauses']) {
      entries[`${t}.csv`] = strToU8(lines(t).filter((l) => !l.split(',').includes(dropped)).join('\r\n'));
    }
    const droppedFile = join(root, 'dropped.zip');
    writeFileSync(droppedFile, zipSync(entries));
    const data2 = join(root, 'data2');
    process.env.IAPT_PSEUDO_KEY = 'c'.repeat(64);
    for (const f of months.files.filter((x) => x.period <= '2024-06')) {
      const path = f === june ? droppedFile : join(synth, f.path);
      await submit(path, { dataDir: data2, received: receivedFor(f.period, 'primary') });
    }
    const after = await processPeriod({ dataDir: data2, period: '2024-06' });
    const provider = after.continuity.providers.find((p) => p.provider === june.provider)!;
    expect(provider.missingThisPeriod).toBe(baseline.get(june.provider)! + 1);
    expect(provider.openPreviousPeriod).toBeGreaterThan(provider.missingThisPeriod);
    expect(readFileSync(join(after.folder, 'continuity.json'), 'utf8')).toContain('"missingExamples"');
  });

  it('refuses a period with no counting submission, with a clear message', async () => {
    await expect(processPeriod({ dataDir: data, period: '2025-01' })).rejects.toThrow(/no accepted submission counts for 2025-01/);
  });
});

