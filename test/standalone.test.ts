// The repository stands alone: a fresh clone, with nothing beside it, has everything the product and its
// tests read. The team's shared reference folder sits next to the repository only in some workspaces, so
// what the tests need from it is copied in (reference/nhs/, test/fixtures/, each with its PROVENANCE.md).
//
// The rule, checked over src/, test/, bench/, scripts/, bin/, the package.json scripts, the tsconfig files and
// the vitest and eslint configs:
//   1. no code (anything outside a comment) names the team's shared reference folder (the spellings are in
//      SHARED below). Comments in src/ may cite that folder's documents as the source of a fact;
//   2. no relative path in a string names a place outside the repository: in source files resolved from the
//      file's own folder (as imports and `new URL(..., import.meta.url)` are), in package.json scripts and
//      tsconfig files from the root. A path of `..` segments only (`../../../`, as a zip-traversal test uses
//      for an entry name) names no file and is allowed; `../../../elsewhere/a.md` is not;
//   3. no absolute path points beside the repository (into the folder that holds it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const FOLDERS = ['src', 'test', 'bench', 'scripts', 'bin'];
const CONFIGS = ['vitest.config.ts', 'eslint.config.js'];
const SOURCE = /\.(ts|js|mjs|cjs|mts|cts)$/;
// Spelled in pieces so that this file does not break its own rule.
const SHARED = ['..' + '/shared', 'shared' + '/external', 'shared' + '/docs'];

interface Text {
  /** The code with comments blanked out (line breaks kept). */
  code: string;
  /** Every string literal: its text and line; a template literal's text up to its first `${`. */
  strings: { text: string; line: number }[];
}

// A `/` after one of these (or at the start) opens a regular expression, not a division.
const REGEX_AFTER = /^$|[(,=:[!&|?{};+\-*%<>~^]/;

function lastCodeChar(code: string): string {
  let j = code.length - 1;
  while (j >= 0 && /\s/.test(code[j]!)) j--;
  return j < 0 ? '' : code[j]!;
}

/** Splits JS/TS source into code and string literals, dropping comments. Regular expression literals are
 * recognised by what precedes them, and quoted strings end at a line break, so a quote inside a regular
 * expression cannot swallow the rest of the file. */
export function scan(source: string): Text {
  let code = '';
  const strings: Text['strings'] = [];
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      const lines = source.slice(i, stop).split('\n').length - 1;
      code += '\n'.repeat(lines);
      line += lines;
      i = stop;
    } else if (c === '/' && REGEX_AFTER.test(lastCodeChar(code))) {
      // A regular expression literal: kept as code, never taken for a string or a comment.
      let inClass = false;
      code += c;
      i++;
      while (i < source.length && source[i] !== '\n' && (inClass || source[i] !== '/')) {
        if (source[i] === '\\') {
          code += source.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        code += source[i];
        i++;
      }
      if (source[i] === '/') {
        code += '/';
        i++;
      }
    } else if (c === "'" || c === '"' || c === '`') {
      const start = line;
      let text = '';
      let interpolated = false;
      i++;
      while (i < source.length && source[i] !== c && (c === '`' || source[i] !== '\n')) {
        if (source[i] === '\\') {
          text += interpolated ? '' : source[i + 1] ?? '';
          i += 2;
          continue;
        }
        if (c === '`' && source[i] === '$' && source[i + 1] === '{') interpolated = true;
        if (source[i] === '\n') line++;
        if (!interpolated) text += source[i];
        i++;
      }
      i++;
      strings.push({ text, line: start });
      code += `${c}${text}${c}`;
    } else {
      if (c === '\n') line++;
      code += c;
      i++;
    }
  }
  return { code, strings };
}

/** What breaks the rule in one text: `where` names it, `base` is the folder its relative paths start from. */
export function violations(where: string, code: string, strings: { text: string; line: number }[], base: string, root = ROOT): string[] {
  const found: string[] = [];
  code.split('\n').forEach((text, i) => {
    for (const s of SHARED) if (text.includes(s)) found.push(`${where}:${i + 1}: names ${s}: ${text.trim()}`);
  });
  const outside = dirname(root) + sep;
  for (const { text, line } of strings) {
    for (const token of text.split(/[\s'"`=,;:()[\]]+/)) {
      if (token === '..' || token.startsWith('../') || token.startsWith('./')) {
        const target = resolve(base, token);
        const names = token.split('/').some((segment) => segment !== '' && segment !== '.' && segment !== '..');
        if (names && target !== root && !target.startsWith(root + sep)) found.push(`${where}:${line}: ${token} leaves the repository (${target})`);
      } else if (token.startsWith(outside) && !token.startsWith(root + sep) && token !== root) {
        found.push(`${where}:${line}: ${token} points beside the repository`);
      }
    }
  }
  return found;
}

function files(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (SOURCE.test(name) || name.endsWith('.json')) out.push(path);
  }
  return out;
}

function checkSource(path: string): string[] {
  const source = readFileSync(path, 'utf8');
  const where = relative(ROOT, path);
  if (path.endsWith('.json')) return checkJson(where, JSON.parse(source), dirname(path));
  const { code, strings } = scan(source);
  return violations(where, code, strings, dirname(path));
}

function checkJson(where: string, value: unknown, base: string): string[] {
  const strings: { text: string; line: number }[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push({ text: v, line: 0 });
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(value);
  return violations(where, strings.map((s) => s.text).join('\n'), strings, base);
}

describe('the repository stands alone', () => {
  it('reads nothing outside itself (src, test, bench, scripts, bin, configs)', () => {
    const paths = [...FOLDERS.flatMap((f) => files(join(ROOT, f))), ...CONFIGS.map((c) => join(ROOT, c))];
    expect(paths.length).toBeGreaterThan(100);
    expect(paths.flatMap(checkSource)).toEqual([]);
  });

  it('runs no script and compiles nothing from outside itself (package.json scripts, tsconfig files)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const found = checkJson('package.json scripts', pkg.scripts, ROOT);
    for (const name of readdirSync(ROOT).filter((n) => /^tsconfig.*\.json$/.test(n))) found.push(...checkJson(name, JSON.parse(readFileSync(join(ROOT, name), 'utf8')), ROOT));
    expect(found).toEqual([]);
  });

  it('catches what it is meant to catch, and leaves comments and in-repo paths alone', () => {
    // The samples are assembled here so that this file's own strings hold no climbing path.
    const root = '/r/repo';
    const up = (n: number) => ['.', '.', '/'].join('').repeat(n);
    const check = (source: string, file = 'test/measures/x.test.ts') => {
      const { code, strings } = scan(source);
      return violations(file, code, strings, dirname(join(root, file)), root);
    };
    expect(check(`const A = '${SHARED[0]}/external/x.parquet';`)).toHaveLength(2); // names the folder twice
    expect(check(`const A = new URL('${up(2)}${SHARED[0]}/docs/a.md', import.meta.url);`)).toHaveLength(3); // and climbs
    expect(check(`const A = new URL('${up(3)}elsewhere/a.md', import.meta.url);`)).toEqual([`test/measures/x.test.ts:1: ${up(3)}elsewhere/a.md leaves the repository (/r/elsewhere/a.md)`]);
    expect(check(`const A = 1;\nrun("node ${up(2)}x.js");`, 'bin/iapt.js')).toHaveLength(1);
    expect(check("spawn('node', ['/r/other/x.js']);")).toHaveLength(1);
    expect(check('const t = `${x}/' + up(5) + 'y`;')).toEqual([]); // after an interpolation: not resolvable here
    expect(check(`const entry = '${up(9)}'; const other = \`${up(3)}\${name}\`;`)).toEqual([]); // climbing only: names no file
    expect(check(`// Source: ${SHARED[0]}/docs/domain/iapt-v2.1-dataset.md\n/* ${SHARED[1]} */ const a = 1;`)).toEqual([]);
    expect(check(`import { x } from '${up(2)}src/a.js'; const B = new URL('${up(2)}reference/nhs/m.parquet', import.meta.url);`)).toEqual([]);
    expect(check(`const r = /['"/]/g; const d = a / b; const A = '${up(4)}x';`)).toHaveLength(1); // a quote inside a regular expression
  });
});
