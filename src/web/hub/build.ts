// `iapt hub build`: the public data hub, a static site written from published, release-checked files only
// (NHS England's annual history shipped in reference/nhs/, and this platform's publication folders).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../core/db.js';
import { IaptError, inputError } from '../../core/errors.js';
import { HUB_CSS, HUB_JS } from './assets.js';
import { englandBreakdowns, inequalities, loadHub, organisations, totals } from './data.js';
import { ENGLAND_CODE, type Level } from './measures.js';
import { aboutPage } from './pages/about.js';
import { breakdownPages } from './pages/breakdowns.js';
import { comparePage, searchPage } from './pages/find.js';
import { inequalitiesPage } from './pages/inequalities.js';
import { organisationPage } from './pages/organisation.js';
import { compareData, indexEntry } from './search.js';
import { groupBy, orgDataUrl, SiteWriter, type OrgValues } from './site.js';
import { dataPublications, publicationFiles, type PublishedFile } from './sources.js';

export interface HubOptions {
  /** Publication folders written by `iapt publish --out`. */
  publications: string[];
  /** A data directory whose published/<period>/ folders are added. */
  dataDir?: string;
  out: string;
  /** The folder holding measures_annual.parquet (default: the repository's reference/nhs/). */
  referenceDir?: string;
  /** Keep only these organisation codes of the history (England always): small sites for tests. */
  organisations?: readonly string[];
}

export interface HubResult {
  pages: number;
  bytes: number;
  largestPageBytes: number;
  largestPage: string;
  organisations: number;
}

/** Written into the output folder; only a folder carrying it is rebuilt, and only the files it lists are removed. */
export const HUB_MARKER = '.iapt-hub';
export const HISTORY_FILE = 'measures_annual.parquet';
const DEFAULT_REFERENCE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../reference/nhs');

/** Makes `out` ready: new, empty, or an earlier hub build (whose files, as its marker lists them, are removed). */
function prepareOut(out: string): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new IaptError('usage', `--out: ${out} is a file, not a folder`);
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes(HUB_MARKER)) throw new IaptError('usage', `--out: ${out} is not empty and is not an earlier hub build (no ${HUB_MARKER} file): give a new or empty folder`);
    if (entries.includes(HUB_MARKER)) {
      const listed = readFileSync(join(out, HUB_MARKER), 'utf8').split('\n').slice(1).filter((l) => l !== '' && !l.startsWith('/') && !l.split('/').includes('..'));
      for (const f of listed) rmSync(join(out, f), { force: true });
      const folders = [...new Set(listed.flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))))].sort((a, b) => b.length - a.length);
      for (const d of folders) if (existsSync(join(out, d)) && readdirSync(join(out, d)).length === 0) rmdirSync(join(out, d));
    }
  }
  mkdirSync(out, { recursive: true });
}

export async function buildHub(options: HubOptions): Promise<HubResult> {
  const history = join(options.referenceDir ?? DEFAULT_REFERENCE, HISTORY_FILE);
  if (!existsSync(history)) throw inputError(`${history}: NHS England's annual history is missing`);
  const folders = [...(options.dataDir ? dataPublications(options.dataDir) : []), ...options.publications];
  const files: PublishedFile[] = folders.flatMap(publicationFiles);
  prepareOut(options.out);
  const site = new SiteWriter(options.out);
  const db = await openDb();
  let count = 0;
  try {
    try {
      await loadHub(db, { history, files, ...(options.organisations ? { organisations: options.organisations } : {}) });
    } catch (error) {
      const message = (error as Error).message.split('\n')[0];
      throw inputError(`a published file could not be read (${message})`, error);
    }
    const orgs = await organisations(db);
    count = orgs.length - 1;
    const byOrg = groupBy(await totals(db), (r) => `${r.level}|${r.org_code}`);
    const breakdowns = await englandBreakdowns(db);
    const byOrgInequalities = groupBy(await inequalities(db), (r) => `${r.level}|${r.org_code}`);
    const values = (o: (typeof orgs)[number]): OrgValues => ({ org: o, level: o.level as Level, rows: byOrg.get(`${o.level}|${o.org_code}`) ?? [] });
    const englandOrg = orgs.find((o) => o.level === 'England' && o.org_code === ENGLAND_CODE);
    if (!englandOrg) throw inputError(`${history}: no England rows`);
    const england = values(englandOrg);
    for (const o of orgs) {
      const v = o === englandOrg ? england : values(o);
      organisationPage(site, v, england, byOrgInequalities.get(`${o.level}|${o.org_code}`) ?? [], breakdowns);
      site.write(orgDataUrl(o.level, o.org_code), JSON.stringify(compareData(o, v.rows)));
    }
    breakdownPages(site, breakdowns);
    inequalitiesPage(site, breakdowns);
    const entries = orgs.map(indexEntry);
    site.write('search-index.json', JSON.stringify(entries));
    searchPage(site, entries);
    comparePage(site);
    aboutPage(site, [...new Set(files.map((f) => f.period))]);
    site.write('assets/hub.css', HUB_CSS);
    site.write('assets/hub.js', HUB_JS);
  } finally {
    db.close();
    writeFileSync(join(options.out, HUB_MARKER), `Made by iapt hub build: a later build here removes the files listed below and nothing else.\n${site.written.join('\n')}\n`);
  }
  return { pages: site.pages, bytes: site.bytes, largestPageBytes: site.largestPageBytes, largestPage: site.largestPage, organisations: count };
}
