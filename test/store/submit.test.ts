// The store: registration, latest-valid-wins, identical files, refusal outside the windows, derived ids.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { listAudit, localActor, verifyAudit } from '../../src/store/access.js';
import { Catalog } from '../../src/store/catalog.js';
import { submit } from '../../src/store/submit.js';
import { receivedFor, submitFile, synthMonths } from './helpers.js';
import { readRows } from '../helpers/db.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const synth = join(root, 'synth');
const months = synthMonths(synth, '2024-04..2024-05', 1, true);
const byName = (period: string, type: string) => months.files.find((f) => f.period === period && f.fileType === type)!;

async function list(dataDir: string) {
  const catalog = await Catalog.open(dataDir);
  try {
    return await catalog.submissions();
  } finally {
    catalog.close();
  }
}

describe('iapt submit', () => {
  const data = join(root, 'data');

  it('registers an accepted submission with its window and stores its accepted records as Parquet with the NHS identifiers', async () => {
    const result = await submitFile(synth, byName('2024-04', 'primary'), data);
    expect(result.status).toBe('stored');
    if (result.status !== 'stored') return;
    expect(result).toMatchObject({ id: 1, outcome: 'accepted', period: '2024-04', late: false, placement: { fileType: 'Primary' } });
    const db = await openDb();
    try {
      const [row] = await readRows<Record<string, unknown>>(db, 
        `SELECT UniqueSubmissionID, UniqueID_IDS201, RecordNumber, Unique_ServiceRequestID, Unique_CareContactID, OrgID_Provider, Unique_MonthID, File_Type, ServiceRequestId FROM read_parquet('${join(result.folder, 'tables', 'IDS201CareContact.parquet')}') ORDER BY UniqueID_IDS201 LIMIT 1`,
      );
      expect(row).toMatchObject({ UniqueSubmissionID: 1n, UniqueID_IDS201: 1_000_000_001n, OrgID_Provider: result.provider, Unique_MonthID: 1489, File_Type: 'Primary' });
      expect(row!.Unique_ServiceRequestID).toBe(`${result.provider}${row!.ServiceRequestId}`);
      // RecordNumber is the patient's IDS001 row number, reached from the contact through its referral.
      const stored = (t: string) => `read_parquet('${join(result.folder, 'tables', `${t}.parquet`)}')`;
      const [check] = await readRows<{ contacts: bigint; matching: bigint }>(
        db,
        `SELECT count(*) AS contacts, count(*) FILTER (WHERE c.RecordNumber = m.UniqueID_IDS001) AS matching FROM ${stored('IDS201CareContact')} c ` +
          `JOIN ${stored('IDS101Referral')} r ON r.ServiceRequestId = c.ServiceRequestId JOIN ${stored('IDS001MPI')} m ON m.LocalPatientId = r.LocalPatientId`,
      );
      expect(check!.contacts).toBeGreaterThan(0n);
      expect(check!.matching).toBe(check!.contacts);
    } finally {
      db.close();
    }
    // The submission is in the hash-chained audit trail, with who (the login running iapt), its provider and outcome.
    const catalog = await Catalog.open(data);
    try {
      const trail = await listAudit(catalog, { limit: 10 });
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({ actor: localActor(), role: 'admin', org: result.provider, action: 'submit', outcome: 'accepted', requestId: expect.stringMatching(/^cli-/) });
      expect(trail[0]!.object).toBe(`submission=1 provider=${result.provider} period=2024-04 fileType=Primary`);
      expect(await verifyAudit(catalog)).toMatchObject({ ok: true, rows: 1 });
    } finally {
      catalog.close();
    }
  });

  it('recognises identical bytes and stores nothing twice', async () => {
    const again = await submitFile(synth, byName('2024-04', 'primary'), data);
    expect(again).toEqual({ status: 'duplicate', duplicateOf: 1, outcome: 'accepted' });
    expect(await list(data)).toHaveLength(1);
  });

  it('lets the Refresh supersede the Primary, and the last file within a window win', async () => {
    // A second Primary for April with the same content but different bytes (re-zipped).
    const original = join(synth, byName('2024-04', 'primary').path);
    const entries = unzipSync(readFileSync(original));
    entries['IDS000Header.csv'] = strToU8(new TextDecoder().decode(entries['IDS000Header.csv']).replace(/\r\n$/, '\r\n'));
    const resent = join(root, 'resent.zip');
    writeFileSync(resent, zipSync(entries, { level: 1 }));
    const second = await submit(resent, { dataDir: data, received: '2024-05-24T12:00:00', referenceDir: join(synth, 'reference') });
    expect(second).toMatchObject({ status: 'stored', id: 2, placement: { fileType: 'Primary' } });
    expect((await list(data)).map((r) => [r.id, r.counts])).toEqual([[1, false], [2, true]]);
    const refresh = await submitFile(synth, byName('2024-04', 'refresh'), data);
    expect(refresh).toMatchObject({ status: 'stored', id: 3, placement: { fileType: 'Refresh' } });
    expect((await list(data)).map((r) => [r.id, r.file_type, r.counts])).toEqual([[1, 'Primary', false], [2, 'Primary', false], [3, 'Refresh', true]]);
    // A file after both windows goes in only with --late, recorded as late in the Refresh position.
    const late = await submitFile(synth, byName('2024-05', 'primary'), data, { received: '2024-08-02T09:00:00', late: true });
    expect(late).toMatchObject({ status: 'stored', late: true, placement: { fileType: 'Refresh', inWindow: false } });
    expect((await list(data)).find((r) => r.period === '2024-05')).toMatchObject({ late: true, counts: true });
  });

  it('refuses a file received outside its windows unless --late, and changes nothing', async () => {
    const before = await list(data);
    const refused = await submitFile(synth, byName('2024-05', 'refresh'), data, { received: '2024-09-01T09:00:00' });
    expect(refused.status).toBe('refused');
    if (refused.status === 'refused') expect(refused.reason).toMatch(/outside the submission windows for 2024-05 .*--late/);
    expect(await list(data)).toEqual(before);
  });

  it('registers a rejected submission without storing records, and it never counts', async () => {
    const entries = unzipSync(readFileSync(join(synth, byName('2024-05', 'refresh').path)));
    const mpi = new TextDecoder().decode(entries['IDS001MPI.csv']).split('\r\n');
    mpi[1] = mpi[1]!.replace(/,(9\d{9}),/, (_m, n: string) => `,${n.slice(0, 9)}${(Number(n[9]) + 1) % 10},`);
    entries['IDS001MPI.csv'] = strToU8(mpi.join('\r\n'));
    const bad = join(root, 'bad.zip');
    writeFileSync(bad, zipSync(entries));
    const result = await submit(bad, { dataDir: data, received: receivedFor('2024-05', 'refresh') });
    expect(result).toMatchObject({ status: 'stored', outcome: 'rejected' });
    const rows = await list(data);
    const rejected = rows.find((r) => r.outcome === 'rejected')!;
    expect(rejected.counts).toBe(false);
    expect(rows.find((r) => r.period === '2024-05' && r.counts)!.outcome).toBe('accepted');
  });
});
