// Values the derivations (src/derivation/) apply, named once here with their NHS source, so no derivation SQL
// types a code, a threshold or a label of its own.
import { CODE_LISTS } from './codeLists.js';
import { codeOf } from './codes.js';
import { FINDING_SCHEME } from './validationCodes.js';
import { OUTCOME_MEASURES } from './outcomes.js';
import { PROBLEM_DESCRIPTORS } from './problemDescriptors.js';

/**
 * A finished course of treatment (`CompletedTreatment_Flag`, NHS England measure M076 Count_FinishedCourseTreatment):
 * a referral discharged after at least this many treatment appointments (measures-and-outcomes.md §1.1).
 */
export const FINISHED_COURSE_TREATMENT_APPOINTMENTS = 2;

/** NHS derived-item conventions (reference §4.1): a missing submitted value derives to -1, an invalid one to -3. */
export const DERIVED_MISSING = '-1';
export const DERIVED_INVALID = '-3';

const descriptorId = (id: string): string => {
  if (!PROBLEM_DESCRIPTORS.some((p) => p.id === id)) throw new Error(`${id} is not a problem-descriptor group`);
  return id;
};
/** The problem-descriptor group of a referral without a valid presenting complaint. */
export const DESCRIPTOR_NOT_STATED = descriptorId('NotStated');
/** The group of a valid presenting complaint that matches no other group. */
export const DESCRIPTOR_OTHER_RECORDED = descriptorId('OtherRecorded');

const codeList = (id: string) => CODE_LISTS.find((c) => c.id === id)!;
/** FINDING SCHEME IN USE of SNOMED CT (04): its codes pass through validation; any other scheme's are read as ICD-10. */
export const SNOMED_CT_SCHEME = FINDING_SCHEME.snomedCt;
/** Yes of a YesNo item, e.g. IAPTLTCServiceInd (an integrated long-term condition service contact). */
export const YES = codeOf('YesNo', 'Yes');

const ethnic = codeList('EthnicCategory');
const notKnown = codeOf('EthnicCategory', 'Not known');

/**
 * `Validated_EthnicCategory` (reference §4.1, NHS S1 CleanEthnicCategory): blank or 0 is missing (-1); the Not known
 * code, also in its one-digit form (9), is itself; any other code of the ETHNIC CATEGORY list is kept as submitted;
 * anything else is invalid (-3).
 */
export const VALIDATED_ETHNIC_CATEGORY = {
  missingForms: ['', '0'],
  notKnown,
  notKnownForms: [notKnown.slice(1), notKnown],
  kept: ethnic.values.map((v) => v.code).filter((code) => code !== notKnown),
} as const;

/**
 * The persistent physical symptoms measure (`PPSM`, NHS England monthly metadata M279–M282): for a referral with an
 * integrated (long-term condition) contact, the first of these tools with a first score, in the outcome table's
 * order (IBS-SSS, else PHQ-15). The PPSM value is the tool's key, the prefix of its score columns.
 */
export const PPS_TOOLS: readonly string[] = OUTCOME_MEASURES.filter((m) => m.role === 'pps').map((m) => m.toolKey!);
