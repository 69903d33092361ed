// Loads the reference data of a --reference folder (layouts in docs/reference-data.md) into DuckDB tables
// the reference rules look up: ref_organisation, ref_gp_practice, ref_site, ref_postcode (code, open_date, close_date).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { quoteLiteral, type Db } from '../intake/duckdb.js';
import { IntakeError } from '../intake/types.js';

const FILES = [
  { table: 'ref_organisation', file: 'organisations.csv', code: 'org_code', open: 'open_date', close: 'close_date' },
  { table: 'ref_gp_practice', file: 'gp_practices.csv', code: 'practice_code', open: 'open_date', close: 'close_date' },
  { table: 'ref_site', file: 'sites.csv', code: 'site_code', open: 'open_date', close: 'close_date' },
  { table: 'ref_postcode', file: 'postcodes.csv', code: 'postcode', open: 'date_introduced', close: 'date_terminated' },
] as const;

export async function loadReference(db: Db, dir: string): Promise<void> {
  for (const f of FILES) {
    const path = join(dir, f.file);
    if (!existsSync(path)) throw new IntakeError(`reference data: ${path} is missing (see docs/reference-data.md for the files expected)`);
    try {
      await db.run(
        `CREATE OR REPLACE TABLE ${f.table} AS SELECT upper(regexp_replace(trim(${f.code}), '\\s+', ' ', 'g')) AS code, ` +
          `coalesce(try_cast(${f.open} AS DATE), DATE '1900-01-01') AS open_date, try_cast(${f.close} AS DATE) AS close_date ` +
          `FROM read_csv(${quoteLiteral(path)}, header = true, all_varchar = true)`,
      );
    } catch (error) {
      throw new IntakeError(`reference data: ${path} could not be read as the documented layout (${(error as Error).message.split('\n')[0]})`);
    }
  }
}
