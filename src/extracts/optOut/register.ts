// The national data opt-out register of a data directory: the NHS numbers of people who opted out (one column
// NHSNumber, as the opt-out service's list cleaning gives them), kept only as their Person_ID under the data
// directory's pseudonymisation key, so a register can be matched to the national tables and the NHS numbers
// themselves are never stored. Each import is a new version: DIR/optout/register-v<n>.parquet (one column,
// Person_ID) and register-v<n>.json (version, import time, source file name, people). Extracts record which
// version they applied (src/core/release/manifest.ts).
import { existsSync, linkSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { openDb, type Db } from '../../core/db.js';
import { IaptError } from '../../core/errors.js';
import { makePrivate, mkdirPrivate, writePrivateFile } from '../../core/files.js';
import { ident, literal } from '../../core/sql.js';
import { checkKeyFingerprint, KEY_FINGERPRINT_SETTING, keyFingerprint, loadPseudonymKey } from '../../linkage/key.js';
import { installPseudonymKey, tracedPersonIdSql } from '../../linkage/pseudonyms.js';
import { Catalog } from '../../store/catalog.js';

/** The one column of a register file, as the national data opt-out service names it. */
export const OPT_OUT_COLUMN = 'NHSNumber';

const registerInfo = z.object({ version: z.number().int().positive(), importedAt: z.string(), source: z.string(), people: z.number().int().nonnegative() });
export type OptOutRegister = z.infer<typeof registerInfo> & { /** The Parquet file of Person_IDs. */ file: string };

const folderOf = (dataDir: string) => join(dataDir, 'optout');
const VERSION_FILE = /^register-v(\d+)\.json$/;

/** Every imported version, oldest first (a version counts once both its files are in place). */
export function optOutRegisters(dataDir: string): OptOutRegister[] {
  const folder = folderOf(dataDir);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((name) => VERSION_FILE.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ ...registerInfo.parse(JSON.parse(readFileSync(join(folder, m[0]), 'utf8'))), file: join(folder, `register-v${m[1]}.parquet`) }))
    .filter((r) => existsSync(r.file))
    .sort((a, b) => a.version - b.version);
}

/** The register in force: the latest import, or null when none was imported. */
export const latestOptOutRegister = (dataDir: string): OptOutRegister | null => optOutRegisters(dataDir).at(-1) ?? null;

/** The data directory's key, checked against (and, when none is recorded yet, recorded as) the catalog's fingerprint. */
async function keyOf(dataDir: string, pseudoKey: string | null | undefined): Promise<Buffer> {
  const catalog = await Catalog.open(dataDir, { waitMs: 60_000 });
  try {
    const recorded = await catalog.setting(KEY_FINGERPRINT_SETTING);
    const key = loadPseudonymKey(dataDir, { pseudoKey, mayCreate: recorded === null });
    checkKeyFingerprint(key, recorded, dataDir, { pseudoKey });
    await catalog.recordSetting(KEY_FINGERPRINT_SETTING, keyFingerprint(key));
    return key;
  } finally {
    catalog.close();
  }
}

/** Reads the register file into the temporary table `optout_nhs` (line, NHS number), refusing a bad file or value. */
async function readRegisterFile(db: Db, file: string): Promise<void> {
  if (!existsSync(file)) throw new IaptError('input', `${file}: no such file`);
  try {
    await db.run(`CREATE TEMP TABLE optout_raw AS SELECT row_number() OVER () AS line, * FROM read_csv(${literal(file)}, header = true, all_varchar = true, auto_detect = true)`);
  } catch (error) {
    throw new IaptError('input', `${file}: not a readable CSV file (${(error as Error).message.split('\n')[0]})`);
  }
  const columns = await db.columns('optout_raw');
  if (!columns.includes(OPT_OUT_COLUMN)) throw new IaptError('input', `${file}: no ${OPT_OUT_COLUMN} column (its header is ${columns.filter((c) => c !== 'line').join(', ')}): a register has one column, ${OPT_OUT_COLUMN}`);
  // The line in the file: the header is line 1. A value must be 10 digits (spaces ignored) passing Modulus 11.
  await db.run(
    `CREATE TEMP TABLE optout_nhs AS SELECT line + 1 AS line, nhs, CASE WHEN regexp_full_match(nhs, '[0-9]{10}') THEN nhs_number_valid(nhs) ELSE false END AS valid ` +
      `FROM (SELECT line, replace(trim(coalesce(${ident(OPT_OUT_COLUMN)}, '')), ' ', '') AS nhs FROM optout_raw)`,
  );
  const bad = await db.rows(z.object({ line: z.coerce.number(), nhs: z.string() }), 'SELECT line, nhs FROM optout_nhs WHERE NOT valid ORDER BY line LIMIT 5');
  if (bad.length > 0) {
    const n = await db.count('SELECT count(*) FROM optout_nhs WHERE NOT valid');
    const shown = bad.map((b) => `line ${b.line}: ${b.nhs === '' ? 'blank' : `"${b.nhs}" is not a valid NHS number (10 digits passing the Modulus 11 check)`}`).join('; ');
    throw new IaptError('input', `${file}: ${n} row${n === 1 ? '' : 's'} with a bad ${OPT_OUT_COLUMN} (${shown}${n > bad.length ? '; …' : ''}); nothing was imported`);
  }
}

export interface OptOutImportOptions {
  dataDir: string;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
  /** The import time recorded (default now). */
  importedAt?: string;
}

/** `iapt optout import`: a new version of the register, holding the Person_ID of every NHS number in the file. */
export async function importOptOutRegister(file: string, options: OptOutImportOptions): Promise<OptOutRegister> {
  const folder = folderOf(options.dataDir);
  const staging = join(folder, `.register-${process.pid}.parquet`);
  const db = await openDb();
  try {
    await readRegisterFile(db, file);
    await installPseudonymKey(db, await keyOf(options.dataDir, options.pseudoKey));
    mkdirPrivate(folder);
    await db.run(`COPY (SELECT DISTINCT ${tracedPersonIdSql('nhs')} AS Person_ID FROM optout_nhs ORDER BY Person_ID) TO ${literal(staging)} (FORMAT parquet)`);
    const people = await db.count(`SELECT count(*) FROM read_parquet(${literal(staging)})`);
    makePrivate(staging);
    // The next version number, claimed by linking the staged file into place (a concurrent import takes the next).
    for (let version = (latestOptOutRegister(options.dataDir)?.version ?? 0) + 1; ; version++) {
      const target = join(folder, `register-v${version}.parquet`);
      try {
        linkSync(staging, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      const info = { version, importedAt: options.importedAt ?? new Date().toISOString(), source: basename(file), people };
      writePrivateFile(join(folder, `register-v${version}.json`), JSON.stringify(info, null, 2) + '\n');
      return { ...info, file: target };
    }
  } finally {
    db.close();
    rmSync(staging, { force: true });
  }
}
