// The breakdowns (VariableType / VariableA / VariableB) of the annual "main" file, with the labels NHS England
// publishes (metadata_variables_annual, measures_annual 2023-24). Each category is a condition over a referral
// row; categories may overlap (Ethnic Group "All" rows, cumulative waiting-time bands).
import { CODE_LISTS, PROBLEM_DESCRIPTORS } from '../dataset/index.js';
import { days, FIRST_TREATMENT, RECEIVED, SECOND_TREATMENT, sqlList } from './definition.js';

export interface Category {
  a: string;
  b: string;
  when: string;
}

export interface Breakdown {
  type: string;
  categories: readonly Category[];
}

/** "Not applicable" in VariableA / VariableB, as published. */
export const NOT_APPLICABLE = 'NULL';
const NOT_KNOWN = 'Not stated/Not known/Invalid';
const one = (a: string, when: string): Category => ({ a, b: NOT_APPLICABLE, when });

export const TOTAL: Breakdown = { type: 'Total', categories: [one(NOT_APPLICABLE, 'true')] };

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

const GENDER: Breakdown = {
  type: 'Gender',
  categories: [
    one('Female', "Gender = '2'"),
    one('Male', "Gender = '1'"),
    one('Indeterminate (unable to be classified as male or female)', "Gender = '9'"),
    one(NOT_KNOWN, "Gender IS NULL OR Gender NOT IN ('1', '2', '9')"),
  ],
};

// Ethnic groups from the code list ("White - British" → White / British), with the published capitalisation.
const PUBLISHED_LABEL: Record<string, string> = { 'Any other mixed background': 'Any other Mixed background', 'Any other ethnic group': 'Any Other Ethnic Group' };
function ethnicGroups(): Breakdown {
  const values = CODE_LISTS.find((c) => c.id === 'EthnicCategory')!.values.filter((v) => (v.meaning ?? '').includes(' - '));
  const groups = new Map<string, { code: string; label: string }[]>();
  for (const v of values) {
    const [group, detail] = (v.meaning ?? '').split(' - ') as [string, string];
    groups.set(group, [...(groups.get(group) ?? []), { code: v.code, label: PUBLISHED_LABEL[detail] ?? detail }]);
  }
  const categories: Category[] = [];
  for (const [group, members] of groups) {
    categories.push({ a: group, b: 'All', when: `Validated_EthnicCategory IN (${sqlList(members.map((m) => m.code))})` });
    for (const m of members) categories.push({ a: group, b: m.label, when: `Validated_EthnicCategory = '${m.code}'` });
  }
  const known = values.map((v) => v.code);
  categories.push({ a: NOT_KNOWN, b: 'All', when: `Validated_EthnicCategory IS NULL OR Validated_EthnicCategory NOT IN (${sqlList(known)})` });
  return { type: 'Ethnic Group', categories };
}

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

// Presenting complaint: the higher category, with the anxiety and MUS sub-groups as published.
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
function presentingComplaint(): Breakdown {
  const byName = (id: string) => PROBLEM_DESCRIPTORS.find((g) => g.id === id)!.name;
  const categories: Category[] = PROBLEM_DESCRIPTORS.map((g) => {
    const [a, b] = PUBLISHED_COMPLAINT[g.id]!;
    return { a, b, when: `PresentingComplaintLowerCategory = '${g.name.replace(/'/g, "''")}'` };
  });
  const anxiety = PROBLEM_DESCRIPTORS.filter((g) => PUBLISHED_COMPLAINT[g.id]![0] === ANXIETY).map((g) => byName(g.id));
  const adsm = ['Agoraphobia', 'SocialPhobia', 'Panic', 'OCD', 'PTSD', 'HealthAnxiety', 'BDD', 'CFS', 'IBS', 'MUS'].map(byName);
  categories.push({ a: ANXIETY, b: 'All', when: `PresentingComplaintLowerCategory IN (${sqlList(anxiety)})` });
  categories.push({ a: 'All ADSM', b: 'Total', when: `PresentingComplaintLowerCategory IN (${sqlList(adsm)})` });
  return { type: 'Presenting Complaint', categories };
}

function waitBands(a: string, present: string, wait: string): Category[] {
  const band = (b: string, when: string): Category => ({ a, b, when: `${present} IS NOT NULL AND ${when}` });
  return [
    band('<=28 days', `${wait} <= 28`),
    band('29-56 days', `${wait} BETWEEN 29 AND 56`),
    band('57-90 days', `${wait} BETWEEN 57 AND 90`),
    band('>90 days', `${wait} > 90`),
    band('<6 weeks', `${wait} <= 42`),
    band('<18 weeks', `${wait} <= 126`),
  ];
}

const WAITING_TIME: Breakdown = {
  type: 'Waiting Time',
  categories: [
    ...waitBands('Accessing services', FIRST_TREATMENT, days(RECEIVED, FIRST_TREATMENT)),
    ...waitBands('First to Second treatment', SECOND_TREATMENT, days(FIRST_TREATMENT, SECOND_TREATMENT)),
    one('No second treatment appointment', `${SECOND_TREATMENT} IS NULL`),
  ],
};

/** The breakdowns of the annual main file, in publication order. */
export const ANNUAL_BREAKDOWNS: readonly Breakdown[] = [TOTAL, AGE, GENDER, ethnicGroups(), IMD, presentingComplaint(), WAITING_TIME];
