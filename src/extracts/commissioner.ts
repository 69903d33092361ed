// The commissioner extract (NHS Digital, "Access data from the IAPT data set": commissioner extracts are "filtered by
// Organisation Identifier (Code of Commissioner)" and hold only records where the commissioner's code "matches that
// supplied by the provider for the patient"; "similar to the provider's final extract, but [without] patient
// identifiable data items"). One row per pathway used for the period (UsePathway_Flag), from every provider, whose
// referral carries the commissioner code as the provider supplied it (OrgIDComm), with the columns of the provider's
// final extract less every identifiable item of the spec; Person_ID and PathwayID stay (pseudonyms), as do the
// derived items. Geography: the sub-ICB of residence and the deprivation decile of the person's LSOA, not the LSOA
// itself nor the postcode district (docs/extracts.md, "Geography"). The national data opt-out is applied unless the
// configuration records an exemption (IAPT_COMMISSIONER_OPTOUT_EXEMPTION).
import { extname } from 'node:path';
import { z } from 'zod';
import { openDb } from '../core/db.js';
import { IaptError } from '../core/errors.js';
import { ident as q, literal } from '../core/sql.js';
import { columnClass, identifiableItem, isPeriod, item } from '../dataset/index.js';
import { csvColumns } from './provider.js';
import { decideOptOut, installOptOut, notOptedOut, optedOutAmong, optOutRecord } from './optOut/apply.js';
import { fileEntry, manifestPathOf, writeManifest } from '../core/release/manifest.js';
import { processedSet } from './processedSet.js';
import { releaseFile } from './staging.js';

export interface CommissionerExtractOptions {
  dataDir: string;
  period: string;
  /** ORGANISATION IDENTIFIER (CODE OF COMMISSIONER), as providers submit it in OrgIDComm. */
  commissioner: string;
  out: string;
  /** The reason and legal basis for not applying the national data opt-out (configuration); null: applied. */
  optOutExemption?: string | null;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
  /** The catalog's PostgreSQL database (service mode); null: the data directory's DuckDB file; by default the configuration's. */
  databaseUrl?: string | null;
}

export interface CommissionerExtractResult {
  out: string;
  rows: number;
  providers: string[];
  peopleRemoved: number;
  optOutApplied: boolean;
}

const COMMISSIONER = item('IDS101Referral', 'OrgIDComm');
/** The person's residence, at the level the commissioner extract releases (see the file comment). */
const RESIDENCE_COLUMNS = ['OrgIDSubICBLocResidence', 'IndicesOfDeprivationDecile'] as const;

/** A commissioner code as the data set defines it (an3–an5 for OrgIDComm); a usage error otherwise. */
export function commissionerCode(code: string): string {
  const { format } = COMMISSIONER;
  const [min, max] = format.kind === 'an' ? [format.min ?? 1, format.max] : [3, 5];
  const trimmed = code.trim().toUpperCase();
  if (!new RegExp(`^[A-Z0-9]{${min},${max}}$`).test(trimmed)) {
    throw new IaptError('usage', `--commissioner: "${code}" is not a commissioner code (${COMMISSIONER.element}: ${min} to ${max} letters or digits, e.g. 00L)`);
  }
  return trimmed;
}

export async function commissionerExtract(options: CommissionerExtractOptions): Promise<CommissionerExtractResult> {
  const { dataDir, period, out } = options;
  if (!isPeriod(period)) throw new IaptError('usage', `--period: "${period}" is not a reporting period (YYYY-MM)`);
  const format = extname(out).toLowerCase();
  if (format !== '.csv' && format !== '.parquet') throw new IaptError('usage', `--out must end in .csv or .parquet, not "${out}"`);
  const code = commissionerCode(options.commissioner);
  const set = processedSet(dataDir, period);
  const decision = decideOptOut(dataDir, 'commissioner', options.optOutExemption ?? null);
  const db = await openDb();
  try {
    await installOptOut(db, decision);
    const referralColumns = await db.columns(set.table('IDS101Referral'));
    const released = referralColumns.filter((c) => !identifiableItem(c) && !columnClass(c).systemKey);
    // Residence columns come with reference data (iapt process --reference); without it there are none.
    const mpiColumns = await db.columns(set.table('IDS001MPI'));
    const residenceSelect = RESIDENCE_COLUMNS.filter((c) => mpiColumns.includes(c)).map((c) => `, m.${q(c)}`).join('');
    const candidates =
      `SELECT ${released.map((c) => `n.${q(c)}`).join(', ')}${residenceSelect} FROM ${set.table('IDS101Referral')} n ` +
      `LEFT JOIN ${set.table('IDS001MPI')} m ON m.Person_ID = n.Person_ID ` +
      `WHERE n.UsePathway_Flag AND upper(trim(n.OrgIDComm)) = ${literal(code)}`;
    const found = await db.count(`SELECT count(*) FROM (${candidates})`);
    if (found === 0) {
      const known = await db.count(`SELECT count(*) FROM ${set.table('IDS101Referral')} WHERE upper(trim(OrgIDComm)) = ${literal(code)}`);
      throw new IaptError('input', `no pathway of ${period} carries commissioner code ${code}${known > 0 ? ` (${known} earlier pathways do, none used for ${period})` : ''}: check --commissioner and --period`);
    }
    const peopleRemoved = decision.apply ? await db.count(optedOutAmong(candidates, 'Person_ID')) : 0;
    const rows = `SELECT * FROM (${candidates}) c WHERE ${notOptedOut('c.Person_ID')}`;
    const n = await db.count(`SELECT count(*) FROM (${rows})`);
    const providers = (await db.rows(z.object({ p: z.string() }), `SELECT DISTINCT OrgID_Provider AS p FROM (${rows}) ORDER BY p`)).map((r) => r.p);
    await releaseFile(
      out,
      async (staged) => {
        const columns = format === '.csv' ? await csvColumns(db, rows) : 's.*';
        const to = format === '.csv' ? `HEADER, DELIMITER ${literal(',')}` : 'FORMAT parquet, COMPRESSION zstd';
        await db.run(`COPY (SELECT ${columns} FROM (${rows}) s ORDER BY s.OrgID_Provider, s.PathwayID) TO ${literal(staged)} (${to})`);
        writeManifest(manifestPathOf(staged), {
          kind: 'commissioner',
          audience: 'commissioner',
          sensitivity: 'pseudonymised',
          scope: { commissioner: code, period },
          source: { periods: [period], submissions: set.submissions.filter((s) => providers.includes(s.provider)), processingRun: { period, version: set.version } },
          optOut: optOutRecord(decision, peopleRemoved),
          agreement: null,
          personKey: { column: 'Person_ID', scheme: 'Person_ID' },
          files: [fileEntry(staged, n)],
        });
      },
      { dataDir, pseudoKey: options.pseudoKey, ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}) },
    );
    return { out, rows: n, providers, peopleRemoved, optOutApplied: decision.apply };
  } finally {
    db.close();
  }
}

/** The commissioner codes of a period's pathways (UsePathway_Flag) with their numbers of pathways, most first. */
export async function commissionersOf(dataDir: string, period: string): Promise<{ code: string; pathways: number }[]> {
  const set = processedSet(dataDir, period);
  const db = await openDb();
  try {
    return await db.rows(
      z.object({ code: z.string(), pathways: z.coerce.number() }),
      `SELECT upper(trim(OrgIDComm)) AS code, count(*) AS pathways FROM ${set.table('IDS101Referral')} WHERE UsePathway_Flag AND OrgIDComm IS NOT NULL GROUP BY ALL ORDER BY pathways DESC, code`,
    );
  } finally {
    db.close();
  }
}
