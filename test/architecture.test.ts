// The stage order of the architecture, enforced: a folder of src/ imports only from itself and from the
// stages below it (dataset → intake → validation → store → linkage → derivation → measures / extracts → server → web → cli),
// with shared infrastructure in core/ below them all and the generator (synth/) beside the stages, reading
// only the spec. A backward import fails here, naming the file and the import.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Each folder with the folders it may import from (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  dataset: ['core'],
  intake: ['core', 'dataset'],
  validation: ['core', 'dataset', 'intake'],
  store: ['core', 'dataset', 'intake', 'validation'],
  linkage: ['core', 'dataset', 'intake', 'validation', 'store'],
  derivation: ['core', 'dataset', 'intake', 'validation', 'store', 'linkage'],
  measures: ['core', 'dataset', 'intake', 'validation', 'store', 'linkage', 'derivation'],
  extracts: ['core', 'dataset', 'intake', 'validation', 'store', 'linkage', 'derivation'],
  server: ['core', 'dataset', 'intake', 'validation', 'store', 'linkage', 'derivation', 'measures', 'extracts'],
  web: ['core', 'dataset', 'intake', 'validation', 'store', 'linkage', 'derivation', 'measures', 'extracts', 'server'],
  synth: ['core', 'dataset'],
  cli: ['core', 'dataset', 'intake', 'validation', 'store', 'linkage', 'derivation', 'measures', 'extracts', 'server', 'web', 'synth'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const stageOf = (file: string): string => relative(SRC, file).split('/')[0]!;
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|^\s*import\s+'(\.[^']+)'|import\('(\.[^']+)'\)/gm;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]!).map((spec) => resolve(dirname(file), spec));
}

describe('architecture: stage order', () => {
  const files = sourceFiles(SRC);

  it('knows every folder of src/', () => {
    expect(new Set(files.map(stageOf).filter((s) => !s.endsWith('.ts')))).toEqual(new Set(Object.keys(MAY_IMPORT)));
  });

  it('has no import from a later stage, and nothing imports from outside src/', () => {
    const backward: string[] = [];
    for (const file of files) {
      const from = stageOf(file);
      for (const target of importsOf(file)) {
        const rel = relative(SRC, target);
        if (rel.startsWith('..')) {
          backward.push(`${relative(SRC, file)} imports ${rel}, outside src/`);
          continue;
        }
        const to = rel.split('/')[0]!;
        if (to !== from && !MAY_IMPORT[from]?.includes(to)) backward.push(`${relative(SRC, file)} (${from}) imports ${rel} (${to})`);
      }
    }
    expect(backward).toEqual([]);
  });

  it('reads its imports: a known backward import would be caught', () => {
    // The checker itself: the CLI imports measures, so measures is not below the CLI.
    expect(MAY_IMPORT.measures).not.toContain('cli');
    expect(importsOf(join(SRC, 'cli/main.ts')).some((t) => relative(SRC, t).startsWith('core/'))).toBe(true);
  });
});
