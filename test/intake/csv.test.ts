// Reading the CSV form: encodings, headers, extra columns, broken rows — each a finding naming the file
// (table), row and column, never a crash; and zip and folder read the same.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { IntakeError, readSubmission } from '../../src/intake/index.js';
import { TABLE_NAMES } from '../../src/dataset/index.js';
import { baseTables, writeSubmission } from '../validation/fixture.js';
import { readRows } from '../helpers/db.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-intake-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function stage(path: string) {
  const db = await openDb();
  try {
    const staged = await readSubmission(db, path);
    const referrals = await readRows<{ _row: bigint; ServiceRequestId: string; SourceOfReferralIAPT: string | null }>(db, `SELECT _row, ServiceRequestId, SourceOfReferralIAPT FROM stg_IDS101Referral ORDER BY _row`);
    const header = await readRows<{ PrimSystemInUse: string }>(db, `SELECT PrimSystemInUse FROM stg_IDS000Header`);
    return { staged, referrals: referrals.map((r) => ({ ...r, _row: Number(r._row) })), header };
  } finally {
    db.close();
  }
}

function fixture(name: string): string {
  const tables = baseTables();
  tables.IDS101Referral.push({ ...tables.IDS101Referral[0]!, ServiceRequestId: 'R2' }, { ...tables.IDS101Referral[0]!, ServiceRequestId: 'R3' });
  return writeSubmission(join(root, name), tables);
}

describe('CSV intake', () => {
  it('reads a folder and the same files zipped identically, numbering data rows from 1', async () => {
    const dir = fixture('plain');
    const zip = join(root, 'plain.zip');
    writeFileSync(zip, zipSync(Object.fromEntries(TABLE_NAMES.map((t) => [`${t}.csv`, readFileSync(join(dir, `${t}.csv`))]))));
    const a = await stage(dir);
    const b = await stage(zip);
    expect(a.staged.findings).toEqual([]);
    expect(a.referrals.map((r) => [r._row, r.ServiceRequestId])).toEqual([[1, 'R1'], [2, 'R2'], [3, 'R3']]);
    expect(b.referrals).toEqual(a.referrals);
    expect(b.staged.form).toBe('csv-zip');
    expect(b.staged.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tolerates a UTF-8 byte-order mark without a finding', async () => {
    const dir = fixture('bom');
    const path = join(dir, 'IDS101Referral.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(path)]));
    const { staged, referrals } = await stage(dir);
    expect(staged.findings).toEqual([]);
    expect(referrals[0]!.ServiceRequestId).toBe('R1');
  });

  it('reads Windows-1252 and flags it (IDSFMT01), keeping the characters', async () => {
    const dir = fixture('cp1252');
    const path = join(dir, 'IDS000Header.csv');
    writeFileSync(path, Buffer.from(readFileSync(path, 'utf8').replace('IAPTus', 'Caf\u00e9'), 'latin1'));
    const { staged, header } = await stage(dir);
    expect(staged.findings).toEqual([{ code: 'IDSFMT01', table: 'IDS000Header', row: null, field: null, value: 'IDS000Header.csv' }]);
    expect(header[0]!.PrimSystemInUse).toBe('Café');
  });

  it('reports a short row and a long row (IDSFMT03) by data row, and numbers the rows after them correctly', async () => {
    const dir = fixture('broken');
    const path = join(dir, 'IDS101Referral.csv');
    const [head, r1, r2, r3] = readFileSync(path, 'utf8').trim().split('\r\n');
    writeFileSync(path, [head, r1, 'R9,P1', r2, `${r3},extra`, r3!.replace('R3', 'R4')].join('\r\n') + '\r\n');
    const { staged, referrals } = await stage(dir);
    expect(staged.findings.map((f) => [f.code, f.table, f.row])).toEqual([
      ['IDSFMT03', 'IDS101Referral', 2],
      ['IDSFMT03', 'IDS101Referral', 4],
    ]);
    expect(referrals.map((r) => [r._row, r.ServiceRequestId])).toEqual([[1, 'R1'], [3, 'R2'], [5, 'R4']]);
  });

  it('names a missing column and a missing file as structure failures (IDSREJ001), an extra column as IDSFMT02', async () => {
    const dir = fixture('headers');
    const path = join(dir, 'IDS201CareContact.csv');
    writeFileSync(path, readFileSync(path, 'utf8').replace('CareContTime', 'CareContactTime'));
    rmSync(join(dir, 'IDS902CarePersQual.csv'));
    const { staged } = await stage(dir);
    expect(staged.structureOk).toBe(false);
    expect(staged.findings).toEqual(
      expect.arrayContaining([
        { code: 'IDSREJ001', table: 'IDS201CareContact', row: null, field: 'CareContTime', value: 'column CareContTime is missing from the header' },
        { code: 'IDSFMT02', table: 'IDS201CareContact', row: null, field: 'CareContactTime', value: 'CareContactTime' },
        { code: 'IDSREJ001', table: 'IDS902CarePersQual', row: null, field: null, value: 'IDS902CarePersQual.csv is missing' },
      ]),
    );
  });

  it('ignores an unexpected file with a warning (IDSFMT04) and reads an empty table file as a structure failure', async () => {
    const dir = fixture('extra-file');
    appendFileSync(join(dir, 'readme.csv'), 'x\r\n');
    writeFileSync(join(dir, 'IDS803CareCluster.csv'), '');
    const { staged } = await stage(dir);
    expect(staged.findings).toEqual(
      expect.arrayContaining([
        { code: 'IDSFMT04', table: 'File', row: null, field: null, value: 'readme.csv' },
        { code: 'IDSREJ001', table: 'IDS803CareCluster', row: null, field: null, value: 'IDS803CareCluster.csv is empty: no header row' },
      ]),
    );
  });

  it('refuses input that is not a submission with a clear IntakeError', async () => {
    const db = await openDb();
    try {
      await expect(readSubmission(db, join(root, 'nope.zip'))).rejects.toThrow(IntakeError);
      writeFileSync(join(root, 'bad.zip'), strToU8('not a zip'));
      await expect(readSubmission(db, join(root, 'bad.zip'))).rejects.toThrow(/not a readable zip/);
      writeFileSync(join(root, 'x.txt'), 'x');
      await expect(readSubmission(db, join(root, 'x.txt'))).rejects.toThrow(/not a submission/);
    } finally {
      db.close();
    }
  });

  it('reads a v2.0 file into the v2.1 shape: renamed items mapped, new items null', async () => {
    const { asV20 } = await import('../validation/fixture.js');
    const tables = baseTables();
    tables.IDS101Referral[0]!.SourceOfReferralIAPT = 'A1';
    const dir = writeSubmission(join(root, 'v20'), asV20(tables));
    const { staged, referrals } = await stage(dir);
    expect(staged.version).toBe('2.0');
    expect(referrals[0]!.SourceOfReferralIAPT).toBe('A1');
    expect(staged.rows.get('IDS003AccommStatus')).toBe(0);
  });
});
