// The annual main file against NHS England's 2024-25 file: its breakdown rows (VariableType / VariableA /
// VariableB) and where it writes NULL, read from reference/nhs/measures_annual_2024-25_markers.parquet (per row and
// measure of the published file: how many cells, how many NULL, how many *; see reference/nhs/PROVENANCE.md) and
// metadata_variables_annual; and the values of the new rows on a hand-built year whose answers are worked out below.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { literal } from '../../src/core/sql.js';
import { parseCsv } from '../../src/intake/csvText.js';
import { CARE_CLUSTER_GROUPS } from '../../src/dataset/measureLabels.js';
import { ANNUAL_BREAKDOWNS, BREAKDOWN_ITEMS } from '../../src/measures/breakdowns.js';
import { itemsUsedBy, REFERRAL_ITEMS } from '../../src/measures/catalogue/index.js';
import { computeMeasures, type MeasureValue } from '../../src/measures/compute.js';
import { yearPeriod } from '../../src/measures/periods.js';
import { ANNUAL_COLUMNS, ANNUAL_ITEMS, ANNUAL_KEY_COLUMNS, ANNUAL_ORG_TYPES, annualDefinitions, annualFile } from '../../src/measures/publish/annual.js';
import { createSources } from '../../src/measures/sources.js';
import { VARIABLE_ITEMS } from '../../src/measures/variables.js';
import { createTable, REFERRAL_DEFAULTS, type Row } from './fixture.js';
import { readRows } from '../helpers/db.js';

const reference = (file: string) => fileURLToPath(new URL(`../../reference/nhs/${file}`, import.meta.url));
const MARKERS = reference('measures_annual_2024-25_markers.parquet');
const VARIABLES = reference('metadata_variables_annual.parquet');
const MEASURES = reference('metadata_measures_annual.parquet');

interface Marker {
  variable_type: string;
  variable_a: string;
  variable_b: string;
  row_order: number;
  measure_name: string;
  measure_statistic: string;
  org_type: string;
  cells: number;
  null_cells: number;
  suppressed_cells: number;
  england_value: string | null;
}

async function query<T>(sql: string): Promise<T[]> {
  const db = await openDb();
  try {
    return await readRows<T>(db, sql);
  } finally {
    db.close();
  }
}

const key = (type: string, a: string, b: string) => `${type} | ${a} | ${b}`;
const ours = ANNUAL_BREAKDOWNS.flatMap((bd) => bd.categories.map((c) => key(bd.type, c.a, c.b)));

/**
 * Rows of the 2024-25 file we do not publish yet, each with its reason (the test fails when one is published, so
 * the list stays true).
 */
const NOT_YET: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ['Assessment to first high intensity therapy', 'Assessment to first low intensity therapy', 'Step down - Last high to first low intensity therapy', 'Step up - Last low to first high intensity therapy'].map((a) => [
      key('Stepped Care Pathway', a, 'NULL'),
      "needs the treatment stages of M347–M355 (catalogue/steps.ts), built from every contact's IDS202 codes, which a national year's views cannot list within the processing memory (sources.ts)",
    ]),
  ),
};

describe('the annual file rows against the 2024-25 file', () => {
  it('has the columns of metadata_measures_annual (main file), in its order', async () => {
    const fields = await query<{ f: string }>(`SELECT field_name AS f FROM read_parquet(${literal(MEASURES)}) WHERE dataset_name = 'measures_annual'`);
    expect([...ANNUAL_KEY_COLUMNS, ...ANNUAL_COLUMNS.map((c) => c.column)]).toEqual(fields.map((r) => r.f));
  });

  it('publishes every (VariableType, VariableA, VariableB) of the 2024-25 file, no other, but the listed ones not yet', async () => {
    const rows = await query<{ t: string; a: string; b: string }>(`SELECT DISTINCT variable_type AS t, variable_a AS a, variable_b AS b FROM read_parquet(${literal(MARKERS)})`);
    const published = new Set(rows.map((r) => key(r.t, r.a, r.b)));
    expect(published.size, '149 rows per organisation in 2024-25').toBe(149);
    const missing = [...published].filter((x) => !ours.includes(x)).sort();
    const extra = ours.filter((x) => !published.has(x)).sort();
    expect({ missing: missing.filter((x) => !(x in NOT_YET)), extra }).toEqual({ missing: [], extra: [] });
    expect(missing, 'rows listed as not yet published').toEqual(Object.keys(NOT_YET).sort());
    expect(new Set(ours).size, 'no row twice').toBe(ours.length);
  });

  it('has the 2024-25 VariableTypes and each type\'s VariableA values, in the published order', async () => {
    const rows = await query<{ t: string; a: string; b: string; o: number }>(`SELECT DISTINCT variable_type AS t, variable_a AS a, variable_b AS b, row_order AS o FROM read_parquet(${literal(MARKERS)}) ORDER BY o`);
    const pairs = (list: readonly { t: string; a: string }[]) => [...new Set(list.map((r) => `${r.t} | ${r.a}`))];
    const publishedPairs = pairs(rows).filter((p) => !Object.keys(NOT_YET).some((k) => k.startsWith(`${p} | `)));
    const ourPairs = pairs(ANNUAL_BREAKDOWNS.flatMap((bd) => bd.categories.map((c) => ({ t: bd.type, a: c.a }))));
    // Same pairs in the same order: the published file lists the types and their categories in this order.
    expect(ourPairs).toEqual(publishedPairs);
    // And every row, with VariableB, in the published order.
    expect(ours).toEqual(rows.map((r) => key(r.t, r.a, r.b)).filter((k) => !(k in NOT_YET)));
  });

  it('covers every VariableType of metadata_variables_annual that the 2024-25 file publishes', async () => {
    const described = (await query<{ t: string }>(`SELECT DISTINCT variable_type AS t FROM read_parquet(${literal(VARIABLES)}) WHERE dataset_name = 'measures_annual'`)).map((r) => r.t);
    const publishedTypes = new Set((await query<{ t: string }>(`SELECT DISTINCT variable_type AS t FROM read_parquet(${literal(MARKERS)})`)).map((r) => r.t));
    // The metadata names two types differently from the file (Disability, Sexual Orientation), and describes three
    // the 2024-25 file does not contain (Age Group / Gender, Ethnic Group / Gender, Ex-British Armed Forces and Dependants).
    const asPublished: Readonly<Record<string, string>> = { Disability: 'Disability Type', 'Sexual Orientation': 'Sexual Orientation Type' };
    const notInFile = described.map((t) => asPublished[t] ?? t).filter((t) => !publishedTypes.has(t));
    expect(notInFile.sort()).toEqual(['Age Group / Gender', 'Ethnic Group / Gender', 'Ex-British Armed Forces and Dependants']);
    const ourTypes = new Set(ANNUAL_BREAKDOWNS.map((bd) => bd.type));
    const typesOfNotYet = new Set(Object.keys(NOT_YET).filter((k) => !ours.some((o) => o.startsWith(k.split(' | ')[0]!))).map((k) => k.split(' | ')[0]!));
    expect(described.map((t) => asPublished[t] ?? t).filter((t) => publishedTypes.has(t) && !ourTypes.has(t) && !typesOfNotYet.has(t))).toEqual([]);
  });
});

// The hand-built year 2024-25: one provider (RA1, sub-ICB 00X, ICB QAA, region Y56), five referrals, each sent
// five times over (a1…a5 and so on), so that England's means are over five rows or more and every count below is ×5.
//   a: received 2024-04-01, treatment 04-11 (wait 10) and 04-25 (first to second 14), finished 06-30, low intensity
//      only, Social phobias (an ADSM descriptor), White British, asthma, disability codes 01 and 02, Christian,
//      heterosexual, aged 30; contacts: 04-11 face to face 60 min, 04-25 telephone 30 min.
//   b: received 05-01, treatment 06-10 (wait 40) and 08-09 (60), finished 10-01 not at caseness, low and high
//      intensity, Depression, Indian (BME), no long-term condition, disability ZZ, Buddhist, aged 70; contacts:
//      06-10 face to face 50 min, 08-09 video 45 min.
//   c: received 07-01, treatment 07-31 (wait 30) and 08-30 (30), open, high intensity only, ethnicity not given,
//      asthma and "no long-term condition" codes, aged 30; contact 07-31 face to face 40 min.
//   d: received 09-01, no treatment, ended 10-15; ethnicity Z (not stated), disability code Q9 (invalid), aged 30.
//   e: received 10-01, treatment 10-20 (wait 19), no second, open, aged 30.
// Care cluster assignments (IDS803), against each referral's active span (received to discharge, or to 2025-03-31):
//   a (04-01 to 06-30): 03 from 2024-03-01 to 05-31 and 11 from 06-01 to 07-14, both in force during the referral;
//      01 from 07-15, open, starts after a's discharge. The latest started of those in force: 11, Psychosis.
//   b (05-01 to 10-01): 02 from 04-01 to 06-30, then 22 (not a code of the list) from 07-01, open: the latest, so
//      not stated (the metadata's "NOT IN (…)" — the invalid code is the referral's, not skipped for 02).
//   c (07-01, open): 18 without a start date, ending 07-31, and 00 from 08-01, open: a dated start first, so 00,
//      Other mental health care cluster.
//   d: no assignment, not stated.   e (10-01, open): 18 from 2023-01-01 to 2024-09-30, ended before e was received:
//      not stated.
const TIMES = 5;
type Pathway = { id: string; received: string; first?: string; second?: string; ended?: string; finished?: boolean; notCaseness?: boolean; low?: string; high?: string; complaint: string; age: number; ethnic: string | null };
const PATHWAYS: Pathway[] = [
  { id: 'a', received: '2024-04-01', first: '2024-04-11', second: '2024-04-25', ended: '2024-06-30', finished: true, low: '2024-04-11', complaint: 'Social phobias', age: 30, ethnic: 'A' },
  { id: 'b', received: '2024-05-01', first: '2024-06-10', second: '2024-08-09', ended: '2024-10-01', finished: true, notCaseness: true, low: '2024-06-10', high: '2024-08-09', complaint: 'Depression', age: 70, ethnic: 'H' },
  { id: 'c', received: '2024-07-01', first: '2024-07-31', second: '2024-08-30', high: '2024-07-31', complaint: 'Depression', age: 30, ethnic: null },
  { id: 'd', received: '2024-09-01', ended: '2024-10-15', complaint: 'Depression', age: 30, ethnic: 'Z' },
  { id: 'e', received: '2024-10-01', first: '2024-10-20', complaint: 'Depression', age: 30, ethnic: null },
];
const copies = <T>(make: (n: number) => T[]): T[] => Array.from({ length: TIMES }, (_, i) => make(i + 1)).flat();
const referrals: Row[] = copies((n) =>
  PATHWAYS.map((p) => ({
    PathwayID: `${p.id}${n}`,
    Person_ID: `p${p.id}${n}`,
    Unique_MonthID: 1500, // March 2025: sent in the year
    ReferralRequestReceivedDate: p.received,
    TherapySession_FirstDate: p.first ?? null,
    TherapySession_SecondDate: p.second ?? null,
    ServDischDate: p.ended ?? null,
    CompletedTreatment_Flag: p.finished ?? false,
    NotCaseness_Flag: p.notCaseness ?? false,
    Caseness_Flag: p.finished === true && !p.notCaseness,
    TreatmentCareContact_Count: p.second ? 2 : p.first ? 1 : 0,
    LowIntensityTherapy_FirstDate: p.low ?? null,
    HighIntensityTherapy_FirstDate: p.high ?? null,
    PresentingComplaintLowerCategory: p.complaint,
  })),
);
const people: Row[] = copies((n) => PATHWAYS.map((p) => ({ Person_ID: `p${p.id}${n}`, Age_RP_EndDate: p.age, Validated_EthnicCategory: p.ethnic, Gender: '2' })));
const contact = (id: string, pathway: string, date: string, mechanism: string, minutes: number): Row => ({
  Unique_CareContactID: id,
  PathwayID: pathway,
  CareContDate: date,
  CareContTime: '10:00',
  AppType: '02',
  AttendOrDNACode: '5',
  PlannedCareContIndicator: 'Y',
  ConsMechanism: mechanism,
  ClinContDurOfCareCont: String(minutes),
});
const contacts: Row[] = copies((n) => [
  contact(`a${n}-1`, `a${n}`, '2024-04-11', '01', 60),
  contact(`a${n}-2`, `a${n}`, '2024-04-25', '02', 30),
  contact(`b${n}-1`, `b${n}`, '2024-06-10', '01', 50),
  contact(`b${n}-2`, `b${n}`, '2024-08-09', '11', 45),
  contact(`c${n}-1`, `c${n}`, '2024-07-31', '01', 40),
]);
const disabilities: Row[] = copies((n) => [
  { Person_ID: `pa${n}`, DisabCode: '01' },
  { Person_ID: `pa${n}`, DisabCode: '02' },
  { Person_ID: `pb${n}`, DisabCode: 'ZZ' },
  { Person_ID: `pd${n}`, DisabCode: 'Q9' },
]);
const circumstance = (person: string, code: string, id: number): Row => ({ Person_ID: person, SocPerCircumstance: code, SocPerCircumstanceRecDate: '2024-04-01', UniqueID_IDS011: id });
const socialCircumstances: Row[] = copies((n) => [circumstance(`pa${n}`, '160549006', 10 * n + 1), circumstance(`pa${n}`, '20430005', 10 * n + 2), circumstance(`pb${n}`, '309687009', 10 * n + 3)]);
const longTermConditions: Row[] = copies((n) => [
  { PathwayID: `a${n}`, LongTermCondition: '195967001' },
  { PathwayID: `b${n}`, LongTermCondition: '748031000000103' },
  { PathwayID: `c${n}`, LongTermCondition: '195967001' },
  { PathwayID: `c${n}`, LongTermCondition: '748031000000103' },
]);

const cluster = (person: string, code: string, start: string | null, end: string | null, id: number): Row => ({
  Person_ID: person,
  AMHCareClustCodeFin: code,
  StartDateCareClust: start,
  EndDateCareClust: end,
  UniqueID_IDS803: id,
});
const careClusters: Row[] = copies((n) => [
  cluster(`pa${n}`, '03', '2024-03-01', '2024-05-31', 10 * n + 1),
  cluster(`pa${n}`, '11', '2024-06-01', '2024-07-14', 10 * n + 2),
  cluster(`pa${n}`, '01', '2024-07-15', null, 10 * n + 3),
  cluster(`pb${n}`, '02', '2024-04-01', '2024-06-30', 10 * n + 4),
  cluster(`pb${n}`, '22', '2024-07-01', null, 10 * n + 5),
  cluster(`pc${n}`, '18', null, '2024-07-31', 10 * n + 6),
  cluster(`pc${n}`, '00', '2024-08-01', null, 10 * n + 7),
  cluster(`pe${n}`, '18', '2023-01-01', '2024-09-30', 10 * n + 8),
]);

let values: MeasureValue[] = [];
let file: string[][] = [];
beforeAll(async () => {
  const db = await openDb();
  try {
    const period = yearPeriod('2024-25');
    await createTable(db, 'ids101', referrals, REFERRAL_DEFAULTS);
    await createTable(db, 'ids001', people);
    await createTable(db, 'ids201', contacts, { Unique_MonthID: 1500 });
    await createTable(db, 'ids007', disabilities);
    await createTable(db, 'ids011', socialCircumstances);
    await createTable(db, 'ids602', longTermConditions);
    await createTable(db, 'ids803', careClusters);
    const definitions = annualDefinitions();
    const items = itemsUsedBy([...definitions, ...ANNUAL_BREAKDOWNS], [...REFERRAL_ITEMS, ANNUAL_ITEMS, ...VARIABLE_ITEMS, ...BREAKDOWN_ITEMS]);
    const units = await createSources(
      db,
      { IDS101Referral: 'ids101', IDS001MPI: 'ids001', IDS201CareContact: 'ids201', IDS007DisabilityType: 'ids007', IDS011SocPerCircumstances: 'ids011', IDS602LongTermCondition: 'ids602', IDS803CareCluster: 'ids803' },
      period,
      items,
      { activities: false },
    );
    for (const breakdown of ANNUAL_BREAKDOWNS) values = values.concat(await computeMeasures(db, { definitions, period, groups: [...ANNUAL_ORG_TYPES.keys()], units, breakdown }));
  } finally {
    db.close();
  }
  file = parseCsv(annualFile(values, ANNUAL_BREAKDOWNS, new Map(), 'nhs-tt').trimEnd());
}, 120_000);

const header = () => file[0]!;
/** A cell of the file: the row of `org` (England or a provider code) for the category, the named column. */
function cell(org: string, type: string, a: string, b: string, column: string): string {
  const row = file.find((r) => r[1] === (org === 'England' ? 'All' : org) && r[0] === (org === 'England' ? 'England' : 'Provider') && r[3] === type && r[4] === a && r[5] === b);
  if (!row) throw new Error(`no ${org} row ${key(type, a, b)}`);
  const at = header().indexOf(column);
  if (at < 0) throw new Error(`no column ${column}`);
  return row[at]!;
}

// measures_annual keeps nine measures; their columns in the file.
const COLUMN_OF: Readonly<Record<string, string>> = {
  'referrals_received/count': 'Count_ReferralsReceived',
  'finished_course_treatment/count': 'Count_FinishedCourseTreatment',
  'at_caseness/count': 'Count_AtCaseness',
  'not_at_caseness/count': 'Count_NotAtCaseness',
  'improvement/count': 'Count_Improvement',
  'improvement/percentage': 'Percentage_Improvement',
  'no_reliable_change/count': 'Count_NoReliableChange',
  'no_reliable_change/percentage': 'Percentage_NoReliableChange',
  'deterioration/count': 'Count_Deterioration',
  'deterioration/percentage': 'Percentage_Deterioration',
  'recovery/count': 'Count_Recovery',
  'recovery/percentage': 'Percentage_Recovery',
  'reliable_recovery/count': 'Count_ReliableRecovery',
  'reliable_recovery/percentage': 'Percentage_ReliableRecovery',
};

describe('Mental Health Care Cluster against the 2024-25 metadata and file', () => {
  it('gives each published label the codes metadata_variables_annual gives it, and not stated every other value or none', async () => {
    const rows = await query<{ a: string; v: string }>(
      `SELECT variable_a AS a, values_for_variable_a AS v FROM read_parquet(${literal(VARIABLES)}) WHERE dataset_name = 'measures_annual' AND variable_type = 'Mental Health Care Cluster'`,
    );
    // "AMHCareClustCodeFin IN ('06', '07', '08')"; the not-stated row lists every code (one quote is missing: '16',17').
    const codes = (text: string) => [...text.matchAll(/\d{2}/g)].map((m) => m[0]).sort();
    const byLabel = (list: [string, string[]][]) => list.sort(([x], [y]) => x.localeCompare(y));
    const notStated = rows.find((r) => r.a === 'Not stated/Not known/Invalid')!;
    // The metadata capitalises some labels differently from the file (Low severity / Low Severity): compared in lower case.
    expect(byLabel(CARE_CLUSTER_GROUPS.map(([label, group]) => [label.toLowerCase(), [...group].sort()]))).toEqual(byLabel(rows.filter((r) => r !== notStated).map((r) => [r.a.toLowerCase(), codes(r.v)])));
    expect(codes(notStated.v)).toEqual(CARE_CLUSTER_GROUPS.flatMap(([, group]) => group).sort());
    expect(notStated.v).toMatch(/NOT IN[\s\S]*OR AMHCareClustCodeFin IS NULL/);
  });

  it('puts every referral in one category: the 2024-25 England counts add up to the Total, and ours on the hand-built year', async () => {
    const sums = await query<{ m: string; total: number; clusters: number }>(
      `SELECT measure_name AS m, sum(england_value::DOUBLE) FILTER (WHERE variable_type = 'Total') AS total, sum(england_value::DOUBLE) FILTER (WHERE variable_type = 'Mental Health Care Cluster') AS clusters ` +
        `FROM read_parquet(${literal(MARKERS)}) WHERE org_type = 'England' AND measure_statistic = 'count' AND variable_type IN ('Total', 'Mental Health Care Cluster') GROUP BY 1 ORDER BY 1`,
    );
    expect(sums.length, 'the nine counts of the extract').toBe(9);
    expect(sums.filter((x) => x.clusters !== x.total)).toEqual([]);
    const ours = (column: string) =>
      CARE_CLUSTER_GROUPS.map(([label]) => label)
        .concat('Not stated/Not known/Invalid')
        .reduce((sum, a) => sum + Number(cell('England', 'Mental Health Care Cluster', a, 'NULL', column)), 0);
    expect([ours('Count_ReferralsReceived'), ours('Count_FinishedCourseTreatment')]).toEqual([25, 10]);
  });
});

describe('NULL where NHS England publishes it', () => {
  it('writes NULL in exactly the cells the 2024-25 file has NULL for every organisation, and nowhere else among its nine measures', async () => {
    const markers = await query<Marker>(`SELECT * FROM read_parquet(${literal(MARKERS)})`);
    const published = markers.filter((m) => ours.includes(key(m.variable_type, m.variable_a, m.variable_b)));
    // The published NULL is structural: in 2024-25 a row/measure is NULL for every organisation or for none.
    const byMeasure = new Map<string, Marker[]>();
    for (const m of published) {
      const k = `${key(m.variable_type, m.variable_a, m.variable_b)} | ${m.measure_name}/${m.measure_statistic}`;
      byMeasure.set(k, [...(byMeasure.get(k) ?? []), m]);
    }
    const wrong: string[] = [];
    for (const [k, ms] of byMeasure) {
      const nulls = ms.reduce((s, m) => s + m.null_cells, 0);
      const cells = ms.reduce((s, m) => s + m.cells, 0);
      expect(nulls === 0 || nulls === cells, `${k}: NULL for some organisations only`).toBe(true);
      const m = ms[0]!;
      const column = COLUMN_OF[`${m.measure_name}/${m.measure_statistic}`]!;
      // Provider rows: every column (a sub-national percentage over zero is *, not NULL); England: the counts (an
      // England percentage over zero is NULL, tested below).
      const checked = [['RA1', true], ['England', column.startsWith('Count_')]] as const;
      for (const [org, check] of checked) {
        if (!check) continue;
        const ourNull = cell(org, m.variable_type, m.variable_a, m.variable_b, column) === 'NULL';
        if (ourNull !== (nulls === cells)) wrong.push(`${org} ${k}: published ${nulls === cells ? 'NULL' : 'a value'}, ours ${ourNull ? 'NULL' : 'a value'}`);
      }
    }
    expect(wrong).toEqual([]);
    // The evidence used: the waiting-time, stepped-care, All ADSM and consultation-medium rows are NULL there.
    expect(byMeasure.get(`${key('Waiting Time', 'Accessing services', '<6 weeks')} | referrals_received/count`)!.every((m) => m.null_cells === m.cells)).toBe(true);
    expect(byMeasure.get(`${key('Waiting Time', 'Accessing services', '<6 weeks')} | finished_course_treatment/count`)!.every((m) => m.null_cells === 0)).toBe(true);
  });

  it('holds in a waiting-time band only its finishers, in a mean-wait row only the mean waits, in All ADSM only the paired ADSM measures', () => {
    // The provider's rows (an England percentage over zero is NULL as well: below).
    const row = (type: string, a: string, b: string) => Object.fromEntries(header().slice(ANNUAL_KEY_COLUMNS.length).map((c) => [c, cell('RA1', type, a, b, c)]).filter(([, v]) => v !== 'NULL'));
    expect(Object.keys(row( 'Waiting Time', 'Accessing services', '<6 weeks'))).toEqual(['Count_FinishedCourseTreatment', 'Percentage_FinishedCourseTreatment']);
    expect(Object.keys(row('Waiting Time', 'First to Second treatment', 'Mean wait'))).toEqual(['Mean_WaitAccessingServices', 'Mean_WaitCompletedTreatment']);
    expect(Object.keys(row('Waiting Time', 'No second treatment appointment', 'NULL'))).toEqual(['Count_AccessingServices']);
    expect(Object.keys(row('Presenting Complaint', 'All ADSM', 'Total'))).toEqual(['Count_FinishedCourseTreatment', 'Count_AppropriatePairedADSM', 'Percentage_AppropriatePairedADSM']);
    expect(Object.keys(row('Stepped Care Pathway', 'Received only low intensity therapy', 'NULL'))).toEqual(['Count_FinishedCourseTreatment', 'Percentage_FinishedCourseTreatment']);
    // Consultation medium is a contact's: only the contact-duration columns, which are over contacts.
    expect(Object.keys(row('Consultation Medium', 'Telephone', 'NULL'))).toEqual(['Mean_ContactDuration', 'Median_ContactDuration', 'Sum_ContactDuration', 'Count_FinishedCourseTreatmentContactDuration']);
    // Every column a row names exists (a misspelt one would throw in annualFile).
    expect(header().slice(ANNUAL_KEY_COLUMNS.length)).toEqual(ANNUAL_COLUMNS.map((c) => c.column));
  });
});

describe('the new rows on the hand-built year', () => {
  it('Consultation Medium: the finishers\' timed treatment contacts by mechanism', () => {
    // Face to face: a's 60 and b's 50 minutes, five times over (c's 40 is not a finisher's): sum 550, 10 contacts
    // of 10 referrals, mean and median 55. Telephone: a's 30 ×5. Video: b's 45 ×5. Email: none.
    expect(cell('England', 'Consultation Medium', 'Face to face communication', 'NULL', 'Sum_ContactDuration')).toBe('550');
    expect(cell('England', 'Consultation Medium', 'Face to face communication', 'NULL', 'Mean_ContactDuration')).toBe('55.0');
    expect(cell('England', 'Consultation Medium', 'Face to face communication', 'NULL', 'Median_ContactDuration')).toBe('55.0');
    expect(cell('England', 'Consultation Medium', 'Face to face communication', 'NULL', 'Count_FinishedCourseTreatmentContactDuration')).toBe('10');
    expect(cell('England', 'Consultation Medium', 'Telephone', 'NULL', 'Sum_ContactDuration')).toBe('150');
    expect(cell('England', 'Consultation Medium', 'Video consultation', 'NULL', 'Count_FinishedCourseTreatmentContactDuration')).toBe('5');
    expect(cell('England', 'Consultation Medium', 'Email', 'NULL', 'Sum_ContactDuration')).toBe('0');
    expect(cell('England', 'Consultation Medium', 'Face to face communication', 'NULL', 'Count_ReferralsReceived')).toBe('NULL');
    // The provider's: rounded to 5 (550, 10), the email sum of 0 suppressed.
    expect(cell('RA1', 'Consultation Medium', 'Face to face communication', 'NULL', 'Sum_ContactDuration')).toBe('550');
    expect(cell('RA1', 'Consultation Medium', 'Email', 'NULL', 'Sum_ContactDuration')).toBe('*');
  });

  it('Waiting Time: finishers by band, the bands\' shares, the mean waits of both intervals, no second treatment', () => {
    const wait = (a: string, b: string, column: string) => cell('England', 'Waiting Time', a, b, column);
    // Referral to first treatment of the finishers: a 10, b 40 days.
    expect(wait('Accessing services', '<=28 days', 'Count_FinishedCourseTreatment')).toBe('5');
    expect(wait('Accessing services', '29-56 days', 'Count_FinishedCourseTreatment')).toBe('5');
    expect(wait('Accessing services', '>90 days', 'Count_FinishedCourseTreatment')).toBe('0');
    expect(wait('Accessing services', '<6 weeks', 'Percentage_FinishedCourseTreatment')).toBe('100.0');
    // First to second: a 14, b 60 days.
    expect(wait('First to Second treatment', '<6 weeks', 'Percentage_FinishedCourseTreatment')).toBe('50.0');
    expect(wait('First to Second treatment', '57-90 days', 'Count_FinishedCourseTreatment')).toBe('5');
    // Mean waits to first treatment: of first treatments in the year a 10, b 40, c 30, e 19 → 99 / 4 = 24.75;
    // of the finishers (10 + 40) / 2 = 25.
    expect(wait('Accessing services', 'Mean wait', 'Mean_WaitAccessingServices')).toBe('24.8');
    expect(wait('Accessing services', 'Mean wait', 'Mean_WaitCompletedTreatment')).toBe('25.0');
    // First to second: of second treatments in the year a 14, b 60, c 30 → 104 / 3 = 34.67; of the finishers 37.
    expect(wait('First to Second treatment', 'Mean wait', 'Mean_WaitAccessingServices')).toBe('34.7');
    expect(wait('First to Second treatment', 'Mean wait', 'Mean_WaitCompletedTreatment')).toBe('37.0');
    // No second treatment: e accessed services in the year without a second (d never accessed).
    expect(wait('No second treatment appointment', 'NULL', 'Count_AccessingServices')).toBe('5');
  });

  it('Stepped Care Pathway: the finishers by the intensities they received', () => {
    const step = (a: string, column = 'Count_FinishedCourseTreatment') => cell('England', 'Stepped Care Pathway', a, 'NULL', column);
    expect(step('Received only low intensity therapy')).toBe('5');
    expect(step('Received both high and low intensity therapy')).toBe('5');
    // c received high intensity only but has not finished.
    expect(step('Received only high intensity therapy')).toBe('0');
    expect(step('Received only low intensity therapy', 'Percentage_FinishedCourseTreatment')).toBe('50.0');
    expect(step('Received only high intensity therapy', 'Percentage_FinishedCourseTreatment')).toBe('0.0');
  });

  it('BME Group, Disability Type, Long Term Condition Status, Religion, Sexual Orientation Type: referrals received', () => {
    const received = (type: string, a: string) => cell('England', type, a, 'NULL', 'Count_ReferralsReceived');
    expect([received('BME Group', 'White British'), received('BME Group', 'BME'), received('BME Group', 'Not stated/Not known/Invalid')]).toEqual(['5', '5', '15']);
    // a has codes 01 and 02 (counted in both), b ZZ, d Q9 (invalid), c and e none.
    expect(received('Disability Type', '01 Behaviour and Emotional')).toBe('5');
    expect(received('Disability Type', '02 Hearing')).toBe('5');
    expect(received('Disability Type', 'ZZ Not Stated (Person asked but declined to provide a response)')).toBe('5');
    expect(received('Disability Type', 'Invalid Code')).toBe('5');
    expect(received('Disability Type', 'No Code Recorded')).toBe('10');
    // a asthma; c asthma and "no long-term condition" (a listed condition first); b none; d, e no code.
    expect([received('Long Term Condition Status', 'Long term condition'), received('Long Term Condition Status', 'No long term condition'), received('Long Term Condition Status', 'Not stated/Not known/Invalid')]).toEqual(['10', '5', '10']);
    expect([received('Religion', 'Christian'), received('Religion', 'Buddhist'), received('Religion', 'Not stated/Not known/Invalid')]).toEqual(['5', '5', '15']);
    expect([received('Sexual Orientation Type', 'Heterosexual'), received('Sexual Orientation Type', 'Not stated/Not known/Invalid')]).toEqual(['5', '20']);
  });

  it('Mental Health Care Cluster: each referral by its person\'s assignment in force during it, the latest started, its code as recorded', () => {
    const row = (a: string, column = 'Count_ReferralsReceived') => cell('England', 'Mental Health Care Cluster', a, 'NULL', column);
    // a: 11 (started 06-01, the latest in force), not 03 (earlier) nor 01 (after the discharge).
    expect(row('Psychosis')).toBe('5');
    expect(row('Non-Psychotic (Moderate Severity)')).toBe('0');
    expect(row('Common Mental Health Problems (Low Severity)')).toBe('0');
    // c: 00 (dated), not the undated 18.
    expect(row('Other mental health care cluster')).toBe('5');
    // b's latest code 22 is not in the list (its 02 does not count), d has none, e's 18 ended before e was received.
    expect(row('Common Mental Health Problems (Low Severity with Greater Need)')).toBe('0');
    expect(row('Cognitive impairment or dementia')).toBe('0');
    expect(row('Not stated/Not known/Invalid')).toBe('15');
    // The finishers a and b: half of the 10 each; c accessed services (first treatment 07-31, wait 30), a waited 10.
    expect(row('Psychosis', 'Count_FinishedCourseTreatment')).toBe('5');
    expect(row('Psychosis', 'Percentage_FinishedCourseTreatment')).toBe('50.0');
    expect(row('Not stated/Not known/Invalid', 'Count_FinishedCourseTreatment')).toBe('5');
    expect(row('Other mental health care cluster', 'Count_FinishedCourseTreatment')).toBe('0');
    expect(row('Other mental health care cluster', 'Count_AccessingServices')).toBe('5');
    expect(row('Psychosis', 'Mean_WaitAccessingServices')).toBe('10.0');
    expect(cell('RA1', 'Mental Health Care Cluster', 'Psychosis', 'NULL', 'Count_ReferralsReceived')).toBe('5');
  });

  it('All ADSM: the finishers of the ADSM descriptors (a: social phobias)', () => {
    expect(cell('England', 'Presenting Complaint', 'All ADSM', 'Total', 'Count_FinishedCourseTreatment')).toBe('5');
  });
});

describe('a percentage whose denominator is zero', () => {
  it('in the file: recovery over finishers at caseness — b (aged 70) finished not at caseness, so 65 to 74 has 5 finishers and 0 at caseness', () => {
    // Percentage_Recovery = recovered / (finished − not at caseness) = 0 / (5 − 5): NULL for England, * for RA1.
    expect(cell('England', 'Age Group', '65 to 74', 'NULL', 'Count_FinishedCourseTreatment')).toBe('5');
    expect(cell('England', 'Age Group', '65 to 74', 'NULL', 'Percentage_Recovery')).toBe('NULL');
    expect(cell('RA1', 'Age Group', '65 to 74', 'NULL', 'Percentage_Recovery')).toBe('*');
    // Improvement is over all 5 finishers: 0 of 5 = 0.0 (a value, not NULL).
    expect(cell('England', 'Age Group', '65 to 74', 'NULL', 'Percentage_Improvement')).toBe('0.0');
    // Under 18: nobody — every England percentage NULL, its counts 0; the provider's *.
    expect(cell('England', 'Age Group', 'Under 18', 'NULL', 'Count_ReferralsReceived')).toBe('0');
    expect(cell('England', 'Age Group', 'Under 18', 'NULL', 'Percentage_Improvement')).toBe('NULL');
    expect(cell('England', 'Age Group', 'Under 18', 'NULL', 'Percentage_FinishedCourseTreatment')).toBe('0.0');
    expect(cell('RA1', 'Age Group', 'Under 18', 'NULL', 'Percentage_Improvement')).toBe('*');
  });

  it('matches the published evidence: below England a zero denominator is *, and England is never suppressed', async () => {
    const markers = await query<Marker>(`SELECT * FROM read_parquet(${literal(MARKERS)}) WHERE variable_type = 'Mental Health Care Cluster' AND variable_a = 'Cognitive impairment or dementia'`);
    const of = (name: string, statistic: string, org: string) => markers.find((m) => m.measure_name === name && m.measure_statistic === statistic && m.org_type === org)!;
    // 20 finishers in England; 147 providers, so at least 127 of them had none: every provider percentage is *.
    expect(of('finished_course_treatment', 'count', 'England').england_value).toBe('20');
    const recovery = of('recovery', 'percentage', 'Provider');
    expect([recovery.cells, recovery.suppressed_cells, recovery.null_cells]).toEqual([147, 147, 0]);
    const england = await query<{ n: number }>(`SELECT sum(suppressed_cells)::INTEGER AS n FROM read_parquet(${literal(MARKERS)}) WHERE org_type = 'England'`);
    expect(england[0]!.n).toBe(0);
  });
});
