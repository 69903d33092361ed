// Turns one table file, streaming, into the UTF-8 file DuckDB reads, and counts its records on the way
// (independently of DuckDB, so that no row can go missing unnoticed). One pass over the bytes:
// - encoding: a UTF-8 byte-order mark is dropped; UTF-16 LE/BE with a byte-order mark (Excel's "Unicode
//   text") is transcoded to UTF-8; a file that is not valid UTF-8 is re-read as Windows-1252 (a second pass
//   over the temp file);
// - line ends: an RFC 4180 scan (quoted fields may hold commas, quotes as "" and line breaks) ends records at
//   CRLF, LF or a lone CR outside quotes and writes every record end as LF, so mixed line ends read as one
//   file; blank lines are dropped (DuckDB skips them too), so data row n is the n-th record after the header;
// - an unclosed quote at the end of the file is reported with the line and column where it opened.
import { createReadStream, openSync, closeSync, writeSync, renameSync, rmSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface PreparedTable {
  encoding: Encoding;
  /** The first record (the header), decoded; null for an empty file. */
  header: string | null;
  /** The first record and the next, decoded (for the Header's DatSetVer); '' when absent. */
  prefix: string;
  /** Data records in the file (records after the header; blank lines are not records). */
  dataRecords: number;
  /** Set when the file ends inside a quoted field: where that quote opened. */
  unclosedQuote: { line: number; dataRow: number; column: number; linesAfter: number } | null;
  /** Index of a NUL byte in the header record, if any. */
  headerNul: number | null;
}

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;
/** The header and first data record are kept for the version check, up to this many bytes. */
const PREFIX_LIMIT = 4 * 1024 * 1024;

/** Splits a byte stream at UTF-8 sequence boundaries so each piece can be checked with isUtf8. */
class Utf8Check {
  valid = true;
  private carry: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): void {
    if (!this.valid) return;
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    // Keep back an incomplete sequence at the end (at most 3 bytes).
    let cut = bytes.length;
    for (let k = 1; k <= 3 && bytes.length - k >= 0; k++) {
      const b = bytes[bytes.length - k]!;
      if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > k) cut = bytes.length - k;
      break;
    }
    if (!isUtf8(bytes.subarray(0, cut))) this.valid = false;
    this.carry = Uint8Array.from(bytes.subarray(cut));
  }

  end(): void {
    if (this.carry.length > 0 && !isUtf8(this.carry)) this.valid = false;
  }
}

/** The RFC 4180 scan; `push` returns the chunk with record ends written as LF and blank lines dropped. */
export class RecordScanner {
  records = 0; // non-blank records ended so far (the header is record 1)
  line = 1; // physical line of the current byte
  inQuotes = false;
  prefix: Uint8Array[] = [];
  prefixBytes = 0;
  prefixDone = false;
  private capturing = true;
  headerNul: number | null = null;
  private headerBytes = 0;
  justClosed = false;
  atFieldStart = true;
  recordHasContent = false;
  field = 0;
  prevCR = false;
  lineHasContent = false;
  recordStartLine = 1;
  opened: { line: number; record: number; column: number; recordStartLine: number } | null = null;

  constructor(private readonly fast = true) {}

  push(chunk: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe(chunk.length);
    const o = this.fast && !this.inQuotes && this.records > 0 && chunk.indexOf(QUOTE) < 0 ? this.scanLines(chunk, out) : this.scanBytes(chunk, out);
    const written = out.subarray(0, o);
    if (this.capturing && this.prefixBytes < PREFIX_LIMIT) {
      this.prefix.push(Uint8Array.from(written));
      this.prefixBytes += written.length;
    }
    if (this.prefixDone) this.capturing = false;
    return written;
  }

  /** The common case, a chunk without quotes after the header: line by line with native searches. */
  private scanLines(chunk: Uint8Array, out: Buffer): number {
    let o = 0;
    let pos = 0;
    let nextCR = chunk.indexOf(CR);
    let nextLF = chunk.indexOf(LF);
    const content = (from: number, to: number) => {
      out.set(chunk.subarray(from, to), o);
      o += to - from;
      this.prevCR = false;
      this.lineHasContent = true;
      this.justClosed = false;
      if (!this.recordHasContent) {
        this.recordHasContent = true;
        this.recordStartLine = this.line;
      }
    };
    while (nextCR >= 0 || nextLF >= 0) {
      const j = nextCR < 0 ? nextLF : nextLF < 0 ? nextCR : Math.min(nextCR, nextLF);
      const t = chunk[j]!;
      if (j > pos) content(pos, j);
      if (t === LF && this.prevCR && j === pos) this.prevCR = false; // the LF of a CRLF
      else {
        this.line++;
        this.lineHasContent = false;
        if (this.recordHasContent) {
          out[o++] = LF;
          this.records++;
          if (this.records === 2) this.prefixDone = true;
        }
        this.recordHasContent = false;
        this.atFieldStart = true;
        this.field = 0;
        this.prevCR = t === CR;
      }
      pos = j + 1;
      if (t === CR) nextCR = chunk.indexOf(CR, pos);
      else nextLF = chunk.indexOf(LF, pos);
    }
    if (pos < chunk.length) {
      content(pos, chunk.length);
      for (let i = pos; i < chunk.length; i++) if (chunk[i] === COMMA) this.field++;
      this.atFieldStart = chunk[chunk.length - 1] === COMMA;
    }
    return o;
  }

  /** Byte by byte: quotes, and the header (NUL check). */
  private scanBytes(chunk: Uint8Array, out: Buffer): number {
    let o = 0;
    // The state in locals for the hot loop, written back at the end.
    let { prevCR, inQuotes, justClosed, atFieldStart, recordHasContent, field, line, lineHasContent, records, recordStartLine } = this;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b > QUOTE && b !== COMMA) {
        // An ordinary byte (the common case).
        prevCR = false;
        lineHasContent = true;
        if (!inQuotes) {
          if (!recordHasContent) {
            recordHasContent = true;
            recordStartLine = line;
          }
          atFieldStart = false;
          justClosed = false;
        }
        out[o++] = b;
        if (records === 0) this.headerByte(b);
        continue;
      }
      const wasCR = prevCR;
      prevCR = b === CR;
      if (b === LF && wasCR) {
        if (inQuotes) out[o++] = b; // CRLF inside a quoted field: kept, one physical line
        continue; // CRLF outside quotes: the CR already ended the record
      }
      if (b === CR || b === LF) {
        line++;
        lineHasContent = false;
      } else lineHasContent = true;
      if (inQuotes) {
        if (b === QUOTE) {
          inQuotes = false;
          justClosed = true;
        }
        out[o++] = b;
        if (records === 0) this.headerByte(b);
        continue;
      }
      if (b === CR || b === LF) {
        justClosed = false;
        if (recordHasContent) {
          out[o++] = LF;
          records++;
          if (records === 2) this.prefixDone = true;
        }
        recordHasContent = false;
        atFieldStart = true;
        field = 0;
        continue;
      }
      if (!recordHasContent) {
        recordHasContent = true;
        recordStartLine = line;
      }
      if (b === QUOTE) {
        if (justClosed) inQuotes = true; // "" inside a quoted field
        else if (atFieldStart) {
          inQuotes = true;
          this.opened = { line, record: records + 1, column: field, recordStartLine };
        }
        justClosed = false;
        atFieldStart = false;
      } else if (b === COMMA) {
        field++;
        atFieldStart = true;
        justClosed = false;
      } else {
        atFieldStart = false;
        justClosed = false;
      }
      out[o++] = b;
      if (records === 0) this.headerByte(b);
    }
    Object.assign(this, { prevCR, inQuotes, justClosed, atFieldStart, recordHasContent, field, line, lineHasContent, records, recordStartLine });
    return o;
  }

  private headerByte(b: number): void {
    if (b === 0 && this.headerNul === null) this.headerNul = this.headerBytes;
    this.headerBytes++;
  }

  /** Ends the file: counts a last record without a line end. */
  end(): void {
    if (!this.inQuotes && this.recordHasContent) this.records++;
  }

  /** Physical lines in the file (a last line without a line end counts). */
  get lines(): number {
    return this.lineHasContent ? this.line : this.line - 1;
  }
}

function decodeWith(encoding: Encoding, bytes: Uint8Array): string {
  return new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : 'utf-8').decode(bytes);
}

/** The first `n` CSV records of a text (quotes may hold line breaks), as text. */
function firstRecords(text: string, n: number): string {
  let quoted = false;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted && ++count === n) return text.slice(0, i);
  }
  return text;
}

/** Writes `source` to `target` as UTF-8 with LF record ends, and describes what it found. */
export async function prepareTable(source: AsyncIterable<Uint8Array>, target: string): Promise<PreparedTable> {
  const scanner = new RecordScanner();
  const check = new Utf8Check();
  let encoding: Encoding = 'utf-8';
  let utf16: TextDecoder | null = null;
  let start: Uint8Array | null = new Uint8Array(0); // the first bytes, until the byte-order mark is known
  const fd = openSync(target, 'w');
  const write = (text: Uint8Array) => {
    const out = scanner.push(text);
    if (!utf16) check.push(out);
    for (let done = 0; done < out.length; ) done += writeSync(fd, out, done, out.length - done);
  };
  const feed = (bytes: Uint8Array) => {
    if (utf16) write(Buffer.from(utf16.decode(bytes, { stream: true }), 'utf8'));
    else write(bytes);
  };
  const begin = (bytes: Uint8Array) => {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    else if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
    if (encoding !== 'utf-8') {
      utf16 = new TextDecoder(encoding, { ignoreBOM: false });
    }
    feed(bytes);
  };
  try {
    for await (const chunk of source) {
      if (start) {
        start = Buffer.concat([start, chunk]);
        if (start.length < 3) continue;
        const first = start;
        start = null;
        begin(first);
      } else feed(chunk);
    }
    if (start) begin(start);
    if (utf16) write(Buffer.from((utf16 as TextDecoder).decode(), 'utf8'));
    scanner.end();
    check.end();
  } finally {
    closeSync(fd);
  }
  if (encoding === 'utf-8' && !check.valid) {
    encoding = 'windows-1252';
    await transcodeWindows1252(target);
  }
  const prefix = decodeWith(encoding, Buffer.concat(scanner.prefix));
  const opened = scanner.inQuotes ? scanner.opened : null;
  return {
    encoding,
    header: scanner.records === 0 && !scanner.inQuotes ? null : firstRecords(prefix, 1),
    prefix: firstRecords(prefix, 2),
    dataRecords: Math.max(scanner.records - 1, 0),
    unclosedQuote: opened ? { line: opened.line, dataRow: opened.record - 1, column: opened.column, linesAfter: scanner.lines - opened.recordStartLine + 1 } : null,
    headerNul: scanner.headerNul,
  };
}

/** Rewrites a Windows-1252 file as UTF-8, streaming (a single-byte code: chunks decode independently). */
async function transcodeWindows1252(path: string): Promise<void> {
  const decoder = new TextDecoder('windows-1252');
  const tmp = `${path}.utf8`;
  const fd = openSync(tmp, 'w');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      const out = Buffer.from(decoder.decode(chunk as Buffer), 'utf8');
      for (let done = 0; done < out.length; ) done += writeSync(fd, out, done, out.length - done);
    }
  } finally {
    closeSync(fd);
  }
  rmSync(path);
  renameSync(tmp, path);
}
