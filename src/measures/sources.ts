// The rows measures are computed over (definition.ts, Unit): a period's rows of the derived national tables,
// restricted to referrals used for the period, with their dates parsed, as views (and small temporary tables) that
// prepareMeasures (compute.ts) reads once per period.
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../core/db.js';
import { ident as q, literal as lit } from '../core/sql.js';
import { TABLES } from '../dataset/index.js';
import { MeasureError } from './compute.js';
import type { ReferralItems, Source, Unit } from './definition.js';
import { bindPeriod, type ReportingPeriod } from './periods.js';

/** Person items the referral rows carry (for breakdowns, variables and measures such as M206–M210), with their types as processed (a person table without one gives NULLs of that type). */
const PERSON_ITEM_TYPES = {
  Gender: 'VARCHAR',
  GenderIdentity: 'VARCHAR',
  GenderIdentitySameAtBirth: 'VARCHAR',
  Age_RP_EndDate: 'BIGINT',
  Validated_EthnicCategory: 'VARCHAR',
  IndicesOfDeprivationDecile: 'INTEGER',
  ExBAFIndicator: 'VARCHAR',
  EduEstabTypeIAPT: 'VARCHAR',
} as const;
const PERSON_ITEMS = Object.keys(PERSON_ITEM_TYPES) as (keyof typeof PERSON_ITEM_TYPES)[];

/** Relations (a table name or a table function) holding the derived national tables. */
export interface SourceTables {
  IDS101Referral: string;
  IDS001MPI?: string;
  IDS201CareContact?: string;
  IDS202CareActivity?: string;
  IDS205InternetTherLog?: string;
  IDS004EmpStatus?: string;
  IDS902CarePersQual?: string;
  IDS007DisabilityType?: string;
  IDS011SocPerCircumstances?: string;
  IDS803CareCluster?: string;
  IDS602LongTermCondition?: string;
}

export const processedTables = (folder: string): Required<SourceTables> => {
  const parquet = (t: string) => `read_parquet(${lit(join(folder, `${t}.parquet`))})`;
  return {
    IDS101Referral: parquet('IDS101Referral'),
    IDS001MPI: parquet('IDS001MPI'),
    IDS201CareContact: parquet('IDS201CareContact'),
    IDS202CareActivity: parquet('IDS202CareActivity'),
    IDS205InternetTherLog: parquet('IDS205InternetTherLog'),
    IDS004EmpStatus: parquet('IDS004EmpStatus'),
    IDS902CarePersQual: parquet('IDS902CarePersQual'),
    IDS007DisabilityType: parquet('IDS007DisabilityType'),
    IDS011SocPerCircumstances: parquet('IDS011SocPerCircumstances'),
    IDS803CareCluster: parquet('IDS803CareCluster'),
    IDS602LongTermCondition: parquet('IDS602LongTermCondition'),
  };
};

export interface SourceOptions {
  /**
   * Give contact rows `Activities` (default true). Listing the IDS202 codes of every contact is the most
   * memory-hungry part of the views (a national year's does not fit the 2 GB processing limit): leave it out when
   * no measure or item reads it (catalogue/index.ts usesActivities); a query that does then fails on the missing column.
   */
  activities?: boolean;
}

/** The data set's date items: submitted as text (YYYY-MM-DD), parsed once into DATE columns of the sources. */
const DATE_ITEMS: ReadonlySet<string> = new Set(TABLES.flatMap((t) => t.items.filter((i) => i.format.kind === 'date').map((i) => i.name)));

const described = z.object({ column_name: z.string(), column_type: z.string() });

/** The columns of `relation` as `alias.column`, each submitted date item still text as its DATE (`date_text`). */
async function parsedColumns(db: Db, relation: string, alias: string, keep: (column: string) => boolean = () => true): Promise<string[]> {
  const columns = await db.rows(described, `DESCRIBE SELECT * FROM ${relation}`);
  return columns
    .filter((c) => keep(c.column_name))
    .map(({ column_name: c, column_type: type }) => (DATE_ITEMS.has(c) && type === 'VARCHAR' ? `date_text(${alias}.${q(c)}) AS ${q(c)}` : `${alias}.${q(c)}`));
}

/**
 * Creates the temporary views `m_referral`, `m_contact`, `m_internetLog`, `m_employmentStatus` (those whose
 * tables are given), and for correlated subqueries `m_careActivity` (IDS202 rows: a contact's care professionals) and
 * `m_carePersQual` (IDS902 rows of the period's submissions: their qualifications), and for referral items the views
 * of definition.ts Source (`m_disability`, `m_socialCircumstance`, `m_careCluster`, `m_longTermCondition`). The referral `items` (those the
 * measures to compute use: catalogue/index.ts itemsUsedBy) are computed once into temporary tables and become columns of every unit's rows.
 *
 * Every submitted date item of the period's rows is parsed into a DATE (`date_text`) where the rows are read: the
 * measures' conditions test dates hundreds of times per row, and parsing the text each time was most of a
 * publication's time. Afterwards `d(x)` in this database is the DATE itself (and fails to bind on text, so a date left
 * unparsed cannot pass unnoticed); a blank date (empty or spaces) is NULL. The referrals and contacts stay views: the
 * measures read them once, through prepareMeasures' tables; as tables they cost a national month's publication
 * 0.7 GiB more and saved it at most 4 % of its time (docs/performance.md).
 */
export async function createSources(db: Db, tables: SourceTables, period: ReportingPeriod, items: readonly ReferralItems[], options: SourceOptions = {}): Promise<Set<Unit>> {
  const personColumns = tables.IDS001MPI ? await db.columns(tables.IDS001MPI) : [];
  const person = PERSON_ITEMS.map((c) => (personColumns.includes(c) ? `p.${q(c)}` : `CAST(NULL AS ${PERSON_ITEM_TYPES[c]}) AS ${q(c)}`)).join(', ');
  const personJoin = tables.IDS001MPI ? `LEFT JOIN ${tables.IDS001MPI} p USING (Person_ID)` : '';
  const own = await parsedColumns(db, tables.IDS101Referral, 'r', (c) => !(PERSON_ITEMS as readonly string[]).includes(c));
  await db.run(`CREATE OR REPLACE TEMP VIEW m_pathway AS SELECT ${own.join(', ')}, ${person} FROM ${tables.IDS101Referral} r ${personJoin} WHERE ${period.useFilter('r')}`);
  const pathwayColumns = await db.columns('m_pathway');
  const referralAll = [...pathwayColumns, ...items.flatMap((i) => Object.keys(i.columns))];
  const childColumns = async (relation: string) => (await db.columns(relation)).filter((c) => !referralAll.includes(c) && c !== 'Activities').map((c) => `e.${q(c)}`);
  await createRows(db, tables, options.activities ?? true);
  await db.run('CREATE OR REPLACE TEMP MACRO d(x) AS (x + 0)');

  // The unit views are built twice: over the plain referral rows to compute the items, then over the rows with them.
  await db.run('CREATE OR REPLACE TEMP VIEW m_referral AS SELECT * FROM m_pathway');
  const views = await createViews(db, tables, childColumns, options.activities ?? true);
  for (const i of items) {
    const missing = i.needs.filter((u) => !views.has(u));
    if (missing.length > 0) throw new MeasureError(`the ${i.name} items (${Object.keys(i.columns).join(', ')}) need ${missing.join(', ')} rows, whose table is missing`);
    await db.run(`CREATE OR REPLACE TEMP TABLE ${q(`m_items_${i.name}`)} AS SELECT PathwayID, ${Object.entries(i.columns).map(([c, type]) => `CAST(${q(c)} AS ${type}) AS ${q(c)}`).join(', ')} FROM (${bindPeriod(i.sql, period)})`);
  }
  const itemColumns = items.flatMap((i) => Object.keys(i.columns).map((c) => `${q(`i_${i.name}`)}.${q(c)}`));
  const itemJoins = items.map((i) => `LEFT JOIN ${q(`m_items_${i.name}`)} ${q(`i_${i.name}`)} ON ${q(`i_${i.name}`)}.PathwayID = r.PathwayID`);
  await db.run(`CREATE OR REPLACE TEMP VIEW m_referral AS SELECT r.*${itemColumns.map((c) => `, ${c}`).join('')} FROM m_pathway r ${itemJoins.join(' ')}`);
  await createViews(db, tables, childColumns, options.activities ?? true);
  return new Set([...views].filter((v): v is Unit => (UNITS as readonly string[]).includes(v)));
}

const UNITS: readonly Unit[] = ['referral', 'contact', 'internetLog', 'employmentStatus'];

/**
 * The period's rows of the child tables, dates parsed, as `m_<name>_rows`: temporary tables of the internet therapy
 * logs and employment status records of the period's referrals or their people (small, and read by correlated
 * subqueries), views of the contacts of the period's referrals and of the tables read whole.
 */
async function createRows(db: Db, tables: SourceTables, withActivities: boolean): Promise<void> {
  const ofPeriod = 'PathwayID IN (SELECT PathwayID FROM m_pathway)';
  if (tables.IDS201CareContact) {
    // Only the contacts and activities of the period's referrals: the processed tables hold every month's, and
    // deduplicating or listing all of them at national scale needs more memory than the processing limit.
    const contactsOfPeriod = `Unique_CareContactID IN (SELECT Unique_CareContactID FROM ${tables.IDS201CareContact} WHERE ${ofPeriod})`;
    const activities = tables.IDS202CareActivity && withActivities
      ? `LEFT JOIN (SELECT Unique_CareContactID, list(CodeProcAndProcStatus) AS Activities FROM ${tables.IDS202CareActivity} WHERE ${contactsOfPeriod} GROUP BY 1) a USING (Unique_CareContactID)`
      : '';
    // A contact re-sent in a later month counts once, as last sent. (Found with a spillable aggregate: a window or
    // arg_max over a national year's contacts does not fit the processing memory.)
    const resent = `(SELECT Unique_CareContactID, max(Unique_MonthID) AS last_month FROM ${tables.IDS201CareContact} WHERE ${ofPeriod} GROUP BY 1 HAVING count(*) > 1)`;
    const latest = `(SELECT c.* FROM ${tables.IDS201CareContact} c LEFT JOIN ${resent} x USING (Unique_CareContactID) WHERE c.${ofPeriod} AND (x.last_month IS NULL OR c.Unique_MonthID = x.last_month))`;
    const listed = !withActivities ? '' : activities ? ', coalesce(a.Activities, []) AS Activities' : ', CAST([] AS VARCHAR[]) AS Activities';
    await db.run(`CREATE OR REPLACE TEMP VIEW m_contact_rows AS SELECT ${(await parsedColumns(db, latest, 'e')).join(', ')}${listed} FROM ${latest} e ${activities}`);
  }
  if (tables.IDS205InternetTherLog) {
    await db.run(`CREATE OR REPLACE TEMP TABLE m_internetLog_rows AS SELECT ${(await parsedColumns(db, tables.IDS205InternetTherLog, 'e')).join(', ')} FROM ${tables.IDS205InternetTherLog} e WHERE e.${ofPeriod}`);
  }
  if (tables.IDS004EmpStatus) {
    await db.run(`CREATE OR REPLACE TEMP TABLE m_employmentStatus_rows AS SELECT ${(await parsedColumns(db, tables.IDS004EmpStatus, 'e')).join(', ')} FROM ${tables.IDS004EmpStatus} e WHERE e.Person_ID IN (SELECT Person_ID FROM m_pathway)`);
  }
  const whole: [string, string | undefined][] = [
    ['careActivity', tables.IDS202CareActivity],
    ['carePersQual', tables.IDS902CarePersQual],
    ['disability', tables.IDS007DisabilityType],
    ['socialCircumstance', tables.IDS011SocPerCircumstances],
    ['careCluster', tables.IDS803CareCluster],
    ['longTermCondition', tables.IDS602LongTermCondition],
  ];
  for (const [name, table] of whole) if (table) await db.run(`CREATE OR REPLACE TEMP VIEW ${q(`m_${name}_rows`)} AS SELECT ${(await parsedColumns(db, table, 'e')).join(', ')} FROM ${table} e`);
}

/** The unit views and the other views referral items read; returns the names of those created. */
async function createViews(db: Db, tables: SourceTables, childColumns: (relation: string) => Promise<string[]>, withActivities: boolean): Promise<Set<Source>> {
  const views = new Set<Source>(['referral']);
  if (tables.IDS201CareContact) {
    const cols = await childColumns('m_contact_rows');
    await db.run(`CREATE OR REPLACE TEMP VIEW m_contact AS SELECT r.*, ${cols.join(', ')}${withActivities ? ', e.Activities' : ''} FROM m_referral r JOIN m_contact_rows e USING (PathwayID)`);
    views.add('contact');
  }
  if (tables.IDS205InternetTherLog) {
    await db.run(`CREATE OR REPLACE TEMP VIEW m_internetLog AS SELECT r.*, ${(await childColumns('m_internetLog_rows')).join(', ')} FROM m_referral r JOIN m_internetLog_rows e USING (PathwayID)`);
    views.add('internetLog');
  }
  if (tables.IDS004EmpStatus) {
    // The person's IDS004 records (from their latest submission) sent by the referral's provider: for a month,
    // the NHS link on Person_ID and RecordNumber (the same submission).
    const cols = await childColumns('m_employmentStatus_rows');
    await db.run(`CREATE OR REPLACE TEMP VIEW m_employmentStatus AS SELECT r.*, ${cols.join(', ')} FROM m_referral r JOIN m_employmentStatus_rows e ON e.Person_ID = r.Person_ID AND e.OrgID_Provider = r.OrgID_Provider`);
    views.add('employmentStatus');
  }
  if (tables.IDS202CareActivity) await db.run('CREATE OR REPLACE TEMP VIEW m_careActivity AS SELECT * FROM m_careActivity_rows');
  if (tables.IDS902CarePersQual) await db.run('CREATE OR REPLACE TEMP VIEW m_carePersQual AS SELECT * FROM m_carePersQual_rows');
  const others: [Source, string | undefined][] = [
    ['disability', tables.IDS007DisabilityType],
    ['socialCircumstance', tables.IDS011SocPerCircumstances],
    ['careCluster', tables.IDS803CareCluster],
    ['longTermCondition', tables.IDS602LongTermCondition],
  ];
  for (const [name, table] of others) {
    if (!table) continue;
    await db.run(`CREATE OR REPLACE TEMP VIEW m_${name} AS SELECT * FROM ${q(`m_${name}_rows`)}`);
    views.add(name);
  }
  return views;
}
