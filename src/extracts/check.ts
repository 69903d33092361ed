// `iapt check-extract PATH`: the privacy check a commissioner or research extract passes before anything leaves,
// and that every extract command runs on its staged files before moving them into place. It reads the manifest
// beside PATH and scans every file it lists, in DuckDB (hash joins, no row passes through JS), for:
// - files that differ from the manifest (sha256), or are missing;
// - forbidden columns: an identifiable item of the spec (NHS number, birth date, postcode, local identifiers); for
//   research also the platform's national pseudonyms and system keys (a research extract has its own keys);
// - values equal to an identifier of the data directory: any stored NHS number, local patient identifier or
//   postcode (compared without spaces and case), and, for research, any national Person_ID or PathwayID;
// - a person's own date of birth in any column of that person's rows (matched through the manifest's person key:
//   Person_ID, or the agreement's cohort key recomputed), which finds a birth date however the column is named
//   without flagging the many other dates that happen to equal somebody else's birthday;
// - opted-out people, where the manifest says the opt-out was applied.
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import { openDb, type Db } from '../core/db.js';
import { IaptError } from '../core/errors.js';
import { ident, listValue, literal } from '../core/sql.js';
import { columnClass, IDENTIFIABLE_ITEMS } from '../dataset/index.js';
import { loadPseudonymKey } from '../linkage/key.js';
import { installPseudonymKey, personIdSql } from '../linkage/pseudonyms.js';
import { Catalog } from '../store/catalog.js';
import { cohortKeySql, installAgreementKey } from './agreementKey.js';
import { manifestFiles, manifestPathOf, readManifest, sha256OfFile, type ReleaseManifest } from '../core/release/manifest.js';
import { optOutRegisters } from './optOut/register.js';

export interface CheckOptions {
  dataDir: string;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
  /** The catalog's PostgreSQL database (service mode); null: the data directory's DuckDB file; by default the configuration's. */
  databaseUrl?: string | null;
}

export interface CheckFinding {
  file: string;
  /** The column, or '' for a finding about the whole file. */
  column: string;
  /** What was found (never the value itself). */
  what: string;
  rows: number;
}

export interface CheckResult {
  manifest: ReleaseManifest;
  /** The files scanned. */
  files: string[];
  findings: CheckFinding[];
}

const CHECKED_KINDS: ReadonlySet<ReleaseManifest['kind']> = new Set(['commissioner', 'research']);

const finding = z.object({ col: z.string(), what: z.string(), n: z.coerce.number() });

/** The identifier values of the data directory's stored submissions, normalised, into `stored_identifiers`; birth dates per person into `person_birth`. */
async function loadStoredIdentifiers(db: Db, dataDir: string, databaseUrl: string | null | undefined): Promise<void> {
  const catalog = await Catalog.open(dataDir, { readOnly: true, waitMs: 60_000, ...(databaseUrl !== undefined ? { databaseUrl } : {}) });
  let files: string[];
  try {
    files = (await catalog.submissions()).map((s) => join(dataDir, s.folder, 'tables', 'IDS001MPI.parquet')).filter((f) => existsSync(f));
  } finally {
    catalog.close();
  }
  const norm = (x: string) => `upper(replace(trim(${x}), ' ', ''))`;
  if (files.length === 0) {
    await db.run('CREATE TEMP TABLE stored_identifiers (value VARCHAR, what VARCHAR)');
    await db.run('CREATE TEMP TABLE person_birth (Person_ID VARCHAR, birth VARCHAR)');
    return;
  }
  const mpi = `read_parquet(${listValue(files)}, union_by_name = true)`;
  await db.run(
    `CREATE TEMP TABLE stored_identifiers AS SELECT DISTINCT value, what FROM (` +
      `SELECT ${norm('NHSNumber')} AS value, 'an NHS number' AS what FROM ${mpi} UNION ALL ` +
      `SELECT ${norm('LocalPatientId')}, 'a local patient identifier' FROM ${mpi} UNION ALL ` +
      `SELECT ${norm('Postcode')}, 'a postcode' FROM ${mpi}) WHERE value IS NOT NULL AND value <> ''`,
  );
  await db.run(
    `CREATE TEMP TABLE person_birth AS SELECT DISTINCT ${personIdSql('OrgID_Provider', 'NHSNumber', 'LocalPatientId', 'PersonBirthDate')} AS Person_ID, CAST(d(PersonBirthDate) AS VARCHAR) AS birth ` +
      `FROM ${mpi} WHERE d(PersonBirthDate) IS NOT NULL`,
  );
}

/** The national pseudonyms of the processed set a research extract came from, as identifiers it must not hold. */
async function addNationalPseudonyms(db: Db, dataDir: string, manifest: ReleaseManifest): Promise<void> {
  const run = manifest.source.processingRun;
  if (!run) return;
  const referral = join(dataDir, 'processed', run.version, 'IDS101Referral.parquet');
  if (!existsSync(referral)) return;
  await db.run(
    `INSERT INTO stored_identifiers SELECT DISTINCT upper(Person_ID), 'a national Person_ID' FROM read_parquet(${literal(referral)}) UNION ` +
      `SELECT DISTINCT upper(PathwayID), 'a national PathwayID' FROM read_parquet(${literal(referral)})`,
  );
}

/** SQL reading a released file with every column as text. */
function readAsText(file: string): string {
  return extname(file).toLowerCase() === '.csv'
    ? `read_csv(${literal(file)}, header = true, all_varchar = true, auto_detect = true)`
    : `(SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${literal(file)}))`;
}

/** The people of a file, keyed as the manifest says, with their birth dates and opt-out (temp tables key_birth, key_opted_out). */
async function keyPeople(db: Db, manifest: ReleaseManifest, dataDir: string, nationalKey: Buffer): Promise<void> {
  const scheme = manifest.personKey?.scheme;
  const agreementId = manifest.agreement?.id;
  const keyOf = (personId: string) => (scheme === 'agreement' ? cohortKeySql(personId) : personId);
  if (scheme === 'agreement') {
    if (!agreementId) throw new IaptError('input', 'the manifest keys people by agreement but names no agreement');
    await installAgreementKey(db, nationalKey, agreementId);
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE key_birth AS SELECT ${keyOf('Person_ID')} AS person_key, birth FROM person_birth`);
  const register = manifest.optOut.applied ? optOutRegisters(dataDir).find((r) => manifest.optOut.applied && r.version === manifest.optOut.registerVersion) : undefined;
  if (manifest.optOut.applied && !register) throw new IaptError('input', `the manifest applied opt-out register version ${manifest.optOut.registerVersion}, which ${dataDir} does not hold`);
  await db.run(
    register
      ? `CREATE OR REPLACE TEMP TABLE key_opted_out AS SELECT DISTINCT ${keyOf('Person_ID')} AS person_key FROM read_parquet(${literal(register.file)})`
      : 'CREATE OR REPLACE TEMP TABLE key_opted_out (person_key VARCHAR)',
  );
}

async function scanFile(db: Db, file: string, manifest: ReleaseManifest): Promise<CheckFinding[]> {
  const name = basename(file);
  const source = readAsText(file);
  const columns = await db.columns(source);
  const research = manifest.kind === 'research';
  const found: CheckFinding[] = [];
  for (const c of columns) {
    const cls = columnClass(c);
    if (IDENTIFIABLE_ITEMS.includes(c)) found.push({ file: name, column: c, what: 'a forbidden column (an identifiable item of the data set)', rows: 0 });
    else if (research && (cls.pseudonym || cls.systemKey)) found.push({ file: name, column: c, what: 'a forbidden column (a national pseudonym or system key)', rows: 0 });
  }
  const personKey = manifest.personKey && columns.includes(manifest.personKey.column) ? manifest.personKey.column : null;
  const others = columns.filter((c) => c !== personKey);
  if (others.length === 0) return found;
  const cells = `(UNPIVOT (SELECT * FROM ${source}) ON ${others.map(ident).join(', ')} INTO NAME col VALUE v)`;
  const values = await db.rows(
    finding,
    `SELECT u.col, s.what, count(*) AS n FROM ${cells} u JOIN stored_identifiers s ON s.value = upper(replace(trim(u.v), ' ', '')) GROUP BY ALL ORDER BY u.col, s.what`,
  );
  found.push(...values.map((v) => ({ file: name, column: v.col, what: `values equal to ${v.what} of the data directory`, rows: v.n })));
  if (personKey) {
    const births = await db.rows(
      finding,
      `SELECT u.col, 'the person''s own date of birth' AS what, count(*) AS n FROM ${cells} u JOIN key_birth b ON b.person_key = u.${ident(personKey)} AND b.birth = trim(u.v) GROUP BY ALL ORDER BY u.col`,
    );
    found.push(...births.map((v) => ({ file: name, column: v.col, what: `values equal to ${v.what}`, rows: v.n })));
    const opted = await db.count(`SELECT count(*) FROM ${source} f JOIN key_opted_out o ON o.person_key = f.${ident(personKey)}`);
    if (opted > 0) found.push({ file: name, column: personKey, what: 'rows of people who opted out (the manifest says the opt-out was applied)', rows: opted });
  }
  return found;
}

/** Checks an extract (a file or a folder, with its manifest beside it). */
export async function checkExtract(path: string, options: CheckOptions): Promise<CheckResult> {
  if (!existsSync(path)) throw new IaptError('input', `${path}: no such file or folder`);
  const manifestPath = manifestPathOf(path);
  const manifest = readManifest(manifestPath);
  if (!CHECKED_KINDS.has(manifest.kind)) {
    throw new IaptError('usage', `${path} is a ${manifest.kind} release (${manifest.sensitivity}): check-extract checks commissioner and research extracts, which must hold no identifier`);
  }
  const files = manifestFiles(manifestPath, manifest);
  const findings: CheckFinding[] = [];
  for (const [i, file] of files.entries()) {
    const entry = manifest.files[i]!;
    if (!existsSync(file)) findings.push({ file: entry.name, column: '', what: 'listed in the manifest but missing', rows: 0 });
    else if (sha256OfFile(file) !== entry.sha256) findings.push({ file: entry.name, column: '', what: 'differs from the manifest (sha256): changed since it was written', rows: 0 });
  }
  const nationalKey = loadPseudonymKey(options.dataDir, { pseudoKey: options.pseudoKey, mayCreate: false });
  const db = await openDb();
  try {
    await installPseudonymKey(db, nationalKey);
    await loadStoredIdentifiers(db, options.dataDir, options.databaseUrl);
    if (manifest.kind === 'research') await addNationalPseudonyms(db, options.dataDir, manifest);
    await keyPeople(db, manifest, options.dataDir, nationalKey);
    for (const file of files.filter((f) => existsSync(f))) findings.push(...(await scanFile(db, file, manifest)));
  } finally {
    db.close();
  }
  return { manifest, files, findings };
}

/** One line per finding, for the CLI and for the error an extract command raises. */
export const describeFindings = (findings: readonly CheckFinding[]): string =>
  findings.map((f) => `  ${f.file}${f.column ? `, column ${f.column}` : ''}: ${f.what}${f.rows > 0 ? ` (${f.rows.toLocaleString('en-GB')} row${f.rows === 1 ? '' : 's'})` : ''}`).join('\n');

/** Runs the check and throws a negative IaptError listing the findings, so that nothing leaves with an identifier in it. */
export async function assertExtractClean(path: string, options: CheckOptions): Promise<void> {
  const { findings } = await checkExtract(path, options);
  if (findings.length > 0) throw new IaptError('negative', `the privacy check failed, so nothing was written:\n${describeFindings(findings)}`);
}
