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
// The steps: counting submissions and the key (from the catalog), the period run (lock, work and spill folders),
// the linkage tables (identities.ts), the national tables (national.ts), continuity and manifest, then the
// derivation (afterLink) and the switch.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IaptError } from '../core/errors.js';
import { mkdirPrivate } from '../core/files.js';
import { TABLES, periodBounds } from '../dataset/index.js';
import { openDb, type Db } from '../core/db.js';
import { literal } from '../core/sql.js';
import { Catalog, type SubmissionRow } from '../store/catalog.js';
import { uniqueMonthId } from '../store/identifiers.js';
import { beginPeriod, type PeriodRun } from '../store/periods.js';
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
 * From the catalog: the counting submissions up to the period, and the key, checked against the recorded
 * fingerprint (recorded now if there is none). The catalog is written only for that fingerprint.
 */
async function countingAndKey(dataDir: string, period: string, pseudoKey: string | null): Promise<{ counting: SubmissionRow[]; key: Buffer }> {
  // An existing data directory only (never a new one).
  const catalog = await Catalog.open(dataDir, { waitMs: 60_000 });
  try {
    const counting = (await catalog.submissions()).filter((s) => s.counts && s.period <= period);
    if (!counting.some((s) => s.period === period)) throw new IaptError('input', `no accepted submission counts for ${period} yet: submit one first (iapt submissions --data ${dataDir})`);
    const recorded = await catalog.setting(KEY_FINGERPRINT_SETTING);
    const key = loadPseudonymKey(dataDir, { pseudoKey, mayCreate: recorded === null });
    checkKeyFingerprint(key, recorded, dataDir, { pseudoKey });
    await catalog.recordSetting(KEY_FINGERPRINT_SETTING, keyFingerprint(key));
    return { counting, key };
  } finally {
    catalog.close();
  }
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

/** Links the counting submissions into the period's national tables, continuity.json and manifest.json in `folder`. */
async function link(run: PeriodRun, options: ProcessOptions, counting: SubmissionRow[], key: Buffer): Promise<{ rows: Record<string, number>; continuity: Continuity }> {
  const db = await openDb({ spillFolder: run.spill });
  try {
    await installPseudonymKey(db, key);
    await createSourceViews(db, options.dataDir, counting);
    if (options.referenceDir) await loadReference(db, options.referenceDir);
    await linkIdentities(db);
    mkdirPrivate(run.work);
    const rows = await writeNationalTables(db, run.work, periodContext(options.period, options.referenceDir));
    const cont = await continuity(db, options.period, counting);
    writeJson(join(run.work, 'continuity.json'), cont);
    const submissions = counting.map((s) => ({ id: s.id, provider: s.provider, period: s.period, fileType: s.file_type }));
    writeJson(join(run.work, 'manifest.json'), { period: options.period, submissions, rows });
    return { rows, continuity: cont };
  } finally {
    // Everything is in the folder now: release linkage's memory before the derivation opens its own database.
    db.close();
  }
}

export async function processPeriod(options: ProcessOptions): Promise<ProcessResult> {
  const { dataDir, period } = options;
  const { counting, key } = await countingAndKey(dataDir, period, givenKey(options));
  const run = await beginPeriod(dataDir, period, { waitMs: options.lockWaitMs ?? 0 });
  try {
    const linked = await link(run, options, counting, key);
    if (options.afterLink) await options.afterLink(run.work);
    const folder = run.publish();
    return { period, folder, submissions: counting.length, providers: new Set(counting.map((s) => s.provider)).size, ...linked };
  } finally {
    run.end();
  }
}
