// Trust under faults and bad input (issue 13): zip limits, ambiguous zips, every row accounted for, encodings
// and line ends, damaged Access files — each a clear IntakeError or a finding, never a raw exception, a silent
// loss of rows or unbounded memory. Every bad input is built here.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../src/dataset/index.js';
import { stageAccess, type DatabaseSource } from '../../src/intake/access.js';
import { openDb } from '../../src/core/db.js';
import { IntakeError, readSubmission, type ReadOptions } from '../../src/intake/index.js';
import { validateSubmission } from '../../src/validation/index.js';
import { baseTables, PERIOD, writeSubmission } from '../validation/fixture.js';
import { buildZip, deflated, zerosDeflated } from './zipBuild.js';
import { readRows } from '../helpers/db.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function stage(path: string, options?: ReadOptions) {
  const db = await openDb();
  try {
    const staged = await readSubmission(db, path, options);
    const referrals = await readRows<{ _row: bigint; ServiceRequestId: string; ReferralRequestReceivedDate: string }>(db, `SELECT _row, ServiceRequestId, ReferralRequestReceivedDate FROM stg_IDS101Referral ORDER BY _row`);
    return { staged, referrals: referrals.map((r) => ({ ...r, _row: Number(r._row) })) };
  } finally {
    db.close();
  }
}

/** A valid submission folder, with `referrals` referral rows. */
function folder(name: string, referrals = 1): string {
  const tables = baseTables();
  for (let i = 2; i <= referrals; i++) tables.IDS101Referral.push({ ...tables.IDS101Referral[0]!, ServiceRequestId: `R${i}` });
  return writeSubmission(join(root, name), tables);
}

const tableFiles = (dir: string): Record<string, Buffer> => Object.fromEntries(TABLE_NAMES.map((t) => [`${t}.csv`, readFileSync(join(dir, `${t}.csv`))]));

/** Runs `fn`, sampling this process's RSS; returns its result (or error) and the peak RSS growth in MiB. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T | Error; peakMiB: number }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  let result: T | Error;
  try {
    result = await fn();
  } catch (error) {
    result = error as Error;
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, peakMiB: (peak - before) / 2 ** 20 };
}

describe('zip limits', () => {
  const valid = tableFiles(folder('zip-base'));
  const tableEntries = () => Object.entries(valid).map(([name, bytes]) => deflated(name, bytes));
  const zeros1800 = zerosDeflated(1800);
  const zeros2560 = zerosDeflated(2560);

  it('lists entries that are not tables (IDSFMT04) without ever inflating them: four 1.8 GiB entries cost nothing', async () => {
    const path = join(root, 'unused-giants.zip');
    const giants = [1, 2, 3, 4].map((k) => ({ name: `extra/dump${k}.bin`, data: zeros1800, uncompressedSize: 1800 * 2 ** 20 }));
    writeFileSync(path, buildZip([...tableEntries(), ...giants]));
    const { result, peakMiB } = await peakRss(() => stage(path));
    if (result instanceof Error) throw result;
    expect(result.staged.structureOk).toBe(true);
    expect(result.staged.findings).toEqual([1, 2, 3, 4].map((k) => ({ code: 'IDSFMT04', table: 'File', row: null, field: null, value: `extra/dump${k}.bin` })));
    expect(result.referrals.map((r) => r.ServiceRequestId)).toEqual(['R1']);
    expect(peakMiB).toBeLessThan(256);
  });

  it('refuses a table entry that declares a 2.5 GiB inflation from 2.6 MB (a zip bomb), naming zip, entry and limit', async () => {
    const path = join(root, 'bomb.zip');
    const entries = tableEntries().filter((e) => e.name !== 'IDS902CarePersQual.csv');
    entries.push({ name: 'IDS902CarePersQual.csv', data: zeros2560, uncompressedSize: 2560 * 2 ** 20 });
    writeFileSync(path, buildZip(entries));
    const { result, peakMiB } = await peakRss(() => stage(path));
    expect(result).toBeInstanceOf(IntakeError);
    expect((result as Error).message).toMatch(/bomb\.zip: entry "IDS902CarePersQual\.csv" declares 2\.5 GiB .*limit of 1000:1/);
    expect(peakMiB).toBeLessThan(256);
  });

  it('stops a table entry whose header lies about its size as soon as it inflates past a limit, in bounded memory', async () => {
    const path = join(root, 'liar.zip');
    const entries = tableEntries().filter((e) => e.name !== 'IDS101Referral.csv');
    // Claims 1 GiB (a plausible 400:1); really 2.5 GiB of zeros.
    entries.unshift({ name: 'IDS101Referral.csv', data: zeros2560, uncompressedSize: 2 ** 30 });
    writeFileSync(path, buildZip(entries));
    const started = Date.now();
    const { result, peakMiB } = await peakRss(() => stage(path));
    expect(result).toBeInstanceOf(IntakeError);
    expect((result as Error).message).toMatch(/liar\.zip: entry "IDS101Referral\.csv" inflates at more than the limit of 1000:1/);
    expect(peakMiB).toBeLessThan(256);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('refuses a zip beyond the entry-count or total-size limit, naming the limit', async () => {
    const path = join(root, 'small.zip');
    writeFileSync(path, zipSync(valid));
    await expect(stage(path, { limits: { maxEntries: 20 } })).rejects.toThrow(/small\.zip has 21 entries: more than the limit of 20 entries/);
    await expect(stage(path, { limits: { maxTotalUncompressedBytes: 1000 } })).rejects.toThrow(/small\.zip: the tables of the zip declare \d+ bytes uncompressed .*more than the limit of 1000 bytes/);
    // A header that understates the size is caught while inflating.
    const liar = join(root, 'understated.zip');
    writeFileSync(liar, buildZip(tableEntries().map((e) => (e.name === 'IDS000Header.csv' ? { ...e, uncompressedSize: 10 } : e))));
    await expect(stage(liar)).rejects.toThrow(/understated\.zip: entry "IDS000Header\.csv" inflates to more than the 10 bytes its header declares/);
    const badCrc = join(root, 'crc.zip');
    writeFileSync(badCrc, buildZip(tableEntries().map((e) => (e.name === 'IDS001MPI.csv' ? { ...e, crc: 1 } : e))));
    await expect(stage(badCrc)).rejects.toThrow(/crc\.zip: entry "IDS001MPI\.csv" fails its CRC check/);
  });
});

describe('ambiguous zips and entry names', () => {
  const valid = tableFiles(folder('ambiguous-base'));

  it('refuses two entries for one table (case-insensitive, in two folders), naming both', async () => {
    const path = join(root, 'two-folders.zip');
    const { ['IDS101Referral.csv']: referral, ...rest } = valid;
    writeFileSync(path, zipSync({ ...rest, 'march/IDS101Referral.csv': referral!, 'april/ids101referral.CSV': referral! }));
    await expect(stage(path)).rejects.toThrow(/two-folders\.zip holds two files for table IDS101Referral: "march\/IDS101Referral\.csv" and "april\/ids101referral\.CSV"/);
  });

  it('refuses a table both at the top and in a sub-folder', async () => {
    const path = join(root, 'top-and-sub.zip');
    writeFileSync(path, zipSync({ ...valid, 'old/IDS201CareContact.csv': valid['IDS201CareContact.csv']! }));
    await expect(stage(path)).rejects.toThrow(/holds two files for table IDS201CareContact: "IDS201CareContact\.csv" and "old\/IDS201CareContact\.csv"/);
  });

  it('refuses a folder with two files for one table differing only in case', async () => {
    const dir = folder('case-twins');
    writeFileSync(join(dir, 'ids001mpi.csv'), readFileSync(join(dir, 'IDS001MPI.csv')));
    await expect(stage(dir)).rejects.toThrow(/holds two files for table IDS001MPI: "IDS001MPI\.csv" and "ids001mpi\.csv"/);
  });

  it('still reads one enclosing folder, and ignores macOS resource forks', async () => {
    const path = join(root, 'enclosed.zip');
    const entries = Object.fromEntries(Object.entries(valid).map(([n, b]) => [`RA1_2024-05/${n}`, b]));
    writeFileSync(path, zipSync({ ...entries, '__MACOSX/RA1_2024-05/._IDS101Referral.csv': new Uint8Array([0, 5, 22, 7]) }));
    const { staged, referrals } = await stage(path);
    expect(staged.findings).toEqual([]);
    expect(referrals.map((r) => r.ServiceRequestId)).toEqual(['R1']);
  });

  it('writes nothing outside the work folder for path-traversal and absolute entry names', async () => {
    const tag = `iapt-escape-${process.pid}-${Date.now()}`;
    const outside = mkdtempSync(join(tmpdir(), 'iapt-outside-'));
    const path = join(outside, 'deep', 'traversal.zip');
    mkdirSync(join(outside, 'deep'));
    const { ['IDS101Referral.csv']: referral, ...rest } = valid;
    // An absolute entry name into the system's temporary folder (named through tmpdir(), so the literal path names no place).
    const absolute = join(tmpdir(), `${tag}.csv`);
    const names = [`../../${tag}.csv`, `../${tag}.txt`, absolute, `C:\\${tag}.csv`];
    writeFileSync(path, buildZip([...Object.entries(rest).map(([n, b]) => deflated(n, b)), deflated(`../../../${'IDS101Referral.csv'}`, referral!), ...names.map((n) => deflated(n, Buffer.from('x\r\n')))]));
    // A temporary folder of this test's own, so other test files staging at the same time cannot be taken for leftovers.
    const ownTmp = join(outside, 'tmp');
    mkdirSync(ownTmp);
    const tmpBefore = process.env.TMPDIR;
    process.env.TMPDIR = ownTmp;
    let result: Awaited<ReturnType<typeof stage>>;
    try {
      result = await stage(path);
    } finally {
      if (tmpBefore === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpBefore;
    }
    const { staged, referrals } = result;
    expect(staged.findings.map((f) => f.value)).toEqual(names);
    expect(referrals.map((r) => r.ServiceRequestId)).toEqual(['R1']);
    for (const dir of [outside, join(outside, 'deep'), tmpdir(), join(tmpdir(), '..')]) expect(readdirSync(dir).filter((f) => f.includes(tag))).toEqual([]);
    expect(existsSync(absolute)).toBe(false);
    // The work folder (made in the test's own temporary folder) is gone afterwards.
    expect(readdirSync(ownTmp)).toEqual([]);
    rmSync(outside, { recursive: true, force: true });
  });
});

describe('every row is accounted for', () => {
  it('rejects a table with an unclosed quote on data row 52 of 1,902, naming table, line and column; 1,902 rows received', async () => {
    const dir = folder('unclosed', 1902);
    const path = join(dir, 'IDS101Referral.csv');
    const lines = readFileSync(path, 'utf8').split('\r\n');
    expect(lines.filter((l) => l !== '').length).toBe(1903);
    lines[52] = lines[52]!.replace(/^R52,/, '"R52,');
    writeFileSync(path, lines.join('\r\n'));
    const { staged } = await stage(dir);
    expect(staged.structureOk).toBe(false);
    expect(staged.received.get('IDS101Referral')).toBe(1902);
    const finding = staged.findings.find((f) => f.code === 'IDSFMT07')!;
    expect(finding).toMatchObject({ table: 'IDS101Referral', row: 52, field: 'ServiceRequestId' });
    expect(finding.value).toMatch(/quote opened on line 53 \(data row 52, column ServiceRequestId\) is never closed.*1851 lines/);
    const { report } = await validateSubmission(dir, { period: PERIOD });
    expect(report.outcome).toBe('rejected');
  });

  it('counts a quoted value holding line breaks, quotes and commas as one row', async () => {
    const dir = folder('multiline', 3);
    const path = join(dir, 'IDS101Referral.csv');
    const text = readFileSync(path, 'utf8').replace(/^R2,P1,/m, '"R2",P1,').replace(',00X,', ',"0\r\n0""X,\n",');
    writeFileSync(path, text);
    const { staged, referrals } = await stage(dir);
    expect(staged.findings.filter((f) => f.code !== 'IDSFMT03')).toEqual([]);
    expect(staged.received.get('IDS101Referral')).toBe(3);
    expect(referrals.map((r) => [r._row, r.ServiceRequestId])).toEqual([[1, 'R1'], [2, 'R2'], [3, 'R3']]);
  });

  it('counts rows a reader rejects as received, and blank lines not at all', async () => {
    const dir = folder('blank-lines', 3);
    const path = join(dir, 'IDS101Referral.csv');
    const [head, r1, r2, r3] = readFileSync(path, 'utf8').trim().split('\r\n');
    writeFileSync(path, [head, '', r1, 'R9,P1', '', '', r2, r3].join('\r\n') + '\r\n\r\n');
    const { staged, referrals } = await stage(dir);
    expect(staged.received.get('IDS101Referral')).toBe(4);
    expect(staged.findings).toEqual([expect.objectContaining({ code: 'IDSFMT03', table: 'IDS101Referral', row: 2 })]);
    expect(referrals.map((r) => [r._row, r.ServiceRequestId])).toEqual([[1, 'R1'], [3, 'R2'], [4, 'R3']]);
  });
});

describe('encodings and line ends', () => {
  it('reads mixed CRLF and LF line ends in one file', async () => {
    const dir = folder('mixed-eol', 4);
    const path = join(dir, 'IDS101Referral.csv');
    const lines = readFileSync(path, 'utf8').trim().split('\r\n');
    writeFileSync(path, `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r\n${lines[3]}\n${lines[4]}`);
    const { staged, referrals } = await stage(dir);
    expect(staged.findings).toEqual([]);
    expect(staged.received.get('IDS101Referral')).toBe(4);
    expect(referrals.map((r) => [r._row, r.ServiceRequestId])).toEqual([[1, 'R1'], [2, 'R2'], [3, 'R3'], [4, 'R4']]);
  });

  it.each([
    ['utf-16le', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
    ['utf-16be', (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()])],
  ])('transcodes comma-separated %s with a byte-order mark (IDSFMT08 warning) and reads it', async (encoding, encode) => {
    const dir = folder(`utf16-${encoding}`, 2);
    const path = join(dir, 'IDS101Referral.csv');
    writeFileSync(path, encode(readFileSync(path, 'utf8').replace('R2', 'Ré2😀')));
    const { staged, referrals } = await stage(dir);
    expect(staged.findings).toEqual([{ code: 'IDSFMT08', table: 'IDS101Referral', row: null, field: null, value: `IDS101Referral.csv (${encoding.toUpperCase()})` }]);
    expect(referrals.map((r) => r.ServiceRequestId)).toEqual(['R1', 'Ré2😀']);
    expect(staged.structureOk).toBe(true);
  });

  it('rejects tab-separated UTF-16 ("Unicode text") telling the user to save as CSV UTF-8', async () => {
    const dir = folder('unicode-text');
    const path = join(dir, 'IDS101Referral.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(path, 'utf8').replace(/,/g, '\t'), 'utf16le')]));
    const { staged } = await stage(dir);
    expect(staged.structureOk).toBe(false);
    expect(staged.findings).toContainEqual(expect.objectContaining({ code: 'IDSFMT07', table: 'IDS101Referral', value: expect.stringMatching(/tab-separated.*save it as "CSV UTF-8"/) }));
  });

  it('reports a NUL byte in a header line as a finding, not a crash', async () => {
    const dir = folder('nul-header');
    const path = join(dir, 'IDS001MPI.csv');
    const bytes = readFileSync(path);
    bytes[5] = 0;
    writeFileSync(path, bytes);
    const { staged } = await stage(dir);
    expect(staged.structureOk).toBe(false);
    expect(staged.findings).toEqual([expect.objectContaining({ code: 'IDSFMT07', table: 'IDS001MPI', value: expect.stringMatching(/NUL byte \(at byte 6\)/) })]);
    const { report } = await validateSubmission(dir, { period: PERIOD });
    expect(report.outcome).toBe('rejected');
  });

  it('reads UTF-16 without a byte-order mark as a NUL-header finding', async () => {
    const dir = folder('utf16-nobom');
    const path = join(dir, 'IDS002GP.csv');
    writeFileSync(path, Buffer.from(readFileSync(path, 'utf8'), 'utf16le'));
    const { staged } = await stage(dir);
    expect(staged.findings).toEqual([expect.objectContaining({ code: 'IDSFMT07', table: 'IDS002GP', value: expect.stringMatching(/UTF-16 without a byte-order mark/) })]);
  });

  it('keeps UTF-8 characters split across read chunks as UTF-8 (no Windows-1252 finding)', async () => {
    const dir = folder('utf8-chunks', 1);
    const path = join(dir, 'IDS101Referral.csv');
    const [head, row] = readFileSync(path, 'utf8').trim().split('\r\n');
    // Rows of 2-, 3- and 4-byte characters, about 3 MiB: every 1 MiB read boundary falls somewhere in them.
    const rows = Array.from({ length: 30_000 }, (_, i) => row!.replace('R1', `R${i + 1}é€😀`));
    writeFileSync(path, [head, ...rows].join('\r\n'));
    const { staged, referrals } = await stage(dir);
    expect(staged.findings).toEqual([]);
    expect(referrals).toHaveLength(30_000);
    expect(referrals[29_999]!.ServiceRequestId).toBe('R30000é€😀');
  });

  it('turns a NUL byte in a data row into plain data, and a row over the line-size limit into a finding, never an exception', async () => {
    const dir = folder('odd-rows', 3);
    const path = join(dir, 'IDS101Referral.csv');
    const [head, r1, r2, r3] = readFileSync(path, 'utf8').trim().split('\r\n');
    writeFileSync(path, [head, r1!.replace('R1', 'R\u00001'), r2!.replace('R2', `R2${'x'.repeat(11_000_000)}`), r3].join('\r\n'));
    const { staged, referrals } = await stage(dir);
    expect(staged.received.get('IDS101Referral')).toBe(3);
    expect(staged.findings.length).toBeGreaterThan(0);
    for (const f of staged.findings) expect(f.value ?? '').not.toContain('\u0000');
    expect(referrals.map((r) => r.ServiceRequestId)).toContain('R3');
  });
});

describe('damaged Access files', () => {
  const SAMPLE = new URL('../fixtures/access/V2003-test.mdb', import.meta.url).pathname;

  it('reports the first 100 KB of a valid .mdb as a corrupt or truncated Access database, not as 21 missing tables', async () => {
    const path = join(root, 'truncated.mdb');
    writeFileSync(path, readFileSync(SAMPLE).subarray(0, 100 * 1024));
    await expect(stage(path)).rejects.toThrow(/truncated\.mdb is a corrupt or truncated Access database \(table Table1 cannot be read/);
    const odd = join(root, 'odd.mdb');
    writeFileSync(odd, readFileSync(SAMPLE).subarray(0, 100 * 1024 + 1000));
    // V2003-test.mdb is a Jet 4 database (Access 2000–2003): 4 KiB pages.
    await expect(stage(odd)).rejects.toThrow(/odd\.mdb is a corrupt or truncated Access database \(103400 bytes is not a whole number of 4096-byte pages\)/);
  });

  it('turns any reader exception while staging into an IntakeError naming the table', async () => {
    const source: DatabaseSource = {
      name: 'broken.accdb',
      getTableNames: () => [...TABLE_NAMES],
      getTable: (name) => ({
        rowCount: 1,
        getColumnNames: () => (name === 'IDS101Referral' ? ['ServiceRequestId'] : []),
        getData: () => {
          if (name === 'IDS101Referral') throw new RangeError('Attempt to access memory outside buffer bounds');
          return [{}];
        },
      }),
    };
    const db = await openDb();
    try {
      await expect(stageAccess(db, source)).rejects.toThrow(/broken\.accdb is a corrupt or truncated Access database \(table IDS101Referral cannot be read: Attempt to access memory/);
      await expect(stageAccess(db, source)).rejects.toBeInstanceOf(IntakeError);
    } finally {
      db.close();
    }
  });
});
