// THE outcome configuration table: which measure pairs with which problem descriptor (the ADSM mapping),
// and every caseness cut-off and reliable-change threshold, each with its status and source. PHQ-9 and GAD-7
// values are verified (PMC8411661, citing NHS Digital); IBS-SSS >= 75 and PHQ-15 >= 10 are the NHS persistent
// physical symptoms cut-offs (monthly metadata M279-M282); the other ADSM values are recalled from the NHS
// Talking Therapies Manual and are NOT confirmed (measures-and-outcomes.md section 1.4). Derivations, measures,
// `iapt measures` and the synthetic generator read this table and nothing else; change a value here and
// everything follows.
import type { Confidence } from './types.js';

export interface Threshold {
  /** `>=`: at caseness when score >= value; `>`: when score > value. */
  op: '>=' | '>';
  value: number;
}

export interface OutcomeMeasure {
  /** ADSM label as it appears in IDS101 `ADSM`, and the prefix of its first/last score columns. */
  key: string;
  role: 'depression' | 'anxiety' | 'adsm' | 'pps';
  /** Assessment-tool key in ASSESSMENT_TOOLS (null when no accepted SNOMED code exists). */
  toolKey: string | null;
  /** Problem-descriptor group ids (PROBLEM_DESCRIPTORS) whose referrals use this measure as their ADSM. */
  problemDescriptors: readonly string[];
  caseness: Threshold | null;
  casenessStatus: Confidence;
  /** Smallest change (in score points) that counts as reliable, in either direction. */
  reliableChange: number | null;
  reliableChangeStatus: Confidence;
  source: string;
}

const RECALLED = 'NHS Talking Therapies Manual as recalled (measures-and-outcomes.md section 1.4); confirm before release';
const PPS_CUT_OFF = 'Caseness: NHS England monthly metadata M279-M282 (persistent physical symptoms cut-off)';
const NO_RELIABLE_CHANGE = 'no published reliable-change value found';

const recalled = (key: string, toolKey: string, descriptor: string, caseness: Threshold, reliableChange: number): OutcomeMeasure => ({
  key,
  role: 'adsm',
  toolKey,
  problemDescriptors: [descriptor],
  caseness,
  casenessStatus: 'unconfirmed',
  reliableChange,
  reliableChangeStatus: 'unconfirmed',
  source: RECALLED,
});

export const OUTCOME_MEASURES: readonly OutcomeMeasure[] = [
  { key: 'PHQ9', role: 'depression', toolKey: 'PHQ9', problemDescriptors: [], caseness: { op: '>=', value: 10 }, casenessStatus: 'verified', reliableChange: 6, reliableChangeStatus: 'verified', source: 'PMC8411661 Table 1 (NHS Digital 2016)' },
  { key: 'GAD', role: 'anxiety', toolKey: 'GAD', problemDescriptors: [], caseness: { op: '>=', value: 8 }, casenessStatus: 'verified', reliableChange: 4, reliableChangeStatus: 'verified', source: 'PMC8411661 Table 1 (NHS Digital 2016)' },
  recalled('AgoraAlone', 'AgoraAlone', 'Agoraphobia', { op: '>', value: 2.3 }, 0.73),
  recalled('SocialPhobia', 'SocialPhobia', 'SocialPhobia', { op: '>=', value: 19 }, 10),
  recalled('PanicDisorder', 'PanicDisorder', 'Panic', { op: '>=', value: 8 }, 5),
  recalled('OCD', 'OCD', 'OCD', { op: '>', value: 40 }, 32),
  recalled('PTSD', 'PTSD', 'PTSD', { op: '>=', value: 32 }, 10),
  recalled('AnxietyInventory', 'AnxietyInventory', 'HealthAnxiety', { op: '>=', value: 18 }, 4),
  // The four ADSMs of v2.1 (April 2022). Until both of its thresholds are known an ADSM is not used for outcomes:
  // its referrals are judged on GAD-7 (usableForOutcomes), and `iapt measures` and docs/derivations.md say so.
  { key: 'BIQ', role: 'adsm', toolKey: 'BIQ', problemDescriptors: ['BDD'], caseness: null, casenessStatus: 'unconfirmed', reliableChange: null, reliableChangeStatus: 'unconfirmed', source: 'No published caseness or reliable-change value found' },
  { key: 'CFQ', role: 'adsm', toolKey: null, problemDescriptors: ['CFS'], caseness: null, casenessStatus: 'unconfirmed', reliableChange: null, reliableChangeStatus: 'unconfirmed', source: 'No accepted SNOMED code for the Chalder Fatigue Questionnaire, so no CFS scores, and no threshold found' },
  { key: 'IBS', role: 'adsm', toolKey: 'IBS', problemDescriptors: ['IBS'], caseness: { op: '>=', value: 75 }, casenessStatus: 'verified', reliableChange: null, reliableChangeStatus: 'unconfirmed', source: `${PPS_CUT_OFF}; ${NO_RELIABLE_CHANGE}` },
  { key: 'MUS', role: 'adsm', toolKey: 'PHQ15', problemDescriptors: ['MUS'], caseness: { op: '>=', value: 10 }, casenessStatus: 'verified', reliableChange: null, reliableChangeStatus: 'unconfirmed', source: `${PPS_CUT_OFF}; ${NO_RELIABLE_CHANGE}` },
  { key: 'PPS_IBS', role: 'pps', toolKey: 'IBS', problemDescriptors: [], caseness: { op: '>=', value: 75 }, casenessStatus: 'verified', reliableChange: null, reliableChangeStatus: 'unconfirmed', source: 'NHS England monthly metadata M279-M282' },
  { key: 'PPS_PHQ15', role: 'pps', toolKey: 'PHQ15', problemDescriptors: [], caseness: { op: '>=', value: 10 }, casenessStatus: 'verified', reliableChange: null, reliableChangeStatus: 'unconfirmed', source: 'NHS England monthly metadata M279-M282' },
];

/** An ADSM judges outcomes only with a scored tool and both thresholds; otherwise its referrals are judged on GAD-7. */
export const usableForOutcomes = (m: OutcomeMeasure): boolean => m.role === 'adsm' && m.toolKey !== null && m.caseness !== null && m.reliableChange !== null;

/** Whether any threshold the measure's outcomes use is unconfirmed. */
export const hasUnconfirmedThreshold = (m: OutcomeMeasure): boolean =>
  (m.caseness !== null && m.casenessStatus !== 'verified') || (m.reliableChange !== null && m.reliableChangeStatus !== 'verified');

export function outcomeMeasure(key: string): OutcomeMeasure {
  const measure = OUTCOME_MEASURES.find((m) => m.key === key);
  if (!measure) throw new Error(`Unknown outcome measure ${key}`);
  return measure;
}

/**
 * The measure a referral's anxiety outcome is judged on: the ADSM of its problem descriptor when that
 * ADSM is usable for outcomes, else GAD-7. (The derivation also uses GAD-7 when the ADSM's scores are not paired
 * and GAD-7's are: src/derivation/sqlConfig.ts anxietyMeasureSql.)
 */
export function anxietyMeasureFor(problemDescriptorId: string): OutcomeMeasure {
  const adsm = OUTCOME_MEASURES.find((m) => m.role === 'adsm' && m.problemDescriptors.includes(problemDescriptorId));
  if (adsm && usableForOutcomes(adsm)) return adsm;
  return outcomeMeasure('GAD');
}

export function atCaseness(measure: OutcomeMeasure, score: number): boolean {
  if (!measure.caseness) throw new Error(`${measure.key} has no caseness threshold`);
  return measure.caseness.op === '>=' ? score >= measure.caseness.value : score > measure.caseness.value;
}
