// What the pages share: the organisations with their values grouped in memory (read once per page type), where
// each organisation's page is, and the files a build writes (every page, chart CSV and JSON, counted).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ENGLAND_CODE, type Level } from './measures.js';
import type { Organisation, Source, ValueRow } from './data.js';

export const orgKey = (level: string, code: string): string => (level === 'England' ? 'England' : `${level}-${code.replace(/[^A-Za-z0-9]/g, '_')}`);
/** The page of an organisation, from the site root. */
export const orgUrl = (level: string, code: string): string => (level === 'England' ? 'index.html' : `org/${orgKey(level, code)}.html`);
export const orgDataUrl = (level: string, code: string): string => `data/org/${orgKey(level, code)}.json`;
export const isEngland = (o: { level: string; org_code: string }): boolean => o.level === 'England' && o.org_code === ENGLAND_CODE;

export interface OrgValues {
  org: Organisation;
  level: Level;
  rows: readonly ValueRow[];
}

/** The value published for a measure in a period of a source (Total unless a breakdown is given). */
export function valueOf(rows: readonly ValueRow[], source: Source, period: string, measure: string, variable?: readonly [string, string | null, string | null]): string | null {
  const r = rows.find(
    (x) => x.source === source && x.period === period && x.measure === measure && (variable ? x.variable_type === variable[0] && x.variable_a === variable[1] && x.variable_b === variable[2] : x.variable_type === 'Total'),
  );
  return r ? r.value : null;
}

/** The distinct periods of the rows of a type, in time order (by end date, then label). */
export function periodsOf(rows: readonly ValueRow[], type: 'year' | 'quarter' | 'month', source?: Source): string[] {
  const seen = new Map<string, string>();
  for (const r of rows) {
    if (source && r.source !== source) continue;
    if (r.period_type !== type) continue;
    seen.set(r.period, r.period_end);
  }
  return [...seen].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0])).map(([p]) => p);
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** The files of a build, written as they come and counted. */
export class SiteWriter {
  readonly written: string[] = [];
  bytes = 0;
  pages = 0;
  largestPageBytes = 0;
  largestPage = '';
  constructor(readonly out: string) {}
  write(path: string, text: string): void {
    const full = join(this.out, path);
    mkdirSync(dirname(full), { recursive: true });
    const data = Buffer.from(text, 'utf8');
    writeFileSync(full, data);
    this.written.push(path);
    this.bytes += data.length;
    if (path.endsWith('.html')) {
      this.pages += 1;
      if (data.length > this.largestPageBytes) {
        this.largestPageBytes = data.length;
        this.largestPage = path;
      }
    }
  }
}
