// The breakdowns (VariableType / VariableA / VariableB) of the annual "main" file, with the labels and in the order
// NHS England publishes them (measures_annual 2024-25, reference/nhs/measures_annual_2024-25_markers.parquet;
// metadata_variables_annual). Each category is a condition over a unit's row; categories may overlap (Ethnic Group
// "All" rows, cumulative waiting-time bands, a person's several disability codes). Rows that NHS England uses for
// one statistic only (waiting-time bands and mean waits, All ADSM, stepped care) name the columns they publish;
// every other column of such a row is published as NULL.
import { codeList, CODE_LISTS, LONG_TERM_CONDITIONS, PROBLEM_DESCRIPTORS } from '../dataset/index.js';
import { days, FIRST_TREATMENT, finishers, RECEIVED, SECOND_TREATMENT, sqlList, type Cohort, type MeasureDefinition, type ReferralItems, type Unit } from './definition.js';
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

export const TOTAL: Breakdown = { type: 'Total', categories: [one(NOT_APPLICABLE, 'true')] };

/** A quarterly variable breakdown (variables.ts) as the annual file publishes it: its type, VariableB NULL, relabelled categories. */
function fromVariable(id: string, type: string, labels: Readonly<Record<string, string>> = {}): Breakdown {
  const variable = VARIABLE_BREAKDOWNS.find((v) => v.id === id);
  if (!variable) throw new Error(`annual breakdown ${type}: variable ${id} is not in variables.ts`);
  return { type, categories: variable.categories.map((c) => ({ ...c, a: labels[c.a] ?? c.a, b: c.b || NOT_APPLICABLE })) };
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

const AGE: Breakdown = {
  type: 'Age Group',
  categories: [
    one('Under 18', 'Age_RP_EndDate < 18'),
    one('18 to 25', 'Age_RP_EndDate BETWEEN 18 AND 25'),
    one('26 to 64', 'Age_RP_EndDate BETWEEN 26 AND 64'),
    one('65 to 74', 'Age_RP_EndDate BETWEEN 65 AND 74'),
    one('75 to 89', 'Age_RP_EndDate BETWEEN 75 AND 89'),
    one('90 and over', 'Age_RP_EndDate >= 90'),
  ],
};

// ConsMechanism, a contact's: the published label of each code of the v2.1 list and of the v2.0 codes kept for older
// appointments (03, 06, 08), in the published order (metadata_variables_annual: the code of each label).
const CONSULTATION_MEDIUM_LABELS: readonly [string, string][] = [
  ['01', 'Face to face communication'],
  ['02', 'Telephone'],
  ['03', 'Telemedicine'],
  ['11', 'Video consultation'],
  ['04', 'Talk type for a person unable to speak'],
  ['05', 'Email'],
  ['06', 'Short Message Service (SMS)'],
  ['08', 'Online Instant Messaging'],
  ['09', 'Text Message (Asynchronous)'],
  ['10', 'Instant messaging (Synchronous)'],
  ['12', 'Message Board (Asynchronous)'],
  ['13', 'Chat Room (Synchronous)'],
  ['98', 'Other (not listed)'],
];
function consultationMedium(): Breakdown {
  const codes = new Set(['ConsMechanism', 'ConsMediumUsed'].flatMap((id) => codeList(id).values.map((v) => v.code)));
  const labelled = CONSULTATION_MEDIUM_LABELS.map(([code]) => code);
  const unlabelled = [...codes].filter((c) => !labelled.includes(c));
  const unknown = labelled.filter((c) => !codes.has(c));
  if (unlabelled.length > 0 || unknown.length > 0) throw new Error(`Consultation Medium: codes without a label ${unlabelled.join(', ') || '-'}; labels of codes not in the data set ${unknown.join(', ') || '-'}`);
  return {
    type: 'Consultation Medium',
    units: ['contact'],
    categories: [...CONSULTATION_MEDIUM_LABELS.map(([code, label]) => one(label, `ConsMechanism = '${code}'`)), one(NOT_KNOWN, `ConsMechanism IS NULL OR ConsMechanism NOT IN (${sqlList(labelled)})`)],
  };
}

// V003's categories; its "no code" and "invalid code" rows in the annual wording and order.
const DISABILITY_TYPE = atEnd(
  fromVariable('V003', 'Disability Type', { 'ZZ Not Stated': 'ZZ Not Stated (Person asked but declined to provide a response)', 'No code': 'No Code Recorded', 'Invalid code': 'Invalid Code' }),
  ['No Code Recorded', 'Invalid Code'],
);

// Ethnic groups from the code list ("White - British" → White / British), with the published capitalisation;
// groups and their members in alphabetical order, each group's "All" first.
const PUBLISHED_LABEL: Record<string, string> = { 'Any other mixed background': 'Any other Mixed background', 'Any other ethnic group': 'Any Other Ethnic Group' };
function ethnicGroups(): Breakdown {
  const values = CODE_LISTS.find((c) => c.id === 'EthnicCategory')!.values.filter((v) => (v.meaning ?? '').includes(' - '));
  const groups = new Map<string, { code: string; label: string }[]>();
  for (const v of values) {
    const [group, detail] = (v.meaning ?? '').split(' - ') as [string, string];
    groups.set(group, [...(groups.get(group) ?? []), { code: v.code, label: PUBLISHED_LABEL[detail] ?? detail }]);
  }
  const categories: Category[] = [];
  for (const [group, members] of [...groups].sort(([x], [y]) => byLabel(x, y))) {
    categories.push({ a: group, b: 'All', when: `Validated_EthnicCategory IN (${sqlList(members.map((m) => m.code))})` });
    for (const m of [...members].sort((x, y) => byLabel(x.label, y.label))) categories.push({ a: group, b: m.label, when: `Validated_EthnicCategory = '${m.code}'` });
  }
  const known = values.map((v) => v.code);
  categories.push({ a: NOT_KNOWN, b: 'All', when: `Validated_EthnicCategory IS NULL OR Validated_EthnicCategory NOT IN (${sqlList(known)})` });
  return { type: 'Ethnic Group', categories };
}

const GENDER: Breakdown = {
  type: 'Gender',
  categories: [
    one('Indeterminate (unable to be classified as male or female)', "Gender = '9'"),
    one('Female', "Gender = '2'"),
    one('Male', "Gender = '1'"),
    one(NOT_KNOWN, "Gender IS NULL OR Gender NOT IN ('1', '2', '9')"),
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
// (748031000000103), else not stated; over the referral's IDS602 codes (the items of V010), a listed condition first.
const NO_LONG_TERM_CONDITION = '748031000000103';
function longTermConditionStatus(): Breakdown {
  const codes = itemColumn('longTermConditions');
  const all = LONG_TERM_CONDITIONS.map((c) => c.snomed);
  if (!all.includes(NO_LONG_TERM_CONDITION)) throw new Error(`Long Term Condition Status: ${NO_LONG_TERM_CONDITION} is not in the data set's long-term condition codes`);
  const conditions = all.filter((c) => c !== NO_LONG_TERM_CONDITION);
  const hasAny = (list: readonly string[]) => `coalesce(list_has_any(${codes}, [${sqlList(list)}]), false)`;
  return {
    type: 'Long Term Condition Status',
    categories: [
      one('Long term condition', hasAny(conditions)),
      one('No long term condition', `NOT ${hasAny(conditions)} AND ${hasAny([NO_LONG_TERM_CONDITION])}`),
      one(NOT_KNOWN, `NOT ${hasAny(all)}`),
    ],
  };
}

// Mental Health Care Cluster (metadata_variables_annual): the referral's AMHCareClustCodeFin (CARE_CLUSTER_ITEMS),
// each group of codes under its published label, in the published order (measures_annual 2024-25; the metadata
// capitalises some labels differently), then not stated: no assignment, or a code outside the list ("NOT IN (…) OR
// AMHCareClustCodeFin IS NULL"). Every referral is in one category (2024-25: the rows add up to the Total).
const CARE_CLUSTER = 'AMHCareClustCodeFin';
export const CARE_CLUSTER_GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['Other mental health care cluster', ['00', '09']],
  ['Common Mental Health Problems (Low Severity)', ['01']],
  ['Common Mental Health Problems (Low Severity with Greater Need)', ['02']],
  ['Non-Psychotic (Moderate Severity)', ['03']],
  ['Non-Psychotic (Severe)', ['04']],
  ['Non-Psychotic Disorders (Very Severe)', ['05']],
  ['Non-Psychotic Disorders', ['06', '07', '08']],
  ['Psychosis', ['10', '11', '12', '13', '14', '15', '16', '17']],
  ['Cognitive impairment or dementia', ['18', '19', '20', '21']],
];
function careCluster(): Breakdown {
  const listed = CARE_CLUSTER_GROUPS.flatMap(([, codes]) => codes);
  const codes = codeList(CARE_CLUSTER).values.map((v) => v.code);
  const [ungrouped, unknown] = [codes.filter((c) => !listed.includes(c)), listed.filter((c) => !codes.includes(c))];
  if (ungrouped.length > 0 || unknown.length > 0 || new Set(listed).size !== listed.length) {
    throw new Error(`Mental Health Care Cluster: codes in no group ${ungrouped.join(', ') || '-'}; grouped codes not in the data set ${unknown.join(', ') || '-'}; or a code in two groups`);
  }
  return {
    type: 'Mental Health Care Cluster',
    categories: [...CARE_CLUSTER_GROUPS.map(([label, group]) => one(label, `${CARE_CLUSTER} IN (${sqlList(group)})`)), one(NOT_KNOWN, `${CARE_CLUSTER} IS NULL OR ${CARE_CLUSTER} NOT IN (${sqlList(listed)})`)],
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
function presentingComplaint(): Breakdown {
  const byName = (id: string) => PROBLEM_DESCRIPTORS.find((g) => g.id === id)!.name;
  const groupOrder = [...new Set(Object.values(PUBLISHED_COMPLAINT).map(([a]) => a))];
  const complaints: Category[] = PROBLEM_DESCRIPTORS.map((g) => {
    const [a, b] = PUBLISHED_COMPLAINT[g.id]!;
    return { a, b, when: `PresentingComplaintLowerCategory = '${g.name.replace(/'/g, "''")}'` };
  });
  const anxiety = PROBLEM_DESCRIPTORS.filter((g) => PUBLISHED_COMPLAINT[g.id]![0] === ANXIETY).map((g) => byName(g.id));
  const adsm = ['Agoraphobia', 'SocialPhobia', 'Panic', 'OCD', 'PTSD', 'HealthAnxiety', 'BDD', 'CFS', 'IBS', 'MUS'].map(byName);
  complaints.push({ a: ANXIETY, b: 'All', when: `PresentingComplaintLowerCategory IN (${sqlList(anxiety)})` });
  const rank = (c: Category) => (c.b === 'All' ? '' : c.b);
  complaints.sort((x, y) => groupOrder.indexOf(x.a) - groupOrder.indexOf(y.a) || byLabel(rank(x), rank(y)));
  return { type: 'Presenting Complaint', categories: [{ a: 'All ADSM', b: 'Total', when: `PresentingComplaintLowerCategory IN (${sqlList(adsm)})`, columns: ADSM_COLUMNS }, ...complaints] };
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
