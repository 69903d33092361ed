// The provider post-deadline extract: one provider's IDS101 derived table for a period (one row per
// PathwayID used for the period, UsePathway_Flag), with its own identifiers put back. The national
// tables hold no identifiers, so the referral's identifiable items (the spec's, ServiceRequestId and
// LocalPatientId) come from the provider's own stored submission, matched by recomputing the PathwayID with the key. The CSV form neutralises text a spreadsheet
// would run as a formula; the Parquet form is raw.
import { existsSync, realpathSync } from 'node:fs';
import { extname, join } from 'node:path';
import { IaptError } from '../core/errors.js';
import { makePrivate } from '../core/files.js';
import { neutraliseSql } from '../core/formula.js';
import { openDb, type Db } from '../core/db.js';
import { ident as q, literal } from '../core/sql.js';
import { TABLES } from '../dataset/index.js';
import { loadPseudonymKey } from '../linkage/key.js';
import { installPseudonymKey, pathwayIdSql, personIdSql } from '../linkage/pseudonyms.js';
import { Catalog } from '../store/catalog.js';
import { z } from 'zod';

export interface ProviderExtractOptions {
  dataDir: string;
  period: string;
  provider: string;
  out: string;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
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

/**
 * The select list of a query's rows (aliased `s`) as the CSV extract writes them: text columns neutralised so
 * that a spreadsheet cannot run them as formulas (src/core/formula.ts); other columns as they are. The Parquet
 * extract stays raw.
 */
export async function csvColumns(db: Db, query: string): Promise<string> {
  const columns = await db.rows(z.object({ column_name: z.string(), column_type: z.string() }), `DESCRIBE ${query}`);
  return columns.map(({ column_name: c, column_type: type }) => (type === 'VARCHAR' ? `${neutraliseSql(`s.${q(c)}`)} AS ${q(c)}` : `s.${q(c)}`)).join(', ');
}

export async function providerExtract(options: ProviderExtractOptions): Promise<{ rows: number; out: string }> {
  const { dataDir, period, provider, out } = options;
  const format = extname(out).toLowerCase();
  if (format !== '.csv' && format !== '.parquet') throw new ExtractError(`--out must end in .csv or .parquet, not "${out}"`);
  const processed = join(dataDir, 'processed', period);
  const derived = join(existsSync(processed) ? realpathSync(processed) : processed, 'IDS101Referral.parquet');
  if (!existsSync(derived)) throw new ExtractError(`${period} has not been processed: run iapt process --data ${dataDir} --period ${period} first`);
  const catalog = await Catalog.open(dataDir, { readOnly: true, waitMs: 60_000 });
  let folder: string;
  try {
    const counting = (await catalog.submissions({ provider, period })).find((s) => s.counts);
    if (!counting) throw new ExtractError(`no accepted submission counts for ${provider} in ${period}`);
    folder = join(dataDir, counting.folder, 'tables');
  } finally {
    catalog.close();
  }
  const db = await openDb();
  try {
    await installPseudonymKey(db, loadPseudonymKey(dataDir, { pseudoKey: options.pseudoKey }));
    const stored = (t: string) => `read_parquet(${literal(join(folder, `${t}.parquet`))})`;
    await db.run(
      `CREATE TEMP TABLE own AS SELECT ${pathwayIdSql('r.OrgID_Provider', personIdSql('m.OrgID_Provider', 'm.NHSNumber', 'm.LocalPatientId', 'm.PersonBirthDate'), `r.${q(REFERRAL_ID)}`)} AS PathwayID, ` +
        `${OWN_IDENTIFIERS.map((c) => `r.${q(c)}`).join(', ')} FROM ${stored(referral.name)} r JOIN ${stored('IDS001MPI')} m ON m.${q(PATIENT_ID)} = r.${q(PATIENT_ID)}`,
    );
    const rows = `SELECT ${OWN_IDENTIFIERS.map((c) => `o.${q(c)}`).join(', ')}, n.* FROM read_parquet(${literal(derived)}) n JOIN own o USING (PathwayID) WHERE n.OrgID_Provider = ${literal(provider)} AND n.UsePathway_Flag`;
    const n = await db.count(`SELECT count(*) FROM (${rows})`);
    const columns = format === '.csv' ? await csvColumns(db, rows) : 's.*';
    const to = format === '.csv' ? `HEADER, DELIMITER ${literal(',')}` : 'FORMAT parquet, COMPRESSION zstd';
    await db.run(`COPY (SELECT ${columns} FROM (${rows}) s ORDER BY s.${q(REFERRAL_ID)}) TO ${literal(out)} (${to})`);
    makePrivate(out); // the extract carries the provider's own identifiers
    return { rows: Number(n), out };
  } finally {
    db.close();
  }
}
