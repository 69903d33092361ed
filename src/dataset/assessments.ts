// SNOMED CT coded scored assessments accepted in IDS606/IDS607 `CodedAssToolType`, with valid score
// ranges and formats (reference §4.2, NHS Digital assessment_scales.py). Any other code is a record reject.
import type { Confidence } from './types.js';

export type ScoreFormat =
  | { kind: 'integer'; maxDigits: number; min: number; max: number }
  | { kind: 'decimal'; min: number; max: number } // d.d or d.dd (Mobility Inventory)
  | { kind: 'coded'; values: readonly string[] }; // Y/N/NA answers

export type ToolRole = 'depression' | 'anxiety' | 'adsm' | 'wsas' | 'pps' | 'ltc' | 'worry' | 'peq' | 'pcq';

export interface AssessmentTool {
  snomed: string;
  /** Prefix of the derived first/last score columns on IDS101, e.g. PHQ9 → PHQ9_FirstScore. */
  key: string;
  name: string;
  role: ToolRole;
  score: ScoreFormat;
  confidence?: Confidence;
  note?: string;
}

const int = (maxDigits: number, min: number, max: number): ScoreFormat => ({ kind: 'integer', maxDigits, min, max });
const peq = (snomed: string, n: number): AssessmentTool => ({ snomed, key: `PEQ_Treatment${n}`, name: `Treatment patient experience questionnaire item ${n}`, role: 'peq', score: int(1, 0, 4) });

export const ASSESSMENT_TOOLS: readonly AssessmentTool[] = [
  { snomed: '720433000', key: 'PHQ9', name: 'PHQ-9 (depression)', role: 'depression', score: int(2, 0, 27) },
  { snomed: '445455005', key: 'GAD', name: 'GAD-7 (generalised anxiety)', role: 'anxiety', score: int(2, 0, 21) },
  { snomed: '445552006', key: 'SocialPhobia', name: 'SPIN - Social Phobia Inventory', role: 'adsm', score: int(2, 0, 68) },
  { snomed: '450326007', key: 'PanicDisorder', name: 'PDSS - Panic Disorder Severity Scale', role: 'adsm', score: int(2, 0, 28) },
  {
    snomed: '473355002',
    key: 'AgoraAlone',
    name: 'Mobility Inventory for Agoraphobia (alone)',
    role: 'adsm',
    score: { kind: 'decimal', min: 0, max: 5 },
    confidence: 'unconfirmed',
    note: 'Which of 473354003 / 473355002 is "alone" is not confirmed; this assignment is ours.',
  },
  {
    snomed: '473354003',
    key: 'AgoraAccom',
    name: 'Mobility Inventory for Agoraphobia (accompanied)',
    role: 'adsm',
    score: { kind: 'decimal', min: 0, max: 5 },
    confidence: 'unconfirmed',
    note: 'Which of 473354003 / 473355002 is "alone" is not confirmed; this assignment is ours.',
  },
  { snomed: '450324005', key: 'OCD', name: 'OCI - Obsessive Compulsive Inventory', role: 'adsm', score: int(3, 0, 168) },
  { snomed: '491581000000104', key: 'PTSD', name: 'PCL-5 - PTSD Checklist for DSM-5', role: 'adsm', score: int(2, 0, 80) },
  { snomed: '446793008', key: 'AnxietyInventory', name: 'HAI - Health Anxiety Inventory (short week)', role: 'adsm', score: int(2, 0, 54) },
  { snomed: '1128221000000100', key: 'BIQ', name: 'Body Image Questionnaire (BDD)', role: 'adsm', score: int(2, 0, 72) },
  { snomed: '446517006', key: 'PSWQ', name: 'PSWQ - Penn State Worry Questionnaire', role: 'worry', score: int(2, 16, 80) },
  { snomed: '932621000000100', key: 'WASAS_Work', name: 'WSAS - work', role: 'wsas', score: int(1, 0, 9), note: '9 = not applicable (not working)' },
  { snomed: '932581000000100', key: 'WASAS_HomeManagement', name: 'WSAS - home management', role: 'wsas', score: int(1, 0, 8) },
  { snomed: '932611000000106', key: 'WASAS_SocialLeisureActivities', name: 'WSAS - social leisure activities', role: 'wsas', score: int(1, 0, 8) },
  { snomed: '932591000000103', key: 'WASAS_PrivateLeisureActivities', name: 'WSAS - private leisure activities', role: 'wsas', score: int(1, 0, 8) },
  { snomed: '932601000000109', key: 'WASAS_Relationships', name: 'WSAS - close relationships', role: 'wsas', score: int(1, 0, 8) },
  { snomed: '1065441000000103', key: 'PHQ15', name: 'PHQ-15 (persistent physical symptoms)', role: 'pps', score: int(2, 0, 30) },
  { snomed: '1083671000000108', key: 'IBS', name: 'IBS-SSS (irritable bowel symptom severity)', role: 'pps', score: int(3, 0, 500) },
  { snomed: '443223005', key: 'BPI', name: 'BPI - Brief Pain Inventory', role: 'ltc', score: int(2, 0, 70) },
  { snomed: '446660005', key: 'CAT', name: 'CAT - COPD Assessment Test', role: 'ltc', score: int(2, 0, 40) },
  { snomed: '910931000000101', key: 'DDS', name: 'DDS - Diabetes Distress Scale', role: 'ltc', score: int(3, 17, 102) },
  peq('747901000000107', 1),
  peq('747911000000109', 2),
  peq('747921000000103', 3),
  peq('747931000000101', 4),
  peq('747941000000105', 5),
  peq('747951000000108', 6),
  { snomed: '747861000000100', key: 'PEQ_Assessment1', name: 'Assessment patient experience questionnaire item 1', role: 'peq', score: { kind: 'coded', values: ['Y', 'N'] } },
  { snomed: '747871000000107', key: 'PEQ_Assessment2', name: 'Assessment patient experience questionnaire item 2', role: 'peq', score: { kind: 'coded', values: ['Y', 'N'] } },
  { snomed: '747881000000109', key: 'PEQ_Assessment3', name: 'Assessment patient experience questionnaire item 3', role: 'peq', score: { kind: 'coded', values: ['NA', 'Y', 'N'] } },
  { snomed: '904691000000103', key: 'PEQ_Assessment4', name: 'Assessment patient experience questionnaire item 4', role: 'peq', score: { kind: 'coded', values: ['NA', 'Y', 'N'] } },
  { snomed: '747891000000106', key: 'PEQ_Assessment5', name: 'Assessment patient experience questionnaire item 5', role: 'peq', score: int(1, 0, 4) },
  { snomed: '748161000000109', key: 'PCQ_1', name: 'iMTA Productivity Cost Questionnaire item 1', role: 'pcq', score: { kind: 'coded', values: ['Y', 'N'] } },
  { snomed: '760741000000102', key: 'PCQ_2', name: 'iMTA Productivity Cost Questionnaire item 2', role: 'pcq', score: int(2, 0, 28) },
  { snomed: '761051000000105', key: 'PCQ_3', name: 'iMTA Productivity Cost Questionnaire item 3', role: 'pcq', score: int(2, 0, 10) },
];

export function toolBySnomed(snomed: string): AssessmentTool | undefined {
  return ASSESSMENT_TOOLS.find((tool) => tool.snomed === snomed);
}

export function toolByKey(key: string): AssessmentTool {
  const tool = ASSESSMENT_TOOLS.find((t) => t.key === key);
  if (!tool) throw new Error(`Unknown assessment tool key ${key}`);
  return tool;
}
