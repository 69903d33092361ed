// Builds zip files byte by byte for the intake fault tests: any entry name, any declared sizes, and deflate
// streams of gigabytes of zeros that cost a few megabytes (one fully flushed block of 1 MiB of zeros repeated).
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** The entry's data as stored in the zip (deflated when method is 8). */
  data: Buffer;
  method?: 0 | 8;
  crc?: number;
  /** What the headers claim; defaults to the truth for `deflated()` data. */
  uncompressedSize: number;
}

/** An entry of `bytes`, deflated, with honest headers. */
export function deflated(name: string, bytes: Buffer): RawEntry {
  return { name, data: deflateRawSync(bytes), method: 8, crc: crc32(bytes), uncompressedSize: bytes.length };
}

/** A raw deflate stream of `mib` MiB of zero bytes (about 1 KB per MiB). */
export function zerosDeflated(mib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_FULL_FLUSH });
  const parts: Buffer[] = new Array<Buffer>(mib).fill(block);
  parts.push(Buffer.from([0x03, 0x00])); // an empty final block
  return Buffer.concat(parts);
}

export function buildZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.method ?? 8, 8);
    local.writeUInt32LE((e.crc ?? 0) >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, e.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(e.method ?? 8, 10);
    central.writeUInt32LE((e.crc ?? 0) >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
