// The hub's one long table, in DuckDB: NHS England's annual history and our own publications' months, quarters
// and years, each value as published (text, so `*` and NULL survive), with the period, its type, the
// organisation's level and code, the breakdown (variable type, A, B) and the measure (a catalogue id). Pages
// read it with one query per page type; nothing here reads submissions or processed tables.
import { z } from 'zod';
import type { Db } from '../../core/db.js';
import { and, ident, isIn, literal, values } from '../../core/sql.js';
import { ANNUAL_COLUMNS } from '../../measures/publish/annual.js';
import { ENGLAND_CODE, HUB_MEASURES, INEQUALITY_VARIABLES, NHS_ANNUAL_MEASURES, NHS_ORG_TYPES, PUBLICATION_GROUP_TYPES, type Level } from './measures.js';
import type { PublishedFile } from './sources.js';

export const SOURCES = { nhs: 'NHS England annual statistics', ours: "This platform's publication" } as const;
export type Source = keyof typeof SOURCES;

const HUB_IDS = HUB_MEASURES.map((m) => m.id);
const TYPES = (pairs: readonly (readonly [string, Level])[]) => `(VALUES ${values(pairs)}) t(pub_type, level)`;
const csv = (path: string) => `read_csv(${literal(path)}, all_varchar = true, header = true) p`;
/** Names as published; England's is "England", whatever the file calls it (All, all SubICBs …). */
const orgName = (level: string, name: string) => `CASE WHEN ${level} = 'England' THEN 'England' ELSE trim(${name}) END`;
const orgCode = (level: string, code: string) => `CASE WHEN ${level} = 'England' THEN ${literal(ENGLAND_CODE)} ELSE upper(trim(${code})) END`;
const variable = (v: string) => `CASE WHEN ${v} IS NULL OR ${v} IN ('NULL', 'null', '') THEN NULL ELSE ${v} END`;

export interface LoadOptions {
  /** NHS England's measures_annual.parquet. */
  history: string;
  files: readonly PublishedFile[];
  /** Keep only these organisation codes of the history (England always); all by default. */
  organisations?: readonly string[];
}

export async function loadHub(db: Db, options: LoadOptions): Promise<void> {
  await db.run(`CREATE TABLE hub (source VARCHAR, period VARCHAR, period_type VARCHAR, period_end DATE, level VARCHAR, org_code VARCHAR, org_name VARCHAR,
    variable_type VARCHAR, variable_a VARCHAR, variable_b VARCHAR, measure VARCHAR, value VARCHAR)`);
  const kept = options.organisations ? or2(`a.org_type = 'England'`, isIn('upper(trim(a.org_code))', options.organisations.map((c) => c.toUpperCase()))) : 'true';
  await db.run(`INSERT INTO hub SELECT 'nhs', a.reporting_period, 'year', a.end_date, t.level, ${orgCode('t.level', 'a.org_code')}, ${orgName('t.level', 'a.org_name')},
      a.variable_type, ${variable('a.variable_a')}, ${variable('a.variable_b')}, m.id, coalesce(a.value, 'NULL')
    FROM read_parquet(${literal(options.history)}) a
    JOIN (VALUES ${values(NHS_ANNUAL_MEASURES)}) m(name, statistic, id) ON a.measure_name = m.name AND a.measure_statistic = m.statistic
    JOIN ${TYPES(NHS_ORG_TYPES)} ON a.org_type = t.pub_type
    WHERE ${kept}`);
  for (const f of options.files) await loadPublished(db, f);
}

const or2 = (a: string, b: string) => `(${a} OR ${b})`;

async function loadPublished(db: Db, f: PublishedFile): Promise<void> {
  const params = { period: f.period, kind: f.kind, end: f.end };
  const head = `INSERT INTO hub SELECT 'ours', $period, $kind, CAST($end AS DATE), t.level`;
  if (f.kind === 'month') {
    await db.run(
      `${head}, ${orgCode('t.level', "CASE WHEN t.level = 'Provider' THEN ORG_CODE2 ELSE ORG_CODE1 END")}, ${orgName('t.level', "CASE WHEN t.level = 'Provider' THEN ORG_NAME2 ELSE ORG_NAME1 END")},
        'Total', NULL, NULL, MEASURE_ID, coalesce(MEASURE_VALUE_SUPPRESSED, 'NULL')
      FROM ${csv(f.path)} JOIN ${TYPES(PUBLICATION_GROUP_TYPES)} ON p.GROUP_TYPE = t.pub_type WHERE ${isIn('MEASURE_ID', HUB_IDS)}`,
      params,
    );
    return;
  }
  if (f.kind === 'quarter') {
    // England is in every quarterly file; it is taken from one. The sub-ICB × provider file adds no level of ours.
    if (f.part === 'subicb-provider') return;
    const code = `CASE t.level WHEN 'Provider' THEN Provider WHEN 'SubICB' THEN SubICB ELSE ICB END`;
    const name = `CASE t.level WHEN 'Provider' THEN ProviderName WHEN 'SubICB' THEN SubICBName ELSE ICBName END`;
    const total = `VariableType = 'Total'`;
    await db.run(
      `${head}, ${orgCode('t.level', code)}, ${orgName('t.level', name)},
        VariableType, CASE WHEN ${total} THEN NULL ELSE ${variable('VariableA')} END, CASE WHEN ${total} THEN NULL ELSE ${variable('VariableB')} END,
        MEASURE_ID, coalesce(MEASURE_VALUE_SUPPRESSED, 'NULL')
      FROM ${csv(f.path)} JOIN ${TYPES(PUBLICATION_GROUP_TYPES)} ON p.GroupType = t.pub_type
      WHERE ${and(isIn('MEASURE_ID', HUB_IDS), f.part === 'provider' && `GroupType <> 'England'`)}`,
      params,
    );
    return;
  }
  const columns = ANNUAL_COLUMNS.flatMap((c) => ('measure' in c && HUB_IDS.includes(c.measure) ? [[c.column, c.measure] as const] : []));
  await db.run(
    `${head}, ${orgCode('t.level', 'OrgCode')}, ${orgName('t.level', 'OrgName')},
      VariableType, ${variable('VariableA')}, ${variable('VariableB')}, m.id, coalesce(u.value, 'NULL')
    FROM (SELECT OrgType, OrgCode, OrgName, VariableType, VariableA, VariableB, ${columns.map(([c]) => ident(c)).join(', ')} FROM ${csv(f.path)})
      UNPIVOT INCLUDE NULLS (value FOR column_name IN (${columns.map(([c]) => ident(c)).join(', ')})) u
    JOIN (VALUES ${values(columns)}) m(column_name, id) ON u.column_name = m.column_name
    JOIN ${TYPES(PUBLICATION_GROUP_TYPES)} ON u.OrgType = t.pub_type`,
    params,
  );
}

export const valueRow = z.object({
  level: z.string(),
  org_code: z.string(),
  source: z.enum(['nhs', 'ours']),
  period: z.string(),
  period_type: z.enum(['month', 'quarter', 'year']),
  period_end: z.string(),
  variable_type: z.string(),
  variable_a: z.string().nullable(),
  variable_b: z.string().nullable(),
  measure: z.string(),
  value: z.string(),
});
export type ValueRow = z.infer<typeof valueRow>;

const SELECT_VALUES = `SELECT level, org_code, source, period, period_type, CAST(period_end AS VARCHAR) AS period_end, variable_type, variable_a, variable_b, measure, value FROM hub`;
const ORDER = `ORDER BY level, org_code, period_end, period_type DESC, source, variable_type, variable_a NULLS FIRST, variable_b NULLS FIRST, measure`;

const organisation = z.object({ level: z.string(), org_code: z.string(), org_name: z.string(), sources: z.string(), latest: z.string() });
export type Organisation = z.infer<typeof organisation>;

/** Every organisation with its name (NHS England's latest, else ours) and which sources hold it. */
export async function organisations(db: Db): Promise<Organisation[]> {
  return db.rows(
    organisation,
    `SELECT level, org_code, arg_max(org_name, (source = 'nhs', period_end)) AS org_name, string_agg(DISTINCT source, ',' ORDER BY source) AS sources, coalesce(max(period) FILTER (WHERE source = 'nhs'), max(period)) AS latest
     FROM hub GROUP BY level, org_code ORDER BY level, org_code`,
  );
}

/** The Total of every headline measure for every organisation and period (the organisation pages, England's, compare). */
export const totals = (db: Db): Promise<ValueRow[]> => db.rows(valueRow, `${SELECT_VALUES} WHERE variable_type = 'Total' ${ORDER}`);

/** England's breakdowns, every source and period. */
export const englandBreakdowns = (db: Db): Promise<ValueRow[]> => db.rows(valueRow, `${SELECT_VALUES} WHERE level = 'England' AND variable_type <> 'Total' ${ORDER}`);

/** The inequality breakdowns of every organisation below England in each source's latest year. */
export const inequalities = (db: Db): Promise<ValueRow[]> =>
  db.rows(
    valueRow,
    `WITH latest AS (SELECT source, arg_max(period, period_end) AS period FROM hub WHERE period_type = 'year' GROUP BY source)
     ${SELECT_VALUES} JOIN latest USING (source, period) WHERE level <> 'England' AND ${isIn('variable_type', INEQUALITY_VARIABLES)} AND ${isIn('measure', ['M076', 'M192'])} ${ORDER}`,
  );
