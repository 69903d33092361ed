// Bad submissions made from a good one, all generated here: broken zips, ambiguous and oversized entries,
// broken CSV structure, other encodings, formula cells, corrupt Access files and empty folders.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { buildZip, deflated, zerosDeflated, type RawEntry } from '../intake/zipBuild.js';

export interface BadInput {
  name: string;
  path: string;
  /** Exit code of `iapt validate` (0 accepted, 1 rejected, 3 unreadable). */
  validate: 0 | 1 | 3;
  /** What stderr or stdout must say. */
  says: RegExp;
  /** What report.json must say, when validation wrote one. */
  report?: RegExp;
}

type Tables = Record<string, string>;

const readTables = (zip: string): Tables => Object.fromEntries(Object.entries(unzipSync(readFileSync(zip))).map(([name, bytes]) => [name, strFromU8(bytes)]));
const zipOf = (tables: Tables): Uint8Array => zipSync(Object.fromEntries(Object.entries(tables).map(([name, text]) => [name, strToU8(text)])));

/** The n-th data line of a CSV text (1-based), edited. */
function editLine(text: string, n: number, edit: (line: string) => string): string {
  const lines = text.split('\n');
  lines[n] = edit(lines[n]!);
  return lines.join('\n');
}

/** A zip of the tables plus one entry of `mib` MiB of zero bytes, built without holding the entry in memory. */
function zipWithLargeEntry(tables: Tables, entry: string, mib: number): Buffer {
  const zeros = Buffer.alloc(2 ** 20);
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(zeros, crc);
  const large: RawEntry = { name: entry, data: zerosDeflated(mib), crc, uncompressedSize: mib * 2 ** 20 };
  return buildZip([...Object.entries(tables).map(([name, text]) => deflated(name, Buffer.from(text))), large]);
}

/** Writes the corpus into `dir` from a good submission zip (a 2.1 file of one provider). */
export function buildCorpus(goodZip: string, dir: string): BadInput[] {
  mkdirSync(dir, { recursive: true });
  const good = readTables(goodZip);
  const inputs: BadInput[] = [];
  const add = (name: string, content: Uint8Array | string | null, validate: BadInput['validate'], says: RegExp, file = `${name}.zip`, report?: RegExp): void => {
    const path = join(dir, file);
    if (content !== null) writeFileSync(path, content);
    inputs.push({ name, path, validate, says, ...(report ? { report } : {}) });
  };
  const changed = (table: string, text: string): Tables => ({ ...good, [table]: text });
  const bytes = readFileSync(goodZip);

  add('a file that does not exist', null, 3, /does not exist/);
  add('an empty zip file', new Uint8Array(0), 3, /not a readable zip/);
  add('a text file named .zip', 'IDS000Header.csv\n', 3, /not a readable zip/);
  add('a truncated zip', bytes.subarray(0, Math.floor(bytes.length * 0.6)), 3, /not a readable zip/);
  add('a zip with no table in it', zipOf({ 'readme.txt': 'hello\n' }), 1, /IDSREJ001/);
  add('the same table twice in sub-folders', zipOf({ ...good, 'a/IDS101Referral.csv': good['IDS101Referral.csv']!, 'b/IDS101Referral.csv': good['IDS101Referral.csv']! }), 3, /IDS101Referral\.csv/);
  const { ['IDS201CareContact.csv']: contacts, ...rest } = good;
  add('a table at the top and in a sub-folder', zipOf({ ...rest, 'IDS201CareContact.csv': contacts!, 'old/IDS201CareContact.csv': contacts! }), 3, /IDS201CareContact\.csv/);
  add('an unused entry of 1.5 GiB', zipWithLargeEntry(good, 'attachments/scan.bin', 1536), 0, /ACCEPTED/, undefined, /"IDSFMT04"/);
  add('a table entry of 1.5 GiB (a zip bomb)', zipWithLargeEntry(rest, 'IDS201CareContact.csv', 1536), 3, /IDS201CareContact\.csv/);
  add('an unclosed quote on data row 5', zipOf(changed('IDS201CareContact.csv', editLine(contacts!, 5, (l) => l.replace(',', ',"')))), 1, /IDSFMT07 IDS201CareContact/, undefined, /"IDSFMT07"/);
  add('a NUL byte in a header', zipOf(changed('IDS101Referral.csv', good['IDS101Referral.csv']!.replace(',', ',\0'))), 1, /IDSFMT07 IDS101Referral/);
  add('a header with no data row', zipOf(changed('IDS000Header.csv', good['IDS000Header.csv']!.split('\n')[0] + '\n')), 1, /REJECTED/);
  add('a missing column', zipOf(changed('IDS101Referral.csv', good['IDS101Referral.csv']!.replace(/^ServiceRequestId,/, 'ServiceRequestIdentifier,'))), 1, /IDSREJ001/);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good['IDS902CarePersQual.csv']!, 'utf16le')]);
  add('a UTF-16 table (Excel "Unicode text")', zipSync(Object.fromEntries(Object.entries({ ...good }).map(([n, t]) => [n, n === 'IDS902CarePersQual.csv' ? new Uint8Array(utf16) : strToU8(t)]))), 0, /ACCEPTED/, undefined, /"IDSFMT08"/);
  const referrals = good['IDS101Referral.csv']!;
  add('mixed CRLF and LF line ends', zipOf(changed('IDS101Referral.csv', referrals.split('\n').map((l, i) => (i % 2 ? `${l}\r` : l)).join('\n').replace(/\r$/, ''))), 0, /ACCEPTED/);
  add('a formula in an organisation code', zipOf(changed('IDS101Referral.csv', editLine(referrals, 1, (l) => l.replace(/,([A-Z0-9]{3,5}),/, ',=1+1,')))), 0, /ACCEPTED/, undefined, /"IDSFMT05"/);
  const access = readFileSync(fileURLToPath(new URL('../fixtures/access/V2003-test.mdb', import.meta.url)));
  add('a truncated Access database', access.subarray(0, 100 * 1024), 3, /corrupt or truncated Access/, 'truncated.mdb');
  add('random bytes named .mdb', new Uint8Array(Buffer.alloc(4096, 7)), 3, /Access/, 'random.mdb');
  mkdirSync(join(dir, 'empty-folder'));
  add('a folder with no CSV file', null, 1, /IDSREJ001/, 'empty-folder');
  return inputs;
}
