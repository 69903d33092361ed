// THE outcome configuration table: which measure pairs with which problem descriptor (the ADSM mapping),
// and every caseness cut-off and reliable-change threshold. PHQ-9 and GAD-7 values are verified
// (PMC8411661, citing NHS Digital); the ADSM values are recalled from the NHS Talking Therapies Manual and
// are NOT confirmed (measures-and-outcomes.md §1.4). Derivations and the synthetic generator read this
// table and nothing else; change a value here and everything follows.
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
  /** Smallest change (in score points) that counts as reliable, in either direction. */
  reliableChange: number | null;
  confidence: Confidence;
  source: string;
}

const RECALLED = 'NHS Talking Therapies Manual as recalled (measures-and-outcomes.md §1.4); confirm before release';

export const OUTCOME_MEASURES: readonly OutcomeMeasure[] = [
  { key: 'PHQ9', role: 'depression', toolKey: 'PHQ9', problemDescriptors: [], caseness: { op: '>=', value: 10 }, reliableChange: 6, confidence: 'verified', source: 'PMC8411661 Table 1 (NHS Digital 2016)' },
  { key: 'GAD', role: 'anxiety', toolKey: 'GAD', problemDescriptors: [], caseness: { op: '>=', value: 8 }, reliableChange: 4, confidence: 'verified', source: 'PMC8411661 Table 1 (NHS Digital 2016)' },
  { key: 'AgoraAlone', role: 'adsm', toolKey: 'AgoraAlone', problemDescriptors: ['Agoraphobia'], caseness: { op: '>', value: 2.3 }, reliableChange: 0.73, confidence: 'unconfirmed', source: RECALLED },
  { key: 'SocialPhobia', role: 'adsm', toolKey: 'SocialPhobia', problemDescriptors: ['SocialPhobia'], caseness: { op: '>=', value: 19 }, reliableChange: 10, confidence: 'unconfirmed', source: RECALLED },
  { key: 'PanicDisorder', role: 'adsm', toolKey: 'PanicDisorder', problemDescriptors: ['Panic'], caseness: { op: '>=', value: 8 }, reliableChange: 5, confidence: 'unconfirmed', source: RECALLED },
  { key: 'OCD', role: 'adsm', toolKey: 'OCD', problemDescriptors: ['OCD'], caseness: { op: '>', value: 40 }, reliableChange: 32, confidence: 'unconfirmed', source: RECALLED },
  { key: 'PTSD', role: 'adsm', toolKey: 'PTSD', problemDescriptors: ['PTSD'], caseness: { op: '>=', value: 32 }, reliableChange: 10, confidence: 'unconfirmed', source: RECALLED },
  { key: 'AnxietyInventory', role: 'adsm', toolKey: 'AnxietyInventory', problemDescriptors: ['HealthAnxiety'], caseness: { op: '>=', value: 18 }, reliableChange: 4, confidence: 'unconfirmed', source: RECALLED },
  { key: 'BIQ', role: 'adsm', toolKey: 'BIQ', problemDescriptors: ['BDD'], caseness: null, reliableChange: null, confidence: 'unconfirmed', source: 'No published threshold found: outcomes fall back to GAD-7' },
  { key: 'CFQ', role: 'adsm', toolKey: null, problemDescriptors: ['CFS'], caseness: null, reliableChange: null, confidence: 'unconfirmed', source: 'No accepted SNOMED code and no threshold: outcomes fall back to GAD-7' },
  { key: 'IBS', role: 'adsm', toolKey: 'IBS', problemDescriptors: ['IBS'], caseness: null, reliableChange: null, confidence: 'unconfirmed', source: 'No published ADSM threshold found: outcomes fall back to GAD-7' },
  { key: 'MUS', role: 'adsm', toolKey: 'PHQ15', problemDescriptors: ['MUS'], caseness: null, reliableChange: null, confidence: 'unconfirmed', source: 'No published ADSM threshold found: outcomes fall back to GAD-7' },
  { key: 'PPS_IBS', role: 'pps', toolKey: 'IBS', problemDescriptors: [], caseness: { op: '>=', value: 75 }, reliableChange: null, confidence: 'verified', source: 'NHS Digital monthly metadata M279–M282' },
  { key: 'PPS_PHQ15', role: 'pps', toolKey: 'PHQ15', problemDescriptors: [], caseness: { op: '>=', value: 10 }, reliableChange: null, confidence: 'verified', source: 'NHS Digital monthly metadata M279–M282' },
];

export function outcomeMeasure(key: string): OutcomeMeasure {
  const measure = OUTCOME_MEASURES.find((m) => m.key === key);
  if (!measure) throw new Error(`Unknown outcome measure ${key}`);
  return measure;
}

/**
 * The measure a referral's anxiety outcome is judged on: the ADSM of its problem descriptor when that
 * ADSM has thresholds, else GAD-7. (The derivation also falls back to GAD-7 when the ADSM has no first score.)
 */
export function anxietyMeasureFor(problemDescriptorId: string): OutcomeMeasure {
  const adsm = OUTCOME_MEASURES.find((m) => m.role === 'adsm' && m.problemDescriptors.includes(problemDescriptorId));
  if (adsm && adsm.caseness && adsm.reliableChange !== null && adsm.toolKey) return adsm;
  return outcomeMeasure('GAD');
}

export function atCaseness(measure: OutcomeMeasure, score: number): boolean {
  if (!measure.caseness) throw new Error(`${measure.key} has no caseness threshold`);
  return measure.caseness.op === '>=' ? score >= measure.caseness.value : score > measure.caseness.value;
}
