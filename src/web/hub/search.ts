// The static data the script reads: the search index (every organisation's code, name, level and page) and, for
// the compare view, each organisation's yearly headline values as published.
import type { Organisation, ValueRow } from './data.js';
import { HUB_MEASURES, LEVEL_NAMES, type Level } from './measures.js';
import { orgDataUrl, orgKey, orgUrl } from './site.js';

export interface IndexEntry {
  key: string;
  code: string;
  name: string;
  level: string;
  levelName: string;
  url: string;
  data: string;
}

export const indexEntry = (o: Organisation): IndexEntry => ({
  key: orgKey(o.level, o.org_code),
  code: o.org_code,
  name: o.org_name,
  level: o.level,
  levelName: LEVEL_NAMES[o.level as Level],
  url: orgUrl(o.level, o.org_code),
  data: orgDataUrl(o.level, o.org_code),
});

/** An organisation's yearly Total values; NHS England's value where both sources publish the same year. */
export function compareData(o: Organisation, rows: readonly ValueRow[]) {
  const ends = new Map(rows.filter((r) => r.period_type === 'year').map((r) => [r.period, r.period_end] as const));
  /** [period, end date] in time order. */
  const years = [...ends].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]));
  const values: Record<string, Record<string, string>> = {};
  for (const r of rows) {
    if (r.period_type !== 'year') continue;
    const m = (values[r.measure] ??= {});
    if (r.source === 'nhs' || !(r.period in m)) m[r.period] = r.value;
  }
  return { ...indexEntry(o), years, measures: HUB_MEASURES, values };
}
