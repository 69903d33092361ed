// A zip reader that never holds an entry in memory. yauzl reads the zip's structure: the end record (ZIP64
// too), the central directory, each entry's local header and the byte range of its data, checked against the
// file's bounds. An entry is inflated streaming (node:zlib) from that byte range, counted against the limits
// as it goes; only the entries asked for are ever opened.
// Entry names are only ever compared, never used as paths, so `../` or absolute names cannot write anywhere:
// yauzl's name checks (which refuse the whole zip for such a name) are not used, and such an entry that is not
// a table is listed (IDSFMT04) like any other.
import type { Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';
import { getFileNameLowLevel, openPromise, type Entry, type Options, type ZipFile } from 'yauzl';
import { type IntakeLimits, size } from './limits.js';
import { IntakeError } from './types.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  /** yauzl's record of the entry, to open its data. */
  entry: Entry;
}

const OPTIONS: Options = {
  lazyEntries: true,
  autoClose: true,
  // Names are decoded below without yauzl's validateFileName, which would refuse the zip for a `../` name.
  decodeStrings: false,
  // A stored entry's two sizes must agree; a deflated entry's inflated size is checked while it inflates.
  validateEntrySizes: true,
  strictFileNames: true,
};

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function openZip(path: string): Promise<ZipFile> {
  let zip: ZipFile;
  try {
    zip = await openPromise(path, OPTIONS);
  } catch (error) {
    throw new IntakeError(`${path} is not a readable zip file (${message(error)})`);
  }
  // Errors while listing reach eachEntry(); one from closing the file afterwards has nothing left to fail.
  zip.on('error', () => {});
  return zip;
}

/** The entry's name as the zip spells it: UTF-8 (flag or Info-ZIP Unicode path field), else CP437; `\` kept. */
const nameOf = (entry: Entry): string => getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);

/** Lists the entries of a zip from its central directory, checking the entry-count limit first. */
export async function listZipEntries(path: string, limits: IntakeLimits): Promise<ZipEntry[]> {
  const zip = await openZip(path);
  const entries: ZipEntry[] = [];
  try {
    if (zip.entryCount > limits.maxEntries) throw new IntakeError(`${path} has ${zip.entryCount} entries: more than the limit of ${limits.maxEntries} entries in a zip`);
    try {
      for await (const entry of zip.eachEntry()) {
        entries.push({
          name: nameOf(entry),
          method: entry.compressionMethod,
          flags: entry.generalPurposeBitFlag,
          crc: entry.crc32,
          compressedSize: entry.compressedSize,
          uncompressedSize: entry.uncompressedSize,
          entry,
        });
      }
    } catch (error) {
      throw new IntakeError(`${path} is not a readable zip file (${message(error)})`);
    }
  } finally {
    zip.close();
  }
  return entries;
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
  const zip = await openZip(path);
  let raw: Readable;
  try {
    // The entry's bytes as stored: yauzl checks the local header and that they lie within the file. They are
    // inflated here, not by yauzl, because the ratio limit needs the compressed bytes consumed so far.
    raw = await zip.openReadStreamPromise(entry.entry, { decodeFileData: false });
  } catch (error) {
    zip.close();
    throw new IntakeError(`${where} cannot be read (${message(error)}): a corrupt zip`);
  }
  const inflate = entry.method === 8 && entry.compressedSize > 0 ? createInflateRaw() : null;
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
    throw new IntakeError(`${where} cannot be inflated (${message(error)}): a corrupt zip`);
  } finally {
    raw.destroy();
    inflate?.destroy();
    zip.close();
  }
  if (out !== entry.uncompressedSize) throw new IntakeError(`${where} inflates to ${size(out)}, not the ${size(entry.uncompressedSize)} its header declares (a corrupt zip)`);
  if (crc >>> 0 !== entry.crc >>> 0) throw new IntakeError(`${where} fails its CRC check (a corrupt zip)`);
}
