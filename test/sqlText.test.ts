// No SQL text in src/ quotes a value by hand: a value reaches SQL through the vocabulary of src/core/sql.ts
// (literal, list, isIn, …) or as a parameter bound by DuckDB. A template literal that wraps an interpolation in
// single quotes ('${x}') or a hand-written quoter (.replace(/'/g, "''")) anywhere else fails here, naming the line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Places allowed to quote, each with the reason. */
const ALLOWED: readonly { file: string; pattern: RegExp; reason: string }[] = [
  { file: 'core/sql.ts', pattern: /./, reason: 'the vocabulary itself' },
  { file: 'core/html.ts', pattern: /replaceAll\("'", '&#39;'\)/, reason: 'HTML escaping, not SQL' },
  { file: 'core/formula.ts', pattern: /isFormulaLike\(text\) \? `'\$\{text\}`/, reason: "neutraliseCell writes CSV text for a spreadsheet (a leading quote), not SQL" },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const HAND_QUOTED = [/'\$\{/, /\.replace(All)?\(\/'\/g/, /replaceAll\("'"/];

export function handQuoted(root: string): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(root)) {
    const rel = relative(root, file);
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!HAND_QUOTED.some((p) => p.test(line))) return;
        if (ALLOWED.some((a) => a.file === rel && a.pattern.test(line))) return;
        found.push(`src/${rel}:${i + 1}: ${line.trim().slice(0, 140)}`);
      });
  }
  return found;
}

describe('SQL text', () => {
  it('quotes no value by hand outside src/core/sql.ts', () => {
    expect(handQuoted(SRC)).toEqual([]);
  });

  it('would catch a hand-quoted value (the check itself)', () => {
    expect(HAND_QUOTED[0]!.test("`WHERE EndCode = '${code}'`")).toBe(true);
    expect(HAND_QUOTED[1]!.test(`s.replace(/'/g, "''")`)).toBe(true);
    expect(HAND_QUOTED.some((p) => p.test('`WHERE EndCode = ${literal(code)}`'))).toBe(false);
  });
});
