// Problem descriptor groups over IDS603 `Validated_PresentingComplaint` (reference §4.4; measures §1.4, §1.6).
// Groups are tried in order; the first match wins.

export type HigherCategory =
  | 'Depression'
  | 'Anxiety and stress related disorders (Total)'
  | 'Other Mental Health problems'
  | 'Other recorded problems'
  | 'Invalid Data supplied';

export interface ProblemDescriptorGroup {
  id: string;
  name: string;
  higher: HigherCategory;
  /** ICD-10 validated-code prefixes (scheme 01). */
  icd10Prefixes?: readonly string[];
  /** Exact SNOMED CT codes (scheme 04). */
  snomed?: readonly string[];
  /** An ICD-10 code the synthetic generator records for this group (a valid, cleaned 4-character code). */
  exampleCode: string;
}

export const PROBLEM_DESCRIPTORS: readonly ProblemDescriptorGroup[] = [
  { id: 'Depression', name: 'Depression', higher: 'Depression', icd10Prefixes: ['F32', 'F33'], exampleCode: 'F321' },
  { id: 'Agoraphobia', name: 'Agoraphobia', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F400'], exampleCode: 'F400' },
  { id: 'SocialPhobia', name: 'Social phobias', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F401'], exampleCode: 'F401' },
  { id: 'SpecificPhobia', name: 'Specific (isolated) phobias', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F402'], exampleCode: 'F402' },
  { id: 'Panic', name: 'Panic disorder', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F410'], exampleCode: 'F410' },
  { id: 'GAD', name: 'Generalised anxiety disorder', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F411'], exampleCode: 'F411' },
  { id: 'MixedAnxietyDepression', name: 'Mixed anxiety and depressive disorder', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F412'], exampleCode: 'F412' },
  { id: 'OCD', name: 'Obsessive compulsive disorder', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F42'], exampleCode: 'F422' },
  { id: 'PTSD', name: 'Post-traumatic stress disorder', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F431'], exampleCode: 'F431' },
  { id: 'HealthAnxiety', name: 'Hypochondriacal disorder (health anxiety)', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F452'], exampleCode: 'F452' },
  { id: 'BDD', name: 'Body dysmorphic disorder', higher: 'Anxiety and stress related disorders (Total)', snomed: ['83482000'], exampleCode: '83482000' },
  { id: 'OtherAnxiety', name: 'Other F40-F43 code', higher: 'Anxiety and stress related disorders (Total)', icd10Prefixes: ['F40', 'F41', 'F42', 'F43'], exampleCode: 'F432' },
  { id: 'OtherMentalHealth', name: 'Other mental health problems', higher: 'Other Mental Health problems', icd10Prefixes: ['F10', 'F31', 'F45', 'F50', 'F99'], exampleCode: 'F509' },
  { id: 'CFS', name: 'Chronic fatigue syndrome', higher: 'Other recorded problems', icd10Prefixes: ['G933'], exampleCode: 'G933' },
  { id: 'IBS', name: 'Irritable bowel syndrome', higher: 'Other recorded problems', icd10Prefixes: ['K58'], exampleCode: 'K589' },
  { id: 'MUS', name: 'Medically unexplained symptoms not otherwise specified', higher: 'Other recorded problems', snomed: ['723916001'], exampleCode: '723916001' },
  { id: 'OtherRecorded', name: 'Other recorded problems', higher: 'Other recorded problems', exampleCode: 'Z730' },
  { id: 'NotStated', name: 'Not stated / invalid', higher: 'Invalid Data supplied', exampleCode: '-3' },
];

/** The group of a validated presenting complaint (`-3` or null = not stated / invalid). */
export function problemDescriptorOf(validatedCode: string | null): ProblemDescriptorGroup {
  const groups = PROBLEM_DESCRIPTORS;
  const last = groups[groups.length - 1]!;
  if (validatedCode === null || validatedCode === '' || validatedCode === '-3') return last;
  for (const group of groups) {
    if (group.snomed?.includes(validatedCode)) return group;
    if (group.icd10Prefixes?.some((prefix) => validatedCode.startsWith(prefix))) return group;
  }
  return groups.find((g) => g.id === 'OtherRecorded')!;
}
