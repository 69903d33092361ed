// `iapt extract research`: a research extract made under a Data Sharing Agreement (src/extracts/research/agreement.ts),
// in the UK LLC layout (src/extracts/research/layout.ts), from the processed national tables of the agreement's last
// period. docs/extracts.md is the user's description; in short:
// - scope: the referrals whose latest appearance up to `to` falls in the agreement's periods (they were submitted
//   then), their people, the activity of those referrals in the periods, the records of those people and referrals,
//   and the qualifications of the staff who worked on them;
// - the national data opt-out, unless the agreement records an exemption: opted-out people are in no table;
// - minimisation: only the items the agreement lists, plus keys made for the agreement (cohortkey_e, PathwayID_e, the
//   record keys that join rows); identifiable items, national pseudonyms and system keys are refused, the birth date
//   is released only as the age at referral or the year and month, geography only as coarse as agreed, and
//   organisation and area codes encrypted when agreed;
// - one file per table in a staging folder beside --out with its manifest, the privacy check (src/extracts/check.ts)
//   on the staged folder, and only then the folder moved to --out.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { openDb, type Db } from '../../core/db.js';
import { IaptError } from '../../core/errors.js';
import { makePrivate } from '../../core/files.js';
import { ident, literal, values } from '../../core/sql.js';
import { coarseEnough, columnClass, identifiableItem, table as tableSpec, type TableName } from '../../dataset/index.js';
import { loadPseudonymKey } from '../../linkage/key.js';
import { installPseudonymKey, personIdSql } from '../../linkage/pseudonyms.js';
import { Catalog } from '../../store/catalog.js';
import { uniqueMonthId } from '../../store/identifiers.js';
import { COHORT_KEY, cohortKeySql, encryptedCodeSql, installAgreementKey, PATHWAY_KEY, pathwayKeySql, recordKeySql } from '../agreementKey.js';
import { assertExtractClean } from '../check.js';
import { fileEntry, readManifest, writeManifest, type FileEntry, type OptOutRecord } from '../../core/release/manifest.js';
import { decideOptOut, installOptOut, notOptedOut, optedOutAmong, optOutRecord } from '../optOut/apply.js';
import { processedSet, type ProcessedSet } from '../processedSet.js';
import { csvColumns } from '../provider.js';
import { optOutExemption, readAgreement, type Agreement } from './agreement.js';
import { BIRTH_DATE_ITEM, BIRTH_RELEASE, CARE_PERSONNEL_KEY, RESEARCH_TABLES, SOURCE_TABLE_COLUMN, type RecordKey, type ResearchTable, type ResearchTableName } from './layout.js';

export const RESEARCH_FORMATS = ['parquet', 'csv'] as const;
export type ResearchFormat = (typeof RESEARCH_FORMATS)[number];

export interface ResearchExtractOptions {
  dataDir: string;
  /** The Data Sharing Agreement (JSON). */
  agreementFile: string;
  /** The folder to write: new, empty, or (with force) an earlier research extract. */
  out: string;
  format?: ResearchFormat;
  /** Replace an earlier research extract at `out`. */
  force?: boolean;
  /** The key given as IAPT_PSEUDO_KEY (null: the data directory's key file); by default the configuration's. */
  pseudoKey?: string | null;
  /** The catalog's PostgreSQL database (service mode); null: the data directory's DuckDB file; by default the configuration's. */
  databaseUrl?: string | null;
}

export interface ResearchTableResult {
  table: ResearchTableName;
  file: string;
  rows: number;
  columns: string[];
  /** The data set tables whose rows it holds. */
  sources: TableName[];
}

export interface ResearchExtractResult {
  out: string;
  agreement: Agreement;
  tables: ResearchTableResult[];
  /** People and referrals in scope, after the opt-out. */
  people: number;
  pathways: number;
  optOut: OptOutRecord;
  processingRun: { period: string; version: string };
}

/** An item of an output table: its column, and its value on the rows of each source that holds it (alias s). */
interface ItemPlan {
  /** The item the agreement lists. */
  item: string;
  /** Its column in the extract. */
  column: string;
  type: string;
  from: Map<TableName, string>;
  /** Read from the birth_year_month table (alias b), joined to the source's rows. */
  birth?: true;
}

interface TablePlan {
  table: ResearchTable;
  /** The sources whose rows the table holds. */
  sources: TableName[];
  /** Record keys on its rows (those whose column an included source holds). */
  recordKeys: RecordKey[];
  pathwayKey: boolean;
  items: ItemPlan[];
  /** The columns of each source's national table. */
  national: Map<TableName, Map<string, string>>;
}

/** The reporting periods from `from` to `to`, each YYYY-MM. */
export function periodsBetween(from: string, to: string): string[] {
  const periods: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let p = from; p <= to; p = `${y}-${String(m).padStart(2, '0')}`) {
    periods.push(p);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return periods;
}

/**
 * Organisation codes, and area codes finer than a region, are encrypted when the agreement asks; region codes stay
 * clear (UK LLC guidebook, section 10: "organisations … or geographic areas smaller than a region" are encrypted).
 */
function encrypted(column: string, agreement: Agreement): boolean {
  if (agreement.organisationCodes !== 'encrypt') return false;
  const cls = columnClass(column);
  if (cls.geography === 'region') return false;
  return Boolean(cls.organisation) || cls.geography !== undefined;
}

/** Whether an item may leave in a research extract at all under the agreement (the agreement's own check, for listing the valid ones). */
function releasable(column: string, agreement: Agreement): boolean {
  const cls = columnClass(column);
  return !identifiableItem(column) && !cls.pseudonym && !cls.systemKey && (!cls.geography || coarseEnough(cls.geography, agreement.geography));
}

const columnTypes = z.object({ column_name: z.string(), column_type: z.string() });

/** Checks every listed item against the national tables, and plans each output table; all problems at once. */
async function planTables(db: Db, set: ProcessedSet, agreement: Agreement, file: string): Promise<TablePlan[]> {
  const problems: string[] = [];
  const plans: TablePlan[] = [];
  const birth = BIRTH_RELEASE[agreement.dateOfBirth];
  const columnsOf = new Map<TableName, Map<string, string>>();
  for (const source of new Set(RESEARCH_TABLES.flatMap((t) => t.sources))) {
    const described = await db.rows(columnTypes, `DESCRIBE SELECT * FROM ${set.table(source)}`);
    columnsOf.set(source, new Map(described.map((c) => [c.column_name, c.column_type])));
  }
  const all = [...columnsOf.values()];
  const everywhere = new Set([...all[0]!.keys()].filter((c) => all.every((t) => t.has(c))));
  for (const table of RESEARCH_TABLES) {
    const listed = agreement.tables[table.name];
    if (!listed) continue;
    const national = new Map(table.sources.map((s) => [s, columnsOf.get(s)!]));
    const items: ItemPlan[] = [];
    for (const name of listed) {
      let item: ItemPlan | null;
      if (name === BIRTH_DATE_ITEM) {
        const expr = agreement.dateOfBirth === 'year-month' ? `b.${ident(birth.column)}` : `s.${ident(birth.column)}`;
        if (agreement.dateOfBirth === 'age-at-referral' && !national.get(birth.source)?.has(birth.column)) {
          throw new IaptError('input', `the processed set ${set.version} has no ${birth.column} in ${birth.source}: process ${set.period} again (iapt process)`);
        }
        item =
          agreement.dateOfBirth === 'year-month'
            ? { item: name, column: birth.column, type: 'VARCHAR', from: new Map([[birth.source, expr]]), birth: true }
            : { item: name, column: birth.column, type: national.get(birth.source)!.get(birth.column)!, from: new Map([[birth.source, expr]]) };
      } else {
        const holders = table.sources.filter((s) => national.get(s)!.has(name));
        if (holders.length === 0) {
          problems.push(`tables.${table.name}: ${notAnItem(name, table, national, agreement)}`);
          continue;
        }
        // Every source names the item alike, so its value is the same SQL on each (alias s).
        const clear = `s.${ident(name)}`;
        const secret = encrypted(name, agreement);
        item = {
          item: name,
          column: secret ? `${name}_e` : name,
          type: secret ? 'VARCHAR' : national.get(holders[0]!)!.get(name)!,
          from: new Map(holders.map((s) => [s, secret ? encryptedCodeSql(`nullif(trim(CAST(${clear} AS VARCHAR)), '')`) : clear])),
        };
      }
      if (!items.some((i) => i.column === item.column)) items.push(item);
    }
    // A source's rows are in the table when it holds a listed item other than the columns every national table
    // carries (the provider, the month, the file type): those alone do not bring in rows that hold nothing else
    // listed, unless they are all the table lists.
    const own = table.sources.filter((s) => items.some((i) => i.from.has(s) && !everywhere.has(i.item)));
    const sources = own.length > 0 ? own : table.sources.filter((s) => items.some((i) => i.from.has(s)));
    const holds = (column: string) => sources.some((s) => national.get(s)!.has(column));
    plans.push({ table, sources, recordKeys: table.recordKeys.filter((k) => holds(k.column)), pathwayKey: holds('PathwayID'), items, national });
  }
  if (problems.length > 0) throw new IaptError('input', problems.map((p) => `${file}: ${p}`).join('\n'));
  return plans;
}

/** Why an item is not in a table, with the items that are (briefly), and a near miss in spelling. */
function notAnItem(name: string, table: ResearchTable, national: Map<TableName, Map<string, string>>, agreement: Agreement): string {
  const valid = [...new Set(table.sources.flatMap((s) => [...national.get(s)!.keys()]))].filter((c) => releasable(c, agreement));
  const near = valid.find((c) => c.toLowerCase() === name.toLowerCase());
  const shown = valid.slice(0, 12).join(', ') + (valid.length > 12 ? `, … (${valid.length} in all: iapt spec --table NAME)` : '');
  const where = table.sources.length === 1 ? table.sources[0]! : `${table.sources.slice(0, -1).join(', ')} or ${table.sources.at(-1)!}`;
  return `"${name}" is not an item of ${where}${near ? ` (did you mean "${near}"?)` : ''}; the items it may list: ${shown}`;
}

/** The rows of a source in scope (alias s), and the Person_ID of each (null for staff). */
function scopeOf(source: TableName, plan: TablePlan, set: ProcessedSet, window: { lo: number; hi: number }, birthJoin: boolean): { from: string; person: string | null } {
  const t = set.table(source);
  switch (tableSpec(source).role) {
    case 'person':
    case 'personRecord':
      return { from: `FROM ${t} s JOIN scope_people p ON p.Person_ID = s.Person_ID${birthJoin ? ' LEFT JOIN birth_year_month b ON b.Person_ID = s.Person_ID' : ''}`, person: 's.Person_ID' };
    case 'referral':
    case 'referralRecord':
      return { from: `FROM ${t} s JOIN scope_pathways p ON p.PathwayID = s.PathwayID`, person: 'p.Person_ID' };
    case 'activity':
      return { from: `FROM ${t} s JOIN scope_pathways p ON p.PathwayID = s.PathwayID WHERE s.Unique_MonthID BETWEEN ${literal(window.lo)} AND ${literal(window.hi)}`, person: 'p.Person_ID' };
    case 'staff': {
      // Staff who worked on the table's rows in scope (the activities, IET logs of its other sources).
      const key = ident(CARE_PERSONNEL_KEY.column);
      // Only sources that hold the key: in one that lacks it, s.key would bind to the outer row (a correlated subquery).
      const worked = plan.table.sources
        .filter((o) => tableSpec(o).role !== 'staff' && plan.national.get(o)!.has(CARE_PERSONNEL_KEY.column))
        .map((o) => `SELECT s.${key} ${scopeOf(o, plan, set, window, false).from}`);
      if (worked.length === 0) throw new IaptError('internal', `${plan.table.name}: ${source} has no other table to find its staff in`);
      return { from: `FROM ${t} s WHERE s.${key} IN (${worked.join(' UNION ')})`, person: null };
    }
    case 'header':
      throw new IaptError('internal', `${source} is not part of any research table`);
  }
}

/** SQL of the rows of one output table: each included source's rows in scope, with the keys and the listed items. */
function tableSql(plan: TablePlan, set: ProcessedSet, window: { lo: number; hi: number }): string {
  const several = plan.table.sources.length > 1;
  const nothing = 'CAST(NULL AS VARCHAR)';
  return plan.sources
    .map((source) => {
      const { from, person } = scopeOf(source, plan, set, window, plan.items.some((i) => i.birth && i.from.has(source)));
      const holds = (column: string) => plan.national.get(source)!.has(column);
      const columns = [
        `${person ? cohortKeySql(person) : nothing} AS ${ident(COHORT_KEY)}`,
        ...(plan.pathwayKey ? [`${holds('PathwayID') ? pathwayKeySql('s.PathwayID') : nothing} AS ${ident(PATHWAY_KEY)}`] : []),
        ...(several ? [`${literal(source)} AS ${ident(SOURCE_TABLE_COLUMN)}`] : []),
        ...plan.recordKeys.map((k) => `${holds(k.column) ? recordKeySql(k.kind, `s.${ident(k.column)}`) : nothing} AS ${ident(k.name)}`),
        ...plan.items.map((i) => `${i.from.get(source) ?? `CAST(NULL AS ${i.type})`} AS ${ident(i.column)}`),
      ];
      return `SELECT ${columns.join(', ')} ${from}`;
    })
    .join(' UNION ALL ');
}

/** PersonBirthYearMonth per Person_ID, from the latest of the processed set's submissions holding a birth date. */
async function installBirthYearMonth(db: Db, dataDir: string, set: ProcessedSet, nationalKey: Buffer, databaseUrl: string | null | undefined): Promise<void> {
  const catalog = await Catalog.open(dataDir, { readOnly: true, waitMs: 60_000, ...(databaseUrl !== undefined ? { databaseUrl } : {}) });
  let folders: Map<number, string>;
  try {
    folders = new Map((await catalog.submissions()).map((s) => [s.id, s.folder]));
  } finally {
    catalog.close();
  }
  const used = set.submissions
    .filter((s) => s.period <= set.period && folders.has(s.id))
    .map((s) => ({ ...s, file: join(dataDir, folders.get(s.id)!, 'tables', 'IDS001MPI.parquet') }))
    .filter((s) => existsSync(s.file));
  await installPseudonymKey(db, nationalKey);
  if (used.length === 0) {
    await db.run('CREATE OR REPLACE TEMP TABLE birth_year_month (Person_ID VARCHAR, PersonBirthYearMonth VARCHAR)');
    return;
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE mpi_files AS SELECT * FROM (VALUES ${values(used.map((s) => [s.file, `${s.period}/${String(s.id).padStart(12, '0')}`]))}) v(file, latest)`);
  const mpi = `read_parquet([${used.map((s) => literal(s.file)).join(', ')}], filename = true, union_by_name = true)`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE birth_year_month AS SELECT Person_ID, arg_max(PersonBirthYearMonth, latest) AS PersonBirthYearMonth FROM (` +
      `SELECT ${personIdSql('m.OrgID_Provider', 'm.NHSNumber', 'm.LocalPatientId', 'm.PersonBirthDate')} AS Person_ID, strftime(d(m.PersonBirthDate), '%Y-%m') AS PersonBirthYearMonth, f.latest ` +
      `FROM ${mpi} m JOIN mpi_files f ON f.file = m.filename WHERE d(m.PersonBirthDate) IS NOT NULL) GROUP BY Person_ID`,
  );
}

type OutState = 'absent' | 'empty' | 'earlier';

/** What is at --out: nothing, an empty folder, or (only with force) an earlier research extract and nothing else. */
function outState(out: string, force: boolean): OutState {
  if (!existsSync(out)) {
    const parent = dirname(resolve(out));
    if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new IaptError('usage', `--out: the folder ${dirname(out)} does not exist`);
    return 'absent';
  }
  if (!statSync(out).isDirectory()) throw new IaptError('usage', `--out: ${out} is a file, not a folder`);
  const entries = readdirSync(out);
  if (entries.length === 0) return 'empty';
  if (!force) throw new IaptError('usage', `--out: ${out} is not empty; choose a new folder, or add --force to replace an earlier research extract there`);
  const manifestPath = join(out, 'manifest.json');
  const refuse = (why: string) => new IaptError('usage', `--out: ${out} ${why}, so --force will not replace it (the platform deletes only what it wrote)`);
  if (!existsSync(manifestPath)) throw refuse('holds no research extract (no manifest.json)');
  const manifest = readManifest(manifestPath);
  if (manifest.kind !== 'research') throw refuse(`holds a ${manifest.kind} release, not a research extract`);
  const others = entries.filter((e) => e !== 'manifest.json' && !manifest.files.some((f) => f.name === e));
  if (others.length > 0) throw refuse(`holds files its research extract did not write (${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''})`);
  return 'earlier';
}

/** Moves the staged folder to --out; an earlier extract there is set aside first and removed only once the new one is in place. */
function moveIntoPlace(staging: string, out: string, state: OutState): void {
  if (state !== 'earlier') {
    renameSync(staging, out); // over an empty folder, rename(2) replaces it
    return;
  }
  const aside = `${out}.replaced-${process.pid}-${randomBytes(4).toString('hex')}`;
  renameSync(out, aside);
  try {
    renameSync(staging, out);
  } catch (error) {
    renameSync(aside, out);
    throw error;
  }
  rmSync(aside, { recursive: true, force: true });
}

export async function researchExtract(options: ResearchExtractOptions): Promise<ResearchExtractResult> {
  const { dataDir, agreementFile } = options;
  const format = options.format ?? 'parquet';
  if (!RESEARCH_FORMATS.includes(format)) throw new IaptError('usage', `--format: "${String(format)}" is not one of ${RESEARCH_FORMATS.join(', ')}`);
  const agreement = readAgreement(agreementFile);
  const out = resolve(options.out);
  const state = outState(options.out, Boolean(options.force));
  const { from, to } = agreement.periods;
  let set: ProcessedSet;
  try {
    set = processedSet(dataDir, to);
  } catch (error) {
    if (error instanceof IaptError) throw new IaptError(error.kind, `${agreementFile}: periods.to: ${error.message}`);
    throw error;
  }
  const decision = decideOptOut(dataDir, 'researcher', optOutExemption(agreement));
  const nationalKey = loadPseudonymKey(dataDir, { pseudoKey: options.pseudoKey, mayCreate: false });
  const window = { lo: uniqueMonthId(from), hi: uniqueMonthId(to) };
  const yearMonth = agreement.dateOfBirth === 'year-month' && (agreement.tables.IAPT_demographics_and_referral ?? []).includes(BIRTH_DATE_ITEM);

  let staging: string | null = null;
  try {
    const db = await openDb();
    const results: ResearchTableResult[] = [];
    let people: number;
    let pathways: number;
    let peopleRemoved = 0;
    const files: FileEntry[] = [];
    try {
      const plans = await planTables(db, set, agreement, agreementFile);
      await installAgreementKey(db, nationalKey, agreement.id);
      await installOptOut(db, decision);
      await db.run(`CREATE TEMP TABLE scope_all AS SELECT PathwayID, Person_ID FROM ${set.table('IDS101Referral')} WHERE Unique_MonthID BETWEEN ${literal(window.lo)} AND ${literal(window.hi)}`);
      if ((await db.count('SELECT count(*) FROM scope_all')) === 0) {
        throw new IaptError('input', `${agreementFile}: periods: no referral of the processed set of ${to} was submitted between ${from} and ${to}`);
      }
      if (decision.apply) peopleRemoved = await db.count(optedOutAmong('SELECT Person_ID FROM scope_all', 'Person_ID'));
      await db.run(`CREATE TEMP TABLE scope_pathways AS SELECT * FROM scope_all a WHERE ${notOptedOut('a.Person_ID')}`);
      await db.run('CREATE TEMP TABLE scope_people AS SELECT DISTINCT Person_ID FROM scope_pathways');
      pathways = await db.count('SELECT count(*) FROM scope_pathways');
      people = await db.count('SELECT count(*) FROM scope_people');
      if (yearMonth) await installBirthYearMonth(db, dataDir, set, nationalKey, options.databaseUrl);

      staging = mkdtempSync(`${out}.staging-${process.pid}-`);
      for (const [i, plan] of plans.entries()) {
        const name = `research_${i}`;
        await db.run(`CREATE TEMP TABLE ${ident(name)} AS ${tableSql(plan, set, window)}`);
        const file = join(staging, `${plan.table.name}.${format}`);
        const rows = await db.count(`SELECT count(*) FROM ${ident(name)}`);
        if (format === 'csv') {
          await db.run(`COPY (SELECT ${await csvColumns(db, `SELECT * FROM ${ident(name)}`)} FROM ${ident(name)} s ORDER BY ALL) TO ${literal(file)} (HEADER, DELIMITER ${literal(',')})`);
        } else {
          await db.run(`COPY (SELECT * FROM ${ident(name)} ORDER BY ALL) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd)`);
        }
        files.push(fileEntry(file, rows));
        results.push({ table: plan.table.name as ResearchTableName, file: join(out, `${plan.table.name}.${format}`), rows, columns: await db.columns(ident(name)), sources: plan.sources });
      }
    } finally {
      db.close();
    }
    const optOut = optOutRecord(decision, peopleRemoved);
    writeManifest(join(staging, 'manifest.json'), {
      kind: 'research',
      audience: 'researcher',
      sensitivity: 'pseudonymised',
      scope: { agreement: agreement.id },
      source: { periods: periodsBetween(from, to), submissions: set.submissions.filter((s) => s.period <= to), processingRun: { period: to, version: set.version } },
      optOut,
      agreement: { id: agreement.id, recipient: agreement.recipient, purpose: agreement.purpose },
      personKey: { column: COHORT_KEY, scheme: 'agreement' },
      files,
    });
    makePrivate(staging);
    await assertExtractClean(staging, { dataDir, pseudoKey: options.pseudoKey, ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}) });
    moveIntoPlace(staging, out, state);
    staging = null;
    return { out: options.out, agreement, tables: results, people, pathways, optOut, processingRun: { period: to, version: set.version } };
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}
