// The variable breakdowns V001–V015 of the quarterly files (metadata_measures_monthly, measure type Variable):
// VariableType, VariableA and VariableB labels exactly as NHS England publishes them, each category a condition
// over a referral row. Categories may overlap where the constructions do (a person's several disability codes, a
// referral's several IET programmes, F45 in two problem descriptors). Items the conditions read from other tables
// (disability codes, religion, sexual orientation, long-term conditions, IET programmes) are referral items.
import { codeList, IET_PROGRAMMES as IET_PROGRAMME_NAMES, LONG_TERM_CONDITIONS as LONG_TERM_CONDITION_CODES, SOCIAL_CIRCUMSTANCES } from '../dataset/index.js';
import type { Breakdown, Category } from './breakdowns.js';
import { ENDED, FINISHED, sqlList, type ReferralItems } from './definition.js';

const NOT_KNOWN = 'Not stated/Not known/Invalid';
const NONE = '';
const one = (a: string, when: string): Category => ({ a, b: NONE, when });
const codeIn = (column: string, codes: readonly string[]) => `${column} IN (${sqlList(codes)})`;
const notIn = (column: string, codes: readonly string[]) => `(${column} IS NULL OR ${column} NOT IN (${sqlList(codes)}))`;

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
// The data set's ethnic categories that name a group ("White - British"): group and category as published.
const ETHNIC_GROUPS: readonly [string, string, string][] = codeList('EthnicCategory')
  .values.filter((v) => (v.meaning ?? '').includes(' - '))
  .map((v) => [...((v.meaning ?? '').split(' - ') as [string, string]), v.code]);
const ETHNIC_CODES = ETHNIC_GROUPS.map(([, , code]) => code);
const WHITE_BRITISH = 'A';
const BME_GROUP: Breakdown = {
  type: 'BME Group',
  categories: [one('BME', codeIn(ETHNIC, ETHNIC_CODES.filter((c) => c !== WHITE_BRITISH))), one('White British', `${ETHNIC} = '${WHITE_BRITISH}'`), one(NOT_KNOWN, notIn(ETHNIC, ETHNIC_CODES))],
};

// The data set's disability codes, labelled as published (the code list's meanings are worded differently).
const DISABILITY_LABEL: Readonly<Record<string, string>> = {
  '01': 'Behaviour and Emotional',
  '03': 'Manual Dexterity',
  '04': 'Memory or ability to concentrate, learn or understand (Learning Disability)',
  '05': 'Mobility and Gross Motor',
  '06': 'Perception of Physical Danger',
  '07': 'Personal, Self Care and Continence',
  '08': 'Progressive Conditions and Physical Health (such as HIV, cancer, multiple sclerosis, fits etc)',
  NN: 'No Disability',
  ZZ: 'Not Stated',
};
const DISABILITIES: readonly [string, string][] = codeList('DisabCode').values.map((v) => [`${v.code} ${DISABILITY_LABEL[v.code] ?? v.meaning}`, v.code]);
const DISABILITY_CODES = 'DisabilityCodes';
const DISABILITY: Breakdown = {
  type: 'Disability',
  categories: [
    ...DISABILITIES.map(([label, code]) => one(label, `list_contains(${DISABILITY_CODES}, '${code}')`)),
    one('Invalid code', `len(list_filter(${DISABILITY_CODES}, c -> c NOT IN (${sqlList(DISABILITIES.map(([, code]) => code))}))) > 0`),
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
const EDUCATION_STATED = codeList('EduEstabTypeIAPT').values.filter((v) => !v.isDefault);
const EDUCATION_TYPES = groupCodes(EDUCATION_STATED.map((v) => [EDUCATION_LABEL[v.meaning ?? ''] ?? v.meaning ?? v.code, v.code]));
const EDUCATION: Breakdown = {
  type: 'Education',
  categories: [
    ...EDUCATION_TYPES.flatMap(([a, codes]) => EDUCATION_BANDS.map(([band, when]) => ({ a, b: `${a} and ${band}`, when: `${codeIn('EduEstabTypeIAPT', codes)} AND ${when}` }))),
    { a: 'Other', b: NOT_KNOWN, when: notIn('EduEstabTypeIAPT', EDUCATION_STATED.map((v) => v.code)) },
  ],
};

const ETHNIC_GROUP: Breakdown = {
  type: 'Ethnic Group',
  categories: [...ETHNIC_GROUPS.map(([a, b, code]) => ({ a, b, when: `${ETHNIC} = '${code}'` })), one(NOT_KNOWN, notIn(ETHNIC, ETHNIC_CODES))],
};

const EX_BAF: Breakdown = {
  type: 'Ex British Armed Forces and Dependants',
  categories: [
    one('Ex-services member', "ExBAFIndicator = '02'"),
    one('Not an ex-services member or their dependant', "ExBAFIndicator = '03'"),
    one('Dependant of an ex-services member', "ExBAFIndicator = '05'"),
    one(NOT_KNOWN, notIn('ExBAFIndicator', ['02', '03', '05'])),
  ],
};

const IDENTITIES = ['1', '2', '3', '4'];
const NO_IDENTITY = notIn('GenderIdentity', IDENTITIES);
const GENDER_IDENTITY: Breakdown = {
  type: 'Gender Identity',
  categories: [
    one('Male (including trans men)', `GenderIdentity = '1' OR (Gender = '1' AND ${NO_IDENTITY})`),
    one('Female (including trans women)', `GenderIdentity = '2' OR (Gender = '2' AND ${NO_IDENTITY})`),
    one('Non-binary', "GenderIdentity = '3'"),
    one('Other (not listed)', "GenderIdentity = '4'"),
    one('Indeterminate', `${NO_IDENTITY} AND Gender = '9'`),
    // The construction's brackets do not balance: read as no identity and a gender other than 1, 2 or 9.
    one(NOT_KNOWN, `${NO_IDENTITY} AND ${notIn('Gender', ['1', '2', '9'])}`),
  ],
};

const SAME_AT_BIRTH: Breakdown = {
  type: 'Gender Identity Same At Birth',
  categories: [
    one('Same gender at birth', "GenderIdentitySameAtBirth = 'Y'"),
    one('Different gender at birth', "GenderIdentitySameAtBirth = 'N'"),
    one(NOT_KNOWN, notIn('GenderIdentitySameAtBirth', ['Y', 'N'])),
  ],
};

// The data set's programmes, with the published label where it differs and the construction's other spellings.
const IET_LABEL: Readonly<Record<string, string>> = { SilverCloud: 'Silvercloud' };
const IET_SPELLINGS: Readonly<Record<string, readonly string[]>> = { 'BDD-NET': ['BDD.NET'], Minddistrict: ['MNDDSTRCT'], 'OCD-NET': ['OCD.NET'], SilverCloud: ['SLVRCLD', 'SILVER'] };
/** Published label and the texts a programme name contains (case-insensitive). */
const IET: readonly [string, readonly string[]][] = IET_PROGRAMME_NAMES.map((p) => [IET_LABEL[p] ?? p, [p, ...(IET_SPELLINGS[p] ?? [])]]);
const IET_PROGRAMMES = 'IetProgrammes';
const mentions = (texts: readonly string[]) => `(${texts.map((t) => `contains(lower(p), '${t.toLowerCase()}')`).join(' OR ')})`;
const IET_PROGRAMME: Breakdown = {
  type: 'IETprogramme',
  categories: [
    ...IET.map(([label, texts]) => one(label, `len(list_filter(${IET_PROGRAMMES}, p -> ${mentions(texts)})) > 0`)),
    one('Other/unknown IET', `len(list_filter(${IET_PROGRAMMES}, p -> NOT ${mentions(IET.flatMap(([, t]) => t))})) > 0`),
    one('No recorded IET', `coalesce(len(${IET_PROGRAMMES}), 0) = 0`),
  ],
};

// The data set's long-term conditions, with the published label where it differs.
const LTC_LABEL: Readonly<Record<string, string>> = { '13645005': 'Chronic obstructive lung disease' };
const LONG_TERM_CONDITIONS: readonly [string, string][] = LONG_TERM_CONDITION_CODES.map((c) => [LTC_LABEL[c.snomed] ?? c.name, c.snomed]);
const LTC_CODES = 'LongTermConditionCodes';
const INTEGRATED = 'IntegratedContact_FirstDate IS NOT NULL';
const LONG_TERM_CONDITION: Breakdown = {
  type: 'LongTermCondition',
  categories: [
    ...LONG_TERM_CONDITIONS.map(([label, code]) => one(label, `${INTEGRATED} AND list_contains(${LTC_CODES}, '${code}')`)),
    one('No code recorded', `${INTEGRATED} AND coalesce(len(${LTC_CODES}), 0) = 0`),
    one('Invalid Code', `NOT (${INTEGRATED}) OR len(list_filter(${LTC_CODES}, c -> c NOT IN (${sqlList(LONG_TERM_CONDITIONS.map(([, code]) => code))}))) > 0`),
  ],
};

// A referral without a presenting complaint is read as not stated (-3).
const COMPLAINT = "coalesce(PresentingComplaint, '-3')";
const like = (...prefixes: string[]) => `(${prefixes.map((p) => `${COMPLAINT} LIKE '${p}%'`).join(' OR ')})`;
const ANXIETY = 'Anxiety and stress related disorders';
const MUS = 'Medically Unexplained Symptoms';
const ANXIETY_CODES: readonly [string, string][] = [
  ['F400 - Agoraphobia', 'F400'],
  ['F401 - Social phobias', 'F401'],
  ['F402 - Specific (isolated) phobias', 'F402'],
  ['F410 - Panic disorder [episodic paroxysmal anxiety]', 'F410'],
  ['F411 - Generalised Anxiety Disorder', 'F411'],
  ['F412 - Mixed anxiety and depressive disorder', 'F412'],
  ['F431 - Post-traumatic stress disorder', 'F431'],
  ['F452 Hypochondriacal Disorders', 'F452'],
  ['83482000 Body Dysmorphic Disorder', '83482000'],
];
const OTHER_MENTAL_HEALTH = ['F10', 'F31', 'F45', 'F50', 'F99'];
const PROBLEM_DESCRIPTOR: Breakdown = {
  type: 'Problem Descriptor',
  categories: [
    one('Depression', like('F32', 'F33')),
    ...ANXIETY_CODES.map(([b, code]) => ({ a: ANXIETY, b, when: `${COMPLAINT} = '${code}'` })),
    { a: ANXIETY, b: 'F42 - Obsessive-compulsive disorder', when: like('F42') },
    // As the construction means it (its AND binds to the last LIKE only): F40–F43 other than the codes above.
    { a: ANXIETY, b: 'Other F40-F43 code', when: `${like('F40', 'F41', 'F42', 'F43')} AND NOT ${like('F42')} AND ${COMPLAINT} NOT IN (${sqlList(ANXIETY_CODES.map(([, c]) => c))})` },
    { a: MUS, b: 'K58 - Irritable bowel syndrome', when: like('K58') },
    { a: MUS, b: 'G933 - Chronic fatigue syndrome', when: like('G933') },
    { a: MUS, b: '723916001 - MUS not otherwise specified', when: `${COMPLAINT} = '723916001'` },
    one('Other Mental Health disorders', like(...OTHER_MENTAL_HEALTH)),
    one('Other recorded problems', `NOT ${like('F32', 'F33', 'F40', 'F41', 'F42', 'F43', ...OTHER_MENTAL_HEALTH)} AND ${COMPLAINT} <> '-3'`),
    one(NOT_KNOWN, `${COMPLAINT} = '-3'`),
  ],
};

const PRESCRIBED = ['01', '1', ' 1', '1 ', '02', '2', ' 2', '2 '];
const NOT_PRESCRIBED = ['03', '3', ' 3', '3 '];
const STATED = [...PRESCRIBED, ...NOT_PRESCRIBED];
const FINISHED_IN_PERIOD = `${FINISHED} AND ${ENDED} BETWEEN $start AND $end`;
const medication = (first: readonly string[], last: readonly string[]) => `${codeIn('PsychotropicIndicator_First', first)} AND ${codeIn('PsychotropicIndicator_Last', last)} AND ${FINISHED_IN_PERIOD}`;
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
  `coalesce(PsychotropicIndicator_First NOT IN (${sqlList(STATED)}) OR PsychotropicIndicator_Last NOT IN (${sqlList(STATED)}) OR ${ENDED} NOT BETWEEN $start AND $end, false) ` +
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
  categories: RELIGIONS.map(([label, codes]) => one(label, label === NOT_KNOWN ? `Religion IS NULL OR ${codeIn('Religion', codes)}` : codeIn('Religion', codes))),
};

const ORIENTATIONS = circumstanceCategories('sexualOrientation');
const SEXUAL_ORIENTATION: Breakdown = {
  type: 'Sexual Orientation',
  categories: [...ORIENTATIONS.map(([label, codes]) => one(label, codeIn('SexualOrientation', codes))), one(NOT_KNOWN, 'SexualOrientation IS NULL')],
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
  `arg_max(s.SocPerCircumstance, (try_cast(s.SocPerCircumstanceRecDate AS DATE), s.UniqueID_IDS011)) FILTER (WHERE ${codeIn('s.SocPerCircumstance', codes)})`;

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
