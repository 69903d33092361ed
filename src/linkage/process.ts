// `iapt process --period P`: the post-deadline national tables of a reporting period.
//
// Inputs: the counting submission (latest valid, Refresh over Primary) of every provider for every period
// up to P. Outputs, in DIR/processed/<P>/ (published by one atomic switch of a link: src/store/periods.ts):
// - IDS101Referral: one row per PathwayID seen up to P, with the attributes of its latest appearance,
//   Person_ID, PathwayID, UsePathway_Flag (the referral is in P's counting submission: the row used for
//   P's monthly reporting) and UseQuarterReferral_Flag (it is in a counting submission of P's quarter, up to P).
// - IDS001MPI: one row per Person_ID (latest appearance), with ages at P's start and end and derived
//   geography instead of NHS number, birth date and postcode.
// - the other tables by their role in the spec (national.ts): activity accumulated over all periods up to P;
//   patient and referral records from the latest appearance of their person or pathway.
// - continuity.json: pathway, person-identifier and organisation-code continuity per provider; manifest.json.
// Identifiable items (ItemSpec.identifiable) do not leave the provider-scoped store: national tables carry
// Person_ID and PathwayID instead.
//
// The steps: counting submissions and the key (from the catalog: submissionsAndKey), the period run (lock, work and
// spill folders), the linkage tables (identities.ts), the national tables (national.ts), continuity and manifest
// (linkSubmissions, which runs for any list of stored submissions into any folder: provisional.ts uses it for a
// pre-deadline extract without the lock or the switch), then the derivation (afterLink) and the switch.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IaptError } from '../core/errors.js';
import { mkdirPrivate } from '../core/files.js';
import { TABLES, periodBounds } from '../dataset/index.js';
import { openDb, type Db } from '../core/db.js';
import { literal } from '../core/sql.js';
import { Catalog, type SubmissionRow } from '../store/catalog.js';
import { uniqueMonthId } from '../store/identifiers.js';
import { beginPeriod } from '../store/periods.js';
import { loadReference } from '../validation/reference.js';
import { continuity, type Continuity } from './continuity.js';
import { createSourceViews, linkIdentities } from './identities.js';
import { checkKeyFingerprint, givenKey, KEY_FINGERPRINT_SETTING, keyFingerprint, loadPseudonymKey } from './key.js';
import { nationalTableSql, type PeriodContext } from './national.js';
import { installPseudonymKey } from './pseudonyms.js';

export interface ProcessOptions {
  dataDir: string;
  period: string;
  referenceDir?: string;
  /** Runs on the finished national tables before they are published (the derivation stage plugs in here). */
  afterLink?: (folder: string) => Promise<void>;
  /** How long to wait for another process of the same period to finish before failing as busy (default 0). */
  lockWaitMs?: number;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
  /** The catalog's PostgreSQL database (service mode); null: the data directory's catalog.duckdb; default IAPT_DATABASE_URL. */
  databaseUrl?: string | null;
}

export interface ProcessResult {
  period: string;
  folder: string;
  submissions: number;
  providers: number;
  rows: Record<string, number>;
  continuity: Continuity;
}

export function quarterStart(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const start = m - ((m - 1) % 3);
  return `${y}-${String(start).padStart(2, '0')}`;
}

/**
 * From the catalog: the submissions to link (`choose` picks them from every registered submission, and may refuse
 * with a clear error before the key is touched), and the key, checked against the recorded fingerprint (recorded
 * now if there is none). The catalog is written only for that fingerprint.
 */
export async function submissionsAndKey(
  dataDir: string,
  pseudoKey: string | null,
  choose: (all: SubmissionRow[]) => SubmissionRow[],
  databaseUrl?: string | null,
): Promise<{ submissions: SubmissionRow[]; key: Buffer }> {
  // An existing data directory only (never a new one).
  const catalog = await Catalog.open(dataDir, { waitMs: 60_000, ...(databaseUrl !== undefined ? { databaseUrl } : {}) });
  try {
    const submissions = choose(await catalog.submissions());
    const recorded = await catalog.setting(KEY_FINGERPRINT_SETTING);
    const key = loadPseudonymKey(dataDir, { pseudoKey, mayCreate: recorded === null });
    checkKeyFingerprint(key, recorded, dataDir, { pseudoKey });
    await catalog.recordSetting(KEY_FINGERPRINT_SETTING, keyFingerprint(key));
    return { submissions, key };
  } finally {
    catalog.close();
  }
}

/** The counting submissions of every provider up to the period; refused when none counts for the period itself. */
function countingUpTo(all: SubmissionRow[], period: string, dataDir: string): SubmissionRow[] {
  const counting = all.filter((s) => s.counts && s.period <= period);
  if (!counting.some((s) => s.period === period)) throw new IaptError('input', `no accepted submission counts for ${period} yet: submit one first (iapt submissions --data ${dataDir})`);
  return counting;
}

export const periodContext = (period: string, referenceDir?: string): PeriodContext => {
  const { start, end } = periodBounds(period);
  return { month: uniqueMonthId(period), quarterMonth: uniqueMonthId(quarterStart(period)), start, end, ...(referenceDir ? { referenceDir } : {}) };
};

/** Writes every national table into `folder`; returns the row count of each. */
async function writeNationalTables(db: Db, folder: string, ctx: PeriodContext): Promise<Record<string, number>> {
  const file = (table: string) => literal(join(folder, `${table}.parquet`));
  for (const t of TABLES) await db.run(`COPY (${nationalTableSql(t, ctx)}) TO ${file(t.name)} (FORMAT parquet, COMPRESSION zstd)`);
  const rows: Record<string, number> = {};
  for (const t of TABLES) rows[t.name] = await db.count(`SELECT count(*) FROM read_parquet(${file(t.name)})`);
  return rows;
}

const writeJson = (path: string, value: unknown) => writeFileSync(path, JSON.stringify(value, null, 2) + '\n');

/** What linkSubmissions links, and where it writes. */
export interface LinkTarget {
  dataDir: string;
  /** The reporting period the tables are for (UsePathway_Flag, ages, continuity). */
  period: string;
  referenceDir?: string | undefined;
  /** The stored submissions to link, in the catalog's order (provider, period, received, id). */
  submissions: SubmissionRow[];
  key: Buffer;
  /** The folder the national tables, continuity.json and manifest.json are written to (made if missing). */
  folder: string;
  /** DuckDB's spill folder for the run (IAPT_TEMP_DIR, when set, is used instead). */
  spill: string;
}

/**
 * Links the given submissions into the period's national tables, continuity.json and manifest.json in `folder`.
 * No lock and no switch: the caller owns the folder (processPeriod: the period run's work folder; a pre-deadline
 * extract: a private temporary folder, provisional.ts).
 */
export async function linkSubmissions(target: LinkTarget): Promise<{ rows: Record<string, number>; continuity: Continuity }> {
  const { dataDir, period, referenceDir, submissions: linked, folder } = target;
  const db = await openDb({ spillFolder: target.spill });
  try {
    await installPseudonymKey(db, target.key);
    await createSourceViews(db, dataDir, linked);
    if (referenceDir) await loadReference(db, referenceDir);
    await linkIdentities(db);
    mkdirPrivate(folder);
    const rows = await writeNationalTables(db, folder, periodContext(period, referenceDir));
    const cont = await continuity(db, period, linked);
    writeJson(join(folder, 'continuity.json'), cont);
    const submissions = linked.map((s) => ({ id: s.id, provider: s.provider, period: s.period, fileType: s.file_type }));
    writeJson(join(folder, 'manifest.json'), { period, submissions, rows });
    return { rows, continuity: cont };
  } finally {
    // Everything is in the folder now: release linkage's memory before the derivation opens its own database.
    db.close();
  }
}

export async function processPeriod(options: ProcessOptions): Promise<ProcessResult> {
  const { dataDir, period } = options;
  const { submissions: counting, key } = await submissionsAndKey(dataDir, givenKey(options), (all) => countingUpTo(all, period, dataDir), options.databaseUrl);
  const run = await beginPeriod(dataDir, period, { waitMs: options.lockWaitMs ?? 0 });
  try {
    const linked = await linkSubmissions({ dataDir, period, referenceDir: options.referenceDir, submissions: counting, key, folder: run.work, spill: run.spill });
    if (options.afterLink) await options.afterLink(run.work);
    const folder = run.publish();
    return { period, folder, submissions: counting.length, providers: new Set(counting.map((s) => s.provider)).size, ...linked };
  } finally {
    run.end();
  }
}
