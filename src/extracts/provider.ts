// The provider extracts: one provider's IDS101 derived table for a period (one row per PathwayID used for the
// period, UsePathway_Flag), with its own identifiers put back, and a release manifest beside it (manifest.ts).
// - post-deadline (final, providerExtract): from the processed national tables of the period (processedSet);
// - pre-deadline (preDeadline.ts): from the tables linked and derived for one stored submission as if it were final.
// The national tables hold no identifiers, so the referral's identifiable items (the spec's, ServiceRequestId and
// LocalPatientId) come from the provider's own stored submission, matched by recomputing the PathwayID with the
// key. The CSV form neutralises text a spreadsheet would run as a formula; the Parquet form is raw.
// The file and its manifest are built in a private staging folder beside --out and renamed into place (data file
// first, then the manifest: staging.ts), so a failure leaves no half file and an earlier file intact.
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { IaptError } from '../core/errors.js';
import { makePrivate } from '../core/files.js';
import { neutraliseSql } from '../core/formula.js';
import { openDb, type Db } from '../core/db.js';
import { ident as q, literal } from '../core/sql.js';
import { TABLES } from '../dataset/index.js';
import { loadPseudonymKey } from '../linkage/key.js';
import { installPseudonymKey, pathwayIdSql, personIdSql } from '../linkage/pseudonyms.js';
import { Catalog } from '../store/catalog.js';
import { fileEntry, manifestPathOf, writeManifest, type ReleaseManifest, type SubmissionRef } from '../core/release/manifest.js';
import { notAppliedByPolicy } from '../core/release/optOutPolicy.js';
import { processedSet } from './processedSet.js';
import { releaseFile } from './staging.js';

export interface ProviderExtractOptions {
  dataDir: string;
  period: string;
  provider: string;
  out: string;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
  /** The catalog's PostgreSQL database (service mode); null: the data directory's DuckDB file; by default the configuration's. */
  databaseUrl?: string | null;
}

export interface ProviderExtractResult {
  rows: number;
  out: string;
  /** The manifest written beside the file. */
  manifest: string;
  /** The submissions the extract was made from. */
  submissions: SubmissionRef[];
}

const referral = TABLES.find((t) => t.role === 'referral')!;
/** The referral's identifiable items, put back in front of the derived columns, in the spec's order. */
const OWN_IDENTIFIERS = referral.items.filter((i) => i.identifiable).map((i) => i.name);
/** The referral's identifier (ServiceRequestId), which orders the extract, and the item that joins it to its patient. */
const REFERRAL_ID = referral.uniqueKey[0]!;
const PATIENT_ID = referral.parent!.item;

export class ExtractError extends IaptError {
  constructor(message: string) {
    super('input', message);
    this.name = 'ExtractError';
  }
}

export type ExtractFormat = '.csv' | '.parquet';

/** The format an output file's name asks for. */
export function extractFormat(out: string): ExtractFormat {
  const format = extname(out).toLowerCase();
  if (format !== '.csv' && format !== '.parquet') throw new ExtractError(`--out must end in .csv or .parquet, not "${out}"`);
  return format;
}

/**
 * The select list of a query's rows (aliased `s`) as the CSV extract writes them: text columns neutralised so
 * that a spreadsheet cannot run them as formulas (src/core/formula.ts); other columns as they are. The Parquet
 * extract stays raw.
 */
export async function csvColumns(db: Db, query: string): Promise<string> {
  const columns = await db.rows(z.object({ column_name: z.string(), column_type: z.string() }), `DESCRIBE ${query}`);
  return columns.map(({ column_name: c, column_type: type }) => (type === 'VARCHAR' ? `${neutraliseSql(`s.${q(c)}`)} AS ${q(c)}` : `s.${q(c)}`)).join(', ');
}

export const submissionRef = (s: { id: number; provider: string; period: string; file_type: string }): SubmissionRef => ({ id: s.id, provider: s.provider, period: s.period, fileType: s.file_type });

export interface ProviderRowsSource {
  dataDir: string;
  provider: string;
  /** SQL reading the derived IDS101Referral national table. */
  referrals: string;
  /** The provider's stored submission for the period (its folder relative to the data directory), whose identifiers are put back. */
  ownFolder: string;
  pseudoKey?: string | null | undefined;
}

/** Writes the provider's extract rows into `path` (owner-only); returns the number of rows. */
export async function writeProviderRows(source: ProviderRowsSource, path: string, format: ExtractFormat): Promise<number> {
  const { dataDir, provider } = source;
  const tables = join(dataDir, source.ownFolder, 'tables');
  const db = await openDb();
  try {
    await installPseudonymKey(db, loadPseudonymKey(dataDir, { pseudoKey: source.pseudoKey }));
    const stored = (t: string) => `read_parquet(${literal(join(tables, `${t}.parquet`))})`;
    await db.run(
      `CREATE TEMP TABLE own AS SELECT ${pathwayIdSql('r.OrgID_Provider', personIdSql('m.OrgID_Provider', 'm.NHSNumber', 'm.LocalPatientId', 'm.PersonBirthDate'), `r.${q(REFERRAL_ID)}`)} AS PathwayID, ` +
        `${OWN_IDENTIFIERS.map((c) => `r.${q(c)}`).join(', ')} FROM ${stored(referral.name)} r JOIN ${stored('IDS001MPI')} m ON m.${q(PATIENT_ID)} = r.${q(PATIENT_ID)}`,
    );
    const rows = `SELECT ${OWN_IDENTIFIERS.map((c) => `o.${q(c)}`).join(', ')}, n.* FROM ${source.referrals} n JOIN own o USING (PathwayID) WHERE n.OrgID_Provider = ${literal(provider)} AND n.UsePathway_Flag`;
    const n = await db.count(`SELECT count(*) FROM (${rows})`);
    const columns = format === '.csv' ? await csvColumns(db, rows) : 's.*';
    const to = format === '.csv' ? `FORMAT csv, HEADER, DELIMITER ${literal(',')}` : 'FORMAT parquet, COMPRESSION zstd';
    await db.run(`COPY (SELECT ${columns} FROM (${rows}) s ORDER BY s.${q(REFERRAL_ID)}) TO ${literal(path)} (${to})`);
    makePrivate(path); // the extract carries the provider's own identifiers
    return Number(n);
  } finally {
    db.close();
  }
}

/**
 * Writes a released file and its manifest (staging.ts: a private staging folder beside `out`, renamed into place,
 * data file first): `write` writes the data file at the staged path and returns its rows; the manifest, with the
 * file's entry under its final name, is written after it. No privacy check: a provider extract holds the
 * provider's own identifiers by design. Whatever fails, an earlier `out` is left as it was.
 */
export async function releaseWithManifest(
  out: string,
  write: (staged: string) => Promise<number>,
  manifest: Omit<ReleaseManifest, 'manifestVersion' | 'createdAt' | 'files'>,
): Promise<{ rows: number; manifest: string }> {
  const rows = await releaseFile(
    out,
    async (staged) => {
      const n = await write(staged);
      writeManifest(manifestPathOf(staged), { ...manifest, files: [fileEntry(staged, n)] });
      return n;
    },
    null,
  );
  return { rows, manifest: manifestPathOf(out) };
}

/** The manifest fields every provider extract shares. */
export const PROVIDER_MANIFEST = {
  audience: 'provider',
  sensitivity: 'identifiable',
  // The provider's own patients, returned to it: the national data opt-out does not apply.
  optOut: notAppliedByPolicy('provider'),
  agreement: null,
  personKey: { column: 'Person_ID', scheme: 'Person_ID' },
} as const;

/** The post-deadline (final) extract, from the period's processed national tables. */
export async function providerExtract(options: ProviderExtractOptions): Promise<ProviderExtractResult> {
  const { dataDir, period, provider, out } = options;
  const format = extractFormat(out);
  if (!existsSync(dataDir)) throw new ExtractError(`no data directory at ${dataDir}: check --data`);
  const set = processedSet(dataDir, period);
  const submissions = set.submissions.filter((s) => s.provider === provider);
  // The provider's submission for the period as the set was processed from it (not whatever counts now).
  const own = submissions.find((s) => s.period === period);
  if (!own) throw new ExtractError(`no accepted submission counts for ${provider} in ${period}`);
  const catalog = await Catalog.open(dataDir, { readOnly: true, waitMs: 60_000, ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}) });
  let ownFolder: string;
  try {
    const row = (await catalog.submissions({ provider, period })).find((s) => s.id === own.id);
    if (!row) throw new ExtractError(`submission ${own.id}, which ${period} was processed from, is not in the catalog of ${dataDir}`);
    ownFolder = row.folder;
  } finally {
    catalog.close();
  }
  const written = await releaseWithManifest(out, (staged) => writeProviderRows({ dataDir, provider, referrals: set.table(referral.name), ownFolder, pseudoKey: options.pseudoKey }, staged, format), {
    kind: 'provider-final',
    ...PROVIDER_MANIFEST,
    scope: { provider, period },
    source: { periods: [period], submissions, processingRun: { period, version: set.version } },
  });
  return { rows: written.rows, out, manifest: written.manifest, submissions };
}
