// The data set spec is the one source of codes: no SQL outside src/dataset/ compares a coded item with a code
// typed as a literal (`AttendOrDNACode IN ('5', '6')`, `EndCode = '10'`, `CASE Gender WHEN '1' …`); it names the
// codes through the spec (ATTENDED_CODES, codeList('EndCode'), …) and writes them with core/sql.ts. A typed
// code fails here, naming the line. The allow-list is short and each entry says why.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../src/dataset/index.js';

const SRC = resolve(import.meta.dirname, '../../src');

/** Items with a code list, and the derived columns that carry an item's codes unchanged. */
const CODED = [...new Set([...TABLES.flatMap((t) => t.items.filter((i) => i.codeList).map((i) => i.name)), 'Validated_EthnicCategory'])];

const ALLOWED: readonly { file: string; pattern: RegExp; reason: string }[] = [];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const names = CODED.join('|');
/** A coded item compared with a quoted literal: =, <>, !=, IN (…), NOT IN (…), CASE item WHEN '…', list_contains(item, '…'). */
const TYPED_CODE = new RegExp(
  `\\b(?:${names})\\b["]?\\s*(?:=|<>|!=|(?:NOT\\s+)?IN\\s*\\()\\s*'|CASE\\s+["]?(?:${names})\\b["]?\\s+WHEN\\s+'|list_contains\\(\\s*["]?(?:${names})\\b["]?\\s*,\\s*'`,
  'i',
);

function typedCodes(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const rel = relative(SRC, file);
    if (rel.startsWith('dataset/')) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!TYPED_CODE.test(line)) return;
        if (ALLOWED.some((a) => a.file === rel && a.pattern.test(line))) return;
        found.push(`src/${rel}:${i + 1}: ${line.trim().slice(0, 140)}`);
      });
  }
  return found;
}

describe('codes come from the spec', () => {
  it('no SQL outside src/dataset/ compares a coded item with a typed code', () => {
    expect(typedCodes()).toEqual([]);
  });

  it('would catch a typed code (the check itself)', () => {
    expect(CODED).toContain('AttendOrDNACode');
    for (const typed of ["AttendOrDNACode IN ('5', '6')", "EndCode = '10'", "t.\"Gender\" <> '9'", "CASE Gender WHEN '1' THEN", "list_contains(ExBAFIndicator, '02')"]) expect(TYPED_CODE.test(typed), typed).toBe(true);
    for (const named of ['AttendOrDNACode IN (${list(ATTENDED_CODES)})', 'EndCode = ${literal(code)}', "ServDischDate = ''"]) expect(TYPED_CODE.test(named), named).toBe(false);
  });
});
