// The variable breakdowns V001–V015 of the quarterly files (metadata_measures_monthly, measure type Variable):
// VariableType, VariableA and VariableB labels exactly as NHS England publishes them, each category a condition
// over a referral row. Categories may overlap where the constructions do (a person's several disability codes, a
// referral's several IET programmes, F45 in two problem descriptors). Items the conditions read from other tables
// (disability codes, religion, sexual orientation, long-term conditions, IET programmes) are referral items.
import { and, eq, isIn, literal, ne, notIn, or } from '../core/sql.js';
import { codeList, IET_PROGRAMMES as IET_PROGRAMME_NAMES, LONG_TERM_CONDITIONS as LONG_TERM_CONDITION_CODES, PROBLEM_DESCRIPTORS, SOCIAL_CIRCUMSTANCES } from '../dataset/index.js';
import { DERIVED_INVALID } from '../dataset/derivation.js';
import { ETHNIC_GROUP_CODES, ETHNIC_GROUPS, WHITE_BRITISH } from '../dataset/ethnicGroups.js';
import { codeOf } from '../dataset/codes.js';
import { DISABILITY_LABELS } from '../dataset/measureLabels.js';
import type { Breakdown, Category } from './breakdowns.js';
import { ENDED, FINISHED, type ReferralItems } from './definition.js';

const NOT_KNOWN = 'Not stated/Not known/Invalid';
const NONE = '';
const one = (a: string, when: string): Category => ({ a, b: NONE, when });
/** The column is none of `codes`, or null. */
const noneOf = (column: string, codes: readonly string[]) => or(`${column} IS NULL`, notIn(column, codes));
/** The codes of a code list other than its defaults (Not known, Not stated), with their meanings. */
const stated = (list: string) => codeList(list).values.filter((v) => !v.isDefault);
/** The list `column` holds `code`. */
const holds = (column: string, code: string) => `list_contains(${column}, ${literal(code)})`;

/** [label, code] pairs → each label with its codes, labels in order of first appearance. */
function groupCodes(pairs: readonly (readonly [string, string])[]): readonly [string, readonly string[]][] {
  const byLabel = new Map<string, string[]>();
  for (const [label, code] of pairs) byLabel.set(label, [...(byLabel.get(label) ?? []), code]);
  return [...byLabel];
}

const AGE = 'Age_RP_EndDate';
const AGE_GROUP: Breakdown = {
  type: 'Age Group',
  categories: [
    one('Under 18', `${AGE} < 18`),
    one('18 to 25', `${AGE} BETWEEN 18 AND 25`),
    one('26 to 64', `${AGE} BETWEEN 26 AND 64`),
    one('65 to 74', `${AGE} BETWEEN 65 AND 74`),
    one('75 to 89', `${AGE} BETWEEN 75 AND 89`),
    one('90 and over', `${AGE} >= 90`),
    one(NOT_KNOWN, `${AGE} IS NULL`),
  ],
};

const ETHNIC = 'Validated_EthnicCategory';
const BME_GROUP: Breakdown = {
  type: 'BME Group',
  categories: [
    one('BME', isIn(ETHNIC, ETHNIC_GROUP_CODES.filter((c) => c !== WHITE_BRITISH))),
    one('White British', eq(ETHNIC, WHITE_BRITISH)),
    one(NOT_KNOWN, noneOf(ETHNIC, ETHNIC_GROUP_CODES)),
  ],
};

// The data set's disability codes, labelled as published (src/dataset/measureLabels.ts).
const DISABILITIES: readonly [string, string][] = codeList('DisabCode').values.map((v) => [`${v.code} ${DISABILITY_LABELS[v.code] ?? v.meaning}`, v.code]);
const DISABILITY_CODES = 'DisabilityCodes';
const DISABILITY: Breakdown = {
  type: 'Disability',
  categories: [
    ...DISABILITIES.map(([label, code]) => one(label, holds(DISABILITY_CODES, code))),
    one('Invalid code', `len(list_filter(${DISABILITY_CODES}, c -> ${notIn('c', DISABILITIES.map(([, code]) => code))})) > 0`),
    one('No code', `coalesce(len(${DISABILITY_CODES}), 0) = 0`),
  ],
};

const EDUCATION_BANDS: readonly [string, string][] = [
  ['25 and under', `${AGE} <= 25`],
  ['Over 25', `${AGE} > 25`],
  ['Age Not Recorded', `${AGE} IS NULL`],
];
// The data set's establishment types other than its defaults, by published label (codes of one meaning together).
const EDUCATION_LABEL: Readonly<Record<string, string>> = { 'Establishment not listed': 'Educational establishment not listed' };
const EDUCATION_STATED = stated('EduEstabTypeIAPT');
const EDUCATION_TYPES = groupCodes(EDUCATION_STATED.map((v) => [EDUCATION_LABEL[v.meaning ?? ''] ?? v.meaning ?? v.code, v.code]));
const EDUCATION: Breakdown = {
  type: 'Education',
  categories: [
    ...EDUCATION_TYPES.flatMap(([a, codes]) => EDUCATION_BANDS.map(([band, when]) => ({ a, b: `${a} and ${band}`, when: and(isIn('EduEstabTypeIAPT', codes), when) }))),
    { a: 'Other', b: NOT_KNOWN, when: noneOf('EduEstabTypeIAPT', EDUCATION_STATED.map((v) => v.code)) },
  ],
};

const ETHNIC_GROUP: Breakdown = {
  type: 'Ethnic Group',
  categories: [...ETHNIC_GROUPS.flatMap((g) => g.categories.map((c) => ({ a: g.name, b: c.name, when: eq(ETHNIC, c.code) }))), one(NOT_KNOWN, noneOf(ETHNIC, ETHNIC_GROUP_CODES))],
};

/** Each stated code of a code list as a category of `column`, labelled by its meaning or the published label, then not stated. */
function byMeaning(type: string, column: string, list: string, labels: Readonly<Record<string, string>> = {}): Breakdown {
  const codes = stated(list);
  return { type, categories: [...codes.map((v) => one(labels[v.meaning ?? ''] ?? v.meaning ?? v.code, eq(column, v.code))), one(NOT_KNOWN, noneOf(column, codes.map((v) => v.code)))] };
}

const EX_BAF = byMeaning('Ex British Armed Forces and Dependants', 'ExBAFIndicator', 'ExBAFIndicator', { 'Not an ex-services member or dependant': 'Not an ex-services member or their dependant' });

const identity = (meaning: string) => codeOf('GenderIdentity', meaning);
const gender = (meaning: string) => codeOf('Gender', meaning);
const NO_IDENTITY = noneOf('GenderIdentity', stated('GenderIdentity').map((v) => v.code));
/** A stated identity, or none and the stated gender. */
const identified = (identityCode: string, genderCode: string) => or(eq('GenderIdentity', identityCode), and(eq('Gender', genderCode), NO_IDENTITY));
const GENDER_IDENTITY: Breakdown = {
  type: 'Gender Identity',
  categories: [
    one('Male (including trans men)', identified(identity('Male (including trans man)'), gender('Male'))),
    one('Female (including trans women)', identified(identity('Female (including trans woman)'), gender('Female'))),
    one('Non-binary', eq('GenderIdentity', identity('Non-binary'))),
    one('Other (not listed)', eq('GenderIdentity', identity('Other (not listed)'))),
    one('Indeterminate', and(NO_IDENTITY, eq('Gender', gender('Indeterminate')))),
    // The construction's brackets do not balance: read as no identity and a gender other than male, female or indeterminate.
    one(NOT_KNOWN, and(NO_IDENTITY, noneOf('Gender', stated('Gender').map((v) => v.code)))),
  ],
};

const SAME_AT_BIRTH = byMeaning('Gender Identity Same At Birth', 'GenderIdentitySameAtBirth', 'GenderIdentitySameAtBirth', { Yes: 'Same gender at birth', No: 'Different gender at birth' });

// The data set's programmes, with the published label where it differs and the construction's other spellings.
const IET_LABEL: Readonly<Record<string, string>> = { SilverCloud: 'Silvercloud' };
const IET_SPELLINGS: Readonly<Record<string, readonly string[]>> = { 'BDD-NET': ['BDD.NET'], Minddistrict: ['MNDDSTRCT'], 'OCD-NET': ['OCD.NET'], SilverCloud: ['SLVRCLD', 'SILVER'] };
/** Published label and the texts a programme name contains (case-insensitive). */
const IET: readonly [string, readonly string[]][] = IET_PROGRAMME_NAMES.map((p) => [IET_LABEL[p] ?? p, [p, ...(IET_SPELLINGS[p] ?? [])]]);
const IET_PROGRAMMES = 'IetProgrammes';
const mentions = (texts: readonly string[]) => `(${texts.map((t) => `contains(lower(p), ${literal(t.toLowerCase())})`).join(' OR ')})`;
const IET_PROGRAMME: Breakdown = {
  type: 'IETprogramme',
  categories: [
    ...IET.map(([label, texts]) => one(label, `len(list_filter(${IET_PROGRAMMES}, p -> ${mentions(texts)})) > 0`)),
    one('Other/unknown IET', `len(list_filter(${IET_PROGRAMMES}, p -> NOT ${mentions(IET.flatMap(([, t]) => t))})) > 0`),
    one('No recorded IET', `coalesce(len(${IET_PROGRAMMES}), 0) = 0`),
  ],
};

// The data set's long-term conditions, with the published label where it differs.
const LTC_LABEL: Readonly<Record<string, string>> = { 'Chronic obstructive pulmonary disease': 'Chronic obstructive lung disease' };
const LONG_TERM_CONDITIONS: readonly [string, string][] = LONG_TERM_CONDITION_CODES.map((c) => [LTC_LABEL[c.name] ?? c.name, c.snomed]);
const LTC_CODES = 'LongTermConditionCodes';
const INTEGRATED = 'IntegratedContact_FirstDate IS NOT NULL';
const LONG_TERM_CONDITION: Breakdown = {
  type: 'LongTermCondition',
  categories: [
    ...LONG_TERM_CONDITIONS.map(([label, code]) => one(label, `${INTEGRATED} AND ${holds(LTC_CODES, code)}`)),
    one('No code recorded', `${INTEGRATED} AND coalesce(len(${LTC_CODES}), 0) = 0`),
    one('Invalid Code', `NOT (${INTEGRATED}) OR len(list_filter(${LTC_CODES}, c -> ${notIn('c', LONG_TERM_CONDITIONS.map(([, code]) => code))})) > 0`),
  ],
};

// A referral without a presenting complaint is read as not stated: the derived value of an invalid one (-3).
const NOT_STATED_COMPLAINT = DERIVED_INVALID;
const COMPLAINT = `coalesce(PresentingComplaint, ${literal(NOT_STATED_COMPLAINT)})`;
const descriptor = (id: string) => {
  const found = PROBLEM_DESCRIPTORS.find((g) => g.id === id);
  if (!found) throw new Error(`V011: no problem descriptor ${id}`);
  return found;
};
/** The ICD-10 prefixes of problem descriptors (src/dataset/problemDescriptors.ts). */
const prefixes = (...ids: string[]) => ids.flatMap((id) => descriptor(id).icd10Prefixes ?? []);
/** The one code (an ICD-10 code or a SNOMED CT concept) of a descriptor the construction matches exactly. */
const soleCode = (id: string): string => {
  const codes = [...(descriptor(id).icd10Prefixes ?? []), ...(descriptor(id).snomed ?? [])];
  if (codes.length !== 1) throw new Error(`V011: ${id} has ${codes.length} codes, the construction one`);
  return codes[0]!;
};
const like = (...ps: string[]) => `(${ps.map((p) => `starts_with(${COMPLAINT}, ${literal(p)})`).join(' OR ')})`;
const ANXIETY = 'Anxiety and stress related disorders';
const MUS = 'Medically Unexplained Symptoms';
/** V011's published labels (VariableB), by problem descriptor. */
const DESCRIPTOR_LABEL: Readonly<Record<string, string>> = {
  Agoraphobia: 'F400 - Agoraphobia',
  SocialPhobia: 'F401 - Social phobias',
  SpecificPhobia: 'F402 - Specific (isolated) phobias',
  Panic: 'F410 - Panic disorder [episodic paroxysmal anxiety]',
  GAD: 'F411 - Generalised Anxiety Disorder',
  MixedAnxietyDepression: 'F412 - Mixed anxiety and depressive disorder',
  PTSD: 'F431 - Post-traumatic stress disorder',
  HealthAnxiety: 'F452 Hypochondriacal Disorders',
  BDD: '83482000 Body Dysmorphic Disorder',
  OCD: 'F42 - Obsessive-compulsive disorder',
  OtherAnxiety: 'Other F40-F43 code',
  IBS: 'K58 - Irritable bowel syndrome',
  CFS: 'G933 - Chronic fatigue syndrome',
  MUS: '723916001 - MUS not otherwise specified',
};
/** The anxiety descriptors the construction matches on their one code, in its order. */
const EXACT_ANXIETY = ['Agoraphobia', 'SocialPhobia', 'SpecificPhobia', 'Panic', 'GAD', 'MixedAnxietyDepression', 'PTSD', 'HealthAnxiety', 'BDD'];
const MENTAL_HEALTH = prefixes('Depression', 'OtherAnxiety', 'OtherMentalHealth');
const PROBLEM_DESCRIPTOR: Breakdown = {
  type: 'Problem Descriptor',
  categories: [
    one('Depression', like(...prefixes('Depression'))),
    ...EXACT_ANXIETY.map((id) => ({ a: ANXIETY, b: DESCRIPTOR_LABEL[id]!, when: eq(COMPLAINT, soleCode(id)) })),
    { a: ANXIETY, b: DESCRIPTOR_LABEL.OCD!, when: like(...prefixes('OCD')) },
    // As the construction means it (its AND binds to the last LIKE only): F40–F43 other than the codes above.
    { a: ANXIETY, b: DESCRIPTOR_LABEL.OtherAnxiety!, when: and(like(...prefixes('OtherAnxiety')), `NOT ${like(...prefixes('OCD'))}`, notIn(COMPLAINT, EXACT_ANXIETY.map(soleCode))) },
    { a: MUS, b: DESCRIPTOR_LABEL.IBS!, when: like(...prefixes('IBS')) },
    { a: MUS, b: DESCRIPTOR_LABEL.CFS!, when: like(...prefixes('CFS')) },
    { a: MUS, b: DESCRIPTOR_LABEL.MUS!, when: eq(COMPLAINT, soleCode('MUS')) },
    one('Other Mental Health disorders', like(...prefixes('OtherMentalHealth'))),
    one('Other recorded problems', and(`NOT ${like(...MENTAL_HEALTH)}`, ne(COMPLAINT, NOT_STATED_COMPLAINT))),
    one(NOT_KNOWN, eq(COMPLAINT, NOT_STATED_COMPLAINT)),
  ],
};

// PSYCHOTROPIC MEDICATION USAGE INDICATION CODE: prescribed (taking or not) or not prescribed, each code also in the
// one-digit and space-padded forms the construction lists.
const spellings = (codes: readonly string[]) =>
  codes.flatMap((code) => {
    const digit = code.replace(/^0/, '');
    return [code, digit, ` ${digit}`, `${digit} `];
  });
const PRESCRIBED = spellings(['Prescribed and taking', 'Prescribed but not taking'].map((m) => codeOf('PsychMed', m)));
const NOT_PRESCRIBED = spellings([codeOf('PsychMed', 'Not prescribed')]);
const STATED = [...PRESCRIBED, ...NOT_PRESCRIBED];
const FINISHED_IN_PERIOD = `${FINISHED} AND ${ENDED} BETWEEN $start AND $end`;
const medication = (first: readonly string[], last: readonly string[]) => `${isIn('PsychotropicIndicator_First', first)} AND ${isIn('PsychotropicIndicator_Last', last)} AND ${FINISHED_IN_PERIOD}`;
/**
 * V012 "Not stated/Not known/Invalid" (metadata_measures_monthly V012): the construction — an indicator NOT IN the
 * stated codes, or ServDischDate NOT BETWEEN the period's dates — as SQL evaluates it, so a missing value is neither
 * "not in" nor "not between": an open referral (no ServDischDate) is in no V012 category unless an indicator holds an
 * invalid code, and one that ended in the period without finishing is in none either, as the construction gives.
 * One reading added: a finisher of the period whose first or last indicator is missing is not stated (the
 * construction would leave it in no category; the annual file's Psychotropic Medication Status metadata, 2024-25,
 * counts "PsychotropicIndicator_First IS NULL" as not stated), so every finisher of the period is in exactly one category.
 */
const MEDICATION_NOT_STATED =
  `coalesce(${notIn('PsychotropicIndicator_First', STATED)} OR ${notIn('PsychotropicIndicator_Last', STATED)} OR ${ENDED} NOT BETWEEN $start AND $end, false) ` +
  `OR (${FINISHED_IN_PERIOD} AND (PsychotropicIndicator_First IS NULL OR PsychotropicIndicator_Last IS NULL))`;
const PSYCHOTROPIC: Breakdown = {
  type: 'Psychotropic Medication Status',
  categories: [
    one('Prescribed first and last sessions', medication(PRESCRIBED, PRESCRIBED)),
    one('Prescribed first session and not last session', medication(PRESCRIBED, NOT_PRESCRIBED)),
    one('Not prescribed first session and prescribed last session', medication(NOT_PRESCRIBED, PRESCRIBED)),
    one('Not prescribed first session and not last session', medication(NOT_PRESCRIBED, NOT_PRESCRIBED)),
    one(NOT_KNOWN, MEDICATION_NOT_STATED),
  ],
};

/** The spec's IDS011 codes of a group, by published category (in the spec's order). */
const circumstanceCategories = (group: 'religion' | 'sexualOrientation') => groupCodes(SOCIAL_CIRCUMSTANCES.filter((s) => s.group === group).map((c) => [c.category, c.snomed]));

const RELIGIONS = circumstanceCategories('religion');
const RELIGION: Breakdown = {
  type: 'Religion',
  categories: RELIGIONS.map(([label, codes]) => one(label, label === NOT_KNOWN ? or('Religion IS NULL', isIn('Religion', codes)) : isIn('Religion', codes))),
};

const ORIENTATIONS = circumstanceCategories('sexualOrientation');
const SEXUAL_ORIENTATION: Breakdown = {
  type: 'Sexual Orientation',
  categories: [...ORIENTATIONS.map(([label, codes]) => one(label, isIn('SexualOrientation', codes))), one(NOT_KNOWN, 'SexualOrientation IS NULL')],
};

const WORKING_AGE: Breakdown = {
  type: 'Working Age',
  categories: [one('Under 18', `${AGE} < 18`), one('18 to 64', `${AGE} BETWEEN 18 AND 64`), one('65 and over', `${AGE} >= 65`), one(NOT_KNOWN, `${AGE} IS NULL`)],
};

/** V001–V015, in id order. */
export const VARIABLE_BREAKDOWNS: readonly (Breakdown & { id: string })[] = [
  { id: 'V001', ...AGE_GROUP },
  { id: 'V002', ...BME_GROUP },
  { id: 'V003', ...DISABILITY },
  { id: 'V004', ...EDUCATION },
  { id: 'V005', ...ETHNIC_GROUP },
  { id: 'V006', ...EX_BAF },
  { id: 'V007', ...GENDER_IDENTITY },
  { id: 'V008', ...SAME_AT_BIRTH },
  { id: 'V009', ...IET_PROGRAMME },
  { id: 'V010', ...LONG_TERM_CONDITION },
  { id: 'V011', ...PROBLEM_DESCRIPTOR },
  { id: 'V012', ...PSYCHOTROPIC },
  { id: 'V013', ...RELIGION },
  { id: 'V014', ...SEXUAL_ORIENTATION },
  { id: 'V015', ...WORKING_AGE },
];

/** The person's latest IDS011 record whose code is one of `codes` (by record date, then record id). */
const latestCircumstance = (codes: readonly string[]) =>
  `arg_max(s.SocPerCircumstance, (try_cast(s.SocPerCircumstanceRecDate AS DATE), s.UniqueID_IDS011)) FILTER (WHERE ${isIn('s.SocPerCircumstance', codes)})`;

/** What the variables read from other tables, per referral. */
export const VARIABLE_ITEMS: readonly ReferralItems[] = [
  {
    name: 'disability',
    needs: ['disability'],
    columns: { [DISABILITY_CODES]: 'VARCHAR[]' },
    sql: `SELECT p.PathwayID, list(DISTINCT d.DisabCode) FILTER (WHERE d.DisabCode IS NOT NULL) AS ${DISABILITY_CODES} FROM m_pathway p JOIN m_disability d ON d.Person_ID = p.Person_ID GROUP BY p.PathwayID`,
  },
  {
    name: 'socialCircumstances',
    needs: ['socialCircumstance'],
    columns: { Religion: 'VARCHAR', SexualOrientation: 'VARCHAR' },
    sql:
      `SELECT p.PathwayID, ${latestCircumstance(RELIGIONS.flatMap(([, c]) => c))} AS Religion, ${latestCircumstance(ORIENTATIONS.flatMap(([, c]) => c))} AS SexualOrientation ` +
      'FROM m_pathway p JOIN m_socialCircumstance s ON s.Person_ID = p.Person_ID GROUP BY p.PathwayID',
  },
  {
    name: 'longTermConditions',
    needs: ['longTermCondition'],
    columns: { [LTC_CODES]: 'VARCHAR[]' },
    sql: `SELECT PathwayID, list(DISTINCT LongTermCondition) FILTER (WHERE LongTermCondition IS NOT NULL) AS ${LTC_CODES} FROM m_longTermCondition GROUP BY PathwayID`,
  },
  {
    name: 'ietProgrammes',
    needs: ['internetLog'],
    columns: { [IET_PROGRAMMES]: 'VARCHAR[]' },
    sql: `SELECT PathwayID, list(DISTINCT IntEnabledTherProg) FILTER (WHERE IntEnabledTherProg IS NOT NULL) AS ${IET_PROGRAMMES} FROM m_internetLog GROUP BY PathwayID`,
  },
];
