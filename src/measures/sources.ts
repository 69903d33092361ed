// The rows measures are computed over (definition.ts, Unit): views over a period's derived national tables,
// restricted to referrals used for the period.
import { join } from 'node:path';
import type { Db } from '../core/db.js';
import { ident as q, literal as lit } from '../core/sql.js';
import { MeasureError } from './compute.js';
import type { ReferralItems, Source, Unit } from './definition.js';
import { bindPeriod, type ReportingPeriod } from './periods.js';

/** Person items the referral rows carry (for breakdowns, variables and measures such as M206–M210). */
export const PERSON_ITEMS = ['Gender', 'GenderIdentity', 'GenderIdentitySameAtBirth', 'Age_RP_EndDate', 'Validated_EthnicCategory', 'IndicesOfDeprivationDecile', 'ExBAFIndicator', 'EduEstabTypeIAPT'] as const;

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

/**
 * Creates the temporary views `m_referral`, `m_contact`, `m_internetLog`, `m_employmentStatus` (those whose
 * tables are given), and for correlated subqueries `m_careActivity` (IDS202 rows: a contact's care professionals) and
 * `m_carePersQual` (IDS902 rows of the period's submissions: their qualifications), and for referral items the views
 * of definition.ts Source (`m_disability`, `m_socialCircumstance`, `m_careCluster`, `m_longTermCondition`). The referral `items` (those the
 * measures to compute use: catalogue/index.ts itemsUsedBy) are computed once into temporary tables and become columns of every unit's rows.
 */
export async function createSources(db: Db, tables: SourceTables, period: ReportingPeriod, items: readonly ReferralItems[], options: SourceOptions = {}): Promise<Set<Unit>> {
  const personColumns = tables.IDS001MPI ? await db.columns(tables.IDS001MPI) : [];
  const person = PERSON_ITEMS.map((c) => (personColumns.includes(c) ? `p.${q(c)}` : `NULL AS ${q(c)}`)).join(', ');
  const personJoin = tables.IDS001MPI ? `LEFT JOIN ${tables.IDS001MPI} p USING (Person_ID)` : '';
  const referralColumns = await db.columns(tables.IDS101Referral);
  const own = referralColumns.filter((c) => !(PERSON_ITEMS as readonly string[]).includes(c)).map((c) => `r.${q(c)}`);
  await db.run(`CREATE OR REPLACE TEMP VIEW m_pathway AS SELECT ${own.join(', ')}, ${person} FROM ${tables.IDS101Referral} r ${personJoin} WHERE ${period.useFilter('r')}`);
  const referralAll = [...own.map((c) => c.slice(2)), ...PERSON_ITEMS, ...items.flatMap((i) => Object.keys(i.columns))];
  const childColumns = async (relation: string) => (await db.columns(relation)).filter((c) => !referralAll.includes(c)).map((c) => `e.${q(c)}`);

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

/** The unit views and the other views referral items read; returns the names of those created. */
async function createViews(db: Db, tables: SourceTables, childColumns: (relation: string) => Promise<string[]>, withActivities: boolean): Promise<Set<Source>> {
  const views = new Set<Source>(['referral']);
  if (tables.IDS201CareContact) {
    // Only the contacts and activities of the period's referrals: the processed tables hold every month's, and
    // deduplicating or listing all of them at national scale needs more memory than the processing limit.
    const ofPeriod = 'PathwayID IN (SELECT PathwayID FROM m_pathway)';
    const contactsOfPeriod = `Unique_CareContactID IN (SELECT Unique_CareContactID FROM ${tables.IDS201CareContact} WHERE ${ofPeriod})`;
    const activities = tables.IDS202CareActivity && withActivities
      ? `LEFT JOIN (SELECT Unique_CareContactID, list(CodeProcAndProcStatus) AS Activities FROM ${tables.IDS202CareActivity} WHERE ${contactsOfPeriod} GROUP BY 1) a USING (Unique_CareContactID)`
      : '';
    // A contact re-sent in a later month counts once, as last sent. (Found with a spillable aggregate: a window or
    // arg_max over a national year's contacts does not fit the processing memory.)
    const resent = `(SELECT Unique_CareContactID, max(Unique_MonthID) AS last_month FROM ${tables.IDS201CareContact} WHERE ${ofPeriod} GROUP BY 1 HAVING count(*) > 1)`;
    const latest = `(SELECT c.* FROM ${tables.IDS201CareContact} c LEFT JOIN ${resent} x USING (Unique_CareContactID) WHERE c.${ofPeriod} AND (x.last_month IS NULL OR c.Unique_MonthID = x.last_month))`;
    const cols = await childColumns(tables.IDS201CareContact);
    await db.run(
      `CREATE OR REPLACE TEMP VIEW m_contact AS SELECT r.*, ${cols.join(', ')}${!withActivities ? '' : activities ? ', coalesce(a.Activities, []) AS Activities' : ', CAST([] AS VARCHAR[]) AS Activities'} ` +
        `FROM m_referral r JOIN ${latest} e USING (PathwayID) ${activities}`,
    );
    views.add('contact');
  }
  if (tables.IDS205InternetTherLog) {
    const cols = await childColumns(tables.IDS205InternetTherLog);
    await db.run(`CREATE OR REPLACE TEMP VIEW m_internetLog AS SELECT r.*, ${cols.join(', ')} FROM m_referral r JOIN ${tables.IDS205InternetTherLog} e USING (PathwayID)`);
    views.add('internetLog');
  }
  if (tables.IDS004EmpStatus) {
    // The person's IDS004 records (from their latest submission) sent by the referral's provider: for a month,
    // the NHS link on Person_ID and RecordNumber (the same submission).
    const cols = await childColumns(tables.IDS004EmpStatus);
    await db.run(`CREATE OR REPLACE TEMP VIEW m_employmentStatus AS SELECT r.*, ${cols.join(', ')} FROM m_referral r JOIN ${tables.IDS004EmpStatus} e ON e.Person_ID = r.Person_ID AND e.OrgID_Provider = r.OrgID_Provider`);
    views.add('employmentStatus');
  }
  if (tables.IDS202CareActivity) await db.run(`CREATE OR REPLACE TEMP VIEW m_careActivity AS SELECT * FROM ${tables.IDS202CareActivity}`);
  if (tables.IDS902CarePersQual) await db.run(`CREATE OR REPLACE TEMP VIEW m_carePersQual AS SELECT * FROM ${tables.IDS902CarePersQual}`);
  const others: [Source, string | undefined][] = [
    ['disability', tables.IDS007DisabilityType],
    ['socialCircumstance', tables.IDS011SocPerCircumstances],
    ['careCluster', tables.IDS803CareCluster],
    ['longTermCondition', tables.IDS602LongTermCondition],
  ];
  for (const [name, table] of others) {
    if (!table) continue;
    await db.run(`CREATE OR REPLACE TEMP VIEW m_${name} AS SELECT * FROM ${table}`);
    views.add(name);
  }
  return views;
}
