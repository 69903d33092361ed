// Loads the reference data of a --reference folder (layouts in docs/reference-data.md) into DuckDB tables
// the reference rules look up: ref_organisation, ref_gp_practice, ref_site, ref_postcode (code, open_date, close_date).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDb, type Db } from '../core/db.js';
import { literal } from '../core/sql.js';
import { postcodeKeySql } from '../dataset/checks.js';
import { IntakeError } from '../intake/types.js';

const FILES = [
  { table: 'ref_organisation', file: 'organisations.csv', code: 'org_code', open: 'open_date', close: 'close_date' },
  { table: 'ref_gp_practice', file: 'gp_practices.csv', code: 'practice_code', open: 'open_date', close: 'close_date' },
  { table: 'ref_site', file: 'sites.csv', code: 'site_code', open: 'open_date', close: 'close_date' },
  { table: 'ref_postcode', file: 'postcodes.csv', code: 'postcode', open: 'date_introduced', close: 'date_terminated' },
] as const;

// Every code is keyed as postcodes are (organisation codes have no inner spaces, so for them this is upper(trim)).
async function loadInto(db: Db, dir: string): Promise<void> {
  for (const f of FILES) {
    const path = join(dir, f.file);
    if (!existsSync(path)) throw new IntakeError(`reference data: ${path} is missing (see docs/reference-data.md for the files expected)`);
    try {
      await db.run(
        `CREATE OR REPLACE TABLE ${f.table} AS SELECT ${postcodeKeySql(f.code)} AS code, ` +
          `coalesce(try_cast(${f.open} AS DATE), DATE '1900-01-01') AS open_date, try_cast(${f.close} AS DATE) AS close_date ` +
          `FROM read_csv(${literal(path)}, header = true, all_varchar = true)`,
      );
    } catch (error) {
      throw new IntakeError(`reference data: ${path} could not be read as the documented layout (${(error as Error).message.split('\n')[0]})`);
    }
  }
}

// Built once per process and folder (keyed by the files' sizes and times), then attached read-only by
// every validation, so a batch of submissions does not re-read the CSVs each time.
const built = new Map<string, Promise<string>>();

/** The folders of those databases, removed when the process ends (one killed outright leaves them to the system). */
const made = new Set<string>();
function removeAtExit(folder: string): void {
  if (made.size === 0) process.once('exit', () => made.forEach((f) => rmSync(f, { recursive: true, force: true })));
  made.add(folder);
}

async function referenceDatabase(dir: string): Promise<string> {
  const stamp = FILES.map((f) => {
    const path = join(dir, f.file);
    if (!existsSync(path)) throw new IntakeError(`reference data: ${path} is missing (see docs/reference-data.md for the files expected)`);
    const st = statSync(path);
    return `${f.file}:${st.size}:${st.mtimeMs}`;
  }).join('|');
  const key = `${resolve(dir)}|${stamp}`;
  let file = built.get(key);
  if (!file) {
    file = (async () => {
      const folder = mkdtempSync(join(tmpdir(), 'iapt-reference-'));
      removeAtExit(folder);
      const path = join(folder, `${createHash('sha256').update(key).digest('hex').slice(0, 16)}.duckdb`);
      const db = await openDb({ path });
      try {
        await loadInto(db, dir);
      } finally {
        db.close();
      }
      return path;
    })();
    built.set(key, file);
    file.catch(() => built.delete(key));
  }
  return file;
}

/** Makes the reference tables of `dir` available to `db` as ref_organisation, ref_gp_practice, ref_site, ref_postcode. */
export async function loadReference(db: Db, dir: string): Promise<void> {
  const file = await referenceDatabase(dir);
  await db.run(`ATTACH ${literal(file)} AS reference (READ_ONLY)`);
  for (const f of FILES) await db.run(`CREATE OR REPLACE VIEW ${f.table} AS SELECT * FROM reference.${f.table}`);
}
