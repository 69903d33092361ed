// `iapt publish`: the official-statistics files for a month (and optionally its quarter and financial year)
// from the processed national tables, checked against the disclosure policy before anything is written.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { IaptError } from '../../core/errors.js';
import { fileEntry, writeManifest, type SubmissionRef } from '../../core/release/manifest.js';
import { notAppliedByPolicy } from '../../core/release/optOutPolicy.js';
import { isPeriod } from '../../dataset/index.js';
import { me, ownerAlive, readOwner } from '../../store/owned.js';
import { openDb, type Db } from '../../core/db.js';
import { ANNUAL_BREAKDOWNS, BREAKDOWN_ITEMS, TOTAL, type Breakdown } from '../breakdowns.js';
import { VARIABLE_BREAKDOWNS, VARIABLE_ITEMS } from '../variables.js';
import { itemsUsedBy, MEASURES, REFERRAL_ITEMS, usesActivities, measureById, withDependencies } from '../catalogue/index.js';
import { computeMeasures, prepareMeasures, type MeasureValue } from '../compute.js';
import { inMonthly, inQuarterly, type MeasureDefinition } from '../definition.js';
import type { PolicyName } from '../disclosure/policy.js';
import { GROUPS, icbsOfSubIcbs, organisationNames, withCommissionerGeography, type GeographyResolution } from '../groups.js';
import { monthPeriod, quarterPeriod, yearPeriod, type ReportingPeriod } from '../periods.js';
import { checkRelease } from '../release/check.js';
import { createSources, processedTables } from '../sources.js';
import { ANNUAL_ITEMS, ANNUAL_ORG_TYPES, annualDefinitions, annualFile } from './annual.js';
import { metadataFile } from './metadata.js';
import { monthlyFile } from './monthly.js';
import { QUARTERLY_FILES, quarterlyFile } from './quarterly.js';
import { HEADLINE_MEASURES, summaryHtml, type Headline } from './summary.js';

export interface PublishOptions {
  dataDir: string;
  /** YYYY-MM */
  period: string;
  /** YYYY-Qn */
  quarter?: string;
  /** YYYY-YY */
  year?: string;
  policy: PolicyName;
  out: string;
  /**
   * Organisation reference data (docs/reference-data.md): names, and the region and ICB of commissioners where
   * the data were processed without reference data. Without it those are grouped under UNKNOWN.
   */
  referenceDir?: string;
}

export interface PublishResult {
  files: string[];
  headline: Headline[];
  periods: string[];
}

/** Nothing to publish yet (input), or a file failed its release check (negative). */
export class PublishError extends IaptError {
  constructor(message: string, kind: 'input' | 'negative' = 'input') {
    super(kind, message);
    this.name = 'PublishError';
  }
}

/** The processed tables of a period in a new DuckDB instance, with the sources (units) the measures read. */
export async function openPeriod(
  dataDir: string,
  period: ReportingPeriod,
  definitions: readonly MeasureDefinition[],
  breakdowns: readonly Breakdown[],
  spill: string,
  referenceDir: string | undefined,
): Promise<{ db: Db; units: Awaited<ReturnType<typeof createSources>>; manifest: unknown; version: string; geography: GeographyResolution }> {
  if (!isProcessed(dataDir, period.lastMonth)) throw new PublishError(`no processed data for ${period.lastMonth} in ${dataDir}: run iapt process --period ${period.lastMonth} first`);
  // The version processed/<P> points to now: a process run that swaps in a new one meanwhile cannot mix tables.
  const folder = realpathSync(join(dataDir, 'processed', period.lastMonth));
  const db = await openDb({ spillFolder: spill });
  try {
    const items = itemsUsedBy([...definitions, ...breakdowns], [...REFERRAL_ITEMS, ANNUAL_ITEMS, ...VARIABLE_ITEMS, ...BREAKDOWN_ITEMS]);
    const tables = processedTables(folder);
    // The commissioner's region and ICB: as processed, else looked up in referenceDir, else UNKNOWN (groups.ts).
    const { relation, resolution } = await withCommissionerGeography(db, tables.IDS101Referral, period.useFilter(), referenceDir);
    const units = await createSources(db, { ...tables, IDS101Referral: relation }, period, items, { activities: usesActivities([...definitions, ...breakdowns, ...items]) });
    return { db, units, manifest: JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')), version: basename(folder), geography: resolution };
  } catch (error) {
    db.close();
    throw error;
  }
}

const formatHeadline = (id: string, value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : measureById(id)!.statistic === 'percentage' ? value.toFixed(1) : Math.round(value).toLocaleString('en-GB');

const isProcessed = (dataDir: string, month: string): boolean => existsSync(join(dataDir, 'processed', month, 'IDS101Referral.parquet'));

/** The financial year, or — before its March is processed — the year to date up to its latest processed month. */
function yearToDate(dataDir: string, label: string): ReportingPeriod {
  const full = yearPeriod(label);
  if (isProcessed(dataDir, full.lastMonth)) return full;
  const months = existsSync(join(dataDir, 'processed')) ? readdirSync(join(dataDir, 'processed')).filter((m) => isPeriod(m) && m >= full.start.slice(0, 7) && m <= full.lastMonth && isProcessed(dataDir, m)) : [];
  if (months.length === 0) throw new PublishError(`no processed month of the financial year ${label} in ${dataDir}: run iapt process for one first`);
  return yearPeriod(label, months.sort().pop());
}

/** Inside every staging folder `.publish-<pid>` that publish makes. */
const STAGING_MARKER = '.iapt-publish-staging';

const stagingOwner = (dir: string) => readOwner(join(dir, STAGING_MARKER));
const isOwnStaging = (dir: string): boolean => stagingOwner(dir) !== null;

/** Removes `.publish-<pid>` folders left by publish runs that died on this host (marked ones only). */
function removeStaleStaging(out: string): void {
  for (const entry of readdirSync(out)) {
    const m = /^\.publish-(\d+)$/.exec(entry);
    if (!m) continue;
    const owner = stagingOwner(join(out, entry));
    if (!owner || owner.pid !== Number(m[1]) || owner.host !== hostname()) continue;
    if (owner.pid === process.pid || !ownerAlive(owner)) rmSync(join(out, entry), { recursive: true, force: true });
  }
}

/** The lines of `text` that are not empty (a file's data rows and header). */
function nonEmptyLines(text: string): number {
  let n = 0;
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop > start) n++;
    start = stop + 1;
  }
  return n;
}

/** The release manifest of a publication (src/core/release/manifest.ts), beside its files. */
export const PUBLICATION_MANIFEST = 'manifest.json';

const processedSubmissions = z.object({ submissions: z.array(z.object({ id: z.number(), provider: z.string(), period: z.string(), fileType: z.string() })) });

/** Aggregate statistics for the public: the opt-out does not apply (policy); rows are the data rows of each CSV file. */
function publicationManifest(staging: string, names: readonly string[], rows: ReadonlyMap<string, number>, labels: readonly string[], runs: readonly { period: string; version: string; submissions: SubmissionRef[] }[]) {
  const submissions = new Map(runs.flatMap((r) => r.submissions.map((s) => [s.id, s] as const)));
  const latest = runs.reduce((a, b) => (b.period > a.period ? b : a));
  return {
    kind: 'publication' as const,
    audience: 'public' as const,
    sensitivity: 'aggregate' as const,
    scope: { periods: labels.join(', ') },
    source: { periods: [...new Set(runs.map((r) => r.period))].sort(), submissions: [...submissions.values()].sort((a, b) => a.id - b.id), processingRun: { period: latest.period, version: latest.version } },
    optOut: notAppliedByPolicy('public'),
    agreement: null,
    personKey: null,
    files: names.map((name) => fileEntry(join(staging, name), name.endsWith('.csv') ? Math.max(0, (rows.get(name) ?? 0) - 1) : 0)),
  };
}

export async function publish(options: PublishOptions): Promise<PublishResult> {
  const periods = [monthPeriod(options.period), ...(options.quarter ? [quarterPeriod(options.quarter)] : []), ...(options.year ? [yearToDate(options.dataDir, options.year)] : [])];
  const headline: Headline[] = HEADLINE_MEASURES.filter(([id]) => measureById(id)).map(([id, label]) => ({ id, label, values: {} }));
  const sources: Record<string, unknown> = {};
  const published = new Map<string, MeasureDefinition>();
  const geography: [string, GeographyResolution][] = [];
  const headlineDefinitions = withDependencies(headline.map((h) => measureById(h.id)!));
  // Files are written to a staging folder as they pass the release check (large ones part by part) and moved
  // into place only when every one has passed: nothing is published otherwise.
  // The staging folder carries a marker (pid, host, start time); a marked one left by a killed publish is removed
  // here, and nothing else in the out folder is touched.
  mkdirSync(options.out, { recursive: true });
  removeStaleStaging(options.out);
  const staging = join(options.out, `.publish-${process.pid}`);
  if (existsSync(staging) && !isOwnStaging(staging)) throw new PublishError(`${staging} exists and was not made by iapt publish: move it away and publish again`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, STAGING_MARKER), JSON.stringify(me()));
  const names: string[] = [];
  const runs: { period: string; version: string; submissions: SubmissionRef[] }[] = [];
  const rowsWritten = new Map<string, number>();
  const release = (name: string, text: string, checked = true) => {
    if (checked) {
      const check = checkRelease(text, options.policy);
      if (check.violations.length > 0) {
        const lines = check.violations.slice(0, 20).map((v) => `  ${v.where}: "${v.value}" — ${v.problem}`);
        throw new PublishError(`${name} failed the release check (${check.violations.length} cells):\n${lines.join('\n')}`, 'negative');
      }
    }
    // Lines counted as written (the header once): reading a national quarter's files back to count them doubled the peak.
    const appending = names.includes(name);
    const written = appending ? text.slice(text.indexOf('\n') + 1) : text;
    rowsWritten.set(name, (rowsWritten.get(name) ?? 0) + nonEmptyLines(written));
    if (appending) appendFileSync(join(staging, name), written);
    else {
      writeFileSync(join(staging, name), text);
      names.push(name);
    }
  };
  try {
    for (const period of periods) {
      const chosen = MEASURES.filter(period.kind === 'month' ? inMonthly : inQuarterly);
      const definitions = period.kind === 'year' ? annualDefinitions() : withDependencies(chosen);
      // The breakdowns the period's files have: their referral items are computed with the measures' (openPeriod).
      const breakdowns = period.kind === 'quarter' ? VARIABLE_BREAKDOWNS : period.kind === 'year' ? ANNUAL_BREAKDOWNS : [];
      const { db, units, manifest, version, geography: resolution } = await openPeriod(options.dataDir, period, [...headlineDefinitions, ...definitions], breakdowns, join(staging, '.duckdb-tmp'), options.referenceDir);
      sources[period.label] = manifest;
      runs.push({ period: period.lastMonth, version, submissions: processedSubmissions.parse(manifest).submissions });
      geography.push([period.label, resolution]);
      try {
        const orgNames = await organisationNames(db, options.referenceDir);
        // Every condition of the period's measures evaluated once per row, for the headline and every breakdown.
        const prepared = await prepareMeasures(db, { definitions: [...headlineDefinitions, ...definitions], period, units, breakdowns: [TOTAL, ...breakdowns] });
        const england = await computeMeasures(db, { definitions: headlineDefinitions, period, groups: ['England'], units, prepared });
        for (const h of headline) h.values[period.label] = formatHeadline(h.id, england.find((v) => v.measure.id === h.id)?.value);
        if (period.kind === 'year') {
          // Concatenated, not spread into push(): a national year has more values than a call takes arguments.
          let values: MeasureValue[] = [];
          for (const breakdown of breakdowns) values = values.concat(await computeMeasures(db, { definitions, period, groups: [...ANNUAL_ORG_TYPES.keys()], units, breakdown, prepared }));
          release(`iapt-annual-main-${period.label.replace(' to ', '-to-')}.csv`, annualFile(values, breakdowns, orgNames, options.policy));
          continue;
        }
        const ids = new Set(chosen.map((m) => m.id));
        chosen.forEach((m) => published.set(m.id, m));
        const groups = GROUPS.map((g) => g.type);
        if (period.kind === 'month') {
          const values = await computeMeasures(db, { definitions, period, groups, units, breakdown: TOTAL, prepared });
          release(`iapt-monthly-${period.label}.csv`, monthlyFile(values, period, orgNames, options.policy, ids));
          continue;
        }
        // The quarter's Total and variables (V001–V015), one breakdown at a time: a national quarter is hundreds of megabytes.
        const orgs = { names: orgNames, icbOfSubIcb: await icbsOfSubIcbs(db) };
        for (const breakdown of [TOTAL, ...breakdowns]) {
          const values = await computeMeasures(db, { definitions, period, groups, units, breakdown, prepared });
          for (const file of QUARTERLY_FILES) release(`iapt-quarterly-${file.part}-${period.label}.csv`, quarterlyFile(values, period, orgs, options.policy, ids, file.groups));
        }
      } finally {
        db.close();
      }
    }
    release('iapt-measures-metadata.csv', metadataFile([...published.values()], geography), false);
    const labels = periods.map((p) => p.label);
    const summaryName = `iapt-summary-${labels[0]!}.html`;
    const notes = [
      `Disclosure control: ${options.policy}. Files: ${[...names, summaryName, 'iapt-publication.json'].join(', ')}.`,
      'Recovery and reliable recovery are over finishers who were at caseness (finished minus not at caseness); reliable improvement and deterioration over all finishers; waits over finishers.',
    ];
    release(summaryName, summaryHtml(`NHS Talking Therapies — ${labels.join(', ')}`, labels, headline, notes), false);
    release('iapt-publication.json', `${JSON.stringify({ periods: periods.map(({ kind, label, start, end }) => ({ kind, label, start, end })), policy: options.policy, files: [...names, 'iapt-publication.json'], sources }, null, 2)}\n`, false);
    writeManifest(join(staging, PUBLICATION_MANIFEST), publicationManifest(staging, names, rowsWritten, periods.map((p) => p.label), runs));
    names.push(PUBLICATION_MANIFEST);
    for (const name of names) renameSync(join(staging, name), join(options.out, name));
    return { files: names.map((name) => join(options.out, name)), headline, periods: labels };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
