// The breakdowns (VariableType / VariableA / VariableB) of the annual "main" file, with the labels and in the order
// NHS England publishes them (measures_annual 2024-25, reference/nhs/measures_annual_2024-25_markers.parquet;
// metadata_variables_annual). Each category is a condition over a unit's row; categories may overlap (Ethnic Group
// "All" rows, cumulative waiting-time bands, a person's several disability codes). Rows that NHS England uses for
// one statistic only (waiting-time bands and mean waits, All ADSM, stepped care) name the columns they publish;
// every other column of such a row is published as NULL.
import { eq, isIn, listValue, notIn, or } from '../core/sql.js';
import { codeList, LONG_TERM_CONDITIONS, OUTCOME_MEASURES, PROBLEM_DESCRIPTORS } from '../dataset/index.js';
import { ETHNIC_GROUP_CODES, ETHNIC_GROUPS } from '../dataset/ethnicGroups.js';
import { codeOf } from '../dataset/codes.js';
import { CARE_CLUSTER_GROUPS, CONSULTATION_MEDIUM_LABELS } from '../dataset/measureLabels.js';
import { days, FIRST_TREATMENT, finishers, RECEIVED, SECOND_TREATMENT, type Cohort, type MeasureDefinition, type ReferralItems, type Unit } from './definition.js';
import { NOT_APPLICABLE } from './disclosure/policy.js';
import { VARIABLE_BREAKDOWNS, VARIABLE_ITEMS } from './variables.js';

/** An annual column with a value in a category's rows: by name (its own measure), or with the measure giving its value there. */
export type PublishedColumn = string | { column: string; measure: MeasureDefinition };

export interface Category {
  a: string;
  b: string;
  when: string;
  /**
   * Annual file: the only columns with a value in this category's rows, NHS England publishing NULL in every other
   * (a waiting-time band holds finishers only, a mean-wait row the mean waits). Default: every column.
   */
  columns?: readonly PublishedColumn[];
}

export interface Breakdown {
  type: string;
  categories: readonly Category[];
  /**
   * The units whose rows the categories are conditions on (Consultation Medium is a contact's). Measures over other
   * units are not computed for the breakdown; the annual file publishes NULL for them. Default: every unit.
   */
  units?: readonly Unit[];
}

/** "Not applicable" in VariableA / VariableB, as published (the same marker as a not-applicable cell). */
export { NOT_APPLICABLE };
const NOT_KNOWN = 'Not stated/Not known/Invalid';
const one = (a: string, when: string, columns?: readonly PublishedColumn[]): Category => ({ a, b: NOT_APPLICABLE, when, ...(columns ? { columns } : {}) });
const byLabel = (x: string, y: string) => x.localeCompare(y, 'en');
/** The column is none of `codes`, or null. */
const noneOf = (column: string, codes: readonly string[]) => or(`${column} IS NULL`, notIn(column, codes));

export const TOTAL: Breakdown = { type: 'Total', categories: [one(NOT_APPLICABLE, 'true')] };

/** A quarterly variable breakdown (variables.ts) as the annual file publishes it: its type, VariableB NULL, relabelled categories. */
function fromVariable(id: string, type: string, labels: Readonly<Record<string, string>> = {}): Breakdown {
  const variable = VARIABLE_BREAKDOWNS.find((v) => v.id === id);
  if (!variable) throw new Error(`annual breakdown ${type}: variable ${id} is not in variables.ts`);
  return { type, categories: variable.categories.map((c) => ({ ...c, a: labels[c.a] ?? c.a, b: c.b || NOT_APPLICABLE })) };
}

/** `breakdown` without the categories labelled `labels` (rows the annual file does not have). */
function without(breakdown: Breakdown, labels: readonly string[]): Breakdown {
  if (labels.some((label) => !breakdown.categories.some((c) => c.a === label))) throw new Error(`annual breakdown ${breakdown.type}: no category ${labels.join(' / ')}`);
  return { ...breakdown, categories: breakdown.categories.filter((c) => !labels.includes(c.a)) };
}

/** `breakdown` with the categories labelled `labels` moved to its end, in that order (where the annual order differs). */
function atEnd(breakdown: Breakdown, labels: readonly string[]): Breakdown {
  const moved = labels.map((label) => breakdown.categories.find((c) => c.a === label));
  if (moved.some((c) => c === undefined)) throw new Error(`annual breakdown ${breakdown.type}: no category ${labels.join(' / ')}`);
  return { ...breakdown, categories: [...breakdown.categories.filter((c) => !labels.includes(c.a)), ...(moved as Category[])] };
}

/** The column of a referral item of variables.ts (e.g. a referral's long-term condition codes). */
function itemColumn(item: string): string {
  const found = VARIABLE_ITEMS.find((i) => i.name === item);
  const [column, ...more] = Object.keys(found?.columns ?? {});
  if (!column || more.length > 0) throw new Error(`variables.ts has no single-column ${item} items`);
  return column;
}

// V001's age groups; the annual file has no row for an unknown age.
const AGE = without(fromVariable('V001', 'Age Group'), [NOT_KNOWN]);

// ConsMechanism, a contact's, under its published label (src/dataset/measureLabels.ts), every code of the v2.1 list
// and of the v2.0 codes kept for older appointments labelled.
function consultationMedium(): Breakdown {
  const codes = new Set(['ConsMechanism', 'ConsMediumUsed'].flatMap((id) => codeList(id).values.map((v) => v.code)));
  const labelled = CONSULTATION_MEDIUM_LABELS.map(([code]) => code);
  const unlabelled = [...codes].filter((c) => !labelled.includes(c));
  const unknown = labelled.filter((c) => !codes.has(c));
  if (unlabelled.length > 0 || unknown.length > 0) throw new Error(`Consultation Medium: codes without a label ${unlabelled.join(', ') || '-'}; labels of codes not in the data set ${unknown.join(', ') || '-'}`);
  return {
    type: 'Consultation Medium',
    units: ['contact'],
    categories: [...CONSULTATION_MEDIUM_LABELS.map(([code, label]) => one(label, eq('ConsMechanism', code))), one(NOT_KNOWN, noneOf('ConsMechanism', labelled))],
  };
}

// V003's categories; its "no code" and "invalid code" rows in the annual wording and order.
const DISABILITY_TYPE = atEnd(
  fromVariable('V003', 'Disability Type', { 'ZZ Not Stated': 'ZZ Not Stated (Person asked but declined to provide a response)', 'No code': 'No Code Recorded', 'Invalid code': 'Invalid Code' }),
  ['No Code Recorded', 'Invalid Code'],
);

// The ethnic groups of the code list (src/dataset/ethnicGroups.ts) with the published capitalisation; groups and
// their members in alphabetical order, each group's "All" first.
const PUBLISHED_LABEL: Record<string, string> = { 'Any other mixed background': 'Any other Mixed background', 'Any other ethnic group': 'Any Other Ethnic Group' };
const ETHNIC = 'Validated_EthnicCategory';
function ethnicGroups(): Breakdown {
  const categories: Category[] = [];
  for (const group of [...ETHNIC_GROUPS].sort((x, y) => byLabel(x.name, y.name))) {
    categories.push({ a: group.name, b: 'All', when: isIn(ETHNIC, group.categories.map((c) => c.code)) });
    const members = group.categories.map((c) => ({ code: c.code, label: PUBLISHED_LABEL[c.name] ?? c.name }));
    for (const m of members.sort((x, y) => byLabel(x.label, y.label))) categories.push({ a: group.name, b: m.label, when: eq(ETHNIC, m.code) });
  }
  categories.push({ a: NOT_KNOWN, b: 'All', when: noneOf(ETHNIC, ETHNIC_GROUP_CODES) });
  return { type: 'Ethnic Group', categories };
}

const gender = (meaning: string) => eq('Gender', codeOf('Gender', meaning));
const GENDER: Breakdown = {
  type: 'Gender',
  categories: [
    one('Indeterminate (unable to be classified as male or female)', gender('Indeterminate')),
    one('Female', gender('Female')),
    one('Male', gender('Male')),
    one(NOT_KNOWN, noneOf('Gender', codeList('Gender').values.filter((v) => !v.isDefault).map((v) => v.code))),
  ],
};

// Data value 10 (least deprived) is published as "01 Least deprived".
const IMD: Breakdown = {
  type: 'Indices of Deprivation Decile',
  categories: [
    ...Array.from({ length: 10 }, (_, i) => {
      const label = `${String(i + 1).padStart(2, '0')} ${i === 0 ? 'Least' : i === 9 ? 'Most' : i < 5 ? 'Less' : 'More'} deprived`;
      return one(label, `IndicesOfDeprivationDecile = ${10 - i}`);
    }),
    one(NOT_KNOWN, 'IndicesOfDeprivationDecile IS NULL'),
  ],
};

// metadata_variables_annual: a listed long-term condition code, else the "no long term condition" code
// (748031000000103, No history of long term condition), else not stated; over the referral's IDS602 codes (the items
// of V010), a listed condition first.
const NO_LONG_TERM_CONDITION = 'No history of long term condition';
function longTermConditionStatus(): Breakdown {
  const codes = itemColumn('longTermConditions');
  const none = LONG_TERM_CONDITIONS.find((c) => c.name === NO_LONG_TERM_CONDITION)?.snomed;
  if (!none) throw new Error(`Long Term Condition Status: "${NO_LONG_TERM_CONDITION}" is not in the data set's long-term conditions`);
  const all = LONG_TERM_CONDITIONS.map((c) => c.snomed);
  const conditions = all.filter((c) => c !== none);
  const hasAny = (list: readonly string[]) => `coalesce(list_has_any(${codes}, ${listValue(list)}), false)`;
  return {
    type: 'Long Term Condition Status',
    categories: [
      one('Long term condition', hasAny(conditions)),
      one('No long term condition', `NOT ${hasAny(conditions)} AND ${hasAny([none])}`),
      one(NOT_KNOWN, `NOT ${hasAny(all)}`),
    ],
  };
}

// Mental Health Care Cluster (metadata_variables_annual): the referral's AMHCareClustCodeFin (CARE_CLUSTER_ITEMS),
// each group of codes under its published label, in the published order (CARE_CLUSTER_GROUPS,
// src/dataset/measureLabels.ts), then not stated: no assignment, or a code outside the list ("NOT IN (…) OR
// AMHCareClustCodeFin IS NULL"). Every referral is in one category (2024-25: the rows add up to the Total).
const CARE_CLUSTER = 'AMHCareClustCodeFin';
function careCluster(): Breakdown {
  const listed = CARE_CLUSTER_GROUPS.flatMap(([, codes]) => codes);
  const codes = codeList(CARE_CLUSTER).values.map((v) => v.code);
  const [ungrouped, unknown] = [codes.filter((c) => !listed.includes(c)), listed.filter((c) => !codes.includes(c))];
  if (ungrouped.length > 0 || unknown.length > 0 || new Set(listed).size !== listed.length) {
    throw new Error(`Mental Health Care Cluster: codes in no group ${ungrouped.join(', ') || '-'}; grouped codes not in the data set ${unknown.join(', ') || '-'}; or a code in two groups`);
  }
  return {
    type: 'Mental Health Care Cluster',
    categories: [...CARE_CLUSTER_GROUPS.map(([label, group]) => one(label, isIn(CARE_CLUSTER, group))), one(NOT_KNOWN, noneOf(CARE_CLUSTER, listed))],
  };
}

/**
 * Per referral, the care cluster code of its person's IDS803 assignment in force during the referral's active span
 * (from ReferralRequestReceivedDate to ServDischDate, or to the period end while open: the assignment starts by then
 * — or has no start date — and ends, if at all, on or after the referral was received); of several, the latest started
 * (an undated start last), then the highest record id; its code whatever it is (an invalid one is not stated);
 * without one, NULL. Our reading (docs/measures.md): the metadata names only the item.
 */
export const CARE_CLUSTER_ITEMS: ReferralItems = {
  name: 'careCluster',
  needs: ['careCluster'],
  columns: { [CARE_CLUSTER]: 'VARCHAR' },
  sql:
    `SELECT p.PathwayID, c.${CARE_CLUSTER} FROM m_pathway p JOIN m_careCluster c ON c.Person_ID = p.Person_ID ` +
    `WHERE (d(c.StartDateCareClust) IS NULL OR d(c.StartDateCareClust) <= coalesce(d(p.ServDischDate), $end)) AND (d(c.EndDateCareClust) IS NULL OR d(c.EndDateCareClust) >= d(p.ReferralRequestReceivedDate)) ` +
    'QUALIFY row_number() OVER (PARTITION BY p.PathwayID ORDER BY d(c.StartDateCareClust) DESC NULLS LAST, c.UniqueID_IDS803 DESC NULLS LAST) = 1',
};

/** The referral items the annual breakdowns read besides those of variables.ts (publish computes them for the year). */
export const BREAKDOWN_ITEMS: readonly ReferralItems[] = [CARE_CLUSTER_ITEMS];

// Presenting complaint: the higher category, with the anxiety and MUS sub-groups as published; "All ADSM" first,
// then the groups, each group's "All" first and its sub-groups in alphabetical order.
const ANXIETY = 'Anxiety and stress related disorders';
const PUBLISHED_COMPLAINT: Record<string, [string, string]> = {
  Depression: ['Depression', NOT_APPLICABLE],
  Agoraphobia: [ANXIETY, 'Agoraphobia'],
  SocialPhobia: [ANXIETY, 'Social phobias'],
  SpecificPhobia: [ANXIETY, 'Specific (isolated) phobias'],
  Panic: [ANXIETY, 'Panic disorder [episodic paroxysmal anxiety]'],
  GAD: [ANXIETY, 'Generalised anxiety disorder'],
  MixedAnxietyDepression: [ANXIETY, 'Mixed anxiety and depressive disorder'],
  OCD: [ANXIETY, 'Obsessive-compulsive disorder'],
  PTSD: [ANXIETY, 'Post-traumatic stress disorder'],
  HealthAnxiety: [ANXIETY, 'Hypochondriacal disorders'],
  OtherAnxiety: [ANXIETY, 'Other anxiety or stress related disorder'],
  BDD: ['Medically Unexplained Symptoms', 'Body dysmorphic disorder'],
  CFS: ['Medically Unexplained Symptoms', 'Chronic fatigue syndrome'],
  IBS: ['Medically Unexplained Symptoms', 'Irritable bowel syndrome'],
  MUS: ['Medically Unexplained Symptoms', 'MUS not otherwise specified'],
  OtherMentalHealth: ['Other Mental Health problems', 'Other'],
  OtherRecorded: ['Other recorded problems', NOT_APPLICABLE],
  NotStated: [NOT_KNOWN, NOT_KNOWN],
};
/**
 * The All ADSM row holds the appropriate paired ADSM measures over the finishers of its descriptors; NHS England
 * publishes NULL in its referral and outcome columns (measures_annual 2024-25: every org, every year).
 */
const ADSM_COLUMNS: readonly PublishedColumn[] = ['Count_FinishedCourseTreatment', 'Count_AppropriatePairedADSM', 'Percentage_AppropriatePairedADSM'];
const LOWER_CATEGORY = 'PresentingComplaintLowerCategory';
function presentingComplaint(): Breakdown {
  const byName = (id: string) => PROBLEM_DESCRIPTORS.find((g) => g.id === id)!.name;
  const groupOrder = [...new Set(Object.values(PUBLISHED_COMPLAINT).map(([a]) => a))];
  const complaints: Category[] = PROBLEM_DESCRIPTORS.map((g) => {
    const [a, b] = PUBLISHED_COMPLAINT[g.id]!;
    return { a, b, when: eq(LOWER_CATEGORY, g.name) };
  });
  const anxiety = PROBLEM_DESCRIPTORS.filter((g) => PUBLISHED_COMPLAINT[g.id]![0] === ANXIETY).map((g) => byName(g.id));
  // The descriptors with an anxiety disorder specific measure (the ADSM mapping of src/dataset/outcomes.ts).
  const adsm = OUTCOME_MEASURES.filter((m) => m.role === 'adsm').flatMap((m) => m.problemDescriptors.map(byName));
  complaints.push({ a: ANXIETY, b: 'All', when: isIn(LOWER_CATEGORY, anxiety) });
  const rank = (c: Category) => (c.b === 'All' ? '' : c.b);
  complaints.sort((x, y) => groupOrder.indexOf(x.a) - groupOrder.indexOf(y.a) || byLabel(rank(x), rank(y)));
  return { type: 'Presenting Complaint', categories: [{ a: 'All ADSM', b: 'Total', when: isIn(LOWER_CATEGORY, adsm), columns: ADSM_COLUMNS }, ...complaints] };
}

// Stepped care (metadata_variables_annual): which intensities a referral's treatment had, from the derived first
// dates; rows of finishers only (measures_annual: NULL in the referral and outcome columns).
const FINISHERS_ONLY: readonly PublishedColumn[] = ['Count_FinishedCourseTreatment', 'Percentage_FinishedCourseTreatment'];
const [LOW, HIGH] = ['LowIntensityTherapy_FirstDate', 'HighIntensityTherapy_FirstDate'];
const STEPPED_CARE: Breakdown = {
  type: 'Stepped Care Pathway',
  categories: [
    one('Received only low intensity therapy', `${LOW} IS NOT NULL AND ${HIGH} IS NULL`, FINISHERS_ONLY),
    one('Received both high and low intensity therapy', `${LOW} IS NOT NULL AND ${HIGH} IS NOT NULL`, FINISHERS_ONLY),
    one('Received only high intensity therapy', `${LOW} IS NULL AND ${HIGH} IS NOT NULL`, FINISHERS_ONLY),
    one(NOT_KNOWN, `${LOW} IS NULL AND ${HIGH} IS NULL`, FINISHERS_ONLY),
  ],
};

const meanWait = (id: string, of: string, cohort: Cohort): MeasureDefinition => ({ id, name: id, frequency: 'Monthly', statistic: 'mean', of, ...cohort });
const FIRST_TO_SECOND = days(FIRST_TREATMENT, SECOND_TREATMENT);
/**
 * The mean-wait rows hold the two mean waits of their interval: referral to first treatment (the columns' own
 * measures), or first to second treatment (over referrals whose second treatment is in the period, and over finishers).
 */
const MEAN_WAITS: Readonly<Record<'access' | 'second', readonly PublishedColumn[]>> = {
  access: ['Mean_WaitAccessingServices', 'Mean_WaitCompletedTreatment'],
  second: [
    { column: 'Mean_WaitAccessingServices', measure: meanWait('Mean_WaitFirstToSecondTreatment', FIRST_TO_SECOND, { date: SECOND_TREATMENT }) },
    { column: 'Mean_WaitCompletedTreatment', measure: meanWait('Mean_WaitFirstToSecondTreatmentFinishedCourse', FIRST_TO_SECOND, finishers()) },
  ],
};

// The bands hold finishers (the 6/18-week rates are Percentage_FinishedCourseTreatment of the <6 / <18 weeks rows).
function waitBands(a: string, present: string, wait: string, means: readonly PublishedColumn[]): Category[] {
  const band = (b: string, when: string): Category => ({ a, b, when: `${present} IS NOT NULL AND ${when}`, columns: FINISHERS_ONLY });
  return [
    band('<=28 days', `${wait} <= 28`),
    band('29-56 days', `${wait} BETWEEN 29 AND 56`),
    band('57-90 days', `${wait} BETWEEN 57 AND 90`),
    band('>90 days', `${wait} > 90`),
    band('<6 weeks', `${wait} <= 42`),
    band('<18 weeks', `${wait} <= 126`),
    { a, b: 'Mean wait', when: `${present} IS NOT NULL`, columns: means },
  ];
}

const WAITING_TIME: Breakdown = {
  type: 'Waiting Time',
  categories: [
    ...waitBands('Accessing services', FIRST_TREATMENT, days(RECEIVED, FIRST_TREATMENT), MEAN_WAITS.access),
    ...waitBands('First to Second treatment', SECOND_TREATMENT, FIRST_TO_SECOND, MEAN_WAITS.second),
    // Referrals that accessed services and had no second treatment (our reading: NHS England publishes NULL in every
    // column measures_annual keeps).
    one('No second treatment appointment', `${SECOND_TREATMENT} IS NULL`, ['Count_AccessingServices']),
  ],
};

/** The breakdowns of the annual main file, in publication order. Not yet published: the stepped-care wait rows (see docs/measures.md). */
export const ANNUAL_BREAKDOWNS: readonly Breakdown[] = [
  TOTAL,
  AGE,
  consultationMedium(),
  DISABILITY_TYPE,
  ethnicGroups(),
  fromVariable('V002', 'BME Group'),
  GENDER,
  IMD,
  longTermConditionStatus(),
  careCluster(),
  presentingComplaint(),
  atEnd(fromVariable('V013', 'Religion'), ['Other', 'None', NOT_KNOWN]),
  fromVariable('V014', 'Sexual Orientation Type'),
  STEPPED_CARE,
  WAITING_TIME,
];
