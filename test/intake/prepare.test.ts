// The record scanner's line-by-line fast path (chunks without quotes) must agree exactly with the byte-by-byte
// scan, whatever the chunking: same output bytes, records, lines and unclosed-quote position.
import { describe, expect, it } from 'vitest';
import { RecordScanner } from '../../src/intake/prepare.js';

function run(text: Buffer, cuts: number[], fast: boolean) {
  const scanner = new RecordScanner(fast);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    parts.push(scanner.push(text.subarray(from, cut)));
    from = cut;
  }
  scanner.end();
  return { out: Buffer.concat(parts).toString('latin1'), records: scanner.records, lines: scanner.lines, inQuotes: scanner.inQuotes, opened: scanner.opened };
}

describe('record scanner', () => {
  it('fast and byte-by-byte paths agree on random CSV-like text in random chunks', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['a', 'b', ',', ',', '\r\n', '\n', '\r', '"', 'x', '1'];
    for (let n = 0; n < 400; n++) {
      const pieces = Array.from({ length: 5 + Math.floor(random() * 80) }, () => alphabet[Math.floor(random() * alphabet.length)]!);
      // Mostly quote-free after the first line, so the fast path is taken.
      const text = Buffer.from('h1,h2\r\n' + pieces.filter((p) => p !== '"' || random() < 0.2).join(''), 'latin1');
      const cuts = Array.from({ length: Math.floor(random() * 6) }, () => Math.floor(random() * text.length)).sort((a, b) => a - b);
      expect(run(text, cuts, true), JSON.stringify({ text: text.toString('latin1'), cuts })).toEqual(run(text, cuts, false));
    }
  });
});
