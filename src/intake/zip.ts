// A zip reader that never holds an entry in memory: the central directory is read to list the entries, and an
// entry is inflated streaming (node:zlib) from its byte range, counted against the limits as it goes.
// Entry names are only ever compared, never used as paths, so `../` or absolute names cannot write anywhere.
import { closeSync, fstatSync, openSync, readSync, createReadStream } from 'node:fs';
import { createInflateRaw, crc32 } from 'node:zlib';
import { type IntakeLimits, size } from './limits.js';
import { IntakeError } from './types.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

const u64 = (b: Buffer, at: number): number => Number(b.readBigUInt64LE(at));

function entryName(raw: Buffer, flags: number): string {
  if (flags & 0x800) return raw.toString('utf8');
  try {
    return utf8.decode(raw);
  } catch {
    return raw.toString('latin1');
  }
}

/** Lists the entries of a zip from its central directory, checking the entry-count limit first. */
export function listZipEntries(path: string, limits: IntakeLimits): ZipEntry[] {
  const bad = (why: string) => new IntakeError(`${path} is not a readable zip file (${why})`);
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const tailLength = Math.min(fileSize, 22 + 0xffff);
    const tail = readAt(fd, fileSize - tailLength, tailLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw bad('no end of central directory record');
    let count = tail.readUInt16LE(at + 10);
    let cdSize = tail.readUInt32LE(at + 12);
    let cdOffset = tail.readUInt32LE(at + 16);
    if (tail.readUInt16LE(at + 4) !== 0 || tail.readUInt16LE(at + 6) !== 0) throw bad('a multi-part zip');
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const locatorAt = fileSize - tailLength + at - 20;
      const locator = locatorAt >= 0 ? readAt(fd, locatorAt, 20) : Buffer.alloc(0);
      if (locator.length === 20 && locator.readUInt32LE(0) === ZIP64_LOCATOR) {
        const record = readAt(fd, u64(locator, 8), 56);
        if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw bad('a broken ZIP64 end record');
        count = u64(record, 32);
        cdSize = u64(record, 40);
        cdOffset = u64(record, 48);
      }
    }
    if (count > limits.maxEntries) throw new IntakeError(`${path} has ${count} entries: more than the limit of ${limits.maxEntries} entries in a zip`);
    if (cdOffset + cdSize > fileSize) throw bad('the central directory lies outside the file (truncated?)');
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    while (p + 46 <= cd.length && cd.readUInt32LE(p) === CENTRAL) {
      if (entries.length >= limits.maxEntries) throw new IntakeError(`${path} has more than the limit of ${limits.maxEntries} entries in a zip`);
      const flags = cd.readUInt16LE(p + 8);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      if (p + 46 + nameLength + extraLength + commentLength > cd.length) throw bad('a truncated central directory');
      const entry: ZipEntry = {
        name: entryName(cd.subarray(p + 46, p + 46 + nameLength), flags),
        method: cd.readUInt16LE(p + 10),
        flags,
        crc: cd.readUInt32LE(p + 16),
        compressedSize: cd.readUInt32LE(p + 20),
        uncompressedSize: cd.readUInt32LE(p + 24),
        localHeaderOffset: cd.readUInt32LE(p + 42),
      };
      // ZIP64 extra field: the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
      const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
      for (let e = 0; e + 4 <= extra.length; ) {
        const id = extra.readUInt16LE(e);
        const length = extra.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          const next = (): number | null => (q + 8 <= e + 4 + length && q + 8 <= extra.length ? ((q += 8), u64(extra, q - 8)) : null);
          if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next() ?? entry.uncompressedSize;
          if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
          if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next() ?? entry.localHeaderOffset;
        }
        e += 4 + length;
      }
      entries.push(entry);
      p += 46 + nameLength + extraLength + commentLength;
    }
    if (entries.length !== count) throw bad(`the central directory lists ${entries.length} entries, its end record ${count}`);
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** Running total of bytes inflated from one zip, shared by its entries. */
export interface InflateBudget {
  inflated: number;
}

/** Refuses an entry before inflating it when its own header already breaks a limit. */
export function checkDeclared(path: string, entry: ZipEntry, limits: IntakeLimits): void {
  const where = `${path}: entry "${entry.name}"`;
  if (entry.flags & 0x1) throw new IntakeError(`${where} is encrypted; submit an unencrypted zip`);
  if (entry.method !== 0 && entry.method !== 8) throw new IntakeError(`${where} uses compression method ${entry.method}; only stored and deflated entries are read`);
  if (entry.uncompressedSize > limits.maxTotalUncompressedBytes) {
    throw new IntakeError(`${where} declares ${size(entry.uncompressedSize)} uncompressed: more than the limit of ${size(limits.maxTotalUncompressedBytes)} for the tables of a zip`);
  }
  if (entry.uncompressedSize > limits.ratioAppliesAboveBytes && entry.uncompressedSize > limits.maxCompressionRatio * Math.max(entry.compressedSize, 1)) {
    throw new IntakeError(`${where} declares ${size(entry.uncompressedSize)} from ${size(entry.compressedSize)}: a compression ratio above the limit of ${limits.maxCompressionRatio}:1 (a zip bomb?)`);
  }
}

/**
 * The entry's uncompressed bytes, streaming. Stops with an IntakeError as soon as the entry inflates to more
 * than its header declares, beyond the ratio limit, or beyond the zip's total; checks the CRC at the end.
 */
export async function* inflateEntry(path: string, entry: ZipEntry, limits: IntakeLimits, budget: InflateBudget): AsyncGenerator<Uint8Array> {
  checkDeclared(path, entry, limits);
  const where = `${path}: entry "${entry.name}"`;
  const fd = openSync(path, 'r');
  let dataStart: number;
  let fileSize: number;
  try {
    fileSize = fstatSync(fd).size;
    const local = readAt(fd, entry.localHeaderOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw new IntakeError(`${where} has no local header where the central directory says (a corrupt zip)`);
    dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    closeSync(fd);
  }
  if (dataStart + entry.compressedSize > fileSize) throw new IntakeError(`${where} runs past the end of the zip (truncated?)`);
  if (entry.compressedSize === 0) {
    if (entry.uncompressedSize !== 0) throw new IntakeError(`${where} is corrupt (no data for ${size(entry.uncompressedSize)})`);
    return;
  }
  const raw = createReadStream(path, { start: dataStart, end: dataStart + entry.compressedSize - 1, highWaterMark: 64 * 1024 });
  const inflate = entry.method === 8 ? createInflateRaw() : null;
  const stream = inflate ? raw.pipe(inflate) : raw;
  if (inflate) raw.on('error', (error) => inflate.destroy(error));
  let out = 0;
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      out += chunk.length;
      budget.inflated += chunk.length;
      if (out > entry.uncompressedSize) throw new IntakeError(`${where} inflates to more than the ${size(entry.uncompressedSize)} its header declares (a corrupt zip or a zip bomb)`);
      const consumed = inflate ? inflate.bytesWritten : out;
      if (out > limits.ratioAppliesAboveBytes && out > limits.maxCompressionRatio * Math.max(consumed, 1)) {
        throw new IntakeError(`${where} inflates at more than the limit of ${limits.maxCompressionRatio}:1 (a zip bomb?)`);
      }
      if (budget.inflated > limits.maxTotalUncompressedBytes) throw new IntakeError(`${where}: the tables of the zip inflate to more than the limit of ${size(limits.maxTotalUncompressedBytes)}`);
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof IntakeError) throw error;
    throw new IntakeError(`${where} cannot be inflated (${(error as Error).message}): a corrupt zip`);
  } finally {
    raw.destroy();
    inflate?.destroy();
  }
  if (out !== entry.uncompressedSize) throw new IntakeError(`${where} inflates to ${size(out)}, not the ${size(entry.uncompressedSize)} its header declares (a corrupt zip)`);
  if (crc >>> 0 !== entry.crc >>> 0) throw new IntakeError(`${where} fails its CRC check (a corrupt zip)`);
}
